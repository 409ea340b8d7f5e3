/**
 * The driver ConfigMap (`KubernetesClientUtils.buildConfigMap`): `spark.properties`, the key
 * `spark.kubernetes.namespace` (which Spark writes but does not mount), and here also the executor
 * pod template and the monitoring files, which Spark and upstream keep in ConfigMaps of their own.
 * Immutable, like Spark's; no labels, like Spark's.
 */
import { POD_TEMPLATE, SPARK_PROPERTIES_FILE } from './constants';
import { DriverConf } from './driver/driver-conf';
import { ConfigMap } from './kube-objects';
import { storeProperties } from './properties-file';
import { SPARK_NAMESPACE_CONF } from '../../core';

/** Kubernetes' limit on a ConfigMap's data, in bytes. */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/** The header comment of `spark.properties`, as Spark writes it. */
export function propertiesComment(configMapName: string): string {
  return `Java properties built from Kubernetes config map with name: ${configMapName}`;
}

/** The driver ConfigMap. */
export function driverConfigMap(
  conf: DriverConf, properties: Readonly<Record<string, string>>, now: Date, executorTemplate: string, extraData: Readonly<Record<string, string>>,
): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: conf.configMapName, namespace: conf.namespace },
    immutable: true,
    data: {
      [SPARK_PROPERTIES_FILE]: storeProperties(properties, propertiesComment(conf.configMapName), now),
      [SPARK_NAMESPACE_CONF]: conf.namespace,
      [POD_TEMPLATE.key]: executorTemplate,
      ...extraData,
    },
  };
}

/** The bytes of a ConfigMap's data (keys and values, UTF-8), as the API server limits them. */
export function configMapDataBytes(configMap: ConfigMap): number {
  return Object.entries(configMap.data).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}
