/**
 * `SparkOperator`'s props checked and converted, in one place: every synth-time error about them is
 * thrown here, with the prop's name and value, before any object is rendered. The construct then
 * only renders (`spark-operator.ts`).
 */
import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, ImagePullPolicy } from 'cdk8s-plus-28';
import {
  ControllerOptions, DEFAULT_DRIVER_PENDING_TIMEOUT_SECONDS, DEFAULT_DRIVER_POD_CREATION_GRACE_PERIOD_SECONDS, DEFAULT_HEALTH_PROBE_PORT,
  DEFAULT_MAX_TRACKED_EXECUTORS, DEFAULT_METRICS_ENDPOINT, DEFAULT_METRICS_LABELS, DEFAULT_METRICS_PORT, DEFAULT_START_LATENCY_BUCKETS,
  DEFAULT_SUBMIT_LATENCY_BUCKETS, DEFAULT_WEBHOOK_PORT, DEFAULT_WORKERS, DNS_1035_LABEL, controllerFlagApplies, controllerFlagProblem,
  ingressUrlFormatProblem, latencyBucketsProblem, metricsLabelsProblem, metricsPrefixProblem, operatorServiceAccounts,
} from './core';
import { leaderElectionTiming } from './install/leader-election';
import { NetworkPolicySetup, networkPolicySetup } from './install/network-policies';
import { PodCommon } from './install/workloads';
import { OperatorImage } from './operator-image';
import type { SparkOperatorProps } from './spark-operator';
import { LogLevel, WebhookFailurePolicy } from './spark-operator-options';
import { requireInteger, requireNamespaceName, requirePort, wholeMilliseconds, wholeSeconds } from './util/validation';
import { WebhookTls } from './webhook-tls';

/** The longest `name`: the longest object name derived from it must stay within 63 characters. */
const MAX_NAME_LENGTH = 40;

/**
 * Local disk of each operator container: its logs (the kubelet keeps up to 5 x 10Mi by default) and
 * the 64Mi `/tmp`; the root filesystem is read-only. The limit keeps a runaway process from filling
 * the node's disk and getting other pods evicted.
 */
const OPERATOR_EPHEMERAL_STORAGE = { request: Size.mebibytes(128), limit: Size.mebibytes(256) };

/** What both components' arguments share. */
export interface CommonSettings {
  readonly metricsPort: number;
  readonly metricsEndpoint: string;
  readonly healthProbePort: number;
  readonly logLevel: LogLevel;
  readonly protectedServiceAccounts: string[];
}

/** Everything the construct renders from, checked. */
export interface OperatorSettings {
  readonly common: CommonSettings;
  readonly pod: PodCommon;
  readonly networkPolicies?: NetworkPolicySetup;
  readonly controller: {
    readonly replicas: number;
    readonly resources: ContainerResources;
    /** The controller flags that come from props (the namespaces and the Lease are added by the construct). */
    readonly flags: Omit<ControllerOptions, keyof CommonSettings | 'allNamespaces' | 'namespaces' | 'leaderElectionLockName' | 'leaderElectionLockNamespace'>;
  };
  readonly webhook: {
    readonly replicas: number;
    readonly resources: ContainerResources;
    readonly port: number;
    readonly tls: WebhookTls;
    readonly authorizePodCreation: boolean;
    readonly timeoutSeconds: number;
    readonly mutatingFailurePolicy: WebhookFailurePolicy;
    readonly validatingFailurePolicy: WebhookFailurePolicy;
  };
}

