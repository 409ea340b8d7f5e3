/**
 * The runtime's sub-commands and their flags, as typed options: `SparkOperator` renders them with
 * `controllerArgs()` / `webhookArgs()`, the runtime reads them with `parseArgs()`, and a test holds
 * the README's flag tables to these definitions.
 */
import {
  DEFAULT_HEALTH_PROBE_PORT, DEFAULT_METRICS_ENDPOINT, DEFAULT_METRICS_PORT, DEFAULT_OPERATOR_NAME, DEFAULT_WEBHOOK_PORT,
  DEFAULT_DRIVER_PENDING_TIMEOUT_SECONDS, DEFAULT_DRIVER_POD_CREATION_GRACE_PERIOD_SECONDS, DEFAULT_MAX_TRACKED_EXECUTORS,
  DEFAULT_METRICS_LABELS, DEFAULT_START_LATENCY_BUCKETS, DEFAULT_SUBMIT_LATENCY_BUCKETS, DEFAULT_WORKERS, MAX_KUBE_API_RATE,
  LOG_LEVELS, LogLevelName, SubCommand, WEBHOOK_CERT_DIR, WEBHOOK_TLS_MODES, WebhookTlsModeName,
  controllerLeaseName, operatorServiceAccounts, webhookCertSecretName, webhookName,
} from './constants';
import {
  BOOLEAN, Flag, PORT, SECONDS, SECONDS_OR_NEVER, flagsHelp, flagsToArgs, integerCodec, listCodec, numberListCodec, oneOfCodec, parseFlags,
  stringCodec, wholeListCodec,
} from './flags';
import { DEFAULT_LEASE_DURATION_SECONDS, DEFAULT_RENEW_DEADLINE_SECONDS, DEFAULT_RETRY_PERIOD_SECONDS, leaderElectionTimingProblem } from './leader-election';
import { latencyBucketsProblem, metricsLabelsProblem, metricsPrefixProblem } from './metrics';
import { RenderOptions, parseRenderArgs } from './render';
import { BatchSchedulingSettings, registeredBatchSchedulers, schedulerNameProblem } from '../batch-scheduler';
import { isDns1123Subdomain, namespaceNameProblem } from '../dns';
import { ingressUrlFormatProblem } from '../ingress-url';

/** The flags both sub-commands take. */
export interface CommonOptions {
  /** `--metrics-port`: Prometheus metrics over plain HTTP. */
  readonly metricsPort: number;
  /** `--metrics-endpoint`: the HTTP path of the metrics. */
  readonly metricsEndpoint: string;
  /** `--health-probe-port`: `/healthz` and `/readyz` over plain HTTP. */
  readonly healthProbePort: number;
  /** `--log-level`. */
  readonly logLevel: LogLevelName;
  /** `--protected-service-accounts`: the ServiceAccounts (`namespace/name`) no application may run its pods as. */
  readonly protectedServiceAccounts: readonly string[];
}

