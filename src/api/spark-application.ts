/**
 * The `sparkoperator.k8s.io/v1beta2` SparkApplication as it lives in the cluster: field for field the
 * upstream (Kubeflow) API, with its JSON names. The CRD schema (`src/crds`), the constructs (which
 * render it) and the runtime (which reads it) all agree with these types; tests hold them together.
 */
import {
  Affinity, Container, EnvFromSource, EnvVar, HostAlias, IngressTLS, Lifecycle, ObjectMeta,
  PodDNSConfig, PodSecurityContext, PodTemplateSpec, Quantity, SecurityContext, Toleration,
  Volume, VolumeMount,
} from './core';

/** Every `spec.type`: the language an application is written in. */
export const SPARK_APPLICATION_TYPES = ['Java', 'Python', 'Scala', 'R'] as const;
/** The language an application is written in; decides defaults such as the memory overhead factor. */
export type SparkApplicationType = typeof SPARK_APPLICATION_TYPES[number];

/** Every `spec.mode`. */
export const DEPLOY_MODES = ['cluster', 'client'] as const;
/** Where the driver runs: in its own pod (`cluster`) or in the submitting process (`client`). */
export type DeployMode = typeof DEPLOY_MODES[number];

/** Every `spec.restartPolicy.type`. */
export const RESTART_POLICY_TYPES = ['Never', 'Always', 'OnFailure'] as const;
/** When the operator runs an application again. */
export type RestartPolicyType = typeof RESTART_POLICY_TYPES[number];

/** Every `secrets[].secretType`. */
export const SECRET_TYPES = ['GCPServiceAccount', 'HadoopDelegationToken', 'Generic'] as const;
/** How the operator treats a mounted secret. */
export type SecretType = typeof SECRET_TYPES[number];

/** Every `spec.pythonVersion`. */
export const PYTHON_VERSIONS = ['2', '3'] as const;
/** The major Python version of a PySpark application. */
export type PythonVersion = typeof PYTHON_VERSIONS[number];

/** core/v1 ServiceType. */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** The application's overall state (`status.applicationState.state`); `''` is "new". */
export type ApplicationStateType =
  | ''
  | 'SUBMITTED'
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'SUBMISSION_FAILED'
  | 'PENDING_RERUN'
  | 'INVALIDATING'
  | 'SUCCEEDING'
  | 'FAILING'
  | 'SUSPENDING'
  | 'SUSPENDED'
  | 'RESUMING'
  | 'UNKNOWN';

/** Every state of a driver or executor pod, as recorded in the status. */
export const POD_STATES = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'UNKNOWN'] as const;
/** The state of one driver or executor pod, as recorded in the status. */
export type PodState = typeof POD_STATES[number];

/** Every application state, in the upstream order. */
export const APPLICATION_STATES: readonly ApplicationStateType[] = [
  '', 'SUBMITTED', 'RUNNING', 'COMPLETED', 'FAILED', 'SUBMISSION_FAILED', 'PENDING_RERUN',
  'INVALIDATING', 'SUCCEEDING', 'FAILING', 'SUSPENDING', 'SUSPENDED', 'RESUMING', 'UNKNOWN',
];

/** The full SparkApplication object. */
export interface SparkApplication {
  apiVersion: 'sparkoperator.k8s.io/v1beta2';
  kind: 'SparkApplication';
  metadata: ObjectMeta;
  spec: SparkApplicationSpec;
  status?: SparkApplicationStatus;
}

/** `spec`: everything `spark-submit` would be told, plus what the operator adds around it. */
export interface SparkApplicationSpec {
  type: SparkApplicationType;
  sparkVersion: string;
  mode?: DeployMode;
  proxyUser?: string;
  image?: string;
  imagePullPolicy?: string;
  imagePullSecrets?: string[];
  mainClass?: string;
  mainApplicationFile?: string;
  arguments?: string[];
  sparkConf?: Record<string, string>;
  hadoopConf?: Record<string, string>;
  sparkConfigMap?: string;
  hadoopConfigMap?: string;
  volumes?: Volume[];
  driver: DriverSpec;
  executor: ExecutorSpec;
  deps?: Dependencies;
  restartPolicy?: RestartPolicy;
  nodeSelector?: Record<string, string>;
  /** Unused by upstream code; kept for compatibility. */
  failureRetries?: number;
  /** Unused by upstream code; kept for compatibility. */
  retryInterval?: number;
  pythonVersion?: PythonVersion;
  memoryOverheadFactor?: string;
  monitoring?: MonitoringSpec;
  batchScheduler?: string;
  timeToLiveSeconds?: number;
  batchSchedulerOptions?: BatchSchedulerConfiguration;
  sparkUIOptions?: SparkUIConfiguration;
  driverIngressOptions?: DriverIngressConfiguration[];
  dynamicAllocation?: DynamicAllocation;
  suspend?: boolean;
  driverPodDisruptionBudget?: boolean;
}