/** `props` checked (each problem thrown with the prop's name and value) and converted into settings. */
export function operatorSettings(props: SparkOperatorProps, name: string, namespace: string, image: OperatorImage,
  webhookEnabled: boolean): OperatorSettings {
  if (!DNS_1035_LABEL.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new Error(`'name' must be at most ${MAX_NAME_LENGTH} characters of lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (got ${JSON.stringify(name)})`);
  }
  requireNamespaceName('namespace', namespace);
  if (!webhookEnabled && props.webhookOptions !== undefined) {
    throw new Error("'webhookOptions' cannot be set when 'webhook' is false: remove one of them");
  }
  if (!(props.driverRbac ?? true) && props.driverServiceAccountName !== undefined) {
    throw new Error("'driverServiceAccountName' cannot be set when 'driverRbac' is false: remove one of them");
  }
  const controllerOptions = props.controller ?? {};
  const webhookOptions = props.webhookOptions ?? {};
  const controllerReplicas = requireInteger('controller.replicas', controllerOptions.replicas ?? 1, 1);
  const workers = checkedFlag('controller.workers', 'workers', controllerOptions.workers ?? DEFAULT_WORKERS);
  const kubeApiQps = checkedFlag('controller.kubeApiQps', 'kubeApiQps', controllerOptions.kubeApiQps ?? 0);
  if (controllerOptions.kubeApiBurst !== undefined && !controllerFlagApplies('kubeApiBurst', { kubeApiQps })) {
    throw new Error(`'controller.kubeApiBurst' needs a 'controller.kubeApiQps' above 0 (got ${controllerOptions.kubeApiBurst} with no limit)`);
  }
  const kubeApiBurst = controllerOptions.kubeApiBurst === undefined ? undefined : checkedFlag('controller.kubeApiBurst', 'kubeApiBurst', controllerOptions.kubeApiBurst);
  const webhookReplicas = requireInteger('webhookOptions.replicas', webhookOptions.replicas ?? 1, 1);
  const metricsPort = requirePort('metricsPort', props.metricsPort ?? DEFAULT_METRICS_PORT);
  const healthProbePort = requirePort('healthProbePort', props.healthProbePort ?? DEFAULT_HEALTH_PROBE_PORT);
  const webhookPort = requirePort('webhookOptions.port', webhookOptions.port ?? DEFAULT_WEBHOOK_PORT);
  if (metricsPort === healthProbePort) {
    throw new Error(`'metricsPort' and 'healthProbePort' must differ (both are ${metricsPort})`);
  }
  if (webhookEnabled && (webhookPort === metricsPort || webhookPort === healthProbePort)) {
    throw new Error(`'webhookOptions.port' must differ from 'metricsPort' and 'healthProbePort' (got ${webhookPort})`);
  }
  const metricsEndpoint = props.metricsEndpoint ?? DEFAULT_METRICS_ENDPOINT;
  if (!/^\/[A-Za-z0-9._~\/-]*$/.test(metricsEndpoint)) {
    throw new Error(`'metricsEndpoint' must be an absolute URL path such as '/metrics' (got ${JSON.stringify(metricsEndpoint)})`);
  }
  const timeoutSeconds = (webhookOptions.timeout ?? Duration.seconds(10)).toSeconds();
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30) {
    throw new Error(`'webhookOptions.timeout' must be a whole number of seconds between 1 and 30 (got ${timeoutSeconds}s)`);
  }
  if (props.networkPolicies === false && props.networkPolicyOptions !== undefined) {
    throw new Error("'networkPolicyOptions' cannot be set when 'networkPolicies' is false: remove one of them");
  }
  const networkPolicies = props.networkPolicies === false
    ? undefined : networkPolicySetup(props.networkPolicyOptions ?? {}, metricsPort, healthProbePort);
  const authorizePodCreation = webhookOptions.authorizePodCreation ?? true;
  return {
    common: {
      metricsPort,
      metricsEndpoint,
      healthProbePort,
      logLevel: props.logLevel ?? LogLevel.INFO,
      protectedServiceAccounts: operatorServiceAccounts(name, namespace),
    },
    pod: {
      image,
      imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      imagePullSecrets: (props.imagePullSecrets ?? []).map((secret) => ({ name: secret.name })),
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations?.map((t) => t._toKube()),
      affinity: props.affinity,
      priorityClassName: props.priorityClassName,
      metricsPort,
      healthProbePort,
    },
    networkPolicies,
    controller: {
      replicas: controllerReplicas,
      resources: controllerOptions.resources ?? {
        cpu: { request: Cpu.millis(100), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        ephemeralStorage: OPERATOR_EPHEMERAL_STORAGE,
      },
      flags: {
        workers,
        kubeApiQps,
        kubeApiBurst,
        ingressUrlFormat: controllerOptions.uiIngressUrlFormat === undefined
          ? undefined : checkIngressUrlFormat(controllerOptions.uiIngressUrlFormat),
        defaultTimeToLiveSeconds: controllerOptions.defaultTimeToLive === undefined
          ? undefined : wholeSeconds('controller.defaultTimeToLive', controllerOptions.defaultTimeToLive, 1),
        driverPodCreationGracePeriodSeconds: wholeSeconds('controller.driverPodCreationGracePeriod',
          controllerOptions.driverPodCreationGracePeriod ?? Duration.seconds(DEFAULT_DRIVER_POD_CREATION_GRACE_PERIOD_SECONDS), 1),
        driverPendingTimeoutSeconds: wholeSeconds('controller.driverPendingTimeout',
          controllerOptions.driverPendingTimeout ?? Duration.seconds(DEFAULT_DRIVER_PENDING_TIMEOUT_SECONDS), 0),
        maxTrackedExecutors: checkedFlag('controller.maxTrackedExecutors', 'maxTrackedExecutors', controllerOptions.maxTrackedExecutors ?? DEFAULT_MAX_TRACKED_EXECUTORS),
        metricsLabels: withoutProblem('controller.metricsLabels', [...controllerOptions.metricsLabels ?? DEFAULT_METRICS_LABELS], metricsLabelsProblem),
        metricsPrefix: controllerOptions.metricsPrefix === undefined
          ? undefined : withoutProblem('controller.metricsPrefix', controllerOptions.metricsPrefix, metricsPrefixProblem),
        submitLatencyBuckets: bucketSeconds('controller.metricsSubmitLatencyBuckets', controllerOptions.metricsSubmitLatencyBuckets, DEFAULT_SUBMIT_LATENCY_BUCKETS),
        startLatencyBuckets: bucketSeconds('controller.metricsStartLatencyBuckets', controllerOptions.metricsStartLatencyBuckets, DEFAULT_START_LATENCY_BUCKETS),
        ...leaderElectionTiming(controllerOptions.leaderElection),
        ...batchSchedulerFlags(props),
      },
    },
    webhook: {
      replicas: webhookReplicas,
      resources: webhookOptions.resources ?? {
        cpu: { request: Cpu.millis(50), limit: Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        ephemeralStorage: OPERATOR_EPHEMERAL_STORAGE,
      },
      port: webhookPort,
      tls: webhookOptions.tls ?? WebhookTls.selfManaged(),
      authorizePodCreation,
      timeoutSeconds,
      mutatingFailurePolicy: webhookOptions.failurePolicy ?? WebhookFailurePolicy.IGNORE,
      // Only the webhook knows who asks: with the pod-creation check, it fails closed.
      validatingFailurePolicy: webhookOptions.failurePolicy ?? (authorizePodCreation ? WebhookFailurePolicy.FAIL : WebhookFailurePolicy.IGNORE),
    },
  };
}

/** `batchSchedulers` and `defaultBatchScheduler` as the controller's flags, checked. */
function batchSchedulerFlags(props: SparkOperatorProps): Pick<ControllerOptions, 'enableBatchScheduler' | 'kubeSchedulerNames' | 'defaultBatchScheduler'> {
  const schedulers = props.batchSchedulers ?? [];
  const names = schedulers.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`'batchSchedulers' lists ${JSON.stringify(twice)} twice`);
  const fallback = props.defaultBatchScheduler;
  if (fallback !== undefined && !names.includes(fallback.name)) {
    throw new Error(`'defaultBatchScheduler' must be one of 'batchSchedulers' (got ${JSON.stringify(fallback.name)}; batchSchedulers: ${JSON.stringify(names)})`);
  }
  if (schedulers.length === 0) return {};
  const kubeSchedulerNames = schedulers.filter((s) => s.isKubeScheduler).map((s) => s.name);
  return {
    enableBatchScheduler: true,
    ...kubeSchedulerNames.length > 0 ? { kubeSchedulerNames } : {},
    ...fallback ? { defaultBatchScheduler: fallback.name } : {},
  };
}