/** The options of `controller`. */
export interface ControllerOptions extends CommonOptions {
  /** `--namespaces`: the job namespaces (unused with `allNamespaces`). */
  readonly namespaces?: readonly string[];
  /** `--all-namespaces`: watch every namespace. */
  readonly allNamespaces?: boolean;
  /** `--workers`: keys reconciled at the same time. */
  readonly workers: number;
  /** `--kube-api-qps`: requests per second to the API server on average, at most (0: no client-side limit). */
  readonly kubeApiQps: number;
  /** `--kube-api-burst`: requests sent at once before `--kube-api-qps` holds them back (only with a limit). */
  readonly kubeApiBurst?: number;
  /** `--ingress-url-format`: an Ingress per Spark UI at this URL. */
  readonly ingressUrlFormat?: string;
  /** `--default-time-to-live`: seconds after which finished applications without `timeToLiveSeconds` are deleted. */
  readonly defaultTimeToLiveSeconds?: number;
  /** `--driver-pod-creation-grace-period`: seconds a submitted application may wait for its driver pod to appear. */
  readonly driverPodCreationGracePeriodSeconds: number;
  /** `--driver-pending-timeout`: seconds after which a driver stuck Pending fails with its reason (0: never). */
  readonly driverPendingTimeoutSeconds: number;
  /** `--max-tracked-executors`: the most entries of `status.executorState`. */
  readonly maxTrackedExecutors: number;
  /** `--enable-batch-scheduler`: act on `spec.batchScheduler` (PodGroups, YuniKorn task groups). */
  readonly enableBatchScheduler?: boolean;
  /** `--kube-scheduler-names`: kube-schedulers with the coscheduling plugin that applications may name. */
  readonly kubeSchedulerNames?: readonly string[];
  /** `--default-batch-scheduler`: the batch scheduler of applications that name none. */
  readonly defaultBatchScheduler?: string;
  /** `--metrics-labels`: the Kubernetes label keys (or `namespace`) that label the Spark metrics. */
  readonly metricsLabels: readonly string[];
  /** `--metrics-prefix`: put before the name of each Spark metric. */
  readonly metricsPrefix?: string;
  /** `--metrics-job-submit-latency-buckets`: upper bounds, in seconds, of the creation-to-submission histogram. */
  readonly submitLatencyBuckets: readonly number[];
  /** `--metrics-job-start-latency-buckets`: upper bounds, in seconds, of the creation-to-running histogram. */
  readonly startLatencyBuckets: readonly number[];
  /** `--leader-election-lock-name`: the Lease. */
  readonly leaderElectionLockName: string;
  /** `--leader-election-lock-namespace`: the Lease's namespace. */
  readonly leaderElectionLockNamespace: string;
  /** `--leader-election-lease-duration`: seconds a standby waits on a leader that stopped renewing. */
  readonly leaseDurationSeconds: number;
  /** `--leader-election-renew-deadline`: seconds the leader keeps acting without a renewal. */
  readonly renewDeadlineSeconds: number;
  /** `--leader-election-retry-period`: seconds between tries to take or renew the Lease. */
  readonly retryPeriodSeconds: number;
}

/** The options of `webhook`. */
export interface WebhookOptions extends CommonOptions {
  /** `--port`: the HTTPS port of the admission server. */
  readonly port: number;
  /** `--tls-mode`. */
  readonly tlsMode: WebhookTlsModeName;
  /** `--tls-secret-name` (self-managed TLS). */
  readonly tlsSecretName?: string;
  /** `--tls-secret-namespace` (self-managed TLS). */
  readonly tlsSecretNamespace?: string;
  /** `--service-name` (self-managed TLS). */
  readonly serviceName?: string;
  /** `--service-namespace` (self-managed TLS). */
  readonly serviceNamespace?: string;
  /** `--webhook-configuration-name` (self-managed TLS). */
  readonly webhookConfigurationName?: string;
  /** `--tls-cert-dir` (TLS from files). */
  readonly tlsCertDir?: string;
  /** `--authorize-pod-creation`: refuse applications from users who may not create pods in their namespace. */
  readonly authorizePodCreation: boolean;
}

function serviceAccountRefsProblem(refs: string[]): string | undefined {
  const bad = refs.find((ref) => {
    const [namespace, name, ...rest] = ref.split('/');
    return rest.length > 0 || name === undefined || namespaceNameProblem(namespace) !== undefined || !isDns1123Subdomain(name);
  });
  return bad === undefined ? undefined : `must be ServiceAccounts written <namespace>/<name> (got ${JSON.stringify(bad)})`;
}

const objectNameProblem = (name: string): string | undefined => (isDns1123Subdomain(name) ? undefined : `must be a valid object name (got ${JSON.stringify(name)})`);
const NAMESPACE = stringCodec('<ns>', namespaceNameProblem);
const OBJECT_NAME = (placeholder: string) => stringCodec(placeholder, objectNameProblem);