/** What driver and executor pods have in common. */
export interface SparkPodSpec {
  template?: PodTemplateSpec;
  cores?: number;
  coreLimit?: string;
  memory?: string;
  memoryLimit?: string;
  memoryOverhead?: string;
  gpu?: GPUSpec;
  image?: string;
  configMaps?: NamePath[];
  secrets?: SecretInfo[];
  env?: EnvVar[];
  /** Deprecated upstream in favour of `env`. */
  envVars?: Record<string, string>;
  envFrom?: EnvFromSource[];
  /** Deprecated upstream in favour of `env`. */
  envSecretKeyRefs?: Record<string, NameKey>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  volumeMounts?: VolumeMount[];
  affinity?: Affinity;
  tolerations?: Toleration[];
  podSecurityContext?: PodSecurityContext;
  securityContext?: SecurityContext;
  schedulerName?: string;
  sidecars?: Container[];
  initContainers?: Container[];
  hostNetwork?: boolean;
  nodeSelector?: Record<string, string>;
  dnsConfig?: PodDNSConfig;
  terminationGracePeriodSeconds?: number;
  serviceAccount?: string;
  hostAliases?: HostAlias[];
  shareProcessNamespace?: boolean;
  runtimeClassName?: string;
}

/** `spec.driver`. */
export interface DriverSpec extends SparkPodSpec {
  podName?: string;
  coreRequest?: string;
  javaOptions?: string;
  lifecycle?: Lifecycle;
  kubernetesMaster?: string;
  serviceAnnotations?: Record<string, string>;
  serviceLabels?: Record<string, string>;
  ports?: Port[];
  priorityClassName?: string;
}

/** `spec.executor`. */
export interface ExecutorSpec extends SparkPodSpec {
  instances?: number;
  coreRequest?: string;
  javaOptions?: string;
  lifecycle?: Lifecycle;
  deleteOnTermination?: boolean;
  ports?: Port[];
  priorityClassName?: string;
}

/** `spec.deps`: what `spark-submit` fetches or puts on the class path. */
export interface Dependencies {
  jars?: string[];
  files?: string[];
  pyFiles?: string[];
  packages?: string[];
  excludePackages?: string[];
  repositories?: string[];
  archives?: string[];
}

/** `spec.restartPolicy`. Intervals are in seconds. */
export interface RestartPolicy {
  type?: RestartPolicyType;
  onSubmissionFailureRetries?: number;
  onFailureRetries?: number;
  onSubmissionFailureRetryInterval?: number;
  onFailureRetryInterval?: number;
}

/** A ConfigMap mounted into a pod at `path`. */
export interface NamePath {
  name: string;
  path: string;
}

/** A Secret mounted into a pod at `path`. */
export interface SecretInfo {
  name: string;
  path: string;
  secretType: SecretType;
}

/** A key of a Secret. */
export interface NameKey {
  name: string;
  key: string;
}

/** An extra container port on the driver or executors. */
export interface Port {
  name: string;
  protocol: string;
  containerPort: number;
}

/** A GPU request: resource name (`nvidia.com/gpu`) and count. */
export interface GPUSpec {
  name: string;
  quantity: number;
}

/** `spec.monitoring`: the Prometheus JMX exporter and Spark's metrics system. */
export interface MonitoringSpec {
  exposeDriverMetrics: boolean;
  exposeExecutorMetrics: boolean;
  metricsProperties?: string;
  metricsPropertiesFile?: string;
  prometheus?: PrometheusSpec;
}

/** `spec.monitoring.prometheus`. */
export interface PrometheusSpec {
  jmxExporterJar: string;
  port?: number;
  portName?: string;
  configFile?: string;
  configuration?: string;
}

/** `spec.batchSchedulerOptions` (Volcano, YuniKorn). */
export interface BatchSchedulerConfiguration {
  queue?: string;
  priorityClassName?: string;
  resources?: Record<string, Quantity>;
}

/** `spec.sparkUIOptions`: the Service (and Ingress) in front of the Spark UI. */
export interface SparkUIConfiguration {
  servicePort?: number;
  servicePortName?: string;
  serviceType?: ServiceType;
  serviceAnnotations?: Record<string, string>;
  serviceLabels?: Record<string, string>;
  ingressAnnotations?: Record<string, string>;
  ingressTLS?: IngressTLS[];
}

/** One entry of `spec.driverIngressOptions`: another driver port exposed by Service and Ingress. */
export interface DriverIngressConfiguration {
  servicePort: number;
  servicePortName: string;
  serviceType?: ServiceType;
  serviceAnnotations?: Record<string, string>;
  serviceLabels?: Record<string, string>;
  ingressURLFormat?: string;
  ingressAnnotations?: Record<string, string>;
  ingressTLS?: IngressTLS[];
}

/** `spec.dynamicAllocation` (Spark >= 3.0 with shuffle tracking). */
export interface DynamicAllocation {
  enabled?: boolean;
  initialExecutors?: number;
  minExecutors?: number;
  maxExecutors?: number;
  shuffleTrackingEnabled?: boolean;
  /** Milliseconds. */
  shuffleTrackingTimeout?: number;
}

/** `status`, written only by the operator. */
export interface SparkApplicationStatus {
  sparkApplicationId?: string;
  submissionID?: string;
  lastSubmissionAttemptTime?: string | null;
  terminationTime?: string | null;
  driverInfo: DriverInfo;
  applicationState?: ApplicationState;
  executorState?: Record<string, PodState>;
  executionAttempts?: number;
  submissionAttempts?: number;
}

/** `status.driverInfo`. */
export interface DriverInfo {
  webUIServiceName?: string;
  webUIAddress?: string;
  webUIPort?: number;
  webUIIngressName?: string;
  webUIIngressAddress?: string;
  podName?: string;
}

/** `status.applicationState`. */
export interface ApplicationState {
  state: ApplicationStateType;
  errorMessage?: string;
}
