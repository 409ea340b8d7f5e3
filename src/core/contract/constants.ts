/**
 * The fixed facts of the runtime contract between the `SparkOperator` construct, which renders the
 * Deployments, and the runtime image, which runs in them.
 */
import { API_GROUP, API_VERSION, CONNECT_API_VERSION, SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES, SPARK_CONNECT_NAMES } from '../../api';

/** The sub-commands of the image's entrypoint. */
export const SUB_COMMANDS = ['controller', 'webhook'] as const;
/** One sub-command. */
export type SubCommand = typeof SUB_COMMANDS[number];

/** The numeric user and group the image runs as (non-root, no name needed). */
export const RUNTIME_USER_ID = 65532;
/** The only writable directory of the runtime's read-only root filesystem (an `emptyDir`). */
export const RUNTIME_WRITABLE_DIR = '/tmp';
/** Where the webhook reads `tls.crt` and `tls.key` with `--tls-mode=files` (cert-manager's Secret). */
export const WEBHOOK_CERT_DIR = '/etc/cdk8s-spark/webhook-certs';
/** The port of the webhook's Service (the API server calls it there; it forwards to `--port`). */
export const WEBHOOK_SERVICE_PORT = 443;

/** Default of `--metrics-port`. */
export const DEFAULT_METRICS_PORT = 8080;
/** Default of `--metrics-endpoint`. */
export const DEFAULT_METRICS_ENDPOINT = '/metrics';
/** Default of `--health-probe-port`. */
export const DEFAULT_HEALTH_PROBE_PORT = 8081;
/** Default of `--port` of the webhook. */
export const DEFAULT_WEBHOOK_PORT = 9443;
/** Default of `--workers`. */
export const DEFAULT_WORKERS = 10;

/** The highest `--kube-api-qps` and `--kube-api-burst` accepted (far above what one API server serves). */
export const MAX_KUBE_API_RATE = 100_000;
/** Default of `--driver-pod-creation-grace-period`, in seconds (upstream's). */
export const DEFAULT_DRIVER_POD_CREATION_GRACE_PERIOD_SECONDS = 10;
/** Default of `--driver-pending-timeout`, in seconds: a driver Pending this long has a reason to fail. */
export const DEFAULT_DRIVER_PENDING_TIMEOUT_SECONDS = 900;
/** Default of `--max-tracked-executors` (upstream's `maxTrackedExecutorPerApp`). */
export const DEFAULT_MAX_TRACKED_EXECUTORS = 1000;
/** Default of `--metrics-labels`: the labels of the Spark metrics (upstream's chart). */
export const DEFAULT_METRICS_LABELS: readonly string[] = ['app_type'];
/** Default of `--metrics-job-submit-latency-buckets`, in seconds (upstream's chart). */
export const DEFAULT_SUBMIT_LATENCY_BUCKETS: readonly number[] = [0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256];
/** Default of `--metrics-job-start-latency-buckets`, in seconds (upstream's chart). */
export const DEFAULT_START_LATENCY_BUCKETS: readonly number[] = [30, 60, 90, 120, 150, 180, 210, 240, 270, 300];
/** The name of an install when none is given (`SparkOperator`'s `name` prop), and its namespace. */
export const DEFAULT_OPERATOR_NAME = 'spark-operator';

/**
 * How long the kubelet waits after SIGTERM before it kills an operator pod (the Deployments'
 * `terminationGracePeriodSeconds`). The runtime finishes its work in flight within
 * `SHUTDOWN_DRAIN_SECONDS` of it, then releases the Lease and exits.
 */
export const TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** How long a stopping runtime waits for its work in flight before it abandons the rest (safe: every step is idempotent). */
export const SHUTDOWN_DRAIN_SECONDS = 20;

/** The file name of the runtime bundle, in `build/runtime/` of the repository and in the image. */
export const RUNTIME_BUNDLE_FILE = 'cdk8s-spark-operator.js';
/** Where the image keeps the runtime bundle; its entrypoint runs it with the image's Node.js. */
export const IMAGE_BUNDLE_PATH = `/app/${RUNTIME_BUNDLE_FILE}`;

/** The log levels of `--log-level`. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One log level. */
export type LogLevelName = typeof LOG_LEVELS[number];

/** The TLS modes of the webhook's `--tls-mode`. */
export const WEBHOOK_TLS_MODES = ['self-managed', 'files'] as const;
/** One TLS mode. */
export type WebhookTlsModeName = typeof WEBHOOK_TLS_MODES[number];

/** The Lease the controllers of install `name` elect their leader on: `<name>-controller-lock`. */
export function controllerLeaseName(operatorName: string): string {
  return `${operatorName}-controller-lock`;
}

/** The controller's ServiceAccount of install `name`: `<name>-controller`. */
export function controllerName(operatorName: string): string {
  return `${operatorName}-controller`;
}

/**
 * The operator's own ServiceAccounts of install `name` in `namespace`, written `namespace/name`:
 * what no SparkApplication may run its pods as (`--protected-service-accounts`).
 */
export function operatorServiceAccounts(operatorName: string, namespace: string): string[] {
  return [`${namespace}/${controllerName(operatorName)}`, `${namespace}/${webhookName(operatorName)}`];
}

/** The webhook's ServiceAccount, Service and webhook configurations of install `name`: `<name>-webhook`. */
export function webhookName(operatorName: string): string {
  return `${operatorName}-webhook`;
}

/** The Secret with the webhook's CA and serving certificate of install `name`: `<name>-webhook-certs`. */
export function webhookCertSecretName(operatorName: string): string {
  return `${operatorName}-webhook-certs`;
}

function webhookPath(verb: 'validate' | 'mutate', singular: string, version: string = API_VERSION): string {
  return `/${verb}-${API_GROUP.replace(/\./g, '-')}-${version}-${singular}`;
}

/** The admission paths the webhook serves (AdmissionReview v1), per kind. */
export const WEBHOOK_PATHS = {
  sparkApplication: {
    validate: webhookPath('validate', SPARK_APPLICATION_NAMES.singular),
    mutate: webhookPath('mutate', SPARK_APPLICATION_NAMES.singular),
  },
  scheduledSparkApplication: {
    validate: webhookPath('validate', SCHEDULED_SPARK_APPLICATION_NAMES.singular),
    mutate: webhookPath('mutate', SCHEDULED_SPARK_APPLICATION_NAMES.singular),
  },
  sparkConnect: {
    validate: webhookPath('validate', SPARK_CONNECT_NAMES.singular, CONNECT_API_VERSION),
    mutate: webhookPath('mutate', SPARK_CONNECT_NAMES.singular, CONNECT_API_VERSION),
  },
} as const;
