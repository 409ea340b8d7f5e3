import { Duration } from 'cdk8s';
import { namespaceNameProblem } from '../core';

/**
 * Checks of typed construct props (cdk8s `Duration`s, operator props) as they are converted to the wire
 * model. Rules over the wire model itself live in `src/core` (`validate()`).
 */

/** Throws unless `value` is an integer >= `min`; returns it (`undefined` passes). */
export function requireInteger<T extends number | undefined>(prop: string, value: T, min: number): T {
  if (value === undefined) return value;
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`'${prop}' must be an integer >= ${min} (got ${value})`);
  }
  return value;
}

/** Throws unless `value` is a TCP port number (1 to 65535); returns it. */
export function requirePort(prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`'${prop}' must be a port number between 1 and 65535 (got ${value})`);
  }
  return value;
}

/** Throws unless `namespace` is a valid namespace name (a DNS-1123 label). */
export function requireNamespaceName(prop: string, namespace: string): void {
  const problem = namespaceNameProblem(namespace);
  if (problem) throw new Error(`'${prop}' ${problem}`);
}

/** A duration in whole seconds, at least `min`. */
export function wholeSeconds(prop: string, duration: Duration, min: number): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min) {
    throw new Error(`'${prop}' must be a whole number of seconds >= ${min} (got ${seconds}s)`);
  }
  return seconds;
}

/** A duration in whole milliseconds, at least `min`. */
export function wholeMilliseconds(prop: string, duration: Duration, min: number): number {
  const millis = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(millis) || millis < min) {
    throw new Error(`'${prop}' must be a whole number of milliseconds >= ${min} (got ${millis}ms)`);
  }
  return millis;
}
