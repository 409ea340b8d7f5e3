/**
 * The Kubernetes Events of the SparkApplication controller. Reasons are upstream's (the
 * `SparkApplication*`, `SparkDriver*` and `SparkExecutor*` families), so dashboards and alerts
 * keep working; the few situations upstream has no Event for get reasons in the same style.
 */
import { EventAction, ObservedPod } from './types';
import { ApplicationStateType, PodState } from '../../../api';
import { SPARK_CONTAINERS } from '../../../core';

/** Every reason this controller records. */
export const EVENT_REASONS = {
  added: 'SparkApplicationAdded',
  submitted: 'SparkApplicationSubmitted',
  submissionFailed: 'SparkApplicationSubmissionFailed',
  completed: 'SparkApplicationCompleted',
  failed: 'SparkApplicationFailed',
  pendingRerun: 'SparkApplicationPendingRerun',
  suspending: 'SparkApplicationSuspending',
  suspended: 'SparkApplicationSuspended',
  resuming: 'SparkApplicationResuming',
  /** Ours: upstream's event filter sets INVALIDATING without an Event. */
  invalidating: 'SparkApplicationInvalidating',
  driverNotFound: 'SparkDriverNotFound',
  /** Ours: a driver stuck Pending past `driverPendingTimeoutSeconds`. */
  driverPendingTimeout: 'SparkDriverPendingTimeout',
  driverPending: 'SparkDriverPending',
  driverRunning: 'SparkDriverRunning',
  driverCompleted: 'SparkDriverCompleted',
  driverFailed: 'SparkDriverFailed',
  driverUnknown: 'SparkDriverUnknown',
  executorPending: 'SparkExecutorPending',
  executorRunning: 'SparkExecutorRunning',
  executorCompleted: 'SparkExecutorCompleted',
  executorFailed: 'SparkExecutorFailed',
  executorUnknown: 'SparkExecutorUnknown',
  /** Ours: `status.executorState` reached `maxTrackedExecutors` and leaves executors out. */
  executorsUntracked: 'SparkExecutorsUntracked',
} as const;

function normal(reason: string, message: string): EventAction {
  return { type: 'event', eventType: 'Normal', reason, message };
}

function warning(reason: string, message: string): EventAction {
  return { type: 'event', eventType: 'Warning', reason, message };
}

/**
 * The Event of an application entering `state` (upstream `recordSparkApplicationEvent`), or none
 * for the states whose Events come from the driver. Upstream records PENDING_RERUN, SUSPENDING,
 * SUSPENDED and RESUMING as Warnings; they are Normal here, since a rerun follows an Event of its
 * own cause and suspension is asked for.
 */
export function applicationEvent(state: ApplicationStateType, appName: string, errorMessage?: string): EventAction | undefined {
  switch (state) {
    case 'SUBMITTED': return normal(EVENT_REASONS.submitted, `SparkApplication ${appName} was submitted successfully`);
    case 'SUBMISSION_FAILED': return warning(EVENT_REASONS.submissionFailed, `failed to submit SparkApplication ${appName}: ${errorMessage ?? ''}`);
    case 'COMPLETED': return normal(EVENT_REASONS.completed, `SparkApplication ${appName} completed`);
    case 'FAILED': return warning(EVENT_REASONS.failed, `SparkApplication ${appName} failed: ${errorMessage ?? ''}`);
    case 'PENDING_RERUN': return normal(EVENT_REASONS.pendingRerun, `SparkApplication ${appName} is pending rerun`);
    case 'SUSPENDING': return normal(EVENT_REASONS.suspending, `SparkApplication ${appName} is suspending`);
    case 'SUSPENDED': return normal(EVENT_REASONS.suspended, `SparkApplication ${appName} is suspended`);
    case 'RESUMING': return normal(EVENT_REASONS.resuming, `SparkApplication ${appName} is resuming`);
    case 'INVALIDATING': return normal(EVENT_REASONS.invalidating, `SparkApplication ${appName} spec changed: its current run is invalidated and it will run again`);
    default: return undefined;
  }
}

/** Upstream's `SparkApplicationAdded`, recorded when a new application is first handled. */
export function addedEvent(appName: string): EventAction {
  return normal(EVENT_REASONS.added, `SparkApplication ${appName} was added, enqueuing it for submission`);
}

/** The Event of a driver entering `state` (upstream `recordDriverEvent`). */
export function driverEvent(state: PodState, podName: string): EventAction {
  switch (state) {
    case 'PENDING': return normal(EVENT_REASONS.driverPending, `Driver ${podName} is pending`);
    case 'RUNNING': return normal(EVENT_REASONS.driverRunning, `Driver ${podName} is running`);
    case 'COMPLETED': return normal(EVENT_REASONS.driverCompleted, `Driver ${podName} completed`);
    case 'FAILED': return warning(EVENT_REASONS.driverFailed, `Driver ${podName} failed`);
    default: return warning(EVENT_REASONS.driverUnknown, `Driver ${podName} in unknown state`);
  }
}

/** Upstream's `SparkDriverNotFound`. */
export function driverNotFoundEvent(podName: string, afterGracePeriodSeconds?: number): EventAction {
  return warning(EVENT_REASONS.driverNotFound, afterGracePeriodSeconds === undefined
    ? `Driver pod ${podName} not found, marking application as Failing`
    : `Driver pod ${podName} not found after grace period ${afterGracePeriodSeconds}s, marking application as Failing`);
}

/** Ours: a driver stuck Pending for too long. */
export function driverPendingTimeoutEvent(podName: string, message: string): EventAction {
  return warning(EVENT_REASONS.driverPendingTimeout, `Driver ${podName} failed: ${message}`);
}

/** Why an executor pod failed: its container's exit code and reason, as upstream words it. */
export function executorTerminatedMessage(pod: ObservedPod): string {
  const container = (pod.containerStatuses ?? []).find((c) => c.name === SPARK_CONTAINERS.executor)
    ?? (pod.containerStatuses ?? []).find((c) => c.name === 'executor');
  const terminated = container?.state?.terminated;
  const exit = terminated ? `ExitCode: ${terminated.exitCode}, Reason: ${terminated.reason ?? ''}` : 'ExitCode: -1, Reason: Unknown (Container not Found)';
  return `${exit}, Pod Message: ${pod.message ?? ''}`;
}

/** The Event of an executor entering `state` (upstream `recordExecutorEvent`, which names the application instead of the pod). */
export function executorEvent(state: PodState, podName: string, failure?: string): EventAction {
  switch (state) {
    case 'PENDING': return normal(EVENT_REASONS.executorPending, `Executor ${podName} is pending`);
    case 'RUNNING': return normal(EVENT_REASONS.executorRunning, `Executor ${podName} is running`);
    case 'COMPLETED': return normal(EVENT_REASONS.executorCompleted, `Executor ${podName} completed`);
    case 'FAILED': return warning(EVENT_REASONS.executorFailed, `Executor ${podName} failed with ${failure ?? ''}`);
    default: return warning(EVENT_REASONS.executorUnknown, `Executor ${podName} in unknown state`);
  }
}

/** Ours: the executor map reached its bound. */
export function executorsUntrackedEvent(kept: number, known: number, max: number): EventAction {
  return warning(EVENT_REASONS.executorsUntracked,
    `status.executorState lists ${kept} of ${known} executors (maxTrackedExecutors ${max}): live and newest first, `
    + 'and always the highest executor id, which is how many executors this run started');
}
