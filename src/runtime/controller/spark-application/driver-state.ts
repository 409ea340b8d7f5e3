/**
 * What a driver pod says about its application: upstream's driver state (`GetDriverState`) and its
 * mapping to the application state (`DriverStateToApplicationState`), the error message of a failed
 * driver, and why a driver is stuck Pending.
 */
import { ObservedContainerStatus, ObservedPod } from './types';
import { ApplicationStateType, LABELS, PodState } from '../../../api';
import { SPARK_CONTAINERS } from '../../../core';

/** The driver container's status: the one named `spark-kubernetes-driver` (as upstream reads it), else the first. */
export function driverContainer(pod: ObservedPod): ObservedContainerStatus | undefined {
  const statuses = pod.containerStatuses ?? [];
  return statuses.find((c) => c.name === SPARK_CONTAINERS.driver) ?? statuses[0];
}

/**
 * The driver's state from its pod, as upstream: Pending is PENDING; Running is RUNNING unless the
 * driver container already terminated (sidecars keep the pod running), then COMPLETED for exit code
 * 0 and FAILED otherwise; Succeeded is COMPLETED; Failed is FAILED unless the driver container
 * exited 0; any other phase is UNKNOWN.
 */
export function driverStateOf(pod: ObservedPod): PodState {
  const terminated = driverContainer(pod)?.state?.terminated;
  switch (pod.phase) {
    case 'Pending':
      return 'PENDING';
    case 'Running':
      if (terminated) return terminated.exitCode === 0 ? 'COMPLETED' : 'FAILED';
      return 'RUNNING';
    case 'Succeeded':
      return 'COMPLETED';
    case 'Failed':
      return terminated?.exitCode === 0 ? 'COMPLETED' : 'FAILED';
    default:
      return 'UNKNOWN';
  }
}

/** The application state a driver state means (upstream `DriverStateToApplicationState`). */
export function applicationStateForDriver(state: PodState): ApplicationStateType {
  switch (state) {
    case 'PENDING': return 'SUBMITTED';
    case 'RUNNING': return 'RUNNING';
    case 'COMPLETED': return 'SUCCEEDING';
    case 'FAILED': return 'FAILING';
    default: return 'UNKNOWN';
  }
}

/** Whether a driver or executor state is final. */
export function isTerminated(state: PodState): boolean {
  return state === 'COMPLETED' || state === 'FAILED';
}

/**
 * Why a failed driver failed, for `errorMessage`: upstream's `driver container failed with ExitCode:
 * N, Reason: R` (with the container's termination message when it has one); a pod that failed
 * without a terminated driver container (evicted, deadline exceeded) gives the pod's own reason;
 * upstream's `driver container status missing` when there is neither.
 */
export function driverFailureMessage(pod: ObservedPod): string | undefined {
  const terminated = driverContainer(pod)?.state?.terminated;
  if (terminated) {
    if (terminated.exitCode === 0) return undefined;
    const base = `driver container failed with ExitCode: ${terminated.exitCode}, Reason: ${terminated.reason ?? ''}`;
    return terminated.message ? `${base}, Message: ${terminated.message}` : base;
  }
  if (pod.reason || pod.message) {
    return `driver pod failed with Reason: ${pod.reason ?? ''}${pod.message ? `, Message: ${pod.message}` : ''}`;
  }
  return 'driver container status missing';
}

/** The `spark-app-selector` label: Spark's application id (`spark-<hex>`). */
export function sparkApplicationIdOf(pod: ObservedPod): string | undefined {
  const id = pod.labels[LABELS.sparkAppSelector];
  return id === undefined || id === '' ? undefined : id;
}

/**
 * Why a Pending driver does not start, in the pod's own words: a waiting container's reason and
 * message (`ImagePullBackOff`, `ErrImagePull`, `CreateContainerConfigError` for a missing ConfigMap
 * or Secret ...), else a false `PodScheduled` condition (`Unschedulable: 0/3 nodes are available
 * ...`), else undefined.
 */
export function pendingReason(pod: ObservedPod): string | undefined {
  const statuses = pod.containerStatuses ?? [];
  const waiting = [...statuses]
    .sort((a, b) => Number(b.name === SPARK_CONTAINERS.driver) - Number(a.name === SPARK_CONTAINERS.driver))
    .map((c) => ({ name: c.name, waiting: c.state?.waiting }))
    .find((c) => c.waiting?.reason !== undefined && c.waiting.reason !== 'ContainerCreating' && c.waiting.reason !== 'PodInitializing');
  if (waiting?.waiting) {
    const { reason, message } = waiting.waiting;
    return `container ${waiting.name}: ${reason}${message ? `: ${message}` : ''}`;
  }
  const unscheduled = (pod.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) {
    return `${unscheduled.reason ?? 'not scheduled'}${unscheduled.message ? `: ${unscheduled.message}` : ''}`;
  }
  return undefined;
}

/**
 * When the pod was placed on a node (its `PodScheduled` condition turned true; `''` when the
 * condition says no time), or undefined while no scheduler has placed it: a pod in a batch
 * scheduler's queue (Volcano, YuniKorn, coscheduling) stays so until its gang fits.
 */
export function scheduledSince(pod: ObservedPod): string | undefined {
  const scheduled = (pod.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'True');
  return scheduled ? scheduled.lastTransitionTime ?? '' : undefined;
}

/** True while the pod's scheduling gates hold it (`PodScheduled: False`, reason `SchedulingGated`). */
export function isSchedulingGated(pod: ObservedPod): boolean {
  return (pod.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'SchedulingGated');
}
