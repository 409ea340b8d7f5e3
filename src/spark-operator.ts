import { ApiObject, Chart, Duration, Lazy, Size } from 'cdk8s';
import { ContainerResources, Cpu, ISecret, ImagePullPolicy, NodeTaintQuery, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { API_GROUP, API_VERSION, SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES } from './api';
import { ArgoCdIgnoreDifference, ArgoCdSyncWaves } from './argocd';
import { OperatorImage } from './operator-image';
import { SparkCrds } from './spark-crds';
import { SparkRbac } from './spark-rbac';
import { makeClusterScoped } from './util/cluster-scoped';
import { DNS_1035_LABEL, requireInteger, requireNamespaceName, requirePort } from './util/validation';
import { WebhookTls, WebhookTlsMode } from './webhook-tls';

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
   * How many applications the controller reconciles at the same time (never the same one twice).
   *
   * @default 10
   */
  readonly workers?: number;

  /**
   * CPU and memory of the controller container.
   *
   * @default - cpu 100m request / 1 limit, memory 256Mi request / 512Mi limit
   */
  readonly resources?: ContainerResources;
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
   * @default - cpu 50m request / 500m limit, memory 128Mi request / 256Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * The HTTPS port the webhook listens on inside its pod. Its Service always listens on 443.
   *
   * @default 9443
   */
  readonly port?: number;

  /**
   * What the API server does when the webhook cannot be reached.
   *
   * `IGNORE` by default, so a chart of SparkApplications syncs whether the operator is installed,
   * starting, or being upgraded: the CRD schema validates every object anyway, and the controller
   * applies the same defaults and validation itself.
   *
   * @default WebhookFailurePolicy.IGNORE
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
}

/** Properties of {@link SparkOperator}. */
export interface SparkOperatorProps {
  /**
   * Prefix of the names of the operator's objects (`<name>-controller`, `<name>-webhook` ...) and the
   * value of their `app.kubernetes.io/name` label. At most 40 characters: lowercase letters, digits
   * and '-', starting with a letter.
   *
   * @default 'spark-operator'
   */
  readonly name?: string;

  /**
   * The namespace the operator runs in.
   *
   * @default - the chart's namespace, or 'spark-operator' if the chart has none
   */
  readonly namespace?: string;

  /**
   * Render the operator Namespace, labelled to enforce the Pod Security "restricted" level ("baseline"
   * if it is also a job namespace, since Spark pods rarely meet "restricted"). Leave it off when the
   * namespace is managed elsewhere.
   *
   * @default false
   */
  readonly createNamespace?: boolean;

  /**
   * Render the SparkApplication and ScheduledSparkApplication CRDs. Turn it off when they are
   * installed separately, for example with `SparkCrds` in another chart or Argo CD Application.
   *
   * @default true
   */
  readonly installCrds?: boolean;

  /**
   * The namespaces whose SparkApplications the operator runs. Each gets a Role for the controller and
   * the RBAC of Spark drivers. More can be added with `addJobNamespace()`.
   *
   * @default ['default'] (none when `watchAllNamespaces` is set)
   */
  readonly jobNamespaces?: string[];

  /**
   * Render a {@link SparkRbac} (service account, Role and RoleBinding for Spark drivers) in each job
   * namespace. Turn it off when the namespaces already have one.
   *
   * @default true
   */
  readonly driverRbac?: boolean;

  /**
   * Name of the driver service account that `driverRbac` renders in each job namespace. Give it to
   * SparkApplications as `spec.driver.serviceAccount`.
   *
   * @default 'spark'
   */
  readonly driverServiceAccountName?: string;

  /**
   * Run SparkApplications in every namespace. The controller then gets a ClusterRole instead of one
   * Role per namespace, and the webhook has no namespace selector. `jobNamespaces` still lists the
   * namespaces that get the RBAC of Spark drivers.
   *
   * @default false
   */
  readonly watchAllNamespaces?: boolean;

  /**
   * The operator image.
   *
   * @default OperatorImage.default()
   */
  readonly image?: OperatorImage;

  /**
   * When the kubelet pulls the image.
   *
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Secrets (of type `kubernetes.io/dockerconfigjson`, in the operator namespace) for pulling the
   * image from a private registry.
   *
   * @default - none
   */
  readonly imagePullSecrets?: ISecret[];

  /**
   * How much the controller and the webhook log.
   *
   * @default LogLevel.INFO
   */
  readonly logLevel?: LogLevel;

  /**
   * Port of the Prometheus metrics endpoint in the controller and webhook pods.
   *
   * @default 8080
   */
  readonly metricsPort?: number;

  /**
   * HTTP path of the Prometheus metrics endpoint.
   *
   * @default '/metrics'
   */
  readonly metricsEndpoint?: string;

  /**
   * Port of the health endpoints (`/healthz` for liveness, `/readyz` for readiness).
   *
   * @default 8081
   */
  readonly healthProbePort?: number;

  /**
   * Render a prometheus-operator PodMonitor (`monitoring.coreos.com/v1`) that scrapes the controller
   * and webhook pods. Needs the prometheus-operator CRDs in the cluster.
   *
   * @default false
   */
  readonly podMonitor?: boolean;

  /**
   * Options of the controller.
   *
   * @default - see `OperatorControllerOptions`
   */
  readonly controller?: OperatorControllerOptions;

  /**
   * Run the admission webhook (validation and defaults for SparkApplication and
   * ScheduledSparkApplication). Without it the CRD schema and the controller still validate.
   *
   * @default true
   */
  readonly webhook?: boolean;

  /**
   * Options of the admission webhook; only allowed when `webhook` is not `false`.
   *
   * @default - see `OperatorWebhookOptions`
   */
  readonly webhookOptions?: OperatorWebhookOptions;

  /**
   * Node labels the operator pods must run on.
   *
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Taints the operator pods tolerate.
   *
   * @default - none
   */
  readonly tolerations?: NodeTaintQuery[];

  /**
   * Node and pod (anti-)affinity of the operator pods.
   *
   * @default - none
   */
  readonly affinity?: k8s.Affinity;

  /**
   * PriorityClass of the operator pods.
   *
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * The Argo CD sync waves of the operator objects.
   *
   * @default ArgoCdSyncWaves.default()
   */
  readonly syncWaves?: ArgoCdSyncWaves;

  /**
   * Extra labels on every object the operator renders (never in selectors).
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const MAX_NAME_LENGTH = 40;
/** A numeric user and group, so the kubelet can check `runAsNonRoot` without reading the image. */
const RUN_AS_USER = 65532;
const TMP_SIZE = '64Mi';
const WEBHOOK_SERVICE_PORT = 443;
const WEBHOOK_CERT_DIR = '/etc/cdk8s-spark/webhook-certs';
const PART_OF = 'cdk8s-spark';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

/** The admission webhooks the runtime serves: one per operation kind and resource. */
const WEBHOOKS = [SPARK_APPLICATION_NAMES, SCHEDULED_SPARK_APPLICATION_NAMES].map((names) => ({
  plural: names.plural,
  // Same path scheme as upstream, so logs and dashboards read the same.
  validatePath: `/validate-${API_GROUP.replace(/\./g, '-')}-${API_VERSION}-${names.singular}`,
  mutatePath: `/mutate-${API_GROUP.replace(/\./g, '-')}-${API_VERSION}-${names.singular}`,
  validateName: `validate-${names.singular}.${API_GROUP}`,
  mutateName: `mutate-${names.singular}.${API_GROUP}`,
}));

/**
 * The Spark operator: everything needed to run SparkApplications and ScheduledSparkApplications in a
 * cluster, ready for GitOps.
 *
 * It renders the CRDs, the controller Deployment, the admission webhook (Deployment, Service and
 * webhook configurations, with self-managed or cert-manager TLS), ServiceAccounts, least-privilege
 * RBAC per job namespace, a metrics Service, and optionally a PodMonitor and PodDisruptionBudgets.
 * Every object has a stable, readable name derived from `name`; cluster-scoped objects carry no
 * namespace; Argo CD sync waves order CRDs, RBAC, workloads and webhook configurations.
 *
 * **Charts of SparkApplications sync before or after the operator.** Nothing in an application
 * chart waits for the operator, and nothing in the operator breaks existing applications:
 * - the webhook's failure policy defaults to `Ignore`, so creating or updating a SparkApplication
 *   never fails because the webhook is missing, starting, or being upgraded (the CRD schema still
 *   validates; the controller applies the defaults and validation again and reports problems in the
 *   status);
 * - the webhook configurations come last in the sync (after the webhook is healthy) and are pruned
 *   first, and they only match SparkApplication and ScheduledSparkApplication in the job namespaces
 *   (never pods, never the status subresource the controller writes);
 * - applications created before the operator are picked up when the controller starts; the CRDs are
 *   never pruned (`Prune=false`), so removing the operator keeps every application.
 * An application chart synced before the CRDs exist needs them first: put the CRDs in an earlier
 * wave or Application (`SparkCrds`), or give the applications Argo CD's
 * `SkipDryRunOnMissingResource=true` sync option.
 *
 * @example
 * new SparkOperator(chart, 'spark', { jobNamespaces: ['spark-jobs'] });
 */
export class SparkOperator extends Construct {
  /** Prefix of the object names and value of the `app.kubernetes.io/name` label. */
  public readonly name: string;

  /** The namespace the operator runs in. */
  public readonly namespace: string;

  /** The operator image. */
  public readonly image: OperatorImage;

  /** Whether the controller watches every namespace. */
  public readonly watchesAllNamespaces: boolean;

  /** Whether the admission webhook is rendered. */
  public readonly webhookEnabled: boolean;

  /**
   * The CRDs, when `installCrds` is on.
   *
   * @default - not rendered
   */
  public readonly crds?: SparkCrds;

  /** The controller Deployment (an escape hatch for JSON patches). */
  public readonly controllerDeployment: ApiObject;

  /**
   * The webhook Deployment (an escape hatch for JSON patches).
   *
   * @default - no webhook
   */
  public readonly webhookDeployment?: ApiObject;

  /** Name of the ServiceAccount the controller runs as. */
  public readonly controllerServiceAccountName: string;

  private readonly _jobNamespaces: string[] = [];
  private readonly _driverRbacs = new Map<string, SparkRbac>();
  private readonly driverRbacEnabled: boolean;
  private readonly driverServiceAccountName: string;
  private readonly syncWaves: ArgoCdSyncWaves;
  private readonly extraLabels: Record<string, string>;
  private readonly tls: WebhookTls;
  private namespaceObject?: ApiObject;

  constructor(scope: Construct, id: string, props: SparkOperatorProps = {}) {
    super(scope, id);

    this.name = props.name ?? 'spark-operator';
    if (!DNS_1035_LABEL.test(this.name) || this.name.length > MAX_NAME_LENGTH) {
      throw new Error(`'name' must be at most ${MAX_NAME_LENGTH} characters of lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (got ${JSON.stringify(this.name)})`);
    }
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'spark-operator';
    requireNamespaceName('namespace', this.namespace);

    this.image = props.image ?? OperatorImage.default();
    this.watchesAllNamespaces = props.watchAllNamespaces ?? false;
    this.webhookEnabled = props.webhook ?? true;
    if (!this.webhookEnabled && props.webhookOptions !== undefined) {
      throw new Error("'webhookOptions' cannot be set when 'webhook' is false: remove one of them");
    }
    this.syncWaves = props.syncWaves ?? ArgoCdSyncWaves.default();
    this.extraLabels = { ...props.labels };
    this.tls = props.webhookOptions?.tls ?? WebhookTls.selfManaged();
    this.controllerServiceAccountName = `${this.name}-controller`;
    this.driverRbacEnabled = props.driverRbac ?? true;
    this.driverServiceAccountName = props.driverServiceAccountName ?? 'spark';
    if (!this.driverRbacEnabled && props.driverServiceAccountName !== undefined) {
      throw new Error("'driverServiceAccountName' cannot be set when 'driverRbac' is false: remove one of them");
    }

    const controllerOptions = props.controller ?? {};
    const webhookOptions = props.webhookOptions ?? {};
    const controllerReplicas = requireInteger('controller.replicas', controllerOptions.replicas ?? 1, 1);
    const workers = requireInteger('controller.workers', controllerOptions.workers ?? 10, 1);
    const webhookReplicas = requireInteger('webhookOptions.replicas', webhookOptions.replicas ?? 1, 1);
    const metricsPort = requirePort('metricsPort', props.metricsPort ?? 8080);
    const healthProbePort = requirePort('healthProbePort', props.healthProbePort ?? 8081);
    const webhookPort = requirePort('webhookOptions.port', webhookOptions.port ?? 9443);
    if (metricsPort === healthProbePort) {
      throw new Error(`'metricsPort' and 'healthProbePort' must differ (both are ${metricsPort})`);
    }
    if (this.webhookEnabled && (webhookPort === metricsPort || webhookPort === healthProbePort)) {
      throw new Error(`'webhookOptions.port' must differ from 'metricsPort' and 'healthProbePort' (got ${webhookPort})`);
    }
    const metricsEndpoint = props.metricsEndpoint ?? '/metrics';
    if (!/^\/[A-Za-z0-9._~\/-]*$/.test(metricsEndpoint)) {
      throw new Error(`'metricsEndpoint' must be an absolute URL path such as '/metrics' (got ${JSON.stringify(metricsEndpoint)})`);
    }
    const timeoutSeconds = (webhookOptions.timeout ?? Duration.seconds(10)).toSeconds();
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30) {
      throw new Error(`'webhookOptions.timeout' must be a whole number of seconds between 1 and 30 (got ${timeoutSeconds}s)`);
    }
    const logLevel = props.logLevel ?? LogLevel.INFO;

    const pod: PodCommon = {
      image: this.image,
      imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      imagePullSecrets: (props.imagePullSecrets ?? []).map((secret) => ({ name: secret.name })),
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations?.map((t) => t._toKube()),
      affinity: props.affinity,
      priorityClassName: props.priorityClassName,
      metricsPort,
      healthProbePort,
    };
    const commonFlags = [
      `--metrics-port=${metricsPort}`,
      `--metrics-endpoint=${metricsEndpoint}`,
      `--health-probe-port=${healthProbePort}`,
      `--log-level=${logLevel}`,
    ];

    if (props.createNamespace ?? false) {
      this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            ...this.labels(),
            // The operator pods meet the "restricted" Pod Security Standard: enforce it (relaxed to
            // "baseline" in addJobNamespace() if Spark pods run here too) and always warn against it.
            [POD_SECURITY_ENFORCE]: 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
          annotations: this.syncWaves._namespace(),
        },
      });
      makeClusterScoped(this.namespaceObject);
    }

    if (props.installCrds ?? true) {
      this.crds = new SparkCrds(this, 'Crds', {
        labels: this.labels(),
        // Pruning a CRD deletes every SparkApplication in the cluster: never let Argo CD do that.
        annotations: { ...this.syncWaves._crds(), 'argocd.argoproj.io/sync-options': 'Prune=false' },
      });
    }

    // ---- Controller -------------------------------------------------------------------------------
    const leaseName = `${this.name}-controller-lock`;
    this.serviceAccount('ControllerServiceAccount', this.controllerServiceAccountName, 'controller');
    this.leaderElectionRbac(leaseName);
    if (this.watchesAllNamespaces) {
      this.controllerClusterRbac();
    }
    const jobNamespaces = props.jobNamespaces ?? (this.watchesAllNamespaces ? [] : ['default']);
    for (const namespace of jobNamespaces) {
      this.addJobNamespace(namespace);
    }

    this.controllerDeployment = this.deployment('ControllerDeployment', {
      component: 'controller',
      serviceAccountName: this.controllerServiceAccountName,
      // The controller calls the API server: it needs its token.
      automountServiceAccountToken: true,
      replicas: controllerReplicas,
      resources: controllerOptions.resources ?? {
        cpu: { request: Cpu.millis(100), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      args: () => [
        'controller',
        ...(this.watchesAllNamespaces ? ['--all-namespaces'] : [`--namespaces=${this._jobNamespaces.join(',')}`]),
        `--workers=${workers}`,
        `--leader-election-lock-name=${leaseName}`,
        `--leader-election-lock-namespace=${this.namespace}`,
        ...commonFlags,
      ],
      extraPorts: [],
      extraVolumes: [],
      pod,
    });
    this.service('ControllerMetricsService', `${this.name}-controller-metrics`, 'controller', {
      name: 'metrics', port: metricsPort, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP',
    });
    if (controllerReplicas > 1) {
      this.podDisruptionBudget('ControllerPodDisruptionBudget', `${this.name}-controller`, 'controller');
    }

    // ---- Admission webhook ------------------------------------------------------------------------
    if (this.webhookEnabled) {
      const webhookName = `${this.name}-webhook`;
      const secretName = `${this.name}-webhook-certs`;
      const selfManaged = this.tls.mode === WebhookTlsMode.SELF_MANAGED;
      this.serviceAccount('WebhookServiceAccount', webhookName, 'webhook');
      if (selfManaged) {
        this.webhookSelfManagedTlsRbac(webhookName, secretName);
      } else {
        this.certManagerObjects(webhookName, secretName);
      }
      const tlsFlags = selfManaged
        ? [
          '--tls-mode=self-managed',
          `--tls-secret-name=${secretName}`,
          `--tls-secret-namespace=${this.namespace}`,
          `--service-name=${webhookName}`,
          `--service-namespace=${this.namespace}`,
          `--webhook-configuration-name=${webhookName}`,
        ]
        : ['--tls-mode=files', `--tls-cert-dir=${WEBHOOK_CERT_DIR}`];

      this.webhookDeployment = this.deployment('WebhookDeployment', {
        component: 'webhook',
        serviceAccountName: webhookName,
        // Self-managed TLS writes a Secret and the caBundle: API calls. With cert-manager the webhook
        // only reads mounted files and answers AdmissionReviews, so it gets no token at all.
        automountServiceAccountToken: selfManaged,
        replicas: webhookReplicas,
        resources: webhookOptions.resources ?? {
          cpu: { request: Cpu.millis(50), limit: Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        args: () => ['webhook', `--port=${webhookPort}`, ...tlsFlags, ...commonFlags],
        extraPorts: [{ name: 'webhook', containerPort: webhookPort, protocol: 'TCP' }],
        extraVolumes: selfManaged ? [] : [{
          volume: { name: 'certs', secret: { secretName, defaultMode: 0o440 } },
          mount: { name: 'certs', mountPath: WEBHOOK_CERT_DIR, readOnly: true },
        }],
        pod,
      });
      this.service('WebhookService', webhookName, 'webhook', {
        name: 'https', port: WEBHOOK_SERVICE_PORT, targetPort: k8s.IntOrString.fromString('webhook'), protocol: 'TCP',
      });
      if (webhookReplicas > 1) {
        this.podDisruptionBudget('WebhookPodDisruptionBudget', webhookName, 'webhook');
      }
      this.webhookConfigurations(webhookName, props.webhookOptions?.failurePolicy ?? WebhookFailurePolicy.IGNORE, timeoutSeconds);
    }

    if (props.podMonitor ?? false) {
      new ApiObject(this, 'PodMonitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: {
          name: this.name,
          namespace: this.namespace,
          labels: this.labels(),
          annotations: this.syncWaves._workloads(),
        },
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': this.name } },
          podMetricsEndpoints: [{ port: 'metrics', path: metricsEndpoint }],
        },
      });
    }

    this.node.addValidation({
      validate: () => this.watchesAllNamespaces || this._jobNamespaces.length > 0
        ? []
        : ["SparkOperator has no job namespace: set 'jobNamespaces', call addJobNamespace(), or set 'watchAllNamespaces: true'"],
    });
  }

  /** The job namespaces, in the order they were added. Returns a copy; use `addJobNamespace()` to add one. */
  public get jobNamespaces(): string[] {
    return [...this._jobNamespaces];
  }

  /**
   * Adds a namespace whose SparkApplications the operator runs: the namespace joins the controller's
   * `--namespaces` flag and the webhook's namespace selector, gets a Role and RoleBinding for the
   * controller (unless it watches all namespaces) and, with `driverRbac`, a {@link SparkRbac} for
   * Spark drivers.
   *
   * @param namespace the namespace name
   * @returns the driver RBAC rendered in the namespace, if any
   */
  public addJobNamespace(namespace: string): SparkRbac | undefined {
    requireNamespaceName('jobNamespaces', namespace);
    if (this._jobNamespaces.includes(namespace)) {
      throw new Error(`job namespace ${JSON.stringify(namespace)} was added twice`);
    }
    this._jobNamespaces.push(namespace);
    if (namespace === this.namespace && this.namespaceObject !== undefined) {
      // Spark pods as users write them (the apache/spark images, no seccomp profile, default
      // capabilities) meet "baseline", not "restricted": enforcing "restricted" would reject them.
      this.namespaceObject.metadata.addLabel(POD_SECURITY_ENFORCE, 'baseline');
    }
    const scope = new Construct(this, `JobNamespace-${namespace}`);
    if (!this.watchesAllNamespaces) {
      const name = `${this.name}-controller`;
      new k8s.KubeRole(scope, 'ControllerRole', {
        metadata: this.metadata(name, 'controller', namespace),
        rules: controllerRules(),
      });
      new k8s.KubeRoleBinding(scope, 'ControllerRoleBinding', {
        metadata: this.metadata(name, 'controller', namespace),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [this.controllerSubject()],
      });
    }
    if (!this.driverRbacEnabled) {
      return undefined;
    }
    const rbac = new SparkRbac(scope, 'DriverRbac', {
      namespace,
      serviceAccountName: this.driverServiceAccountName,
      labels: this.labels('driver'),
    });
    for (const apiObject of [ApiObject.of(rbac.serviceAccount), ApiObject.of(rbac.role), ApiObject.of(rbac.binding)]) {
      for (const [key, value] of Object.entries(this.syncWaves._rbac())) {
        apiObject.metadata.addAnnotation(key, value);
      }
    }
    this._driverRbacs.set(namespace, rbac);
    return rbac;
  }

  /**
   * The driver RBAC rendered in a job namespace (service account, Role, RoleBinding), to give to
   * SparkApplications in the same app as their service account.
   *
   * @param namespace a job namespace
   */
  public driverRbacOf(namespace: string): SparkRbac {
    const rbac = this._driverRbacs.get(namespace);
    if (rbac === undefined) {
      throw new Error(`no driver RBAC in namespace ${JSON.stringify(namespace)}: it is not a job namespace of this SparkOperator, or 'driverRbac' is false`);
    }
    return rbac;
  }

  /**
   * The Argo CD `ignoreDifferences` entries this operator needs: the `caBundle` of the two webhook
   * configurations, which the webhook itself (self-managed TLS) or cert-manager's CA injector writes
   * at run time. Empty when the webhook is off. The self-managed certificate Secret is never
   * rendered, so Argo CD does not track it and it needs no entry.
   *
   * Use them in the Application's `spec.ignoreDifferences` together with the sync option
   * `RespectIgnoreDifferences=true`.
   */
  public argoCdIgnoreDifferences(): ArgoCdIgnoreDifference[] {
    if (!this.webhookEnabled) {
      return [];
    }
    return ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].map((kind) => ({
      group: 'admissionregistration.k8s.io',
      kind,
      name: `${this.name}-webhook`,
      jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
    }));
  }

  // ---- Building blocks ------------------------------------------------------------------------------

  private labels(component?: string): Record<string, string> {
    return {
      ...this.extraLabels,
      ...this.selectorLabels(component),
      'app.kubernetes.io/part-of': PART_OF,
    };
  }

  private selectorLabels(component?: string): Record<string, string> {
    return {
      'app.kubernetes.io/name': this.name,
      ...(component === undefined ? {} : { 'app.kubernetes.io/component': component }),
    };
  }

  private metadata(name: string, component: string, namespace: string | undefined, annotations?: Record<string, string>): k8s.ObjectMeta {
    return {
      name,
      namespace,
      labels: this.labels(component),
      annotations: annotations ?? this.syncWaves._rbac(),
    };
  }

  private controllerSubject(): k8s.Subject {
    return { kind: 'ServiceAccount', name: this.controllerServiceAccountName, namespace: this.namespace };
  }

  private serviceAccount(id: string, name: string, component: string): void {
    new k8s.KubeServiceAccount(this, id, {
      metadata: this.metadata(name, component, this.namespace),
      // Tokens are mounted only into the pods that call the API (set on the pod, not here).
      automountServiceAccountToken: false,
    });
  }

  private leaderElectionRbac(leaseName: string): void {
    const name = `${this.name}-controller-leader-election`;
    new k8s.KubeRole(this, 'ControllerLeaderElectionRole', {
      metadata: this.metadata(name, 'controller', this.namespace),
      rules: [
        // Leader election: the first replica creates the Lease. `create` cannot be limited by name.
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        // Leader election: read and renew (or take over) our own Lease, and no other.
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [leaseName], verbs: ['get', 'update'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'ControllerLeaderElectionRoleBinding', {
      metadata: this.metadata(name, 'controller', this.namespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [this.controllerSubject()],
    });
  }

  private controllerClusterRbac(): void {
    const name = `${this.name}-controller`;
    const role = new k8s.KubeClusterRole(this, 'ControllerClusterRole', {
      metadata: this.metadata(name, 'controller', undefined),
      rules: controllerRules(),
    });
    makeClusterScoped(role);
    const binding = new k8s.KubeClusterRoleBinding(this, 'ControllerClusterRoleBinding', {
      metadata: this.metadata(name, 'controller', undefined),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [this.controllerSubject()],
    });
    makeClusterScoped(binding);
  }

  private webhookSelfManagedTlsRbac(webhookName: string, secretName: string): void {
    const subject: k8s.Subject = { kind: 'ServiceAccount', name: webhookName, namespace: this.namespace };
    new k8s.KubeRole(this, 'WebhookRole', {
      metadata: this.metadata(webhookName, 'webhook', this.namespace),
      rules: [
        // Self-managed TLS: the first replica creates the certificate Secret. `create` cannot be limited by name.
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        // Self-managed TLS: every replica reads the shared certificate; the one that renews it writes it back.
        { apiGroups: [''], resources: ['secrets'], resourceNames: [secretName], verbs: ['get', 'update'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'WebhookRoleBinding', {
      metadata: this.metadata(webhookName, 'webhook', this.namespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: webhookName },
      subjects: [subject],
    });
    const clusterRole = new k8s.KubeClusterRole(this, 'WebhookClusterRole', {
      metadata: this.metadata(webhookName, 'webhook', undefined),
      rules: [
        // Self-managed TLS: write our CA into the caBundle of our own two webhook configurations, and no others.
        {
          apiGroups: ['admissionregistration.k8s.io'],
          resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
          resourceNames: [webhookName],
          verbs: ['get', 'update'],
        },
      ],
    });
    makeClusterScoped(clusterRole);
    const binding = new k8s.KubeClusterRoleBinding(this, 'WebhookClusterRoleBinding', {
      metadata: this.metadata(webhookName, 'webhook', undefined),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: webhookName },
      subjects: [subject],
    });
    makeClusterScoped(binding);
  }

  private certManagerObjects(webhookName: string, secretName: string): void {
    const options = this.tls._certManager;
    let issuerRef = options.issuerRef;
    if (issuerRef === undefined) {
      const issuerName = `${webhookName}-selfsigned`;
      new ApiObject(this, 'WebhookIssuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: this.metadata(issuerName, 'webhook', this.namespace),
        spec: { selfSigned: {} },
      });
      issuerRef = { name: issuerName };
    }
    new ApiObject(this, 'WebhookCertificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: this.metadata(webhookName, 'webhook', this.namespace),
      spec: {
        secretName,
        dnsNames: [
          `${webhookName}.${this.namespace}.svc`,
          `${webhookName}.${this.namespace}.svc.cluster.local`,
        ],
        issuerRef: {
          name: issuerRef.name,
          kind: issuerRef.kind ?? 'Issuer',
          group: issuerRef.group ?? 'cert-manager.io',
        },
        duration: options.duration === undefined ? undefined : goDuration(options.duration),
        renewBefore: options.renewBefore === undefined ? undefined : goDuration(options.renewBefore),
      },
    });
  }

  private deployment(id: string, spec: DeploymentSpec): ApiObject {
    const name = `${this.name}-${spec.component}`;
    const selector = this.selectorLabels(spec.component);
    const { pod } = spec;
    return new k8s.KubeDeployment(this, id, {
      metadata: this.metadata(name, spec.component, this.namespace, this.syncWaves._workloads()),
      spec: {
        replicas: spec.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: this.labels(spec.component) },
          spec: {
            serviceAccountName: spec.serviceAccountName,
            automountServiceAccountToken: spec.automountServiceAccountToken,
            // The operator needs no Service environment variables; they only grow with the namespace.
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: RUN_AS_USER,
              runAsGroup: RUN_AS_USER,
              fsGroup: RUN_AS_USER,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            imagePullSecrets: pod.imagePullSecrets.length > 0 ? pod.imagePullSecrets : undefined,
            nodeSelector: pod.nodeSelector,
            tolerations: pod.tolerations,
            affinity: pod.affinity,
            priorityClassName: pod.priorityClassName,
            containers: [{
              name: spec.component,
              image: pod.image.reference,
              imagePullPolicy: pod.imagePullPolicy,
              // Lazy: job namespaces added after construction still reach the flags.
              args: Lazy.any({ produce: spec.args }),
              ports: [
                ...spec.extraPorts,
                { name: 'metrics', containerPort: pod.metricsPort, protocol: 'TCP' },
                { name: 'health', containerPort: pod.healthProbePort, protocol: 'TCP' },
              ],
              livenessProbe: {
                httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('health') },
                periodSeconds: 10,
                timeoutSeconds: 5,
                failureThreshold: 3,
              },
              readinessProbe: {
                httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('health') },
                periodSeconds: 10,
                timeoutSeconds: 5,
                failureThreshold: 3,
              },
              resources: toKubeResources(spec.resources),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: RUN_AS_USER,
                runAsGroup: RUN_AS_USER,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                // The root filesystem is read-only; Node.js and its libraries still expect a writable /tmp.
                { name: 'tmp', mountPath: '/tmp' },
                ...spec.extraVolumes.map((v) => v.mount),
              ],
            }],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(TMP_SIZE) } },
              ...spec.extraVolumes.map((v) => v.volume),
            ],
          },
        },
      },
    });
  }

  private service(id: string, name: string, component: string, port: k8s.ServicePort): void {
    new k8s.KubeService(this, id, {
      metadata: this.metadata(name, component, this.namespace, this.syncWaves._workloads()),
      spec: {
        type: 'ClusterIP',
        selector: this.selectorLabels(component),
        ports: [port],
      },
    });
  }

  private podDisruptionBudget(id: string, name: string, component: string): void {
    new k8s.KubePodDisruptionBudget(this, id, {
      metadata: this.metadata(name, component, this.namespace, this.syncWaves._workloads()),
      spec: {
        minAvailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: this.selectorLabels(component) },
      },
    });
  }

  private webhookConfigurations(webhookName: string, failurePolicy: WebhookFailurePolicy, timeoutSeconds: number): void {
    const annotations: Record<string, string> = { ...this.syncWaves._webhookConfigurations() };
    if (this.tls.mode === WebhookTlsMode.CERT_MANAGER) {
      annotations['cert-manager.io/inject-ca-from'] = `${this.namespace}/${webhookName}`;
    }
    const metadata = this.metadata(webhookName, 'webhook', undefined, annotations);
    // Only SparkApplications in job namespaces go through the webhook (Lazy: addJobNamespace()).
    const namespaceSelector = (): k8s.LabelSelector | undefined => this.watchesAllNamespaces
      ? undefined
      : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...this._jobNamespaces] }] };
    const common = (path: string) => ({
      admissionReviewVersions: ['v1'],
      // No caBundle, ever: it is written at run time (see argoCdIgnoreDifferences()).
      clientConfig: { service: { name: webhookName, namespace: this.namespace, port: WEBHOOK_SERVICE_PORT, path } },
      failurePolicy,
      matchPolicy: 'Equivalent',
      namespaceSelector: Lazy.any({ produce: namespaceSelector }),
      sideEffects: 'None',
      timeoutSeconds,
    });
    const rules = (plural: string): k8s.RuleWithOperations[] => [{
      apiGroups: [API_GROUP],
      apiVersions: [API_VERSION],
      // The main resource only: status writes by the controller (`<plural>/status`) never go through the webhook.
      resources: [plural],
      operations: ['CREATE', 'UPDATE'],
      scope: 'Namespaced',
    }];

    const validating = new k8s.KubeValidatingWebhookConfiguration(this, 'ValidatingWebhookConfiguration', {
      metadata,
      webhooks: WEBHOOKS.map((w) => ({ name: w.validateName, rules: rules(w.plural), ...common(w.validatePath) })),
    });
    makeClusterScoped(validating);
    const mutating = new k8s.KubeMutatingWebhookConfiguration(this, 'MutatingWebhookConfiguration', {
      metadata,
      webhooks: WEBHOOKS.map((w) => ({
        name: w.mutateName,
        rules: rules(w.plural),
        reinvocationPolicy: 'Never',
        ...common(w.mutatePath),
      })),
    });
    makeClusterScoped(mutating);
  }
}

