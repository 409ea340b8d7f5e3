/**
 * What the SparkConnect controller creates for one SparkConnect, built as upstream's
 * `internal/controller/sparkconnect` builds it (https://github.com/kubeflow/spark-operator): the
 * server pod, which runs Spark's own `start-connect-server.sh` in the foreground; the ConfigMap
 * `<name>-conf` with the executor pod template it mounts; and the Service in front of it. Pure:
 * the differences from upstream are listed in docs/controller.md, "SparkConnect".
 */
import { createHash } from 'node:crypto';
import { API_GROUP, LABELS, OwnerReference, SPARK_CONNECT_TYPE_META, SparkConnect } from '../../../api';
import {
  HADOOP_CONF_PREFIX, SPARK_CONNECT_BLOCK_MANAGER_PORT, SPARK_CONNECT_DRIVER_PORT, SPARK_CONNECT_PORT, SPARK_CONNECT_SERVER_ARGS,
  SPARK_CONNECT_UI_PORT, SPARK_CONTAINERS, SPARK_NAMESPACE_CONF, canonicalJson, connectCommonLabels, connectConfigMapName, connectImage,
  connectServerPodName, connectServerSelector, connectServiceName, connectSparkContainerIndex,
} from '../../../core';
import { ConfigMap, PodContainer, PodSpec, cloneJson, executorTemplateBase, podTemplateFile, setEnv } from '../../submission';

/** The ConfigMap key and file of the executor pod template, and where the server reads it (upstream's names). */
export const CONNECT_EXECUTOR_TEMPLATE = {
  key: 'executor-pod-template.yaml',
  volume: 'spark-conf',
  path: '/tmp/spark/executor-pod-template.yaml',
} as const;

/**
 * The label on the server pod with the fingerprint of what it was built from: a change of the spec
 * (but its Service) or the labels gives another fingerprint, and the controller replaces the pod.
 */
export const CONNECT_FINGERPRINT_LABEL = `${API_GROUP}/connect-fingerprint`;

/** The Service's ports, as upstream names them. */
export const CONNECT_SERVICE_PORTS = [
  { name: 'driver-rpc', port: SPARK_CONNECT_DRIVER_PORT, appProtocol: 'tcp' },
  { name: 'blockmanager', port: SPARK_CONNECT_BLOCK_MANAGER_PORT, appProtocol: 'tcp' },
  { name: 'web-ui', port: SPARK_CONNECT_UI_PORT, appProtocol: 'http' },
  { name: 'spark-connect-server', port: SPARK_CONNECT_PORT, appProtocol: 'grpc' },
] as const;

/** The metadata of what the controller creates. */
export interface OwnedMetadata {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences: OwnerReference[];
}

/** A pod as the controller creates it. */
export interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: OwnedMetadata;
  spec: PodSpec;
}

