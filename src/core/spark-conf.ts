/**
 * Spark configuration keys that the operator decides, and the v1beta2 field behind each key the
 * operator renders from the spec (upstream's `internal/controller/sparkapplication/submission.go`,
 * https://github.com/kubeflow/spark-operator).
 */

/**
 * Keys the operator sets itself and users must not: the upstream webhook's deny-list. The CRD
 * rejects them with a CEL rule and `validate()` with a field path.
 */
export const OPERATOR_OWNED_SPARK_CONF = [
  'spark.master',
  'spark.kubernetes.driver.master',
  'spark.kubernetes.container.image',
  'spark.kubernetes.driver.container.image',
  'spark.kubernetes.executor.container.image',
  'spark.kubernetes.authenticate.driver.serviceAccountName',
  'spark.kubernetes.authenticate.executor.serviceAccountName',
  'spark.kubernetes.authenticate.oauthToken',
  'spark.kubernetes.authenticate.oauthTokenFile',
  'spark.kubernetes.authenticate.driver.oauthToken',
  'spark.kubernetes.authenticate.driver.oauthTokenFile',
  'spark.kubernetes.authenticate.executor.oauthToken',
  'spark.kubernetes.authenticate.executor.oauthTokenFile',
] as const;

/** `spark.kubernetes.namespace`: the object's namespace decides it (upstream rejects any other value). */
export const SPARK_NAMESPACE_CONF = 'spark.kubernetes.namespace';

/** `spark.hadoop.`: what the operator puts in front of every `hadoopConf` key. */
export const HADOOP_CONF_PREFIX = 'spark.hadoop.';

function roleConf(role: 'driver' | 'executor'): Record<string, string> {
  return {
    [`spark.kubernetes.${role}.container.image`]: `spec.${role}.image`,
    [`spark.kubernetes.authenticate.${role}.serviceAccountName`]: `spec.${role}.serviceAccount`,
    [`spark.${role}.cores`]: `spec.${role}.cores`,
    [`spark.${role}.memory`]: `spec.${role}.memory`,
    [`spark.${role}.memoryOverhead`]: `spec.${role}.memoryOverhead`,
    [`spark.kubernetes.${role}.request.cores`]: `spec.${role}.coreRequest`,
    [`spark.kubernetes.${role}.limit.cores`]: `spec.${role}.coreLimit`,
    [`spark.${role}.extraJavaOptions`]: `spec.${role}.javaOptions`,
    [`spark.kubernetes.${role}.podTemplateFile`]: `spec.${role}.template`,
    [`spark.kubernetes.${role}.podTemplateContainerName`]: `spec.${role}.template`,
  };
}

/** The Spark settings `spec.dynamicAllocation` renders (the same field in both API versions), each with its field. */
export const DYNAMIC_ALLOCATION_CONF_FIELDS: Readonly<Record<string, string>> = {
  'spark.dynamicAllocation.enabled': 'spec.dynamicAllocation',
  'spark.dynamicAllocation.minExecutors': 'spec.dynamicAllocation.minExecutors',
  'spark.dynamicAllocation.maxExecutors': 'spec.dynamicAllocation.maxExecutors',
  'spark.dynamicAllocation.initialExecutors': 'spec.dynamicAllocation.initialExecutors',
  'spark.dynamicAllocation.shuffleTracking.enabled': 'spec.dynamicAllocation.shuffleTrackingEnabled',
  'spark.dynamicAllocation.shuffleTracking.timeout': 'spec.dynamicAllocation.shuffleTrackingTimeout',
};

/**
 * The Spark configuration keys that a v1beta2 field renders, each with that field's path. The
 * operator passes both the field and a `sparkConf` entry for the same key to Spark, and which one
 * wins depends on the order of its arguments, so the constructs accept each setting in one place
 * only (the field); the submission builders render these keys from the fields.
 */
export const SPARK_CONF_FIELDS: Readonly<Record<string, string>> = {
  'spark.kubernetes.container.image': 'spec.image',
  ...roleConf('driver'),
  ...roleConf('executor'),
  'spark.kubernetes.driver.master': 'spec.driver.kubernetesMaster',
  'spark.kubernetes.driver.pod.name': 'spec.driver.podName',
  'spark.executor.instances': 'spec.executor.instances',
  'spark.kubernetes.executor.deleteOnTermination': 'spec.executor.deleteOnTermination',
  'spark.kubernetes.pyspark.pythonVersion': 'spec.pythonVersion',
  'spark.kubernetes.memoryOverheadFactor': 'spec.memoryOverheadFactor',
  ...DYNAMIC_ALLOCATION_CONF_FIELDS,
  [SPARK_NAMESPACE_CONF]: 'metadata.namespace',
};

