/**
 * The SparkConnect rules that every part shares: the names of what the controller makes for one
 * (`<name>-server` pod and Service, `<name>-conf` ConfigMap, as upstream's
 * `internal/controller/sparkconnect/util.go` names them), its ports, its labels, the address
 * clients connect to, and the Spark settings the operator owns in it.
 */
import { DNS_LABEL_MAX_LENGTH } from './dns';
import { DYNAMIC_ALLOCATION_CONF_FIELDS, OPERATOR_OWNED_SPARK_CONF } from './spark-conf';
import { LABELS } from '../api';

/** The port of Spark Connect's gRPC server (`spark.connect.grpc.binding.port` when unset). */
export const SPARK_CONNECT_PORT = 15002;
/** The Spark UI of the server (a driver). */
export const SPARK_CONNECT_UI_PORT = 4040;
/** `spark.driver.port` and `spark.driver.blockManager.port` of the server, which executors connect to. */
export const SPARK_CONNECT_DRIVER_PORT = 7078;
export const SPARK_CONNECT_BLOCK_MANAGER_PORT = 7079;

/** The `spark-role` label of the server pod (upstream's `connect-server`). */
export const SPARK_CONNECT_SERVER_ROLE = 'connect-server';

/**
 * The longest SparkConnect name: it is the executors' pod name prefix
 * (`spark.kubernetes.executor.podNamePrefix`), which Spark refuses when `<prefix>-exec-<int>`
 * could exceed 63 characters.
 */
export const SPARK_CONNECT_NAME_MAX_LENGTH = DNS_LABEL_MAX_LENGTH - '-exec-2147483647'.length;

/** The server pod: `<name>-server`. */
export function connectServerPodName(name: string): string {
  return `${name}-server`;
}

/** The ConfigMap with the executor pod template: `<name>-conf`. */
export function connectConfigMapName(name: string): string {
  return `${name}-conf`;
}

/** The server's Service: `spec.server.service.metadata.name` when set, else `<name>-server`. */
export function connectServiceName(connect: { metadata: { name?: string }; spec?: { server?: { service?: unknown } } }): string {
  const service = connect.spec?.server?.service as { metadata?: { name?: unknown } } | undefined;
  const named = service?.metadata?.name;
  return typeof named === 'string' && named !== '' ? named : connectServerPodName(connect.metadata.name ?? '');
}

/** The address a `pyspark[connect]` client in the cluster connects to: `sc://<service>.<namespace>.svc:15002`. */
export function connectUrl(serviceName: string, namespace: string): string {
  return `sc://${serviceName}.${namespace}.svc:${SPARK_CONNECT_PORT}`;
}

/** The labels of everything the operator makes for SparkConnect `name` (upstream's `GetCommonLabels`). */
export function connectCommonLabels(name: string): Record<string, string> {
  return { [LABELS.createdBy]: 'true', [LABELS.connectName]: name };
}

/** The labels that select the server pod (upstream's `GetServerSelectorLabels`). */
export function connectServerSelector(name: string, sparkVersion: string): Record<string, string> {
  return {
    [LABELS.launchedBy]: 'true',
    [LABELS.connectName]: name,
    [LABELS.sparkRole]: SPARK_CONNECT_SERVER_ROLE,
    'spark-version': sparkVersion,
  };
}

/**
 * Spark settings of a SparkConnect that the operator decides, each with why: the server would not
 * start, or would start unreachable or in another namespace, with another value.
 */
export const CONNECT_OWNED_SPARK_CONF: Readonly<Record<string, string>> = {
  // Every key the operator owns for a SparkApplication is the operator's here too: the accounts and
  // tokens the server and its executors run with come from the pod templates, which the webhook and
  // the controller check, never from sparkConf.
  ...Object.fromEntries(OPERATOR_OWNED_SPARK_CONF.map((key) => [key, 'the operator sets it (as for a SparkApplication)'])),
  'spark.master': 'the server runs on the Kubernetes API server of its cluster',
  'spark.kubernetes.driver.pod.name': 'the server pod is named <name>-server',
  'spark.driver.host': 'executors reach the server at its pod IP',
  'spark.driver.bindAddress': 'the server listens on every address of its pod',
  'spark.driver.port': `the server's Service exposes port ${SPARK_CONNECT_DRIVER_PORT}`,
  'spark.driver.blockManager.port': `the server's Service exposes port ${SPARK_CONNECT_BLOCK_MANAGER_PORT}`,
  'spark.kubernetes.executor.podNamePrefix': 'executors are named after the SparkConnect',
  'spark.kubernetes.executor.podTemplateFile': 'use {spec.executor.template}',
  'spark.kubernetes.executor.podTemplateContainerName': 'use {spec.executor.template}',
  'spark.kubernetes.container.image': 'use {spec.image}',
  'spark.kubernetes.executor.container.image': 'use {spec.image}',
};

/**
 * The Spark settings the typed fields of a SparkConnect render, each with its field: the constructs
 * take each setting in one place only (the field).
 */
export const CONNECT_SPARK_CONF_FIELDS: Readonly<Record<string, string>> = {
  'spark.driver.cores': 'spec.server.cores',
  'spark.driver.memory': 'spec.server.memory',
  'spark.executor.instances': 'spec.executor.instances',
  'spark.executor.cores': 'spec.executor.cores',
  'spark.executor.memory': 'spec.executor.memory',
  ...DYNAMIC_ALLOCATION_CONF_FIELDS,
};
