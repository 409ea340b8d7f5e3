/**
 * Small checks that the rules share. Each reads a value of unknown shape: objects reach the
 * controller and `sparkctl lint` from YAML files and from clusters where the CRD schema is light, so
 * a rule must never assume a type it has not checked.
 */
import { ProblemList, boundedText } from '../problems';

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a list that is an array, or none. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The longest value a message quotes whole. */
const MAX_SHOWN_VALUE = 200;

/** The string value of a JSON value for a message: strings quoted, the rest as JSON, one line, cut when long. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const bounded = boundedText(text, MAX_SHOWN_VALUE);
  return typeof value === 'string' ? `'${bounded}'` : bounded;
}

/** Adds a problem unless `value` is undefined or an integer >= `min`. */
export function checkInteger(problems: ProblemList, path: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    problems.add(path, `must be an integer >= ${min} (got ${shown(value)})`);
  }
}

/** Adds a problem unless `value` is undefined or a TCP port number (1 to 65535). */
export function checkPort(problems: ProblemList, path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    problems.add(path, `must be a port number between 1 and 65535 (got ${shown(value)})`);
  }
}

/** Adds a problem unless `value` is undefined or one of `allowed`. */
export function checkOneOf(problems: ProblemList, path: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
  problems.add(path, `must be one of ${allowed.join(', ')} (got ${shown(value)})`);
}

/** Adds a problem unless `value` is undefined or a string. Returns the string, if it is one. */
export function checkString(problems: ProblemList, path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    problems.add(path, `must be a string (got ${shown(value)})`);
    return undefined;
  }
  return value;
}

/** Adds a problem unless `value` is undefined or an absolute path. */
export function checkAbsolutePath(problems: ProblemList, path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !value.startsWith('/')) {
    problems.add(path, `must be an absolute path (got ${shown(value)})`);
  }
}

/** The major and minor version of a Spark version string such as `3.5.1`, if it is one. */
export function sparkVersionOf(text: unknown): { major: number; minor: number } | undefined {
  const match = typeof text === 'string' ? /^(\d+)\.(\d+)\.(\d+)/.exec(text) : null;
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}
