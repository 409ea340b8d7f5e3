// The public (jsii) API of cdk8s-spark: constructs and value types only.
// The v1beta2 wire model (src/api), the runtime (src/runtime) and sparkctl (src/cli) are not exported here.
export * from './spark-crds';
export * from './spark-rbac';
export * from './argocd';
export * from './operator-image';
export * from './spark-operator-options';
export * from './spark-operator';
export * from './webhook-tls';
export * from './spark-application-type';
export * from './deploy-mode';
export * from './python-version';
export * from './restart-policy';
export * from './dynamic-allocation';
export * from './dependencies';
export * from './monitoring';
export * from './batch-scheduler';
export * from './operator-batch-scheduler';
export * from './spark-ui';
export * from './spark-pod-scheduling';
export * from './spark-pod';
export * from './driver';
export * from './executor';
export * from './spark-application-base';
export * from './spark-application';
export * from './scheduled-spark-application';
export * from './spark-connect';
