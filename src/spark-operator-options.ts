// The options of the SparkOperator's controller and admission webhook, and their enums (public API).
import { Duration } from 'cdk8s';
import { ContainerResources } from 'cdk8s-plus-28';
import { WebhookTls } from './webhook-tls';

/** How much the operator logs. */
export enum LogLevel {
  /** Everything, including each reconcile decision. */
  DEBUG = 'debug',
  /** State changes and actions. */
  INFO = 'info',
  /** Problems the operator recovers from. */
  WARN = 'warn',
  /** Only failures. */
  ERROR = 'error',
}

/** What the API server does when it cannot reach the admission webhook. */
export enum WebhookFailurePolicy {
  /**
   * Admit the object anyway. The CRD schema still validates it, and the controller validates it again
   * and reports problems in `status.applicationState.errorMessage`.
   */
  IGNORE = 'Ignore',
  /** Reject the request: nothing is admitted while the webhook is down. */
  FAIL = 'Fail',
}

/** Options of the operator's controller (the `controller` sub-command). */
export interface OperatorControllerOptions {
  /**
   * Number of controller pods. One of them is the leader (a `coordination.k8s.io` Lease); the others
   * stand by. More than one also renders a PodDisruptionBudget.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * How many applications the controller reconciles at the same time (never the same one twice),
   * from 1 to 1000 (`--workers`).
   *
   * @default 10
   */
  readonly workers?: number;

  /**
   * Requests per second the controller sends to the API server on average, at most, from 0 to
   * 100000 (`--kube-api-qps`): a client-side token bucket, as client-go's. The leader-election Lease is
   * renewed outside it. 0 sets no client-side limit: the API server's API Priority and Fairness
   * limits the operator, as SIG API Machinery advises and controller-runtime does by default. Upstream's
   * chart sets 20, which allows about 3 new applications per second.
   *
   * @default 0
   */
  readonly kubeApiQps?: number;

  /**
   * Requests the controller may send at once before `kubeApiQps` holds them back (`--kube-api-burst`).
   * From 1 to 100000, and only with a `kubeApiQps` above 0.
   *
   * @default - the `kubeApiQps` value
   */
  readonly kubeApiBurst?: number;

  /**
   * CPU and memory of the controller container.
   *
   * @default - cpu 100m request / 1 limit, memory 256Mi request / 512Mi limit, ephemeral storage
   * 128Mi request / 256Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * The URL of each application's Spark UI Ingress (flag `--ingress-url-format`). Setting it makes
   * the controller create a `networking.k8s.io/v1` Ingress in front of the UI Service of every
   * SparkApplication, with the application's `sparkUi` ingress annotations and TLS.
   *
   * The placeholders `{{$appName}}`, `{{$appNamespace}}` and `{{$appId}}` (the Spark application id)
   * are replaced per application, as upstream does; the host part becomes the Ingress host and the
   * path part its path. `http://` is assumed when there is no scheme. The format must contain
   * `{{$appName}}` or `{{$appId}}` so that two applications never share a URL; add
   * `{{$appNamespace}}` when applications of the same name run in several namespaces.
   *
   * @example '{{$appName}}.{{$appNamespace}}.spark.example.com'
   * @default - no UI Ingress (the UI Service is still created)
   */
  readonly uiIngressUrlFormat?: string;

  /**
   * How long a finished SparkApplication is kept when its spec sets no `timeToLiveSeconds` (flag
   * `--default-time-to-live`). Whole seconds, at least one.
   *
   * @default - finished applications without `timeToLiveSeconds` are kept until deleted
   */
  readonly defaultTimeToLive?: Duration;

  /**
   * How long a submitted application may have no driver pod before it fails with "driver pod not
   * found" (flag `--driver-pod-creation-grace-period`). Whole seconds, at least one.
   *
   * @default Duration.seconds(10) - upstream's
   */
  readonly driverPodCreationGracePeriod?: Duration;

  /**
   * How long a driver may stay Pending (an image that cannot be pulled, no node that fits, a
   * missing ConfigMap or Secret) before its application fails with the pod's own reason and is
   * retried as its restart policy says (flag `--driver-pending-timeout`). Whole seconds;
   * `Duration.seconds(0)` waits for ever, as upstream does.
   *
   * @default Duration.minutes(15)
   */
  readonly driverPendingTimeout?: Duration;

  /**
   * The most executors an application's `status.executorState` lists, from 1 to 1000000 (flag
   * `--max-tracked-executors`); the count of the others is reported in an Event.
   *
   * @default 1000 - upstream's
   */
  readonly maxTrackedExecutors?: number;

  /**
   * The labels of the SparkApplications that label the controller's Spark metrics (flag
   * `--metrics-labels`).
   *
   * As upstream, each Kubernetes label key becomes a Prometheus label (every character but letters,
   * digits and `_` turned into `_`) whose value is the application's label, or `Unknown` when it has
   * none, and `namespace` is the application's namespace. Executor metrics take
   * the same labels (the operator copies an application's labels onto its pods). An empty list
   * labels them with nothing. Every label adds series: keep to labels with few values.
   *
   * @example ['app_type', 'namespace']
   * @default ['app_type'] - upstream chart's
   */
  readonly metricsLabels?: string[];

  /**
   * Put before the name of each Spark metric (flag `--metrics-prefix`): letters, digits and `_`,
   * not starting with a digit. The queue, API client and process metrics keep their names.
   *
   * @example 'team_a_'
   * @default - no prefix: `spark_application_count` ...
   */
  readonly metricsPrefix?: string;

