import { ApiObject, Chart } from 'cdk8s';
import { ISecret, ImagePullPolicy, NodeTaintQuery, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ArgoCdHealthChecks, ArgoCdHealthChecksOptions, ArgoCdIgnoreDifference, ArgoCdSyncWaves } from './argocd';
import {
  ControllerOptions, WEBHOOK_SERVICE_PORT, controllerArgs, controllerLeaseName, controllerName, webhookArgs, webhookName as webhookNameOf,
} from './core';
import { OperatorIdentity, operatorLabels, selectorLabels } from './install/metadata';
import { allowSparkPods, operatorNamespace } from './install/namespace';
import { controllerNetworkPolicy, webhookNetworkPolicy } from './install/network-policies';
import { controllerLeaderElectionRbac, controllerRbac, serviceAccount, webhookAuthorizationRbac } from './install/rbac';
import { webhookTls } from './install/tls';
import { caBundleIgnoreDifferences, webhookConfigurations } from './install/webhook-configurations';
import { operatorDeployment, operatorPodDisruptionBudget, operatorService } from './install/workloads';
import { OperatorBatchScheduler } from './operator-batch-scheduler';
import { OperatorImage } from './operator-image';
import { SparkCrds } from './spark-crds';
import { LogLevel, OperatorControllerOptions, OperatorNetworkPolicyOptions, OperatorWebhookOptions } from './spark-operator-options';
import { OperatorSettings, operatorSettings } from './spark-operator-settings';
import { SparkRbac } from './spark-rbac';
import { requireNamespaceName } from './util/validation';

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
   * if it is also a job namespace, since Spark pods rarely meet "restricted"), so the chart applies to
   * a fresh cluster. Turn it off when the namespace is managed elsewhere (another chart, Argo CD's
   * `CreateNamespace=true`). Job namespaces are never created.
   *
   * @default - true, unless the namespace is one of Kubernetes' own (`default`, `kube-system`,
   * `kube-public`, `kube-node-lease`), whose labels the operator must not take over
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
   * Allow the operator's own namespace among the job namespaces.
   *
   * Off by default: whoever may create SparkApplications in a namespace runs pods there, and the
   * operator's namespace holds the operator's own ServiceAccounts. The runtime refuses applications
   * that name those accounts (`--protected-service-accounts`), but a separate namespace keeps jobs
   * away from the operator's Secrets and pods altogether.
   *
   * @default false
   */
  readonly jobsInOperatorNamespace?: boolean;

  /**
   * Render a {@link SparkRbac} (service account, Role and RoleBinding for Spark drivers) in each job
   * namespace. Give it to the SparkApplications of the same app with `driverRbacOf(namespace)`: a
   * second `SparkRbac` with the same service account in the namespace is an error. Turn it off when
   * the namespaces get their RBAC elsewhere (another app, or one `SparkRbac` per team).
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
   * The batch schedulers the controller acts on (flags `--enable-batch-scheduler`,
   * `--kube-scheduler-names`): `OperatorBatchScheduler.VOLCANO`, `OperatorBatchScheduler.YUNIKORN`,
   * `OperatorBatchScheduler.kubeScheduler(name)`. With any of them the controller accepts the built-in
   * Volcano and YuniKorn (as upstream's `--enable-batch-scheduler`), so its RBAC grows by Volcano's
   * PodGroups, and by the kube-schedulers' (their API group only); YuniKorn needs nothing. The
   * schedulers themselves, and their PodGroup CRDs, are installed apart.
   *
   * @default - none: an application that sets `batchScheduler` fails, saying that batch scheduling is not enabled
   */
  readonly batchSchedulers?: OperatorBatchScheduler[];

  /**
   * The batch scheduler of applications that set no `batchScheduler` (flag `--default-batch-scheduler`);
   * one of `batchSchedulers`.
   *
   * @default - none: such applications go to the pods' own scheduler
   */
  readonly defaultBatchScheduler?: OperatorBatchScheduler;

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
   * Render a NetworkPolicy for the controller pods and one for the webhook pods, denying all traffic
   * but what each process needs: the controller receives metrics scrapes and health probes and
   * sends only to the API server and DNS; the webhook receives AdmissionReviews on its port, metrics
   * scrapes and health probes, and sends to the API server only with self-managed TLS (with
   * cert-manager it sends nothing). Only enforced where the cluster's network plugin enforces
   * NetworkPolicies.
   *
   * @default true
   */
  readonly networkPolicies?: boolean;

  /**
   * Options of the NetworkPolicies; only allowed when `networkPolicies` is not `false`.
   *
   * @default - see `OperatorNetworkPolicyOptions`
   */
  readonly networkPolicyOptions?: OperatorNetworkPolicyOptions;

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

