/**
 * What one step of a decision changed that is worth counting: the application's state, and the
 * state of each executor in `status.executorState`. `decide` lists them in its `Decision`, in order,
 * so the shell's metrics count every state the application passed through, also the ones a single
 * decision goes through on its way (RUNNING → FAILING → PENDING_RERUN).
 */
import { ShapedStatus, stateOf } from './status';
import { Change } from './types';

/** The changes from `before` to `after`: the application's state, then each executor whose state is new or different. */
export function changesBetween(before: ShapedStatus, after: ShapedStatus): Change[] {
  const changes: Change[] = [];
  const from = stateOf(before);
  const to = stateOf(after);
  if (from !== to) changes.push({ kind: 'application', from, to });
  const previous = before.executorState ?? {};
  for (const [pod, state] of Object.entries(after.executorState ?? {})) {
    if (previous[pod] !== state) changes.push({ kind: 'executor', pod, ...previous[pod] !== undefined ? { from: previous[pod] } : {}, to: state });
  }
  return changes;
}
