/**
 * The status as upstream writes it, and upstream's resets before a rerun. Its Go types decide the shape:
 * `driverInfo` and `applicationState` are always there, both times are `null` when unset (a zero
 * `metav1.Time`), and empty strings, zero counters and an empty `executorState` are left out
 * (`omitempty`). Every status `decide` returns has that shape, so two statuses that mean the same
 * are equal as JSON.
 */
import { ApplicationStateType, DriverInfo, PodState, SparkApplicationStatus } from '../../../api';
import { canonicalJson } from '../../../core';

/** A status with upstream's always-present fields spelled out. */
export interface ShapedStatus extends SparkApplicationStatus {
  lastSubmissionAttemptTime: string | null;
  terminationTime: string | null;
  applicationState: { state: ApplicationStateType; errorMessage?: string };
}

/** Milliseconds since the epoch of an RFC 3339 time, or undefined when there is none or it is not a time. */
export function parseTime(text: string | null | undefined): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function nonEmpty(text: unknown): string | undefined {
  return typeof text === 'string' && text !== '' ? text : undefined;
}

function positive(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function shapeDriverInfo(info: DriverInfo | undefined): DriverInfo {
  const source = typeof info === 'object' && info !== null ? info : {};
  const shaped: DriverInfo = {};
  const webUIServiceName = nonEmpty(source.webUIServiceName);
  const webUIAddress = nonEmpty(source.webUIAddress);
  const webUIPort = positive(source.webUIPort);
  const webUIIngressName = nonEmpty(source.webUIIngressName);
  const webUIIngressAddress = nonEmpty(source.webUIIngressAddress);
  const podName = nonEmpty(source.podName);
  if (webUIServiceName !== undefined) shaped.webUIServiceName = webUIServiceName;
  if (webUIAddress !== undefined) shaped.webUIAddress = webUIAddress;
  if (webUIPort !== undefined) shaped.webUIPort = webUIPort;
  if (webUIIngressName !== undefined) shaped.webUIIngressName = webUIIngressName;
  if (webUIIngressAddress !== undefined) shaped.webUIIngressAddress = webUIIngressAddress;
  if (podName !== undefined) shaped.podName = podName;
  return shaped;
}

function shapeExecutorState(state: Record<string, PodState> | undefined): Record<string, PodState> | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const names = Object.keys(state).sort(compareExecutorNames);
  if (names.length === 0) return undefined;
  const shaped: Record<string, PodState> = {};
  for (const name of names) shaped[name] = state[name];
  return shaped;
}

/**
 * Spark names executor pods `<prefix>-exec-<id>` with ids 1, 2, 3 ... in the order it starts them
 * (`spark.kubernetes.executor.podNamePrefix`); the id, or 0 for a name without one.
 */
export function executorIdFromName(name: string): number {
  const match = /-exec-(\d+)$/.exec(name);
  return match ? Number(match[1]) : 0;
}

