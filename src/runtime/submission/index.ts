/**
 * The native submission builders: pure functions from a SparkApplication to the driver pod, its
 * ConfigMap and its headless Service, as Spark's cluster-mode `spark-submit` creates them.
 * See `docs/submission.md`.
 */
export * from './batch-scheduling';
export * from './build-submission';
export * from './constants';
export * from './kube-objects';
export * from './options';
export * from './owner-references';
export * from './properties-file';
export { DRIVER_FEATURE_STEPS } from './driver/driver-pod';
export { sparkSubmitCall } from './submit-conf';
export { executorTemplateBase, podTemplateFile } from './executor-template';
export { setEnv } from './upstream-pod-mutations';
export type { SparkSubmitCall, MainResourceType } from './submit-conf';
