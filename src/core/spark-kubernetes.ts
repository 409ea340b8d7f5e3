/**
 * Names that Spark itself gives in Kubernetes mode and that the rules need
 * (https://github.com/apache/spark/blob/master/resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/Constants.scala).
 */
import { KUEUE_LABEL_PREFIX } from './batch-scheduler';

/** Volumes whose name starts with this are Spark's local directories (`SPARK_LOCAL_DIRS`). */
export const LOCAL_DIR_VOLUME_PREFIX = 'spark-local-dir-';

/** Labels Spark sets on the driver itself; a custom driver label with one of these keys fails the submission. */
export const SPARK_DRIVER_PRESET_LABELS = ['spark-version', 'spark-app-selector', 'spark-app-name', 'spark-role'] as const;
/**
 * Labels Spark sets on every executor itself (`KubernetesExecutorConf.labels`); a custom executor label
 * with one of these keys makes the driver fail when it creates executors. The resource profile's is
 * `SPARK_RESOURCE_PROFILE_ID_LABEL`, `spark-exec-resourceprofile-id` (as the executor pods the real
 * driver creates show).
 */
export const SPARK_EXECUTOR_PRESET_LABELS = [...SPARK_DRIVER_PRESET_LABELS, 'spark-exec-id', 'spark-exec-resourceprofile-id'] as const;

/** Labels upstream does not copy from the SparkApplication to its pods (Kueue's own). */
export const UNCOPIED_LABEL_PREFIX = KUEUE_LABEL_PREFIX;
