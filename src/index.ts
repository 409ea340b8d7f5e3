// The public (jsii) API of cdk8s-spark: constructs and value types only.
// The v1beta2 wire model (src/api), the runtime (src/runtime) and sparkctl (src/cli) are not exported here.
export * from './spark-crds';
export * from './spark-rbac';
export * from './argocd';
export * from './operator-image';
export * from './spark-operator';
export * from './webhook-tls';
