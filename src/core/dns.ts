/** The shapes of Kubernetes names, as the API server checks them (`k8s.io/apimachinery` validation). */

/** A DNS-1035 label: what the upstream webhook requires of SparkApplication names. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label (pod names that serve as host names, Service and namespace names). */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' limit for names that are DNS labels. */
export const DNS_LABEL_MAX_LENGTH = 63;

/** A DNS-1123 subdomain: what Kubernetes accepts as the name of most objects (ServiceAccounts ...). */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes' limit for names that are DNS subdomains. */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;

/** True when `name` is a DNS-1035 label of at most 63 characters. */
export function isDns1035Label(name: string): boolean {
  return name.length <= DNS_LABEL_MAX_LENGTH && DNS_1035_LABEL.test(name);
}

/** True when `name` is a DNS-1123 label of at most 63 characters. */
export function isDns1123Label(name: string): boolean {
  return name.length <= DNS_LABEL_MAX_LENGTH && DNS_1123_LABEL.test(name);
}

/** True when `name` is a DNS-1123 subdomain of at most 253 characters. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= DNS_SUBDOMAIN_MAX_LENGTH && DNS_1123_SUBDOMAIN.test(name);
}

/** Why `namespace` is not a namespace name (a DNS-1123 label), as a message without subject, or undefined. */
export function namespaceNameProblem(namespace: string): string | undefined {
  return isDns1123Label(namespace)
    ? undefined
    : `must contain valid namespace names (at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit) (got ${JSON.stringify(namespace)})`;
}

/** A label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True for a non-empty label value (what YuniKorn's `queue` label must be). */
export function isLabelValue(value: string): boolean {
  return value !== '' && LABEL_VALUE.test(value) && value.length <= DNS_LABEL_MAX_LENGTH;
}
