/**
 * Spark's fixed names, paths and ports of a cluster-mode submission (`deploy/k8s/Constants.scala`,
 * `Config.scala`), and the ones upstream's pod webhook uses.
 */
import { KUEUE_LABEL_PREFIX } from '../../core';

/** `spark.driver.port` when unset, and the container and Service port `driver-rpc-port`. */
export const DEFAULT_DRIVER_PORT = 7078;
/** `spark.driver.blockManager.port` when unset, and the port `blockmanager`. */
export const DEFAULT_BLOCK_MANAGER_PORT = 7079;
/** `spark.ui.port` when unset, and the port `spark-ui`. */
export const DEFAULT_UI_PORT = 4040;
/** Names of the driver's three ports. */
export const PORT_NAMES = { driver: 'driver-rpc-port', blockManager: 'blockmanager', ui: 'spark-ui' } as const;

/** Where the driver reads `spark.properties` (`SPARK_CONF_DIR_INTERNAL`). */
export const SPARK_CONF_DIR = '/opt/spark/conf';
/** The file the driver's `--properties-file` names. */
export const SPARK_PROPERTIES_FILE = 'spark.properties';
/** The volume of the driver ConfigMap at {@link SPARK_CONF_DIR}. */
export const SPARK_CONF_VOLUME = 'spark-conf-volume-driver';

/** The volume, mount path, ConfigMap key and file name of the executor pod template (`PodTemplateConfigMapStep`). */
export const POD_TEMPLATE = {
  volume: 'pod-template-volume',
  mountPath: '/opt/spark/pod-template',
  key: 'podspec-configmap-key',
  file: 'pod-spec-template.yml',
} as const;
/** `spark.kubernetes.executor.podTemplateFile` inside the driver. */
export const EXECUTOR_POD_TEMPLATE_PATH = `${POD_TEMPLATE.mountPath}/${POD_TEMPLATE.file}`;

/** Volumes whose name starts with this are Spark's local directories (`SPARK_LOCAL_DIRS`). */
export const LOCAL_DIR_VOLUME_PREFIX = 'spark-local-dir-';

/** The main classes Spark runs for Python and R applications. */
export const PYTHON_RUNNER = 'org.apache.spark.deploy.PythonRunner';
export const R_RUNNER = 'org.apache.spark.deploy.RRunner';

/** Labels Spark sets on the driver itself; a custom driver label with one of these keys fails the submission. */
export const SPARK_DRIVER_PRESET_LABELS = ['spark-version', 'spark-app-selector', 'spark-app-name', 'spark-role'] as const;
/**
 * Labels Spark sets on every executor itself (`KubernetesExecutorConf.labels`); a custom executor label
 * with one of these keys makes the driver fail when it creates executors. The resource profile's is
 * `SPARK_RESOURCE_PROFILE_ID_LABEL`, `spark-exec-resourceprofile-id` (as the executor pods the real
 * driver creates show, `test/e2e/executor-side.e2e.test.ts`).
 */
export const SPARK_EXECUTOR_PRESET_LABELS = [...SPARK_DRIVER_PRESET_LABELS, 'spark-exec-id', 'spark-exec-resourceprofile-id'] as const;

/** What upstream's pod webhook mounts for `spec.sparkConfigMap`, `spec.hadoopConfigMap` and monitoring. */
export const WEBHOOK_MOUNTS = {
  sparkConfigMap: { volume: 'spark-configmap-volume', mountPath: '/etc/spark/conf', env: 'SPARK_CONF_DIR' },
  hadoopConfigMap: { volume: 'hadoop-configmap-volume', mountPath: '/etc/hadoop/conf', env: 'HADOOP_CONF_DIR' },
  prometheus: { mountPath: '/etc/metrics/conf' },
} as const;

/** Labels upstream does not copy from the SparkApplication to its pods (Kueue's own). */
export const UNCOPIED_LABEL_PREFIX = KUEUE_LABEL_PREFIX;
