/**
 * The rules of the controller's metrics flags (`--metrics-labels`, `--metrics-prefix` and the two
 * latency bucket lists), shared by the flag parser, the `SparkOperator` construct's props and the
 * runtime's metrics: upstream's (Kubeflow) Spark metrics, `reference/kubeflow-v1beta2.md` §8.
 */
import { DNS_1123_SUBDOMAIN, DNS_LABEL_MAX_LENGTH, DNS_SUBDOMAIN_MAX_LENGTH } from '../dns';

/** The entry of `--metrics-labels` whose value is the object's namespace rather than one of its labels. */
export const NAMESPACE_METRICS_LABEL = 'namespace';

/** The value of a metrics label whose Kubernetes label the object does not have (upstream's). */
export const UNKNOWN_METRICS_LABEL_VALUE = 'Unknown';

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** True for a Kubernetes label key: an optional DNS subdomain and `/`, then a name of at most 63 characters. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  if (name.length > DNS_LABEL_MAX_LENGTH || !LABEL_NAME.test(name)) return false;
  return prefix === undefined || (prefix.length <= DNS_SUBDOMAIN_MAX_LENGTH && DNS_1123_SUBDOMAIN.test(prefix));
}

/**
 * The Prometheus label name of a Kubernetes label key: every character but letters, digits and `_`
 * becomes `_`, and a leading digit gets a `_` before it (`app.kubernetes.io/name` is
 * `app_kubernetes_io_name`).
 */
export function metricsLabelName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * Why `keys` cannot be the labels of the Spark metrics, as a message without subject, or
 * undefined. Each key is `namespace` or a Kubernetes label key, and no two keys may give the same
 * Prometheus label name.
 */
export function metricsLabelsProblem(keys: readonly string[]): string | undefined {
  const names = new Map<string, string>();
  for (const key of keys) {
    if (!isLabelKey(key)) {
      return `must list Kubernetes label keys such as 'app_type' or 'app.kubernetes.io/name', or 'namespace' (got ${JSON.stringify(key)})`;
    }
    const name = metricsLabelName(key);
    const other = names.get(name);
    if (other !== undefined) {
      return `must not list two keys that give the same metrics label '${name}' (got ${JSON.stringify(other)} and ${JSON.stringify(key)})`;
    }
    names.set(name, key);
  }
  return undefined;
}

/** Why `prefix` cannot begin the Spark metrics' names, as a message without subject, or undefined. */
export function metricsPrefixProblem(prefix: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)
    ? undefined
    : `must be letters, digits and '_', not starting with a digit, such as 'team_a_' (got ${JSON.stringify(prefix)})`;
}

/** Why `buckets` (upper bounds in seconds) cannot be a latency histogram's buckets, as a message without subject, or undefined. */
export function latencyBucketsProblem(buckets: readonly number[]): string | undefined {
  const shown = JSON.stringify(buckets.join(','));
  if (buckets.length === 0) return `must list at least one upper bound in seconds (got ${shown})`;
  for (let i = 0; i < buckets.length; i++) {
    if (!Number.isFinite(buckets[i]) || buckets[i] <= 0) return `must list upper bounds in seconds > 0 (got ${shown})`;
    if (i > 0 && buckets[i] <= buckets[i - 1]) return `must list upper bounds in increasing order (got ${shown})`;
  }
  return undefined;
}
