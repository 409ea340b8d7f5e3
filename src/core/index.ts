/**
 * The shared rules over the v1beta2 wire model (`src/api`), pure and free of cdk8s: defaults,
 * validation with field paths, names, the operator-owned Spark configuration, schedules, and the
 * runtime contract. The constructs, the CRD builders, the runtime and `sparkctl` all use these, so a
 * rule is written once.
 */
export * from './batch-scheduler';
export * from './contract';
export * from './defaults';
export * from './dns';
export * from './ingress-url';
export * from './kube-time';
export * from './memory';
export * from './names';
export * from './object-labels';
export * from './owner-references';
export * from './problems';
export * from './schedule';
export * from './scheduled-runs';
export * from './spark-conf';
export * from './spark-conf-map';
export * from './spark-kubernetes';
export * from './spark-volume-conf';
export * from './spark-connect';
export { connectImage, connectSparkContainerIndex } from './validation/spark-connect';
export type { ConnectRole } from './validation/spark-connect';
export * from './spark-ui';
export * from './submission-id';
export * from './validate';
export { sparkConfKeyProblem } from './validation/spark-conf';
export * from './quantity';
export * from './decimal-quantity';
export * from './memory-overhead';
export * from './spark-versions';
export * from './submission-names';
export * from './validation/protected-accounts';
export { REJECTED_SPARK_CONF } from './validation/native-submission';
