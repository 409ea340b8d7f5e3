/**
 * The step of SUBMITTED, RUNNING and UNKNOWN: follow the driver pod (upstream `updateDriverState`
 * and `updateExecutorState`), keep the UI objects and the PDB, and fail a driver that is missing
 * after the grace period or, with `driverPendingTimeoutSeconds`, stuck Pending.
 */
import { observedDriverPodName } from './driver-pod-name';
import {
  applicationStateForDriver, driverFailureMessage, driverStateOf, isSchedulingGated, isTerminated, pendingReason, scheduledSince,
  sparkApplicationIdOf,
} from './driver-state';
import { driverEvent, driverNotFoundEvent, driverPendingTimeoutEvent } from './events';
import { updateExecutors } from './executors';
import { ShapedStatus, parseTime, stateOf, withState } from './status';
import { DELETION_RECHECK_SECONDS, Step, StepContext, requeueSeconds, wait } from './step';
import { Action, ObservedPod } from './types';
import { ApplicationStateType, LABELS } from '../../../api';
import { BATCH_SCHEDULING_OFF, batchSchedulerOf, formatTime, isBatchSchedulerProblem, uiIngressName, uiServiceName } from '../../../core';

/**
 * The observed driver pod if it belongs to the current submission. A pod without the label is taken
 * as ours, as upstream, which looks the driver up by name only.
 */
function currentDriverPod(pod: ObservedPod | undefined, submissionId: string | undefined): ObservedPod | undefined {
  if (pod === undefined) return undefined;
  const label = pod.labels[LABELS.submissionId];
  return label === undefined || submissionId === undefined || label === submissionId ? pod : undefined;
}

/** `webUIPort`, `webUIAddress` (`<clusterIP>:<port>`, as upstream) and `webUIIngressAddress` from what the shell saw. */
function withObservedUi(driverInfo: ShapedStatus['driverInfo'], ctx: StepContext): ShapedStatus['driverInfo'] {
  const info = { ...driverInfo };
  const service = ctx.observed.uiService;
  if (info.webUIServiceName !== undefined && service?.port !== undefined) {
    info.webUIPort = service.port;
    if (service.clusterIP) info.webUIAddress = `${service.clusterIP}:${service.port}`;
  }
  const ingress = ctx.observed.uiIngress;
  if (info.webUIIngressName !== undefined && ingress?.url) info.webUIIngressAddress = ingress.url;
  return info;
}

/**
 * The UI Service, UI Ingress, driver-ingress and PDB actions of a live driver, and the names and
 * addresses they put in `driverInfo`. Upstream creates the UI objects in SUBMITTED passes only, and
 * converges the PDB in RUNNING passes too. Ours creates a submission's UI objects without a worker
 * waiting, so a driver may run before they exist: a RUNNING pass asks again for those its status
 * names and the shell does not see (a create that failed, or a controller that stopped first),
 * unless another object holds the name.
 */
function uiAndPdb(status: ShapedStatus, ctx: StepContext, fromState: ApplicationStateType): { status: ShapedStatus; actions: Action[] } {
  const actions: Action[] = [];
  const driverInfo = { ...status.driverInfo };
  const { observed } = ctx;
  if (fromState === 'RUNNING') {
    const taken = observed.uiNamesTaken ?? {};
    if (driverInfo.webUIServiceName !== undefined && observed.uiService === undefined && taken.service !== true) {
      actions.push({ type: 'ensureUiService' });
    }
    if (ctx.options.uiIngress && driverInfo.webUIIngressName !== undefined && observed.uiIngress === undefined && taken.ingress !== true) {
      actions.push({ type: 'ensureUiIngress' });
    }
  }
  if (fromState === 'SUBMITTED') {
    actions.push({ type: 'ensureUiService' });
    driverInfo.webUIServiceName = uiServiceName(ctx.name);
    if (ctx.options.uiIngress) {
      actions.push({ type: 'ensureUiIngress' });
      driverInfo.webUIIngressName = uiIngressName(ctx.name);
    }
    if ((ctx.spec?.driverIngressOptions ?? []).length > 0) actions.push({ type: 'ensureDriverIngresses' });
  }
  if (ctx.spec?.driverPodDisruptionBudget === true && (fromState === 'SUBMITTED' || fromState === 'RUNNING')) {
    actions.push({ type: 'ensureDriverPdb' });
  }
  return { status: { ...status, driverInfo: withObservedUi(driverInfo, ctx) }, actions };
}

/**
 * Seconds before a Pending driver has been Pending for `driverPendingTimeoutSeconds` (< 0: longer),
 * counted from the pod's creation; undefined without the option or for a driver that is not Pending.
 */
