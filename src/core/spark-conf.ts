/**
 * Spark configuration keys that the operator decides, and the v1beta2 field behind each key the
 * operator renders from the spec (upstream's `internal/controller/sparkapplication/submission.go`,
 * https://github.com/kubeflow/spark-operator).
 */
import { DriverSpec, DynamicAllocation, ExecutorSpec, SparkApplicationSpec } from '../api';
import { isObject } from './validation/checks';

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

/** A value a field renders into Spark's configuration; `undefined` when the field is unset. */
export type RenderedValue = string | number | boolean | undefined;

/**
 * One Spark key that a v1beta2 field decides: the rules read it key → field (a `sparkConf` entry for
 * the key names the field), the submission field → key (`render` gives the value it passes to Spark).
 * Without `render`, the submission writes the key itself (a fixed path, or a value it combines).
 */
export interface FieldConf {
  readonly key: string;
  readonly field: string;
  readonly render?: (spec: SparkApplicationSpec) => RenderedValue;
}

function roleFieldConf(role: 'driver' | 'executor') {
  const pod = (spec: SparkApplicationSpec): Partial<DriverSpec & ExecutorSpec> => (isRecord(spec[role]) ? spec[role]! : {});
  return {
    image: { key: `spark.kubernetes.${role}.container.image`, field: `spec.${role}.image`, render: (s) => pod(s).image || s.image || undefined },
    serviceAccount: { key: `spark.kubernetes.authenticate.${role}.serviceAccountName`, field: `spec.${role}.serviceAccount`, render: (s) => pod(s).serviceAccount || undefined },
    cores: { key: `spark.${role}.cores`, field: `spec.${role}.cores`, render: (s) => pod(s).cores },
    memory: { key: `spark.${role}.memory`, field: `spec.${role}.memory`, render: (s) => pod(s).memory || undefined },
    memoryOverhead: { key: `spark.${role}.memoryOverhead`, field: `spec.${role}.memoryOverhead`, render: (s) => pod(s).memoryOverhead || undefined },
    coreRequest: { key: `spark.kubernetes.${role}.request.cores`, field: `spec.${role}.coreRequest`, render: (s) => pod(s).coreRequest || undefined },
    coreLimit: { key: `spark.kubernetes.${role}.limit.cores`, field: `spec.${role}.coreLimit`, render: (s) => pod(s).coreLimit || undefined },
    // The submission adds a monitoring agent to the field's options.
    javaOptions: { key: `spark.${role}.extraJavaOptions`, field: `spec.${role}.javaOptions`, render: (s) => pod(s).javaOptions },
    podTemplateFile: { key: `spark.kubernetes.${role}.podTemplateFile`, field: `spec.${role}.template` },
    podTemplateContainerName: { key: `spark.kubernetes.${role}.podTemplateContainerName`, field: `spec.${role}.template` },
  } satisfies Record<string, FieldConf>;
}

/** `isObject()`, with the fields typed loosely: the renders read typed fields of a spec that passed the type rules. */
function isRecord(value: unknown): value is Record<string, any> {
  return isObject(value);
}

function allocation(spec: SparkApplicationSpec): Partial<DynamicAllocation> | undefined {
  return isRecord(spec.dynamicAllocation) && spec.dynamicAllocation.enabled === true ? spec.dynamicAllocation : undefined;
}

/** The Spark keys of `spec.driver` and `spec.executor` that have a field. */
export const ROLE_FIELD_CONF = { driver: roleFieldConf('driver'), executor: roleFieldConf('executor') } as const;