function commonFlags<O extends CommonOptions>(): Array<Flag<O>> {
  return [
    { name: 'metrics-port', key: 'metricsPort', codec: PORT, default: DEFAULT_METRICS_PORT, documentedDefault: `${DEFAULT_METRICS_PORT}`, description: 'Prometheus metrics over plain HTTP on this port' },
    {
      name: 'metrics-endpoint',
      key: 'metricsEndpoint',
      codec: stringCodec('<path>', (p) => (/^\/[A-Za-z0-9._~/-]*$/.test(p) ? undefined : `must be an absolute URL path such as '/metrics' (got ${JSON.stringify(p)})`)),
      default: DEFAULT_METRICS_ENDPOINT,
      documentedDefault: DEFAULT_METRICS_ENDPOINT,
      description: 'HTTP path of the metrics',
    },
    { name: 'health-probe-port', key: 'healthProbePort', codec: PORT, default: DEFAULT_HEALTH_PROBE_PORT, documentedDefault: `${DEFAULT_HEALTH_PROBE_PORT}`, description: 'GET /healthz (alive) and /readyz (ready) over plain HTTP on this port' },
    { name: 'log-level', key: 'logLevel', codec: oneOfCodec(LOG_LEVELS), default: 'info', documentedDefault: 'info', description: 'least severe level logged' },
    {
      name: 'protected-service-accounts',
      key: 'protectedServiceAccounts',
      codec: wholeListCodec('<ns/name,...>', serviceAccountRefsProblem),
      default: operatorServiceAccounts(DEFAULT_OPERATOR_NAME, DEFAULT_OPERATOR_NAME),
      documentedDefault: 'the operator\'s own: <ns>/<name>-controller,<ns>/<name>-webhook',
      description: 'ServiceAccounts no SparkApplication may run its driver or executors as; empty for none',
    },
  ];
}

const notAllNamespaces = (o: ControllerOptions) => !o.allNamespaces;
const batchScheduling = (o: ControllerOptions) => o.enableBatchScheduler === true;
const selfManaged = (o: WebhookOptions) => o.tlsMode === 'self-managed';
const fromFiles = (o: WebhookOptions) => o.tlsMode === 'files';

