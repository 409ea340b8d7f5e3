/**
 * `status.executorState`: the state of each executor pod of the current submission, as upstream's
 * `updateExecutorState`, bounded by `maxTrackedExecutors` (upstream #2025, #1919: an unbounded map
 * made the object too large for etcd).
 */
import { isTerminated, sparkApplicationIdOf } from './driver-state';
import { executorTerminatedMessage, executorEvent, executorsUntrackedEvent } from './events';
import { compareExecutorNames, executorIdFromName } from './status';
import { EventAction, ObservedPod } from './types';
import { ApplicationStateType, LABELS, PodState } from '../../../api';

/** The label Spark puts the executor id in. */
export const EXECUTOR_ID_LABEL = 'spark-exec-id';

/** An executor pod's state from its phase (upstream `GetExecutorState`). */
export function executorStateOf(pod: ObservedPod): PodState {
  switch (pod.phase) {
    case 'Pending': return 'PENDING';
    case 'Running': return 'RUNNING';
    case 'Succeeded': return 'COMPLETED';
    case 'Failed': return 'FAILED';
    default: return 'UNKNOWN';
  }
}

/** The executor id: its `spark-exec-id` label, else the `-exec-<id>` ending of its name, else 0. */
export function executorIdOf(pod: ObservedPod): number {
  const label = Number(pod.labels[EXECUTOR_ID_LABEL]);
  return Number.isSafeInteger(label) && label > 0 ? label : executorIdFromName(pod.name);
}

/**
 * How many executors of the current run `status.executorState` does not list: Spark numbers a run's
 * executors 1, 2, 3 ... (`spark-exec-id`, the `-exec-<id>` ending of the pod name), and the entry
 * with the highest id is always kept (see {@link updateExecutors}), so the highest id in the map
 * is how many executors the run started, and the difference to the map's size is how many are left
 * out. This is how the count of executors past `maxTrackedExecutors` is kept without a status field.
 */
export function untrackedExecutorCount(executorState: Readonly<Record<string, PodState>> | undefined): number {
  const names = Object.keys(executorState ?? {});
  const highest = names.reduce((max, name) => Math.max(max, executorIdFromName(name)), 0);
  return Math.max(0, highest - names.length);
}

/** What one pass over the executor pods concludes. */
export interface ExecutorUpdate {
  /** The new `status.executorState` (undefined when empty). */
  readonly executorState?: Record<string, PodState>;
  /** Events for executors whose state is new or changed (upstream `recordExecutorEvent`), and for a cut at the bound. */
  readonly events: readonly EventAction[];
  /**
   * The application id on an executor pod: upstream prefers it to the driver's, whose label can
   * differ (SPARK-25922).
   */
  readonly sparkApplicationId?: string;
}

/**
 * What an executor that was tracked but whose pod is gone is now. Upstream: UNKNOWN while the
 * application is RUNNING, COMPLETED once it is COMPLETED, FAILED otherwise. Ours also says
 * COMPLETED while SUCCEEDING (Spark deletes its executors when the driver ends, so upstream marked
 * the executors of a successful run FAILED in the pass that saw the driver finish) and UNKNOWN while
 * the driver is UNKNOWN (its node may come back).
 */
export function vanishedExecutorState(appState: ApplicationStateType): PodState {
  if (appState === 'RUNNING' || appState === 'UNKNOWN') return 'UNKNOWN';
  if (appState === 'COMPLETED' || appState === 'SUCCEEDING') return 'COMPLETED';
  return 'FAILED';
}

const isLive = (state: PodState) => state === 'PENDING' || state === 'RUNNING';

/**
 * The entries to keep when there are more than `max`: the one with the highest id (it tells how many
 * executors the run started, see {@link untrackedExecutorCount}), then live executors before finished
 * or unknown ones, newest first. The choice depends only on the entries, so a pod that was cut
 * stays cut (and raises no Event) while the same entries are observed again.
 */
function bounded(states: Record<string, PodState>, max: number): Record<string, PodState> {
  const names = Object.keys(states);
  if (max <= 0 || names.length <= max) return states;
  const newestFirst = [...names].sort((a, b) => compareExecutorNames(b, a));
  const [highest, ...rest] = newestFirst;
  const byPriority = [...rest.filter((n) => isLive(states[n])), ...rest.filter((n) => !isLive(states[n]))];
  const keep = [highest, ...byPriority].slice(0, max);
  const kept: Record<string, PodState> = {};
  for (const name of keep.sort(compareExecutorNames)) kept[name] = states[name];
  return kept;
}

/**
 * Folds the observed executor pods of the current submission into the previous `executorState`:
 * observed pods take their phase's state, tracked pods that vanished take
 * {@link vanishedExecutorState}, and the map is cut to `maxTrackedExecutors` entries.
 */
export function updateExecutors(
  previous: Readonly<Record<string, PodState>> | undefined,
  pods: readonly ObservedPod[],
  appState: ApplicationStateType,
  submissionId: string | undefined,
  maxTracked: number,
): ExecutorUpdate {
  const before: Record<string, PodState> = { ...previous ?? {} };
  const executors = pods
    .filter((p) => (p.labels[LABELS.sparkRole] ?? 'executor') === 'executor')
    .filter((p) => submissionId === undefined || (p.labels[LABELS.submissionId] ?? submissionId) === submissionId)
    .sort((a, b) => executorIdOf(a) - executorIdOf(b) || compareExecutorNames(a.name, b.name));

  const merged: Record<string, PodState> = { ...before };
  const observed = new Map<string, ObservedPod>();
  for (const pod of executors) {
    observed.set(pod.name, pod);
    merged[pod.name] = executorStateOf(pod);
  }
  for (const [name, state] of Object.entries(before)) {
    if (!observed.has(name) && !isTerminated(state)) merged[name] = vanishedExecutorState(appState);
  }

  const kept = bounded(merged, maxTracked);
  const events: EventAction[] = [];
  for (const pod of executors) {
    const state = kept[pod.name];
    if (state === undefined || before[pod.name] === state) continue;
    events.push(executorEvent(state, pod.name, state === 'FAILED' ? executorTerminatedMessage(pod) : undefined));
  }
  const total = Object.keys(merged).length;
  const cut = total - Object.keys(kept).length;
  // Once: when the map leaves executors out for the first time. The status written then keeps the
  // highest id, so it counts as incomplete from there on and the Event is not repeated.
  if (cut > 0 && untrackedExecutorCount(before) === 0) {
    events.push(executorsUntrackedEvent(Object.keys(kept).length, total, maxTracked));
  }

  const sparkApplicationId = executors.map(sparkApplicationIdOf).find((id) => id !== undefined);
  return {
    ...Object.keys(kept).length > 0 ? { executorState: kept } : {},
    events,
    ...sparkApplicationId !== undefined ? { sparkApplicationId } : {},
  };
}