/**
 * What the controller may do in a job namespace (or, watching all namespaces, in every namespace).
 * No wildcards; each rule says why it exists.
 */
function controllerRules(): k8s.PolicyRule[] {
  return [
    // Native submission: create the driver pod; watch driver and executor pods to drive the state
    // machine; delete the driver on retry, suspend or kill. Pods are never updated.
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    // Native submission: the driver's ConfigMap (spark.properties and the executor pod template).
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    // Native submission: the driver's headless Service, which executors connect to.
    { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    // Every state change becomes an Event on the SparkApplication (core/v1 Events).
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    // Watch SparkApplications; create the runs of ScheduledSparkApplications; delete runs beyond the
    // history limits and, with concurrencyPolicy Replace, the unfinished run.
    { apiGroups: [API_GROUP], resources: ['sparkapplications'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    // Watch ScheduledSparkApplications (their spec is never written).
    { apiGroups: [API_GROUP], resources: ['scheduledsparkapplications'], verbs: ['get', 'list', 'watch'] },
    // Write status through the status subresource, with optimistic concurrency.
    { apiGroups: [API_GROUP], resources: ['sparkapplications/status', 'scheduledsparkapplications/status'], verbs: ['update'] },
    // Owner references with blockOwnerDeletion (driver resources -> SparkApplication, runs ->
    // ScheduledSparkApplication) need this where the OwnerReferencesPermissionEnforcement plugin is on.
    { apiGroups: [API_GROUP], resources: ['sparkapplications/finalizers', 'scheduledsparkapplications/finalizers'], verbs: ['update'] },
  ];
}

interface PodCommon {
  readonly image: OperatorImage;
  readonly imagePullPolicy: ImagePullPolicy;
  readonly imagePullSecrets: k8s.LocalObjectReference[];
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
  readonly priorityClassName?: string;
  readonly metricsPort: number;
  readonly healthProbePort: number;
}

interface DeploymentSpec {
  readonly component: 'controller' | 'webhook';
  readonly serviceAccountName: string;
  readonly automountServiceAccountToken: boolean;
  readonly replicas: number;
  readonly resources: ContainerResources;
  readonly args: () => string[];
  readonly extraPorts: k8s.ContainerPort[];
  readonly extraVolumes: Array<{ volume: k8s.Volume; mount: k8s.VolumeMount }>;
  readonly pod: PodCommon;
}

/** Renders a Size as a Kubernetes quantity in the largest binary unit that represents it exactly. */
function quantity(size: Size): k8s.Quantity {
  const kib = size.toKibibytes();
  if (!Number.isInteger(kib)) {
    throw new Error(`memory sizes must be whole kibibytes (got ${kib}Ki)`);
  }
  if (kib % (1024 * 1024) === 0) return k8s.Quantity.fromString(`${kib / (1024 * 1024)}Gi`);
  if (kib % 1024 === 0) return k8s.Quantity.fromString(`${kib / 1024}Mi`);
  return k8s.Quantity.fromString(`${kib}Ki`);
}

function toKubeResources(resources: ContainerResources): k8s.ResourceRequirements {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  if (resources.cpu?.request) requests.cpu = k8s.Quantity.fromString(resources.cpu.request.amount);
  if (resources.cpu?.limit) limits.cpu = k8s.Quantity.fromString(resources.cpu.limit.amount);
  if (resources.memory?.request) requests.memory = quantity(resources.memory.request);
  if (resources.memory?.limit) limits.memory = quantity(resources.memory.limit);
  if (resources.ephemeralStorage?.request) requests['ephemeral-storage'] = quantity(resources.ephemeralStorage.request);
  if (resources.ephemeralStorage?.limit) limits['ephemeral-storage'] = quantity(resources.ephemeralStorage.limit);
  return {
    requests: Object.keys(requests).length > 0 ? requests : undefined,
    limits: Object.keys(limits).length > 0 ? limits : undefined,
  };
}

/** A Go duration string (what cert-manager reads), in the largest whole unit. */
function goDuration(duration: Duration): string {
  const seconds = duration.toSeconds();
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