/** The flags of `controller`, in the order they are rendered. */
export const CONTROLLER_FLAGS: ReadonlyArray<Flag<ControllerOptions>> = [
  { name: 'all-namespaces', key: 'allNamespaces', documentedDefault: 'off', description: 'watch every namespace instead of --namespaces (the RBAC is a ClusterRole)' },
  { name: 'namespaces', key: 'namespaces', codec: listCodec('<ns1,ns2,...>', namespaceNameProblem), default: ['default'], documentedDefault: '--namespaces=default', description: 'the job namespaces to watch', when: notAllNamespaces, whenText: 'without --all-namespaces' },
  { name: 'workers', key: 'workers', codec: integerCodec(1, 1000, '<n>'), default: DEFAULT_WORKERS, documentedDefault: `${DEFAULT_WORKERS}`, description: 'how many keys are reconciled at the same time (never the same key twice)' },
  {
    name: 'kube-api-qps',
    key: 'kubeApiQps',
    codec: integerCodec(0, MAX_KUBE_API_RATE, '<n>'),
    default: 0,
    documentedDefault: '0: no client-side limit',
    description: 'requests per second to the API server on average, at most (0: none; the API server\'s priority and fairness limits the operator)',
  },
  {
    name: 'kube-api-burst',
    key: 'kubeApiBurst',
    codec: integerCodec(1, MAX_KUBE_API_RATE, '<n>'),
    documentedDefault: 'the --kube-api-qps value',
    description: 'requests sent at once before --kube-api-qps holds them back',
    when: (o) => o.kubeApiQps > 0,
    whenText: 'with --kube-api-qps above 0',
  },
  { name: 'ingress-url-format', key: 'ingressUrlFormat', codec: stringCodec('<format>', ingressUrlFormatProblem), documentedDefault: 'unset: no UI Ingress (the UI Service is still created)', description: 'a networking.k8s.io/v1 Ingress for each Spark UI at this URL' },
  { name: 'default-time-to-live', key: 'defaultTimeToLiveSeconds', codec: SECONDS, documentedDefault: 'unset: kept until deleted', description: 'delete finished applications that set no timeToLiveSeconds this long after they end' },
  { name: 'driver-pod-creation-grace-period', key: 'driverPodCreationGracePeriodSeconds', codec: SECONDS, default: DEFAULT_DRIVER_POD_CREATION_GRACE_PERIOD_SECONDS, documentedDefault: `${DEFAULT_DRIVER_POD_CREATION_GRACE_PERIOD_SECONDS}s`, description: 'how long a submitted application may have no driver pod before it fails' },
  { name: 'driver-pending-timeout', key: 'driverPendingTimeoutSeconds', codec: SECONDS_OR_NEVER, default: DEFAULT_DRIVER_PENDING_TIMEOUT_SECONDS, documentedDefault: `${DEFAULT_DRIVER_PENDING_TIMEOUT_SECONDS}s`, description: 'fail a driver stuck Pending this long with the pod\'s reason (0s: never)' },
  { name: 'max-tracked-executors', key: 'maxTrackedExecutors', codec: integerCodec(1, 1_000_000, '<n>'), default: DEFAULT_MAX_TRACKED_EXECUTORS, documentedDefault: `${DEFAULT_MAX_TRACKED_EXECUTORS}`, description: 'the most executors status.executorState lists' },
  { name: 'enable-batch-scheduler', key: 'enableBatchScheduler', documentedDefault: 'off', description: 'act on spec.batchScheduler: volcano and yunikorn, and the --kube-scheduler-names (otherwise an application that names one fails)' },
  {
    name: 'kube-scheduler-names',
    key: 'kubeSchedulerNames',
    codec: listCodec('<name1,name2,...>', schedulerNameProblem),
    documentedDefault: 'unset: none',
    description: 'kube-schedulers running the scheduler-plugins coscheduling plugin that spec.batchScheduler may name',
    when: batchScheduling,
    whenText: 'with --enable-batch-scheduler',
  },
  {
    name: 'default-batch-scheduler',
    key: 'defaultBatchScheduler',
    codec: stringCodec('<name>', schedulerNameProblem),
    documentedDefault: 'unset: none',
    description: 'the batch scheduler of applications that set no spec.batchScheduler',
    when: batchScheduling,
    whenText: 'with --enable-batch-scheduler',
  },
  {
    name: 'metrics-labels',
    key: 'metricsLabels',
    codec: wholeListCodec('<key1,key2,...>', metricsLabelsProblem),
    default: DEFAULT_METRICS_LABELS,
    documentedDefault: DEFAULT_METRICS_LABELS.join(','),
    description: 'the labels of the SparkApplications (namespace: their namespace) that label the Spark metrics; empty for none',
  },
  { name: 'metrics-prefix', key: 'metricsPrefix', codec: stringCodec('<prefix>', metricsPrefixProblem), documentedDefault: 'unset: no prefix', description: 'put before the name of each Spark metric' },
  {
    name: 'metrics-job-submit-latency-buckets',
    key: 'submitLatencyBuckets',
    codec: numberListCodec('<s1,s2,...>', latencyBucketsProblem),
    default: DEFAULT_SUBMIT_LATENCY_BUCKETS,
    documentedDefault: DEFAULT_SUBMIT_LATENCY_BUCKETS.join(','),
    description: 'upper bounds in seconds of the buckets of the creation-to-submission latency histogram',
  },
  {
    name: 'metrics-job-start-latency-buckets',
    key: 'startLatencyBuckets',
    codec: numberListCodec('<s1,s2,...>', latencyBucketsProblem),
    default: DEFAULT_START_LATENCY_BUCKETS,
    documentedDefault: DEFAULT_START_LATENCY_BUCKETS.join(','),
    description: 'upper bounds in seconds of the buckets of the creation-to-running latency histogram',
  },
  { name: 'leader-election-lock-name', key: 'leaderElectionLockName', codec: OBJECT_NAME('<lease>'), default: controllerLeaseName(DEFAULT_OPERATOR_NAME), documentedDefault: '<name>-controller-lock', description: 'the coordination.k8s.io/v1 Lease of leader election' },
  { name: 'leader-election-lock-namespace', key: 'leaderElectionLockNamespace', codec: NAMESPACE, default: DEFAULT_OPERATOR_NAME, documentedDefault: 'the operator namespace', description: 'the namespace of that Lease' },
  { name: 'leader-election-lease-duration', key: 'leaseDurationSeconds', codec: SECONDS, default: DEFAULT_LEASE_DURATION_SECONDS, documentedDefault: `${DEFAULT_LEASE_DURATION_SECONDS}s`, description: 'how long a standby waits on a leader that stopped renewing before it takes the Lease' },
  { name: 'leader-election-renew-deadline', key: 'renewDeadlineSeconds', codec: SECONDS, default: DEFAULT_RENEW_DEADLINE_SECONDS, documentedDefault: `${DEFAULT_RENEW_DEADLINE_SECONDS}s`, description: 'how long the leader keeps reconciling without renewing the Lease; then it stops and exits' },
  { name: 'leader-election-retry-period', key: 'retryPeriodSeconds', codec: SECONDS, default: DEFAULT_RETRY_PERIOD_SECONDS, documentedDefault: `${DEFAULT_RETRY_PERIOD_SECONDS}s`, description: 'how often the Lease is tried: renewed by the leader, watched by a standby' },
  ...commonFlags<ControllerOptions>(),
];

