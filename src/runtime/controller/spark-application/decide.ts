/**
 * `decide`: the pure core of the SparkApplication controller. Given the application as read, what
 * the shell observed, the time and the options, it returns the next status and the actions that
 * lead there. The shell carries the actions out, then writes the status; nothing here does I/O.
 */
import { changesBetween } from './counted-changes';
import { addedEvent, applicationEvent } from './events';
import { effectiveSpec } from './spec-change';
import { ShapedStatus, shapeStatus, stateOf, withState } from './status';
import { StepContext } from './step';
import { stateStep } from './transitions';
import { Action, Change, DecideOptions, Decision, Observed } from './types';
import { SparkApplication } from '../../../api';

/**
 * The most handlers one decision runs: a safety bound. Steps only continue forward (to SUSPENDING,
 * SUSPENDED, RESUMING, SUBMISSION_FAILED, SUCCEEDING, FAILING, COMPLETED, FAILED, never back), and the
 * longest chain, SUSPENDED → RESUMING → a refused submission → SUBMISSION_FAILED → FAILED → FAILED's
 * own handler, has five.
 */
export const MAX_STEPS = 8;

/** Puts `event` after the world-changing actions of `actions` and before their Events. */
function beforeEvents(actions: readonly Action[], event: Action): Action[] {
  const firstEvent = actions.findIndex((a) => a.type === 'event');
  const at = firstEvent === -1 ? actions.length : firstEvent;
  return [...actions.slice(0, at), event, ...actions.slice(at)];
}

/**
 * Decides what to do for one SparkApplication: upstream's state machine plus our rules (the table
 * in `docs/controller.md`). Deterministic: the same inputs give the same decision, so
 * a shell that crashed after acting and before writing the status repeats the same idempotent
 * actions, with the same submission id.
 *
 * Order, as upstream: a deleted application only has its resources deleted; a spec change
 * (`observed.specChanged`) invalidates the current run; `spec.suspend` moves to SUSPENDING; then the
 * state's handler runs, and the handlers of the states it leads to, while nothing asked for could
 * have changed what they read.
 */
export function decide(app: SparkApplication, observed: Observed, now: Date, options: DecideOptions): Decision {
  const initial = shapeStatus(app.status);
  if (typeof app.metadata?.deletionTimestamp === 'string' && app.metadata.deletionTimestamp !== '') {
    // Only reached while something else holds the object (foreground deletion): we hold no finalizer.
    return { status: initial, actions: [{ type: 'deleteResources' }], changes: [] };
  }
  const ctx: StepContext = {
    app,
    initialState: stateOf(initial),
    name: app.metadata?.name ?? '',
    spec: effectiveSpec(app.spec),
    observed,
    now,
    options,
  };

  let status: ShapedStatus = initial;
  const actions: Action[] = [];
  const changes: Change[] = [];
  // Upstream's event filter sets INVALIDATING on the update itself; a new application has no run to
  // invalidate (and its next submission id already names the changed spec).
  if (observed.specChanged === true && stateOf(status) !== '' && stateOf(status) !== 'INVALIDATING') {
    const invalidating = withState(status, 'INVALIDATING');
    changes.push(...changesBetween(status, invalidating));
    status = invalidating;
    actions.push(applicationEvent('INVALIDATING', ctx.name)!);
  }

  let requeueAfterMs: number | undefined;
  for (let i = 0; i < MAX_STEPS; i++) {
    const step = stateStep(status, ctx);
    if (step === undefined) break;
    const leavesNew = stateOf(status) === '' && stateOf(step.status) !== '';
    actions.push(...leavesNew ? beforeEvents(step.actions, addedEvent(ctx.name)) : step.actions);
    changes.push(...changesBetween(status, step.status));
    status = step.status;
    requeueAfterMs = step.requeueAfterSeconds === undefined ? undefined : step.requeueAfterSeconds * 1000;
    if (!step.next) break;
  }
  return { status, actions, changes, ...requeueAfterMs !== undefined ? { requeueAfterMs } : {} };
}