/** The Spark keys of the application-wide fields. */
export const APPLICATION_FIELD_CONF = {
  image: { key: 'spark.kubernetes.container.image', field: 'spec.image', render: (s) => s.image || undefined },
  driverMaster: { key: 'spark.kubernetes.driver.master', field: 'spec.driver.kubernetesMaster', render: (s) => (isRecord(s.driver) ? s.driver.kubernetesMaster || undefined : undefined) },
  // The submission writes the pod name the application's name and this field decide together.
  driverPodName: { key: 'spark.kubernetes.driver.pod.name', field: 'spec.driver.podName' },
  executorInstances: { key: 'spark.executor.instances', field: 'spec.executor.instances', render: (s) => (isRecord(s.executor) ? s.executor.instances : undefined) },
  executorDeleteOnTermination: { key: 'spark.kubernetes.executor.deleteOnTermination', field: 'spec.executor.deleteOnTermination', render: (s) => (isRecord(s.executor) ? s.executor.deleteOnTermination : undefined) },
  pythonVersion: { key: 'spark.kubernetes.pyspark.pythonVersion', field: 'spec.pythonVersion', render: (s) => s.pythonVersion },
  memoryOverheadFactor: { key: 'spark.kubernetes.memoryOverheadFactor', field: 'spec.memoryOverheadFactor', render: (s) => s.memoryOverheadFactor || undefined },
  namespace: { key: SPARK_NAMESPACE_CONF, field: 'metadata.namespace' },
} satisfies Record<string, FieldConf>;

/** The Spark keys `spec.dynamicAllocation` renders (the same field in both API versions), rendered only when it is enabled. */
export const DYNAMIC_ALLOCATION_FIELD_CONF = {
  enabled: { key: 'spark.dynamicAllocation.enabled', field: 'spec.dynamicAllocation', render: (s) => (allocation(s) ? 'true' : undefined) },
  initialExecutors: { key: 'spark.dynamicAllocation.initialExecutors', field: 'spec.dynamicAllocation.initialExecutors', render: (s) => allocation(s)?.initialExecutors },
  minExecutors: { key: 'spark.dynamicAllocation.minExecutors', field: 'spec.dynamicAllocation.minExecutors', render: (s) => allocation(s)?.minExecutors },
  maxExecutors: { key: 'spark.dynamicAllocation.maxExecutors', field: 'spec.dynamicAllocation.maxExecutors', render: (s) => allocation(s)?.maxExecutors },
  // Shuffle tracking is on unless the application turns it off.
  shuffleTrackingEnabled: { key: 'spark.dynamicAllocation.shuffleTracking.enabled', field: 'spec.dynamicAllocation.shuffleTrackingEnabled', render: (s) => (allocation(s) ? allocation(s)!.shuffleTrackingEnabled ?? true : undefined) },
  shuffleTrackingTimeout: { key: 'spark.dynamicAllocation.shuffleTracking.timeout', field: 'spec.dynamicAllocation.shuffleTrackingTimeout', render: (s) => allocation(s)?.shuffleTrackingTimeout },
} satisfies Record<string, FieldConf>;

/**
 * `spark.kubernetes.<role>.secretKeyRef.<ENV>` = `<secret>:<key>` for each of a role's deprecated
 * `envSecretKeyRefs`, as upstream renders them (Spark splits the value at the colon).
 */
export function secretKeyRefConf(role: 'driver' | 'executor', refs: unknown): Array<[string, string]> {
  if (!isRecord(refs)) return [];
  return Object.entries(refs).map(([env, ref]) => [`spark.kubernetes.${role}.secretKeyRef.${env}`, `${isRecord(ref) ? ref.name : undefined}:${isRecord(ref) ? ref.key : undefined}`]);
}

/** Every field-decided Spark key, in one list. */
export const FIELD_CONF: readonly FieldConf[] = [
  ...Object.values(APPLICATION_FIELD_CONF),
  ...Object.values(ROLE_FIELD_CONF.driver),
  ...Object.values(ROLE_FIELD_CONF.executor),
  ...Object.values(DYNAMIC_ALLOCATION_FIELD_CONF),
];

/** The Spark settings `spec.dynamicAllocation` renders, each with its field. */
export const DYNAMIC_ALLOCATION_CONF_FIELDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(DYNAMIC_ALLOCATION_FIELD_CONF).map((entry) => [entry.key, entry.field]),
);

/**
 * The Spark configuration keys that a v1beta2 field renders, each with that field's path. The
 * operator passes both the field and a `sparkConf` entry for the same key to Spark, and which one
 * wins depends on the order of its arguments, so the constructs accept each setting in one place
 * only (the field); the submission builders render these keys from the fields.
 */
export const SPARK_CONF_FIELDS: Readonly<Record<string, string>> = Object.fromEntries(FIELD_CONF.map((entry) => [entry.key, entry.field]));