/** The flags of `webhook`, in the order they are rendered. */
export const WEBHOOK_FLAGS: ReadonlyArray<Flag<WebhookOptions>> = [
  { name: 'port', key: 'port', codec: PORT, default: DEFAULT_WEBHOOK_PORT, documentedDefault: `${DEFAULT_WEBHOOK_PORT}`, description: 'HTTPS port of the admission server' },
  { name: 'tls-mode', key: 'tlsMode', codec: oneOfCodec(WEBHOOK_TLS_MODES), default: 'self-managed', documentedDefault: 'self-managed', description: 'self-managed: the webhook keeps its own CA and certificate in a Secret; files: it reads them from --tls-cert-dir' },
  { name: 'tls-secret-name', key: 'tlsSecretName', codec: OBJECT_NAME('<secret>'), default: webhookCertSecretName(DEFAULT_OPERATOR_NAME), documentedDefault: '<name>-webhook-certs', description: 'the Secret holding the CA and the serving certificate', when: selfManaged, whenText: 'with --tls-mode=self-managed' },
  { name: 'tls-secret-namespace', key: 'tlsSecretNamespace', codec: NAMESPACE, default: DEFAULT_OPERATOR_NAME, documentedDefault: 'the operator namespace', description: 'the namespace of that Secret', when: selfManaged, whenText: 'with --tls-mode=self-managed' },
  { name: 'service-name', key: 'serviceName', codec: OBJECT_NAME('<svc>'), default: webhookName(DEFAULT_OPERATOR_NAME), documentedDefault: '<name>-webhook', description: 'the Service in front of the webhook, named in the certificate', when: selfManaged, whenText: 'with --tls-mode=self-managed' },
  { name: 'service-namespace', key: 'serviceNamespace', codec: NAMESPACE, default: DEFAULT_OPERATOR_NAME, documentedDefault: 'the operator namespace', description: 'the namespace of that Service', when: selfManaged, whenText: 'with --tls-mode=self-managed' },
  { name: 'webhook-configuration-name', key: 'webhookConfigurationName', codec: OBJECT_NAME('<name>'), default: webhookName(DEFAULT_OPERATOR_NAME), documentedDefault: '<name>-webhook', description: 'the webhook configurations whose caBundle the webhook keeps equal to its CA', when: selfManaged, whenText: 'with --tls-mode=self-managed' },
  { name: 'tls-cert-dir', key: 'tlsCertDir', codec: stringCodec('<dir>', (d) => (d.startsWith('/') ? undefined : `must be an absolute path (got ${JSON.stringify(d)})`)), default: WEBHOOK_CERT_DIR, documentedDefault: WEBHOOK_CERT_DIR, description: 'directory of the mounted tls.crt and tls.key', when: fromFiles, whenText: 'with --tls-mode=files' },
  {
    name: 'authorize-pod-creation',
    key: 'authorizePodCreation',
    codec: BOOLEAN,
    default: true,
    documentedDefault: 'true',
    description: 'refuse a SparkApplication from a user who may not create pods in its namespace (a SubjectAccessReview)',
  },
  ...commonFlags<WebhookOptions>(),
];

/** The leader election durations by their flags, for messages. */
const LEADER_ELECTION_FLAG_NAMES = {
  leaseDurationSeconds: '--leader-election-lease-duration',
  renewDeadlineSeconds: '--leader-election-renew-deadline',
  retryPeriodSeconds: '--leader-election-retry-period',
} as const;

/** `--default-batch-scheduler` must be a batch scheduler the operator registers. */
function defaultBatchSchedulerProblem(settings: BatchSchedulingSettings): string | undefined {
  const name = settings.defaultBatchScheduler;
  if (name === undefined) return undefined;
  const known = registeredBatchSchedulers(settings);
  return known.includes(name) ? undefined : `--default-batch-scheduler must be one of ${known.join(', ')} (got ${JSON.stringify(name)})`;
}

