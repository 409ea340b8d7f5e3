/**
 * The pods of an application as `logs` and `forward` reach them: which pod (the driver, or an
 * executor by its id), which container in it, the query of the log request, and the one-line
 * messages for a pod that is not there (yet, or any more). Pure.
 */
import { LABELS, SparkApplication } from '../api';
import { SPARK_CONTAINERS, driverPodName } from '../core';

/** Spark's container names in its pods (`spark.kubernetes.driver.podTemplateContainerName` and the executor's), as Spark names them with no template. */

/** Spark's label of an executor's id (`SPARK_EXECUTOR_ID_LABEL` in Spark's `deploy/k8s/Constants.scala`). */
export const EXECUTOR_ID_LABEL = 'spark-exec-id';

/** A pod as the API returns it, the fields sparkctl reads. */
export interface PodView {
  readonly metadata: { readonly name?: string; readonly creationTimestamp?: string; readonly labels?: Record<string, string> };
  readonly spec?: { readonly containers?: ReadonlyArray<{ readonly name: string }> };
  readonly status?: { readonly phase?: string };
}

/** Which of the application's pods a command means. */
export type PodRole = { readonly role: 'driver' } | { readonly role: 'executor'; readonly id: number };

/** The driver pod's name: the one the status names, else the one the rules give (`spec.driver.podName`, `<name>-driver`). */
export function driverPodNameOf(app: SparkApplication): string {
  return app.status?.driverInfo?.podName || (app.spec ? driverPodName(app) : `${app.metadata.name}-driver`);
}

/** The label selector of executor `id`'s pods of the application (every attempt's). */
export function executorSelector(app: SparkApplication, id: number): string {
  return `${LABELS.appName}=${app.metadata.name},${LABELS.sparkRole}=executor,${EXECUTOR_ID_LABEL}=${id}`;
}

/** Of the pods an executor selector found, the newest (the current attempt's). */
export function newestPod<T extends PodView>(pods: readonly T[]): T | undefined {
  return [...pods].sort((a, b) => (Date.parse(b.metadata.creationTimestamp ?? '') || 0) - (Date.parse(a.metadata.creationTimestamp ?? '') || 0))[0];
}

/** The container whose log is Spark's: Spark's own name for the role, else the pod's first container. */
export function sparkContainerOf(pod: PodView, role: PodRole['role']): string | undefined {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  return names.find((n) => n === SPARK_CONTAINERS[role]) ?? names[0];
}

/** The query of a pods/log request (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod). */
export function logQuery(container: string | undefined, options: { follow: boolean; tail?: number }): Record<string, string | undefined> {
  return {
    container,
    follow: options.follow ? 'true' : undefined,
    tailLines: options.tail === undefined ? undefined : String(options.tail),
  };
}

function stateOf(app: SparkApplication): string {
  return app.status?.applicationState?.state ?? '';
}

/** The state in a message; no state at all means no operator has taken the application up (not running, or not watching its namespace). */
function stateText(app: SparkApplication): string {
  const state = stateOf(app);
  return state ? `state ${state}` : 'no state yet: no operator has taken it up';
}

/** States in which a driver pod is still to come: before the first submission, and between a run and the next. */
const BEFORE_DRIVER = ['', 'SUBMITTED', 'PENDING_RERUN', 'INVALIDATING', 'RESUMING'];

/**
 * The line for an application whose pod is not there: "has no driver pod yet" while it is on its
 * way, "... is gone" once it ended, the executors there are when an id has none.
 */
export function noPodMessage(app: SparkApplication, role: PodRole, podName?: string): string {
  const ref = `sparkapplication/${app.metadata.name}`;
  const state = stateOf(app);
  const shown = stateText(app);
  if (role.role === 'executor') {
    const ids = executorIdsOf(app);
    const known = ids.length > 0 ? `; its executors: ${ids.join(', ')}` : '';
    return `${ref} has no executor ${role.id} (${shown}${known})`;
  }
  if (BEFORE_DRIVER.includes(state)) return `${ref} has no driver pod yet (${shown})`;
  return `${ref}: its driver pod ${podName ?? driverPodNameOf(app)} is gone (${shown})`;
}

/** The executor ids of the status's `executorState` (pod names ending in `-exec-<id>`), in order. */
export function executorIdsOf(app: SparkApplication): number[] {
  return Object.keys(app.status?.executorState ?? {})
    .map((name) => /-exec-(\d+)$/.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Why `forward` cannot reach a driver pod that exists: it does not run (yet, or any more). */
export function notRunningMessage(app: SparkApplication, podName: string, phase: string | undefined): string {
  return `sparkapplication/${app.metadata.name}: its driver pod ${podName} is ${phase || 'Unknown'}, and the Spark UI is served only while it runs `
    + `(${stateText(app)})`;
}

/** The line `forward` prints once it listens. */
export function forwardingLine(localPort: number, app: SparkApplication, podName: string, podPort: number): string {
  return `Forwarding http://127.0.0.1:${localPort} to the Spark UI of sparkapplication/${app.metadata.name} (pod ${podName}, port ${podPort}); Ctrl-C to stop\n`;
}