/** A Service as the controller creates it. */
export interface ConnectService {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: OwnedMetadata;
  spec: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMapOf(value: unknown): Record<string, string> {
  return isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string> : {};
}

/** The SparkConnect as the controlling owner of what is made for it (deleted with it by garbage collection). */
export function connectOwnerReference(connect: SparkConnect): OwnerReference {
  return {
    ...SPARK_CONNECT_TYPE_META, name: connect.metadata.name!, uid: connect.metadata.uid!, controller: true, blockOwnerDeletion: true,
  };
}

/**
 * Sixteen hex digits that change exactly when the server pod would be built otherwise: the spec
 * but `spec.server.service` (nothing of the pod comes from it: executors reach the server at its pod
 * IP), and the labels. A spec without a Service gives the digits it gave before the Service was left out.
 */
export function connectFingerprint(connect: SparkConnect): string {
  const { service: _service, ...server } = connect.spec.server ?? {};
  const spec = connect.spec.server === undefined ? connect.spec : { ...connect.spec, server };
  return createHash('sha256').update(canonicalJson({ spec, labels: connect.metadata.labels ?? {} })).digest('hex').slice(0, 16);
}

/** `value` as one shell word (single-quoted unless it is plainly safe). */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** `--conf key=value`, as shell words. */
function conf(key: string, value: string | number | boolean): string[] {
  return [SPARK_CONNECT_SERVER_ARGS.conf, shellWord(`${key}=${value}`)];
}

/**
 * The pod's IP as `spark.driver.host` reads it: an IPv6 address in brackets. Evaluated by the shell
 * in the pod, as upstream does, since the IP is known only there.
 */
const DRIVER_HOST = '$(host=${POD_IP}; if [[ $host == *:* ]] && [[ $host != \\[* ]]; then echo "[$host]"; else echo "$host"; fi)';

/**
 * The command line of the server: Spark's `start-connect-server.sh` (which runs `spark-submit`
 * with Spark Connect's server class) with the settings upstream passes, in upstream's order, the
 * user's `sparkConf` and `hadoopConf` in key order.
 */
export function startConnectServerArgs(connect: SparkConnect, master: string): string[] {
  const { name, namespace, labels } = connect.metadata;
  const spec = connect.spec;
  const executorImage = connectImage(spec, 'executor');
  const userLabels = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const da = spec.dynamicAllocation;
  const sorted = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return [
    SPARK_CONNECT_SERVER_ARGS.start,
    SPARK_CONNECT_SERVER_ARGS.master, shellWord(master),
    ...conf(SPARK_NAMESPACE_CONF, namespace!),
    ...conf('spark.kubernetes.container.image', executorImage ?? ''),
    ...conf('spark.kubernetes.executor.container.image', executorImage ?? ''),
    ...sorted(spec.sparkConf).filter(([key]) => key !== 'spark.kubernetes.driver.pod.name').flatMap(([key, value]) => conf(key, value)),
    ...sorted(spec.hadoopConf).flatMap(([key, value]) => conf(key.startsWith(HADOOP_CONF_PREFIX) ? key : `${HADOOP_CONF_PREFIX}${key}`, value)),
    // The server.
    ...conf(`spark.kubernetes.driver.label.${LABELS.launchedBy}`, 'true'),
    ...conf(`spark.kubernetes.driver.label.${LABELS.connectName}`, name!),
    ...userLabels.flatMap(([key, value]) => conf(`spark.kubernetes.driver.label.${key}`, value)),
    ...spec.server?.cores !== undefined ? conf('spark.driver.cores', spec.server.cores) : [],
    ...spec.server?.memory !== undefined ? conf('spark.driver.memory', spec.server.memory) : [],
    ...conf('spark.driver.bindAddress', '0.0.0.0'),
    SPARK_CONNECT_SERVER_ARGS.conf, `spark.driver.host=${DRIVER_HOST}`,
    ...conf('spark.driver.port', SPARK_CONNECT_DRIVER_PORT),
    ...conf('spark.driver.blockManager.port', SPARK_CONNECT_BLOCK_MANAGER_PORT),
    ...conf('spark.kubernetes.driver.pod.name', connectServerPodName(name!)),
    // The executors.
    ...conf(`spark.kubernetes.executor.label.${LABELS.launchedBy}`, 'true'),
    ...conf(`spark.kubernetes.executor.label.${LABELS.connectName}`, name!),
    ...userLabels.flatMap(([key, value]) => conf(`spark.kubernetes.executor.label.${key}`, value)),
    ...spec.executor?.instances !== undefined ? conf('spark.executor.instances', spec.executor.instances) : [],
    ...spec.executor?.cores !== undefined ? conf('spark.executor.cores', spec.executor.cores) : [],
    ...spec.executor?.memory !== undefined ? conf('spark.executor.memory', spec.executor.memory) : [],
    ...conf('spark.kubernetes.executor.podNamePrefix', name!),
    ...conf('spark.kubernetes.executor.podTemplateFile', CONNECT_EXECUTOR_TEMPLATE.path),
    ...conf('spark.kubernetes.executor.podTemplateContainerName', executorTemplateBase(spec.executor?.template).containerName),
    ...da?.enabled ? [
      ...conf('spark.dynamicAllocation.enabled', true),
      ...da.initialExecutors !== undefined ? conf('spark.dynamicAllocation.initialExecutors', da.initialExecutors) : [],
      ...da.minExecutors !== undefined ? conf('spark.dynamicAllocation.minExecutors', da.minExecutors) : [],
      ...da.maxExecutors !== undefined ? conf('spark.dynamicAllocation.maxExecutors', da.maxExecutors) : [],
      ...conf('spark.dynamicAllocation.shuffleTracking.enabled', da.shuffleTrackingEnabled ?? true),
      ...da.shuffleTrackingTimeout !== undefined ? conf('spark.dynamicAllocation.shuffleTracking.timeout', da.shuffleTrackingTimeout) : [],
    ] : [],
  ];
}

/** The ConfigMap `<name>-conf`: the executor pod template the server hands Spark. */
export function connectConfigMap(connect: SparkConnect): ConfigMap {
  const { name, namespace } = connect.metadata;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: connectConfigMapName(name!),
      namespace,
      labels: connectCommonLabels(name!),
      ownerReferences: [connectOwnerReference(connect)],
    },
    data: { [CONNECT_EXECUTOR_TEMPLATE.key]: podTemplateFile({ metadata: {}, ...executorTemplateBase(connect.spec.executor?.template).template }) },
  };
}