/** The batch scheduling the controller options ask for. */
export function batchSchedulingSettings(options: Pick<ControllerOptions, 'enableBatchScheduler' | 'kubeSchedulerNames' | 'defaultBatchScheduler'>): BatchSchedulingSettings {
  return {
    enabled: options.enableBatchScheduler === true,
    ...options.kubeSchedulerNames ? { kubeSchedulerNames: options.kubeSchedulerNames } : {},
    ...options.defaultBatchScheduler ? { defaultBatchScheduler: options.defaultBatchScheduler } : {},
  };
}

function controllerFlag(key: keyof ControllerOptions): Flag<ControllerOptions> {
  const flag = CONTROLLER_FLAGS.find((f) => f.key === key);
  if (!flag) throw new Error(`no controller flag sets '${key}'`);
  return flag;
}

/**
 * Why the controller would refuse `value` for its flag of `key` (the flag's range), or undefined:
 * the construct checks its props with it, so it never renders a value the controller cannot start with.
 */
export function controllerFlagProblem<K extends keyof ControllerOptions>(key: K, value: ControllerOptions[K]): string | undefined {
  return controllerFlag(key).codec?.check?.(value);
}

/** True when the controller reads its flag of `key` with these `options` (another flag may decide it). */
export function controllerFlagApplies(key: keyof ControllerOptions, options: Partial<ControllerOptions>): boolean {
  return controllerFlag(key).when?.(options as ControllerOptions) ?? true;
}

/** The container arguments of the controller: the sub-command, then its flags. */
export function controllerArgs(options: ControllerOptions): string[] {
  return ['controller', ...flagsToArgs(CONTROLLER_FLAGS, options)];
}

/** The container arguments of the webhook: the sub-command, then its flags. */
export function webhookArgs(options: WebhookOptions): string[] {
  return ['webhook', ...flagsToArgs(WEBHOOK_FLAGS, options)];
}

/** What the runtime was asked to do. */
export type ParsedArgs =
  | { readonly command: 'controller'; readonly options: ControllerOptions }
  | { readonly command: 'webhook'; readonly options: WebhookOptions }
  | { readonly command: 'render'; readonly options: RenderOptions }
  | { readonly command: 'help'; readonly text: string }
  | { readonly command: 'error'; readonly problems: string[] };

const SUMMARIES: Record<SubCommand | 'render', string> = {
  controller: 'Runs the SparkApplication and ScheduledSparkApplication controllers.',
  webhook: 'Serves the admission webhook (defaults and validation) over HTTPS.',
  render: 'Prints what the controller would create for the SparkApplications of a file (no cluster needed).',
};

/** The `--help` text of a sub-command. */
export function helpText(command: SubCommand): string {
  return command === 'controller'
    ? flagsHelp('controller', SUMMARIES.controller, CONTROLLER_FLAGS)
    : flagsHelp('webhook', SUMMARIES.webhook, WEBHOOK_FLAGS);
}

/** Reads the runtime's arguments (without `node` and the script): a sub-command, then its flags. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === 'render') return parseRenderArgs(rest);
  if (command !== 'controller' && command !== 'webhook') {
    const list = Object.entries(SUMMARIES).map(([name, summary]) => `  ${name.padEnd(10)}  ${summary}`).join('\n');
    const usage = `Usage: <controller|webhook|render> [flags]   (<sub-command> --help for its flags)\n\nSub-commands:\n${list}`;
    if (command === undefined || command === '--help' || command === 'help') return { command: 'help', text: usage };
    return { command: 'error', problems: [`unknown sub-command ${JSON.stringify(command)}: use controller, webhook or render`] };
  }
  if (rest.includes('--help')) return { command: 'help', text: helpText(command) };
  if (command === 'controller') {
    const result = parseFlags(command, CONTROLLER_FLAGS, rest);
    if (result.problems) return { command: 'error', problems: result.problems };
    const problem = leaderElectionTimingProblem(result.options, LEADER_ELECTION_FLAG_NAMES)
      ?? defaultBatchSchedulerProblem(batchSchedulingSettings(result.options));
    return problem ? { command: 'error', problems: [problem] } : { command, options: result.options };
  }
  const result = parseFlags(command, WEBHOOK_FLAGS, rest);
  return result.problems ? { command: 'error', problems: result.problems } : { command, options: result.options };
}