  /**
   * The buckets of the histogram of how long applications wait from their creation to their first
   * submission (`spark_application_submit_latency_seconds_histogram`, flag
   * `--metrics-job-submit-latency-buckets`): their upper bounds, increasing, in whole milliseconds.
   *
   * @default - 0.5, 1, 2, 4, 8, 16, 32, 64, 128 and 256 seconds (upstream chart's)
   */
  readonly metricsSubmitLatencyBuckets?: Duration[];

  /**
   * The buckets of the histogram of how long applications wait from their creation until their
   * driver first runs (`spark_application_start_latency_seconds_histogram`, flag
   * `--metrics-job-start-latency-buckets`): their upper bounds, increasing, in whole milliseconds.
   *
   * @default - 30, 60, 90 ... 300 seconds (upstream chart's)
   */
  readonly metricsStartLatencyBuckets?: Duration[];

  /**
   * The timing of leader election among the controller replicas (flags
   * `--leader-election-lease-duration`, `--leader-election-renew-deadline`,
   * `--leader-election-retry-period`).
   *
   * @default - upstream's: a 15 s lease, a 10 s renew deadline and a 2 s retry period
   */
  readonly leaderElection?: OperatorLeaderElectionOptions;
}

/**
 * The timing of the controller's leader election on its `coordination.k8s.io/v1` Lease.
 *
 * Only the leader reconciles. It renews the Lease every `retryPeriod`; if it cannot renew for
 * `renewDeadline`, it stops and exits (its pod restarts as a standby). A standby takes the Lease
 * once the leader has not renewed it for `leaseDuration`, or at once when a stopping leader
 * releases it. The renew deadline must be shorter than the lease duration, so an old leader stops
 * before another can start, and longer than 1.2 retry periods.
 */
export interface OperatorLeaderElectionOptions {
  /**
   * How long a standby waits on a leader that stopped renewing before it takes the Lease: the
   * longest pause of reconciling after a leader dies without releasing it. Whole seconds.
   *
   * @default Duration.seconds(15)
   */
  readonly leaseDuration?: Duration;

  /**
   * How long the leader keeps reconciling without a successful renewal (API server unreachable,
   * partitioned node) before it stops. Whole seconds, shorter than `leaseDuration`.
   *
   * @default Duration.seconds(10)
   */
  readonly renewDeadline?: Duration;

  /**
   * How often the leader renews the Lease and a standby looks at it. Whole seconds.
   *
   * @default Duration.seconds(2)
   */
  readonly retryPeriod?: Duration;
}

/** Options of the admission webhook (the `webhook` sub-command). */
export interface OperatorWebhookOptions {
  /**
   * Number of webhook pods (all serve). More than one also renders a PodDisruptionBudget.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * CPU and memory of the webhook container.
   *
   * @default - cpu 50m request / 500m limit, memory 128Mi request / 256Mi limit, ephemeral storage
   * 128Mi request / 256Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * The HTTPS port the webhook listens on inside its pod. Its Service always listens on 443.
   *
   * @default 9443
   */
  readonly port?: number;

  /**
   * What the API server does when the webhook cannot be reached, for both webhooks.
   *
   * By default the mutating webhook (defaults) ignores failures: the controller applies the same
   * defaults itself. The validating webhook ignores failures too, unless `authorizePodCreation` is on
   * (the default): the controller repeats every validation rule, but it cannot know who created an
   * application, so only the webhook can refuse a user who may not create pods; while the webhook is
   * unreachable, SparkApplications in the job namespaces are then refused rather than admitted
   * unchecked. A chart of SparkApplications still syncs before the operator is installed: the
   * webhook configurations come with the operator, last.
   *
   * @default - mutating `IGNORE`; validating `FAIL` with `authorizePodCreation`, else `IGNORE`
   */
  readonly failurePolicy?: WebhookFailurePolicy;

  /**
   * How long the API server waits for the webhook (1 to 30 seconds).
   *
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * Where the serving certificate comes from.
   *
   * @default WebhookTls.selfManaged()
   */
  readonly tls?: WebhookTls;

  /**
   * Refuse a SparkApplication or ScheduledSparkApplication from a user who may not create pods in
   * its namespace.
   *
   * An application makes the operator create pods with what its spec says (images, volumes, service
   * accounts, security contexts), so without this check the right to create SparkApplications would
   * be a way around the right to create pods. The webhook asks the API server with a
   * SubjectAccessReview (cached for a few seconds), and gets a ClusterRole to create them. Turn it
   * off only where every user who may create SparkApplications may create pods anyway.
   *
   * @default true
   */
  readonly authorizePodCreation?: boolean;
}

/**
 * Options of the operator's NetworkPolicies (see `SparkOperatorProps.networkPolicies`).
 *
 * The defaults work on any cluster; narrow them where the cluster's addresses are known.
 */
export interface OperatorNetworkPolicyOptions {
  /**
   * The TCP ports on which the pods reach the API server: the port of the `kubernetes` Service's
   * endpoints (`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`),
   * since network plugins judge egress after the Service has been translated.
   *
   * @default [443, 6443]
   */
  readonly apiServerPorts?: number[];

  /**
   * The addresses of the API server, as CIDRs (`'10.0.0.10/32'`): the same endpoints.
   *
   * @default - any address, on `apiServerPorts` only
   */
  readonly apiServerCidrs?: string[];

  /**
   * The namespaces whose pods may scrape the metrics port (where Prometheus runs).
   *
   * @default - any source, on the metrics port only
   */
  readonly metricsFromNamespaces?: string[];
}
