/**
 * Spark's fixed names, paths and ports of a cluster-mode submission (`deploy/k8s/Constants.scala`,
 * `Config.scala`), and the ones upstream's pod webhook uses.
 */

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

/** The main classes Spark runs for Python and R applications. */
export const PYTHON_RUNNER = 'org.apache.spark.deploy.PythonRunner';
export const R_RUNNER = 'org.apache.spark.deploy.RRunner';

/** What upstream's pod webhook mounts for `spec.sparkConfigMap`, `spec.hadoopConfigMap` and monitoring. */
export const WEBHOOK_MOUNTS = {
  sparkConfigMap: { volume: 'spark-configmap-volume', mountPath: '/etc/spark/conf', env: 'SPARK_CONF_DIR' },
  hadoopConfigMap: { volume: 'hadoop-configmap-volume', mountPath: '/etc/hadoop/conf', env: 'HADOOP_CONF_DIR' },
  prometheus: { mountPath: '/etc/metrics/conf' },
} as const;