/** Executor pod names in the order Spark started them (by id, then by name). */
export function compareExecutorNames(a: string, b: string): number {
  return executorIdFromName(a) - executorIdFromName(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** `status` (possibly absent, as on a new application) in upstream's shape. */
export function shapeStatus(status: SparkApplicationStatus | undefined): ShapedStatus {
  const source: Partial<SparkApplicationStatus> = typeof status === 'object' && status !== null ? status : {};
  const appState = typeof source.applicationState === 'object' && source.applicationState !== null ? source.applicationState : undefined;
  const shaped: ShapedStatus = {
    lastSubmissionAttemptTime: nonEmpty(source.lastSubmissionAttemptTime) ?? null,
    terminationTime: nonEmpty(source.terminationTime) ?? null,
    driverInfo: shapeDriverInfo(source.driverInfo),
    applicationState: { state: typeof appState?.state === 'string' ? appState.state : '' },
  };
  const errorMessage = nonEmpty(appState?.errorMessage);
  if (errorMessage !== undefined) shaped.applicationState.errorMessage = errorMessage;
  const sparkApplicationId = nonEmpty(source.sparkApplicationId);
  const submissionID = nonEmpty(source.submissionID);
  const executorState = shapeExecutorState(source.executorState);
  const executionAttempts = positive(source.executionAttempts);
  const submissionAttempts = positive(source.submissionAttempts);
  // Key order as upstream's Go struct, so that the JSON reads the same.
  const ordered: ShapedStatus = {
    ...sparkApplicationId !== undefined ? { sparkApplicationId } : {},
    ...submissionID !== undefined ? { submissionID } : {},
    ...shaped,
  };
  if (executorState !== undefined) ordered.executorState = executorState;
  if (executionAttempts !== undefined) ordered.executionAttempts = executionAttempts;
  if (submissionAttempts !== undefined) ordered.submissionAttempts = submissionAttempts;
  return ordered;
}

/** Whether two statuses mean the same (after {@link shapeStatus}). */
export function sameStatus(a: SparkApplicationStatus | undefined, b: SparkApplicationStatus | undefined): boolean {
  return canonicalJson(shapeStatus(a)) === canonicalJson(shapeStatus(b));
}

/** The `driverInfo` fields the UI Service and Ingress fill once they exist. */
const UI_ADDRESS_FIELDS = ['webUIAddress', 'webUIPort', 'webUIIngressAddress'] as const;

/**
 * Whether the shell writes `decided` over `current`: when they differ, except while the application
 * stays SUBMITTED and only the UI addresses changed. A submission's UI Service and Ingress are created
 * without a worker waiting (the API server allocates ClusterIPs one at a time), so their addresses
 * mostly come after SUBMITTED was written; until the driver runs there is no UI to reach, so they
 * ride with the next write (RUNNING at the latest) instead of costing one of their own.
 */
export function statusWorthWriting(current: SparkApplicationStatus | undefined, decided: SparkApplicationStatus): boolean {
  const before = shapeStatus(current);
  const after = shapeStatus(decided);
  const stillSubmitted = before.applicationState.state === 'SUBMITTED' && after.applicationState.state === 'SUBMITTED';
  const compared = (status: ShapedStatus): string => {
    if (!stillSubmitted) return canonicalJson(status);
    const driverInfo: Record<string, unknown> = { ...status.driverInfo };
    for (const field of UI_ADDRESS_FIELDS) delete driverInfo[field];
    return canonicalJson({ ...status, driverInfo });
  };
  return compared(before) !== compared(after);
}

/** The state of a shaped status. */
export function stateOf(status: ShapedStatus): ApplicationStateType {
  return status.applicationState.state;
}

/** `status` in `state`, with `errorMessage` (or none). */
export function withState(status: ShapedStatus, state: ApplicationStateType, errorMessage?: string): ShapedStatus {
  return { ...status, applicationState: errorMessage === undefined ? { state } : { state, errorMessage } };
}

/**
 * What upstream clears before a rerun of a finished run (FAILING or SUCCEEDING to PENDING_RERUN):
 * the run's application id, termination time, error and driver and executor details; the attempt
 * counters and the last submission time stay, for the retry limits and delays.
 */
export function resetForRerun(status: ShapedStatus): ShapedStatus {
  const { sparkApplicationId: _id, executorState: _executors, ...rest } = status;
  return { ...rest, terminationTime: null, driverInfo: {}, applicationState: { state: rest.applicationState.state } };
}

/**
 * What upstream clears when the spec changed (INVALIDATING): as {@link resetForRerun}, and both attempt
 * counters and the last submission time too, so the new spec gets its own retries.
 */
export function resetForInvalidation(status: ShapedStatus): ShapedStatus {
  const { executionAttempts: _e, submissionAttempts: _s, ...rest } = resetForRerun(status);
  return { ...rest, lastSubmissionAttemptTime: null };
}

/**
 * What upstream clears on suspension (SUSPENDED): the run's application id, error and driver and
 * executor details; counters and times stay.
 */
export function resetForSuspension(status: ShapedStatus): ShapedStatus {
  const { sparkApplicationId: _id, executorState: _executors, ...rest } = status;
  return { ...rest, driverInfo: {}, applicationState: { state: rest.applicationState.state } };
}
