/**
 * The handler of each application state (upstream's `reconcile<State>SparkApplication`), one step
 * each. `decide.ts` runs them in a loop; `submit-step.ts` holds the step of the states that submit,
 * `driver-step.ts` the step of the states that follow the driver.
 */
import { driverStep } from './driver-step';
import { applicationEvent } from './events';
import { updateExecutors } from './executors';
import { secondsUntilRetry, shouldRetry } from './retry';
import { nextSubmissionId } from './spec-change';
import { ShapedStatus, resetForInvalidation, resetForRerun, resetForSuspension, stateOf, withState } from './status';
import { DELETION_RECHECK_SECONDS, Step, StepContext, requeueSeconds, wait } from './step';
import { submitStep } from './submit-step';
import { effectiveTimeToLiveSeconds, secondsUntilExpiry } from './ttl';
import { Action, EventAction } from './types';
import { ApplicationStateType, LABELS } from '../../../api';
import { formatTime } from '../../../core';

/** The states `spec.suspend` does not move to SUSPENDING (upstream: terminated, suspended, suspending; ours: also INVALIDATING, whose reset of the counters comes first). */
const SUSPEND_EXEMPT: ReadonlySet<ApplicationStateType> = new Set<ApplicationStateType>(['COMPLETED', 'FAILED', 'SUSPENDED', 'SUSPENDING', 'INVALIDATING']);

function enter(
  status: ShapedStatus, state: ApplicationStateType, ctx: StepContext, errorMessage?: string,
): { status: ShapedStatus; event?: EventAction } {
  return { status: withState(status, state, errorMessage), event: applicationEvent(state, ctx.name, errorMessage) };
}

function events(...list: Array<EventAction | undefined>): EventAction[] {
  return list.filter((e): e is EventAction => e !== undefined);
}

/** `spec.suspend` moves every running or waiting application to SUSPENDING (upstream checks this before dispatching). */
export function suspendStep(status: ShapedStatus, ctx: StepContext): Step | undefined {
  if (ctx.spec?.suspend !== true || SUSPEND_EXEMPT.has(stateOf(status))) return undefined;
  const { status: next, event } = enter(status, 'SUSPENDING', ctx);
  return { status: next, actions: events(event), next: true };
}

/** INVALIDATING, entered when the spec changed: delete everything, reset counters and run again. */
export function invalidateStep(status: ShapedStatus, ctx: StepContext): Step {
  const { status: next, event } = enter(resetForInvalidation(status), 'PENDING_RERUN', ctx);
  return { status: next, actions: [{ type: 'deleteResources' }, ...events(event)], requeueAfterSeconds: DELETION_RECHECK_SECONDS, next: false };
}

/** FAILING or SUCCEEDING to PENDING_RERUN: delete the run's resources and clear its details (counters stay). */
function rerun(status: ShapedStatus, ctx: StepContext): Step {
  const { status: next, event } = enter(resetForRerun(status), 'PENDING_RERUN', ctx);
  // A driver pod that already carries the rerun's submission id was created by a shell that crashed
  // before it could write the rerun's status: it is this very rerun, to be adopted, not deleted
  // (and submitted again), so the submission step decides now.
  const pod = ctx.observed.driverPod;
  if (pod !== undefined && pod.deletionTimestamp === undefined && pod.labels[LABELS.submissionId] === nextSubmissionId(ctx.app, next)) {
    return { status: next, actions: events(event), next: true };
  }
  return { status: next, actions: [{ type: 'deleteResources' }, ...events(event)], requeueAfterSeconds: DELETION_RECHECK_SECONDS, next: false };
}

/** Enters a final state; the termination time counts the time to live, so it is always set. */
function finish(status: ShapedStatus, state: 'COMPLETED' | 'FAILED', ctx: StepContext, errorMessage?: string): Step {
  const { status: next, event } = enter(status, state, ctx, errorMessage);
  return { status: { ...next, terminationTime: next.terminationTime ?? formatTime(ctx.now) }, actions: events(event), next: true };
}

/** SUCCEEDING: rerun at once with `Always`, else COMPLETED. */
export function succeedingStep(status: ShapedStatus, ctx: StepContext): Step {
  if (shouldRetry(ctx.spec?.restartPolicy, 'success', status)) return rerun(status, ctx);
  return finish(status, 'COMPLETED', ctx);
}