/**
 * The server pod `<name>-server`: `spec.server.template` with the Spark container (by name
 * `spark-kubernetes-driver`, else the first) set up to run the Connect server.
 */
export function connectServerPod(connect: SparkConnect, master: string): Pod {
  const { name, namespace } = connect.metadata;
  const template: Record<string, any> = isRecord(connect.spec.server?.template) ? cloneJson(connect.spec.server.template) : {};
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  const spec = (isRecord(template.spec) ? template.spec : {}) as PodSpec;
  const containers: PodContainer[] = Array.isArray(spec.containers) ? [...spec.containers] : [];
  if (containers.length === 0) containers.push({ name: SPARK_CONTAINERS.driver });
  const index = connectSparkContainerIndex(containers, 'server');
  const container = containers[index];
  containers[index] = {
    ...container,
    image: connectImage(connect.spec, 'server'),
    command: ['bash', '-c'],
    args: [startConnectServerArgs(connect, master).join(' ')],
    env: setEnv(container.env,
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'SPARK_NO_DAEMONIZE', value: 'true' }),
    volumeMounts: [...container.volumeMounts ?? [], {
      name: CONNECT_EXECUTOR_TEMPLATE.volume, subPath: CONNECT_EXECUTOR_TEMPLATE.key, mountPath: CONNECT_EXECUTOR_TEMPLATE.path, readOnly: true,
    }],
    lifecycle: { preStop: { exec: { command: ['bash', '-c', SPARK_CONNECT_SERVER_ARGS.stop] } } },
    // Ready when clients can connect: the gRPC port listens once the session is up.
    readinessProbe: container.readinessProbe ?? { tcpSocket: { port: SPARK_CONNECT_PORT }, periodSeconds: 5 },
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: connectServerPodName(name!),
      namespace: namespace!,
      labels: {
        ...stringMapOf(metadata.labels),
        ...connectServerSelector(name!, connect.spec.sparkVersion),
        [CONNECT_FINGERPRINT_LABEL]: connectFingerprint(connect),
      },
      ...isRecord(metadata.annotations) ? { annotations: stringMapOf(metadata.annotations) } : {},
      ownerReferences: [connectOwnerReference(connect)],
    },
    spec: {
      ...spec,
      containers,
      volumes: [...spec.volumes ?? [], {
        name: CONNECT_EXECUTOR_TEMPLATE.volume,
        configMap: {
          name: connectConfigMapName(name!),
          items: [{ key: CONNECT_EXECUTOR_TEMPLATE.key, path: CONNECT_EXECUTOR_TEMPLATE.key }],
        },
      }],
    },
  };
}

/**
 * The Service in front of the server: `spec.server.service` (its labels, annotations and spec)
 * with upstream's four ports and a selector of the server pod.
 */
export function connectServerService(connect: SparkConnect): ConnectService {
  const { name, namespace } = connect.metadata;
  const given: Record<string, any> = isRecord(connect.spec.server?.service) ? cloneJson(connect.spec.server.service) : {};
  const metadata = isRecord(given.metadata) ? given.metadata : {};
  const spec = isRecord(given.spec) ? given.spec : {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: connectServiceName(connect),
      namespace: namespace!,
      labels: { ...stringMapOf(metadata.labels), ...connectCommonLabels(name!) },
      ...isRecord(metadata.annotations) ? { annotations: stringMapOf(metadata.annotations) } : {},
      ownerReferences: [connectOwnerReference(connect)],
    },
    spec: {
      ...spec,
      ports: CONNECT_SERVICE_PORTS.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP', appProtocol: p.appProtocol })),
      selector: { ...stringMapOf(spec.selector), ...connectServerSelector(name!, connect.spec.sparkVersion) },
    },
  };
}
