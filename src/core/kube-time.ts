/**
 * The two time formats of the Kubernetes API, written once: `metav1.Time` (RFC 3339 in UTC, whole
 * seconds: every status time of a SparkApplication and a ScheduledSparkApplication) and
 * `metav1.MicroTime` (six fractional digits: a Lease's acquire and renew times).
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/
 */

/** `time` as a `metav1.Time` field takes it: `2026-12-07T08:00:00Z`. */
export function formatTime(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}

/** `ms` (since the epoch) as a `metav1.MicroTime` field takes it: `2026-12-07T08:00:00.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