/** The namespaces Kubernetes creates itself: `createNamespace` does not default to true for them. */
const KUBERNETES_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

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
 * - the mutating webhook (defaults) ignores failures, since the controller applies the same
 *   defaults; the validating webhook fails closed while it checks who may create pods (the default,
 *   see `OperatorWebhookOptions.failurePolicy`), so a SparkApplication written while the webhook is
 *   down is refused and must be applied again (Argo CD retries); without that check it ignores
 *   failures too, and the controller validates again and reports problems in the status;
 * - the webhook configurations come last in the sync (after the webhook is healthy) and are pruned
 *   first, and they only match SparkApplication and ScheduledSparkApplication in the job namespaces
 *   (never pods, never the status subresource the controller writes);
 * - applications created before the operator are picked up when the controller starts; the CRDs are
 *   never pruned or deleted by Argo CD (`Prune=false,Delete=false`), so removing the operator
 *   keeps every application.
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
  private readonly jobsInOperatorNamespace: boolean;
  private readonly _driverRbacs = new Map<string, SparkRbac>();
  private readonly driverRbacEnabled: boolean;
  private readonly driverServiceAccountName: string;
  /** Name, namespace, labels and sync waves: what every object's metadata is made of. */
  private readonly identity: OperatorIdentity;
  private namespaceObject?: ApiObject;
  /** The API groups of the PodGroups of the enabled batch schedulers. */
  private readonly podGroupApiGroups: string[];

  constructor(scope: Construct, id: string, props: SparkOperatorProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'spark-operator';
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'spark-operator';
    this.image = props.image ?? OperatorImage.default();
    this.watchesAllNamespaces = props.watchAllNamespaces ?? false;
    this.webhookEnabled = props.webhook ?? true;
    this.jobsInOperatorNamespace = props.jobsInOperatorNamespace ?? false;
    this.driverRbacEnabled = props.driverRbac ?? true;
    this.driverServiceAccountName = props.driverServiceAccountName ?? 'spark';
    this.controllerServiceAccountName = controllerName(this.name);
    const settings = operatorSettings(props, this.name, this.namespace, this.image, this.webhookEnabled);
    // With batch scheduling on, the controller (as upstream's --enable-batch-scheduler) accepts Volcano
    // and YuniKorn whichever were listed, so its RBAC covers Volcano's PodGroups whenever any is.
    const batchSchedulers = props.batchSchedulers ?? [];
    this.podGroupApiGroups = batchSchedulers.length === 0 ? [] : [...new Set([
      ...OperatorBatchScheduler.VOLCANO.podGroupApiGroup ? [OperatorBatchScheduler.VOLCANO.podGroupApiGroup] : [],
      ...batchSchedulers.flatMap((s) => s.podGroupApiGroup ?? []),
    ])];
    const syncWaves = props.syncWaves ?? ArgoCdSyncWaves.default();
    this.identity = { name: this.name, namespace: this.namespace, extraLabels: { ...props.labels }, syncWaves };

    if (props.createNamespace ?? !KUBERNETES_NAMESPACES.includes(this.namespace)) {
      this.namespaceObject = operatorNamespace(this, this.identity);
    }
    if (props.installCrds ?? true) {
      // SparkCrds adds the CRD sync wave and keeps the CRDs when Argo CD prunes or deletes the app.
      this.crds = new SparkCrds(this, 'Crds', { labels: operatorLabels(this.identity), syncWaves: this.identity.syncWaves });
    }
    this.renderControllerAccount();
    for (const namespace of props.jobNamespaces ?? (this.watchesAllNamespaces ? [] : ['default'])) {
      this.addJobNamespace(namespace);
    }
    this.controllerDeployment = this.renderController(settings);
    if (this.webhookEnabled) this.webhookDeployment = this.renderWebhook(settings);
    if (props.podMonitor ?? false) this.renderPodMonitor(settings);

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
    if (namespace === this.namespace && !this.jobsInOperatorNamespace) {
      throw new Error(`job namespace ${JSON.stringify(namespace)} is the operator's own namespace, where its ServiceAccounts live: `
        + "run jobs in another namespace, or set 'jobsInOperatorNamespace: true'");
    }
    this._jobNamespaces.push(namespace);
    if (namespace === this.namespace && this.namespaceObject !== undefined) {
      allowSparkPods(this.namespaceObject);
    }
    const scope = new Construct(this, `JobNamespace-${namespace}`);
    if (!this.watchesAllNamespaces) {
      controllerRbac(scope, this.identity, this.controllerServiceAccountName, namespace, this.podGroupApiGroups);
    }
    if (!this.driverRbacEnabled) {
      return undefined;
    }
    const rbac = new SparkRbac(scope, 'DriverRbac', {
      namespace,
      serviceAccountName: this.driverServiceAccountName,
      labels: operatorLabels(this.identity, 'driver'),
    });
    for (const apiObject of [rbac.serviceAccount, rbac.executorServiceAccount, rbac.role, rbac.binding].map((c) => ApiObject.of(c))) {
      for (const [key, value] of Object.entries(this.identity.syncWaves._rbac())) {
        apiObject.metadata.addAnnotation(key, value);
      }
    }
    this._driverRbacs.set(namespace, rbac);
    return rbac;
  }

  /**
   * The driver RBAC rendered in a job namespace (service account, Role, RoleBinding), to give to
   * SparkApplications in the same app as their service account, so that the app renders it once.
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
    return caBundleIgnoreDifferences(`${this.name}-webhook`);
  }

  /**
   * The Argo CD health checks of the operator's kinds, as `argocd-cm` data entries: the same as
   * `ArgoCdHealthChecks.configMapEntries()`, here so they sit next to `argoCdIgnoreDifferences()`.
   *
   * @param options how the checks judge
   */
  public argoCdHealthChecks(options: ArgoCdHealthChecksOptions = {}): { [key: string]: string } {
    return ArgoCdHealthChecks.configMapEntries(options);
  }

  /** The controller's ServiceAccount, its leader-election RBAC, and its cluster RBAC when it watches every namespace. */
  private renderControllerAccount(): void {
    serviceAccount(this, this.identity, 'ControllerServiceAccount', this.controllerServiceAccountName, 'controller');
    controllerLeaderElectionRbac(this, this.identity, this.controllerServiceAccountName, controllerLeaseName(this.name));
    if (this.watchesAllNamespaces) {
      // No namespace: a ClusterRole for every namespace instead of a Role per job namespace.
      controllerRbac(this, this.identity, this.controllerServiceAccountName, undefined, this.podGroupApiGroups);
    }
  }

  /** The controller's Deployment, metrics Service, PDB and NetworkPolicy. */
  private renderController(settings: OperatorSettings): ApiObject {
    const { controller, common, pod, networkPolicies } = settings;
    const leaseName = controllerLeaseName(this.name);
    const deployment = operatorDeployment(this, this.identity, 'ControllerDeployment', {
      component: 'controller',
      serviceAccountName: this.controllerServiceAccountName,
      // The controller calls the API server: it needs its token.
      automountServiceAccountToken: true,
      replicas: controller.replicas,
      resources: controller.resources,
      args: () => controllerArgs({
        ...common,
        ...controller.flags,
        allNamespaces: this.watchesAllNamespaces || undefined,
        namespaces: this.watchesAllNamespaces ? undefined : [...this._jobNamespaces],
        leaderElectionLockName: leaseName,
        leaderElectionLockNamespace: this.namespace,
      } satisfies ControllerOptions),
      extraPorts: [],
      extraVolumes: [],
      pod,
    });
    operatorService(this, this.identity, 'ControllerMetricsService', `${this.name}-controller-metrics`, 'controller', {
      name: 'metrics', port: common.metricsPort, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP',
    });
    if (controller.replicas > 1) {
      operatorPodDisruptionBudget(this, this.identity, 'ControllerPodDisruptionBudget', `${this.name}-controller`, 'controller');
    }
    if (networkPolicies !== undefined) controllerNetworkPolicy(this, this.identity, networkPolicies);
    return deployment;
  }

  /** The admission webhook: its ServiceAccount, TLS, RBAC, Deployment, Service, PDB, NetworkPolicy and the two configurations. */
  private renderWebhook(settings: OperatorSettings): ApiObject {
    const { webhook, common, pod, networkPolicies } = settings;
    const webhookName = webhookNameOf(this.name);
    serviceAccount(this, this.identity, 'WebhookServiceAccount', webhookName, 'webhook');
    const tls = webhookTls(this, this.identity, webhook.tls, webhookName);
    if (webhook.authorizePodCreation) webhookAuthorizationRbac(this, this.identity, webhookName);
    const deployment = operatorDeployment(this, this.identity, 'WebhookDeployment', {
      component: 'webhook',
      serviceAccountName: webhookName,
      // It reads the cluster's OpenAPI schemas (embedded Kubernetes types), and asks SubjectAccessReviews.
      automountServiceAccountToken: true,
      replicas: webhook.replicas,
      resources: webhook.resources,
      args: () => webhookArgs({ ...common, port: webhook.port, authorizePodCreation: webhook.authorizePodCreation, ...tls.options }),
      extraPorts: [{ name: 'webhook', containerPort: webhook.port, protocol: 'TCP' }],
      extraVolumes: tls.volumes,
      pod,
    });
    operatorService(this, this.identity, 'WebhookService', webhookName, 'webhook', {
      name: 'https', port: WEBHOOK_SERVICE_PORT, targetPort: k8s.IntOrString.fromString('webhook'), protocol: 'TCP',
    });
    if (webhook.replicas > 1) {
      operatorPodDisruptionBudget(this, this.identity, 'WebhookPodDisruptionBudget', webhookName, 'webhook');
    }
    if (networkPolicies !== undefined) webhookNetworkPolicy(this, this.identity, networkPolicies, webhook.port);
    webhookConfigurations(this, this.identity, {
      webhookName,
      mutatingFailurePolicy: webhook.mutatingFailurePolicy,
      validatingFailurePolicy: webhook.validatingFailurePolicy,
      timeoutSeconds: webhook.timeoutSeconds,
      annotations: tls.webhookConfigurationAnnotations,
      allNamespaces: this.watchesAllNamespaces,
      jobNamespaces: () => this.jobNamespaces,
    });
    return deployment;
  }

  /** The Prometheus Operator's PodMonitor of both components' metrics. */
  private renderPodMonitor(settings: OperatorSettings): void {
    new ApiObject(this, 'PodMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: operatorLabels(this.identity),
        annotations: this.identity.syncWaves._workloads(),
      },
      spec: {
        selector: { matchLabels: selectorLabels(this.identity) },
        podMetricsEndpoints: [{ port: 'metrics', path: settings.common.metricsEndpoint }],
      },
    });
  }
}
