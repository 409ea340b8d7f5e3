/**
 * The pure core of the SparkApplication controller: `decide()` and the helpers the shell needs
 * around it. See `docs/controller.md` for the states and transitions.
 */
export * from './types';
export { decide, MAX_STEPS } from './decide';
export { observedDriverPodName } from './driver-pod-name';
export { cachedSpecChangeInvalidates, specChangeInvalidates, nextSubmissionId, effectiveSpec } from './spec-change';
export { sameStatus, shapeStatus, statusWorthWriting } from './status';
export { untrackedExecutorCount, executorStateOf, EXECUTOR_ID_LABEL } from './executors';
export { driverStateOf, applicationStateForDriver } from './driver-state';
export { EVENT_REASONS } from './events';
export { DELETION_RECHECK_SECONDS } from './step';
export { observe, observedPod, resourcesToDelete } from './observe';
export type { FoundObject, FoundObjects, OwnedObjectToDelete } from './observe';