/** `value` of `prop`, which becomes the controller's flag of `key`: throws `'<prop>' <problem>` when the flag's range refuses it. */
function checkedFlag<K extends keyof ControllerOptions>(prop: string, key: K, value: NonNullable<ControllerOptions[K]>): typeof value {
  return withoutProblem(prop, value, (v) => controllerFlagProblem(key, v));
}

/** Throws `'<prop>' <problem>` when there is a problem; returns `value`. */
function withoutProblem<T>(prop: string, value: T, problem: (value: T) => string | undefined): T {
  const found = problem(value);
  if (found) throw new Error(`'${prop}' ${found}`);
  return value;
}

/** Histogram bucket bounds in seconds, from whole-millisecond durations. */
function bucketSeconds(prop: string, buckets: Duration[] | undefined, defaults: readonly number[]): readonly number[] {
  if (buckets === undefined) return defaults;
  const seconds = buckets.map((b, i) => wholeMilliseconds(`${prop}[${i}]`, b, 1) / 1000);
  return withoutProblem(prop, seconds, latencyBucketsProblem);
}

/** Checks `controller.uiIngressUrlFormat` (the rule of `--ingress-url-format`) and returns it. */
function checkIngressUrlFormat(format: string): string {
  const problem = ingressUrlFormatProblem(format);
  if (problem) throw new Error(`'controller.uiIngressUrlFormat' ${problem}`);
  return format;
}
