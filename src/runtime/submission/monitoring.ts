/**
 * `spec.monitoring` with `prometheus`: upstream's pre-submission step, then its pod webhook.
 *
 * Before submitting, upstream sets `spark.metrics.namespace=<namespace>.<app>` and
 * `spark.metrics.conf`, appends the JMX exporter `-javaagent` to the Java options of each role
 * that exposes metrics, adds the `prometheus.io/*` annotations to those pods, and writes
 * `metrics.properties` and `prometheus.yaml` into a ConfigMap; the webhook then mounts it at
 * `/etc/metrics/conf` and adds the exporter's container port. Here the two files live in the
 * driver ConfigMap, and the mount and the port are written straight into the pods.
 */
import { WEBHOOK_MOUNTS } from './constants';
import { ContainerPort } from './kube-objects';
import { SparkApplication } from '../../api';
import { DEFAULT_PROMETHEUS_PORT, DEFAULT_PROMETHEUS_PORT_NAME, podVolumeName } from '../../core';

/** The ConfigMap key of Spark's metrics configuration. */
export const METRICS_PROPERTIES_KEY = 'metrics.properties';
/** The ConfigMap key of the JMX exporter's configuration. */
export const PROMETHEUS_CONFIG_KEY = 'prometheus.yaml';

/** `metrics.properties` when `monitoring.metricsProperties` is unset: Spark's metrics over JMX, with JVM sources. */
export const DEFAULT_METRICS_PROPERTIES = [
  '# Spark metrics over JMX, where the Prometheus JMX exporter agent reads them.',
  '*.sink.jmx.class=org.apache.spark.metrics.sink.JmxSink',
  'driver.source.jvm.class=org.apache.spark.metrics.source.JvmSource',
  'executor.source.jvm.class=org.apache.spark.metrics.source.JvmSource',
  '',
].join('\n');

const METRIC_NAME = String.raw`metrics<(?:type=\w+, )?name=([^.]+)\.([^.]+)\.`;
const METRIC_TAIL = String.raw`([^,>]+)(?:, type=\w+)?><>`;

/**
 * `prometheus.yaml` when `monitoring.prometheus.configuration` is unset: rules for the names
 * Spark's JmxSink gives (`<spark.metrics.namespace>.<driver | executor id>.<source>.<metric>`,
 * the namespace being `<namespace>.<app>`), as `spark_driver_*` and `spark_executor_*` metrics
 * labelled with the application's namespace and name.
 */
export const DEFAULT_PROMETHEUS_CONFIG = [
  '# Prometheus JMX exporter rules for the metrics of Spark\'s JmxSink.',
  'lowercaseOutputName: true',
  'lowercaseOutputLabelNames: true',
  'rules:',
  ...[
    ['driver\\.', 'spark_driver_$3', '', 'Value', 'GAUGE'],
    ['driver\\.', 'spark_driver_$3_count', '', 'Count', 'COUNTER'],
    ['(\\d+)\\.', 'spark_executor_$4', '\n      executor_id: "$3"', 'Value', 'GAUGE'],
    ['(\\d+)\\.', 'spark_executor_$4_count', '\n      executor_id: "$3"', 'Count', 'COUNTER'],
  ].map(([role, name, extraLabel, attribute, type]) => [
    `  - pattern: '${METRIC_NAME}${role}${METRIC_TAIL}${attribute}'`,
    `    name: ${name}`,
    `    type: ${type}`,
    '    labels:',
    '      app_namespace: "$1"',
    `      app_name: "$2"${extraLabel}`,
  ].join('\n')),
  '',
].join('\n');

/** What monitoring adds to a submission. */
export interface MonitoringPlan {
  /** Spark configuration to add (`spark.metrics.*`). */
  readonly conf: Readonly<Record<string, string>>;
  /** The `-javaagent` option to append to the Java options of the roles in {@link roles}. */
  readonly javaAgent: string;
  /** Which roles expose metrics (annotations, agent, mount, port). */
  readonly roles: { readonly driver: boolean; readonly executor: boolean };
  /** The `prometheus.io/*` annotations of the pods of those roles. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The files for the driver ConfigMap (none when both files are in the image). */
  readonly configMapData: Readonly<Record<string, string>>;
  /** The pod volume that mounts {@link configMapData}, when there is any. */
  readonly volumeName?: string;
  /** The exporter's container port. */
  readonly port: ContainerPort;
}

/** What `spec.monitoring` adds, or undefined when Prometheus monitoring is off (no `monitoring.prometheus`). */
export function planMonitoring(app: SparkApplication): MonitoringPlan | undefined {
  const monitoring = app.spec.monitoring;
  const prometheus = monitoring?.prometheus;
  if (!monitoring || !prometheus) return undefined;
  const port = prometheus.port ?? DEFAULT_PROMETHEUS_PORT;
  const mountPath = WEBHOOK_MOUNTS.prometheus.mountPath;
  const configFile = prometheus.configFile || undefined;
  const metricsFile = monitoring.metricsPropertiesFile || undefined;
  const configMapData: Record<string, string> = {
    ...metricsFile ? {} : { [METRICS_PROPERTIES_KEY]: monitoring.metricsProperties ?? DEFAULT_METRICS_PROPERTIES },
    ...configFile ? {} : { [PROMETHEUS_CONFIG_KEY]: prometheus.configuration ?? DEFAULT_PROMETHEUS_CONFIG },
  };
  return {
    conf: {
      'spark.metrics.namespace': `${app.metadata.namespace ?? 'default'}.${app.metadata.name}`,
      'spark.metrics.conf': metricsFile ?? `${mountPath}/${METRICS_PROPERTIES_KEY}`,
    },
    javaAgent: `-javaagent:${prometheus.jmxExporterJar}=${port}:${configFile ?? `${mountPath}/${PROMETHEUS_CONFIG_KEY}`}`,
    roles: { driver: monitoring.exposeDriverMetrics === true, executor: monitoring.exposeExecutorMetrics === true },
    annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': `${port}`, 'prometheus.io/path': '/metrics' },
    configMapData,
    volumeName: Object.keys(configMapData).length > 0 ? podVolumeName(`${app.metadata.name}-prom-conf`, '-vol') : undefined,
    port: { name: prometheus.portName ?? DEFAULT_PROMETHEUS_PORT_NAME, containerPort: port, protocol: 'TCP' },
  };
}
