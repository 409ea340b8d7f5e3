import { Duration } from 'cdk8s';

/** A DNS-1035 label: what the upstream webhook requires of SparkApplication names. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label (pod names that serve as host names, Service names). */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' limit for names that are DNS labels. */
export const DNS_LABEL_MAX_LENGTH = 63;

/** A DNS-1123 subdomain: what Kubernetes accepts as the name of most objects (ServiceAccounts ...). */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes' limit for names that are DNS subdomains. */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;

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
  if (!DNS_1123_LABEL.test(namespace) || namespace.length > DNS_LABEL_MAX_LENGTH) {
    throw new Error(`'${prop}' must contain valid namespace names (at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit) (got ${JSON.stringify(namespace)})`);
  }
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