/** FAILING: rerun when the restart policy allows and the retry is due (else wait for it), or FAILED. */
export function failingStep(status: ShapedStatus, ctx: StepContext): Step {
  const policy = ctx.spec?.restartPolicy;
  if (!shouldRetry(policy, 'failure', status)) return finish(status, 'FAILED', ctx, status.applicationState.errorMessage);
  const due = secondsUntilRetry(policy, 'failure', status, ctx.now);
  if (due > 0) return wait(status, requeueSeconds(due));
  return rerun(status, ctx);
}

/** SUBMISSION_FAILED: submit again when the restart policy allows and the retry is due (else wait for it), or FAILED. */
export function submissionFailedStep(status: ShapedStatus, ctx: StepContext): Step {
  const policy = ctx.spec?.restartPolicy;
  if (!shouldRetry(policy, 'submission', status)) {
    // Upstream stamps the termination time here: the failed submission never ran.
    return finish({ ...status, terminationTime: formatTime(ctx.now) }, 'FAILED', ctx, status.applicationState.errorMessage);
  }
  const due = secondsUntilRetry(policy, 'submission', status, ctx.now);
  if (due > 0) return wait(status, requeueSeconds(due));
  return submitStep(status, ctx);
}

/** SUSPENDING: delete the run's resources; SUSPENDED once they are gone. */
export function suspendingStep(status: ShapedStatus, ctx: StepContext): Step {
  if (ctx.observed.resourcesRemain || ctx.observed.driverPod !== undefined) {
    return wait(status, DELETION_RECHECK_SECONDS, [{ type: 'deleteResources' }]);
  }
  const { status: next, event } = enter(resetForSuspension(status), 'SUSPENDED', ctx);
  return { status: next, actions: events(event), next: true };
}

/** SUSPENDED: RESUMING once `spec.suspend` is no longer true. */
export function suspendedStep(status: ShapedStatus, ctx: StepContext): Step {
  if (ctx.spec?.suspend === true) return wait(status);
  const { status: next, event } = enter(status, 'RESUMING', ctx);
  return { status: next, actions: events(event), next: true };
}

/**
 * COMPLETED and FAILED: delete the application when its time to live is over; else keep executor
 * states current and drop the driver PDB. An application that only now finished is not deleted in
 * the same decision: its final status is written first, for whoever waits for it (a
 * ScheduledSparkApplication counting its runs, a pipeline), and the deletion follows.
 */
export function finishedStep(status: ShapedStatus, ctx: StepContext): Step {
  const ttl = effectiveTimeToLiveSeconds(ctx.spec?.timeToLiveSeconds, ctx.options.defaultTimeToLiveSeconds);
  const remaining = secondsUntilExpiry(status, ttl, ctx.now);
  const finishedBefore = ctx.initialState === stateOf(status);
  if (remaining !== undefined && remaining < 0 && finishedBefore) return wait(status, undefined, [{ type: 'deleteApplication' }]);

  const { observed, options } = ctx;
  const executors = updateExecutors(status.executorState, observed.executorPods, stateOf(status), status.submissionID, options.maxTrackedExecutors);
  const { executorState: _old, ...rest } = status;
  const next: ShapedStatus = { ...rest, ...executors.executorState ? { executorState: executors.executorState } : {} };
  // The PDB protects nothing once the driver ended; upstream drops it on every pass of a finished app.
  const actions: Action[] = ctx.spec?.driverPodDisruptionBudget === true ? [{ type: 'deleteDriverPdb' }] : [];
  return wait(next, remaining === undefined ? undefined : requeueSeconds(remaining), [...actions, ...executors.events]);
}

/** The handler of `status`'s state, after the suspend check; undefined for a state this controller does not know (left alone). */
export function stateStep(status: ShapedStatus, ctx: StepContext): Step | undefined {
  const suspending = suspendStep(status, ctx);
  if (suspending) return suspending;
  switch (stateOf(status)) {
    case '':
    case 'PENDING_RERUN':
    case 'RESUMING':
      return submitStep(status, ctx);
    case 'SUBMITTED':
    case 'RUNNING':
    case 'UNKNOWN':
      return driverStep(status, ctx);
    case 'SUCCEEDING': return succeedingStep(status, ctx);
    case 'FAILING': return failingStep(status, ctx);
    case 'SUBMISSION_FAILED': return submissionFailedStep(status, ctx);
    case 'INVALIDATING': return invalidateStep(status, ctx);
    case 'SUSPENDING': return suspendingStep(status, ctx);
    case 'SUSPENDED': return suspendedStep(status, ctx);
    case 'COMPLETED':
    case 'FAILED':
      return finishedStep(status, ctx);
    default:
      return undefined;
  }
}
