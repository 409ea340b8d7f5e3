/**
 * The defaults the upstream mutating webhook applies to a SparkApplication (`defaults.go`), written
 * once. The constructs write them into the YAML, the controller applies them to what it reads (never
 * writing them back to `spec`), the webhook patches them in, and `render` shows them.
 */
import { DriverSpec, ExecutorSpec, PrometheusSpec, RestartPolicy, ScheduledSparkApplicationSpec, SparkApplicationSpec } from '../api';
import { isObject } from './validation/checks';

/** `spec.type` when unset. */
export const DEFAULT_APPLICATION_TYPE = 'Scala' as const;
/** `spec.mode` when unset. */
export const DEFAULT_DEPLOY_MODE = 'cluster' as const;
/** `spec.restartPolicy.type` when unset. */
export const DEFAULT_RESTART_POLICY_TYPE = 'Never' as const;
/** Both retry intervals, in seconds, when the restart policy is not `Never` and leaves them unset. */
export const DEFAULT_RETRY_INTERVAL_SECONDS = 5;
/** `cores` of the driver and of each executor when neither the field nor `sparkConf` sets them. */
export const DEFAULT_CORES = 1;
/** `memory` of the driver and of each executor when neither the field nor `sparkConf` sets them. */
export const DEFAULT_MEMORY = '1g';
/** `executor.instances` when neither the field, `sparkConf` nor dynamic allocation sets them. */
export const DEFAULT_EXECUTOR_INSTANCES = 1;
/** `monitoring.prometheus.port` when unset: where the JMX exporter agent listens. */
export const DEFAULT_PROMETHEUS_PORT = 8090;
/** `monitoring.prometheus.portName` when unset. */
export const DEFAULT_PROMETHEUS_PORT_NAME = 'jmx-exporter';
/** `successfulRunHistoryLimit` and `failedRunHistoryLimit` of a ScheduledSparkApplication when unset. */
export const DEFAULT_RUN_HISTORY_LIMIT = 1;
/**
 * `concurrencyPolicy` of a ScheduledSparkApplication when unset: `Allow`, the default upstream
 * documents. (Upstream's controller long treated an unset policy as "never start a run once one
 * exists", so schedules silently stopped; the constructs always write a policy.)
 */
export const DEFAULT_CONCURRENCY_POLICY = 'Allow' as const;

/** The spec with every upstream default filled in; `spec` itself is not changed. */
export function applyDefaults(spec: SparkApplicationSpec): SparkApplicationSpec {
  // A field of the wrong type is left as it is, for validation to name it (a default in its
  // place would hide the mistake: `driver: 5` would become a default driver).
  const conf: Record<string, unknown> = isObject(spec.sparkConf) ? spec.sparkConf : {};
  const unsetOrObject = (value: unknown) => value === undefined || isObject(value);
  const dynamicAllocation = isObject(spec.dynamicAllocation) && spec.dynamicAllocation.enabled === true;
  return {
    ...spec,
    type: spec.type || DEFAULT_APPLICATION_TYPE,
    mode: spec.mode || DEFAULT_DEPLOY_MODE,
    ...unsetOrObject(spec.restartPolicy) ? { restartPolicy: defaultRestartPolicy(spec.restartPolicy) } : {},
    ...unsetOrObject(spec.driver) ? { driver: defaultPod<DriverSpec>(spec.driver, 'driver', conf) } : {},
    ...unsetOrObject(spec.executor) ? {
      executor: {
        ...defaultPod<ExecutorSpec>(spec.executor, 'executor', conf),
        ...spec.executor?.instances === undefined && conf['spark.executor.instances'] === undefined && !dynamicAllocation
          ? { instances: DEFAULT_EXECUTOR_INSTANCES } : {},
      },
    } : {},
    ...dynamicAllocation && spec.dynamicAllocation!.shuffleTrackingEnabled === undefined
      ? { dynamicAllocation: { ...spec.dynamicAllocation, shuffleTrackingEnabled: true } } : {},
    ...isObject(spec.monitoring) && isObject(spec.monitoring.prometheus)
      ? { monitoring: { ...spec.monitoring, prometheus: defaultPrometheus(spec.monitoring.prometheus) } } : {},
  };
}

function defaultRestartPolicy(policy: RestartPolicy | undefined): RestartPolicy {
  const type = policy?.type || DEFAULT_RESTART_POLICY_TYPE;
  if (type === 'Never') return { ...policy, type };
  return {
    ...policy,
    type,
    onSubmissionFailureRetryInterval: policy?.onSubmissionFailureRetryInterval ?? DEFAULT_RETRY_INTERVAL_SECONDS,
    onFailureRetryInterval: policy?.onFailureRetryInterval ?? DEFAULT_RETRY_INTERVAL_SECONDS,
  };
}

function defaultPod<T extends DriverSpec | ExecutorSpec>(pod: T | undefined, role: 'driver' | 'executor', conf: Record<string, unknown>): T {
  const given = (pod ?? {}) as T;
  return {
    ...given,
    ...given.cores === undefined && conf[`spark.${role}.cores`] === undefined ? { cores: DEFAULT_CORES } : {},
    ...given.memory === undefined && conf[`spark.${role}.memory`] === undefined ? { memory: DEFAULT_MEMORY } : {},
  };
}

function defaultPrometheus(prometheus: PrometheusSpec): PrometheusSpec {
  return {
    ...prometheus,
    port: prometheus.port ?? DEFAULT_PROMETHEUS_PORT,
    portName: prometheus.portName ?? DEFAULT_PROMETHEUS_PORT_NAME,
  };
}

/**
 * The ScheduledSparkApplication spec with its defaults filled in: the run history limits, the
 * concurrency policy, and {@link applyDefaults} on the template; `spec` itself is not changed.
 * (Upstream's webhook defaults nothing here; its controller reads the same values when unset.)
 */
export function applyScheduledDefaults(spec: ScheduledSparkApplicationSpec): ScheduledSparkApplicationSpec {
  return {
    ...spec,
    template: applyDefaults(spec.template ?? ({} as SparkApplicationSpec)),
    concurrencyPolicy: spec.concurrencyPolicy || DEFAULT_CONCURRENCY_POLICY,
    successfulRunHistoryLimit: spec.successfulRunHistoryLimit ?? DEFAULT_RUN_HISTORY_LIMIT,
    failedRunHistoryLimit: spec.failedRunHistoryLimit ?? DEFAULT_RUN_HISTORY_LIMIT,
  };
}