function pendingSecondsLeft(pod: ObservedPod, status: ShapedStatus, ctx: StepContext): number | undefined {
  const timeout = ctx.options.driverPendingTimeoutSeconds;
  if (timeout === undefined || driverStateOf(pod) !== 'PENDING') return undefined;
  // A pod held by scheduling gates is held on purpose (Kueue's topology-aware scheduling gates the
  // pods it admits until it has placed them): not stuck while gated.
  if (isSchedulingGated(pod)) return undefined;
  let since = parseTime(pod.creationTimestamp) ?? parseTime(status.lastSubmissionAttemptTime);
  const choice = batchSchedulerOf(ctx.spec ?? {}, ctx.options.batchScheduling ?? BATCH_SCHEDULING_OFF);
  if (!isBatchSchedulerProblem(choice) && choice.kind !== 'none') {
    // A batch scheduler holds the driver in its queue (a gang, a queue's quota) for as long as it
    // takes: not stuck. The clock starts when it places the pod.
    const placed = scheduledSince(pod);
    if (placed === undefined) return undefined;
    since = parseTime(placed) ?? since;
  }
  return since === undefined ? timeout : timeout - (ctx.now.getTime() - since) / 1000;
}

function withExecutors(status: ShapedStatus, executorState: ShapedStatus['executorState']): ShapedStatus {
  const { executorState: _old, ...rest } = status;
  return executorState ? { ...rest, executorState } : rest;
}

/** No driver pod: wait within the grace period of a fresh submission, else FAILING `driver pod not found`. */
function missingDriverStep(status: ShapedStatus, ctx: StepContext): Step {
  const { observed, now, options } = ctx;
  const fromState = stateOf(status);
  const last = parseTime(status.lastSubmissionAttemptTime);
  const grace = options.driverPodCreationGracePeriodSeconds;
  const elapsed = last === undefined ? Infinity : (now.getTime() - last) / 1000;
  if (fromState === 'SUBMITTED' && elapsed <= grace) {
    const ui = uiAndPdb(status, ctx, fromState);
    return wait(ui.status, requeueSeconds(grace - elapsed), ui.actions);
  }
  // Upstream: at once when not SUBMITTED (the shell enqueues on the pod's deletion).
  const failing = { ...withState(status, 'FAILING', 'driver pod not found'), terminationTime: formatTime(now) };
  const executors = updateExecutors(status.executorState, observed.executorPods, 'FAILING', status.submissionID, options.maxTrackedExecutors);
  const podName = status.driverInfo.podName ?? observedDriverPodName(ctx.app);
  return {
    status: withExecutors(failing, executors.executorState),
    actions: [driverNotFoundEvent(podName, fromState === 'SUBMITTED' ? grace : undefined), ...executors.events],
    next: true,
  };
}

/** Follows the current submission's driver pod; see the file's comment. */
export function driverStep(status: ShapedStatus, ctx: StepContext): Step {
  const { observed, now, options } = ctx;
  const fromState = stateOf(status);
  const pod = currentDriverPod(observed.driverPod, status.submissionID);
  if (pod === undefined) return missingDriverStep(status, ctx);

  let next: ShapedStatus = { ...status };
  const appId = sparkApplicationIdOf(pod);
  if (appId !== undefined) next.sparkApplicationId = appId;

  const pendingLeft = pendingSecondsLeft(pod, status, ctx);
  if (pendingLeft !== undefined && pendingLeft < 0) {
    const why = pendingReason(pod);
    const errorMessage = `driver pod ${pod.name} still Pending after ${options.driverPendingTimeoutSeconds}s${why ? `: ${why}` : ''}`;
    const failing = { ...withState(next, 'FAILING', errorMessage), terminationTime: formatTime(now) };
    // The pod would start some day and run an application that is FAILED or rerun: delete it now.
    return wait(failing, DELETION_RECHECK_SECONDS, [{ type: 'deleteResources' }, driverPendingTimeoutEvent(pod.name, errorMessage)]);
  }

  const driverState = driverStateOf(pod);
  const state = applicationStateForDriver(driverState);
  let errorMessage: string | undefined;
  if (isTerminated(driverState)) {
    next.terminationTime = next.terminationTime ?? formatTime(now);
    if (driverState === 'FAILED') errorMessage = driverFailureMessage(pod);
  }
  // Upstream records a driver Event only when the application state it means changes.
  const driverEvents = state !== fromState ? [driverEvent(driverState, pod.name)] : [];
  next = withState(next, state, errorMessage);

  const executors = updateExecutors(status.executorState, observed.executorPods, state, status.submissionID, options.maxTrackedExecutors);
  if (executors.sparkApplicationId !== undefined) next.sparkApplicationId = executors.sparkApplicationId;
  next = withExecutors(next, executors.executorState);

  let actions: Action[] = [];
  if (state === 'SUBMITTED' || state === 'RUNNING') {
    const ui = uiAndPdb(next, ctx, fromState);
    next = ui.status;
    actions = ui.actions;
  } else {
    next = { ...next, driverInfo: withObservedUi(next.driverInfo, ctx) };
  }
  return {
    status: next,
    actions: [...actions, ...driverEvents, ...executors.events],
    next: state === 'SUCCEEDING' || state === 'FAILING',
    ...pendingLeft !== undefined ? { requeueAfterSeconds: requeueSeconds(pendingLeft) } : {},
  };
}
