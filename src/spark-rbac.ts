import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { DNS_1123_SUBDOMAIN, DNS_SUBDOMAIN_MAX_LENGTH } from './core';
import { makeClusterScoped } from './util/cluster-scoped';

/**
 * Where the permissions of a {@link SparkRbac} apply.
 */
export enum SparkRbacScope {
  /**
   * A Role and a RoleBinding: the driver may manage pods, services, ConfigMaps and claims in the
   * service account's own namespace only. The right choice for almost every job.
   */
  NAMESPACE = 'Namespace',

  /**
   * A ClusterRole and a ClusterRoleBinding: the driver may manage pods, services, ConfigMaps and
   * claims in every namespace, for drivers that run executors outside their own namespace
   * (`spark.kubernetes.namespace` set to another namespace in client mode).
   *
   * Use it with care: creating pods in every namespace, `kube-system` included, lets whoever holds
   * this token run a pod as any service account of the cluster, which is close to cluster-admin.
   * Prefer one `SparkRbac` per namespace the driver needs.
   */
  CLUSTER = 'Cluster',
}

/**
 * Properties of {@link SparkRbac}.
 */
export interface SparkRbacProps {
  /**
   * Namespace of the service account, and of the Role and RoleBinding.
   *
   * @default - the chart's namespace (for `SparkRbacScope.NAMESPACE` it may be unset, and the
   * objects land in the namespace they are applied to)
   */
  readonly namespace?: string;

  /**
   * Name of the service account. The Role and RoleBinding (namespace scope) share it; the
   * ClusterRole and ClusterRoleBinding (cluster scope) are named `<namespace>-<serviceAccountName>`
   * so that one cluster can hold one per namespace.
   *
   * @default 'spark'
   */
  readonly serviceAccountName?: string;

  /**
   * Where the permissions apply.
   *
   * @default SparkRbacScope.NAMESPACE
   */
  readonly scope?: SparkRbacScope;

  /**
   * Labels added to every object (service account, role, binding).
   *
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the service account only, for example a cloud workload identity
   * (`eks.amazonaws.com/role-arn`, `iam.gke.io/gcp-service-account`) so that Spark reads object
   * storage without keys.
   *
   * @default - no annotations
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
}

/** One rule of the driver role: a core (`""` group) resource and the verbs Spark uses on it. */
interface DriverRule {
  readonly resource: kplus.ApiResource;
  readonly verbs: string[];
}

/**
 * The permissions of a Spark driver: the four core resources and verbs of the upstream chart's
 * `spark-operator-spark` Role (kubeflow chart `templates/spark/rbac.yaml`), each with the Spark
 * code path that needs it. No wildcards: a new Kubernetes resource never becomes reachable by
 * accident.
 *
 * The same service account serves three callers, and the verbs cover all three:
 * - the driver in cluster mode (executors, their ConfigMap and on-demand claims, and cleanup);
 * - a driver in client mode, such as a notebook pod (the same calls as a cluster-mode driver);
 * - `spark-submit --deploy-mode cluster` run from a pod with this account (it creates the driver
 *   pod, ConfigMap, Service and claims; Spark 3.x with create-or-replace = `update`, Spark 4.x
 *   with server-side apply = `patch` + `create`).
 */
const DRIVER_RULES: readonly DriverRule[] = [
  {
    // Executors: the driver reads its own pod (spark.kubernetes.driver.pod.name, to make it the owner
    // of every executor), creates executor pods (ExecutorPodsAllocator), watches and lists them
    // (ExecutorPodsWatchSnapshotSource, ExecutorPodsPollingSnapshotSource), patches/updates their
    // labels (inactive executors when deleteOnTermination=false, decommissioning) and deletes them
    // one by one and by label selector at stop (delete, deletecollection).
    resource: kplus.ApiResource.PODS,
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  },
  {
    // Driver Service: at SparkContext.stop() the driver deletes the Services labelled with its
    // spark-app-selector (spark.kubernetes.driver.service.deleteOnTermination, default true); a
    // submitter running in a pod creates (3.x: create or replace, 4.x: server-side apply) the
    // headless driver Service.
    resource: kplus.ApiResource.SERVICES,
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  },
  {
    // ConfigMaps: the driver creates the executor ConfigMap spark-exec-<id>-conf-map and deletes it
    // by label at stop; a submitter running in a pod creates the driver ConfigMap
    // (spark-drv-<id>-conf-map) and the pod-template ConfigMap.
    resource: kplus.ApiResource.CONFIG_MAPS,
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  },
  {
    // Claims: volumes with claimName=OnDemand make the driver create one PersistentVolumeClaim per
    // executor (and the submitter one per driver, server-side applied and re-applied with an
    // owner); spark.kubernetes.driver.reusePersistentVolumeClaim lists them for reuse; the driver
    // deletes the claims labelled with its spark-app-selector at stop.
    resource: kplus.ApiResource.PERSISTENT_VOLUME_CLAIMS,
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  },
];

/** Suffix of the executors' service account name. */
const EXECUTOR_SUFFIX = '-executor';

/**
 * The objects that each app's SparkRbacs render, keyed by kind, namespace and name, with the
 * SparkRbac that renders them. The app is the root of the construct tree.
 */
const RENDERED_BY_APP = new WeakMap<IConstruct, Map<string, SparkRbac>>();

/**
 * What a Spark driver needs to run in a namespace: a service account with an API token, a role
 * with exactly the permissions Spark's driver uses, and the binding between them.
 *
 * Give it to a `SparkApplication` as its service account (`serviceAccount: rbac`): `SparkRbac`
 * is itself an `IServiceAccount`. Executors run user code and never call the API, so they get a
 * second account, `<name>-executor`, with no role and no token mounted (without it Spark would
 * run them as the driver's account, `spark.kubernetes.authenticate.executor.serviceAccountName`).
 * Both accounts carry `serviceAccountAnnotations`, so workload identity reaches the executors.
 *
 * **Client mode.** A notebook (Jupyter, Zeppelin) that starts a `SparkSession` with
 * `master=k8s://https://kubernetes.default.svc` is a client-mode driver: run the notebook pod with
 * this service account (`serviceAccountName: spark`, token mounted), set
 * `spark.kubernetes.namespace` to this namespace, `spark.kubernetes.driver.pod.name` to the
 * notebook pod's name (so executors are garbage-collected with it) and `spark.driver.host` to a
 * headless Service in front of the notebook pod (executors connect back to the driver; Spark
 * creates no Service in client mode). The notebook then needs exactly the permissions of a
 * cluster-mode driver, which this role grants.
 *
 * With `SparkRbacScope.CLUSTER` the role and binding are cluster-scoped (ClusterRole,
 * ClusterRoleBinding, rendered without a namespace); the service account stays in `namespace`,
 * which must then be known.
 */
export class SparkRbac extends Construct implements kplus.IServiceAccount {
  /** The service account that drivers run as, with the driver's role and an API token. */
  public readonly serviceAccount: kplus.ServiceAccount;

  /** The service account that executors run as: `<name>-executor`, no role, no API token. */
  public readonly executorServiceAccount: kplus.ServiceAccount;

  /** The Role (namespace scope) or ClusterRole (cluster scope) with the driver's permissions. */
  public readonly role: kplus.IRole;

  /** The RoleBinding (namespace scope) or ClusterRoleBinding (cluster scope). */
  public readonly binding: kplus.IResource;

  /** Where the permissions apply. */
  public readonly scope: SparkRbacScope;

  /** Namespace of the service account, if known at synth time. */
  public readonly namespace?: string;

  /** The resource type of a service account (`serviceaccounts`), for RBAC rules about it. */
  public readonly resourceType = 'serviceaccounts';

  constructor(scope: Construct, id: string, props: SparkRbacProps = {}) {
    super(scope, id);
    const serviceAccountName = props.serviceAccountName ?? 'spark';
    const maxLength = DNS_SUBDOMAIN_MAX_LENGTH - EXECUTOR_SUFFIX.length;
    if (!DNS_1123_SUBDOMAIN.test(serviceAccountName) || serviceAccountName.length > maxLength) {
      throw new Error(`'serviceAccountName' must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'; at most ${maxLength} characters, so that '<name>${EXECUTOR_SUFFIX}' fits too), got '${serviceAccountName}'`);
    }
    this.scope = props.scope ?? SparkRbacScope.NAMESPACE;
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    if (this.scope === SparkRbacScope.CLUSTER && this.namespace === undefined) {
      throw new Error("'namespace' is required with SparkRbacScope.CLUSTER: a ClusterRoleBinding must name the service account's namespace (set 'namespace' or the chart's namespace)");
    }
    this.claimObjects(serviceAccountName);
    const labels = props.labels;

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: serviceAccountName,
        namespace: this.namespace,
        labels,
        annotations: props.serviceAccountAnnotations,
      },
      // The driver calls the API server (A.7 "API access"): it needs the token.
      automountToken: true,
    });
    this.executorServiceAccount = new kplus.ServiceAccount(this, 'ExecutorServiceAccount', {
      metadata: {
        name: `${serviceAccountName}${EXECUTOR_SUFFIX}`,
        namespace: this.namespace,
        labels,
        annotations: props.serviceAccountAnnotations,
      },
      // Executors run user code and never call the API server: no token to steal.
      automountToken: false,
    });

    if (this.scope === SparkRbacScope.NAMESPACE) {
      const role = new kplus.Role(this, 'Role', {
        metadata: { name: serviceAccountName, namespace: this.namespace, labels },
      });
      for (const rule of DRIVER_RULES) {
        role.allow([...rule.verbs], rule.resource);
      }
      const binding = new kplus.RoleBinding(this, 'RoleBinding', {
        metadata: { name: serviceAccountName, namespace: this.namespace, labels },
        role,
      });
      binding.addSubjects(this.serviceAccount);
      this.role = role;
      this.binding = binding;
    } else {
      const name = `${this.namespace}-${serviceAccountName}`;
      const role = new kplus.ClusterRole(this, 'ClusterRole', { metadata: { name, labels } });
      for (const rule of DRIVER_RULES) {
        role.allow([...rule.verbs], rule.resource);
      }
      const binding = new kplus.ClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name, labels },
        role,
      });
      binding.addSubjects(this.serviceAccount);
      makeClusterScoped(ApiObject.of(role));
      // kplus renders `resourceNames: []` on every ClusterRole rule; the API server drops the empty
      // list, so leaving it in makes Argo CD show a permanent diff.
      DRIVER_RULES.forEach((_, i) => ApiObject.of(role).addJsonPatch(JsonPatch.remove(`/rules/${i}/resourceNames`)));
      makeClusterScoped(ApiObject.of(binding));
      this.role = role;
      this.binding = binding;
    }
    // kplus renders `apiGroup: ''` for a ServiceAccount subject; the API server omits the empty
    // string, so leaving it in makes every re-apply "configured" and Argo CD show a permanent diff.
    ApiObject.of(this.binding).addJsonPatch(JsonPatch.remove('/subjects/0/apiGroup'));
  }

  /**
   * Records the objects this SparkRbac renders in its app, and rejects it when another SparkRbac
   * already renders one of them: the same ServiceAccount, Role or binding in two output files is one
   * object with two owners, which Argo CD (and `kubectl apply --prune`) fight over.
   */
  private claimObjects(serviceAccountName: string): void {
    // Objects without a namespace land in the namespace their file is applied to: only two in the
    // same chart (one file) surely meet.
    const where = this.namespace === undefined
      ? `without a namespace in chart '${Chart.of(this).node.path}'`
      : `in namespace '${this.namespace}'`;
    const objects = [
      `ServiceAccount '${serviceAccountName}' ${where}`,
      `ServiceAccount '${serviceAccountName}${EXECUTOR_SUFFIX}' ${where}`,
      ...(this.scope === SparkRbacScope.NAMESPACE
        ? [`Role '${serviceAccountName}' ${where}`, `RoleBinding '${serviceAccountName}' ${where}`]
        : [`ClusterRole '${this.namespace}-${serviceAccountName}'`, `ClusterRoleBinding '${this.namespace}-${serviceAccountName}'`]),
    ];
    const app = this.node.root;
    const rendered = RENDERED_BY_APP.get(app) ?? new Map<string, SparkRbac>();
    RENDERED_BY_APP.set(app, rendered);
    for (const object of objects) {
      const owner = rendered.get(object);
      if (owner !== undefined) {
        throw new Error(`SparkRbac '${this.node.path}' would render the ${object} a second time: SparkRbac '${owner.node.path}' of this app already renders it. `
          + 'Use that one as the service account (for a job namespace of a SparkOperator: operator.driverRbacOf(namespace)), '
          + "or give this one another 'serviceAccountName'");
      }
    }
    for (const object of objects) {
      rendered.set(object, this);
    }
  }

  /** The name of the service account. */
  public get name(): string {
    return this.serviceAccount.name;
  }

  /** The API version of the service account (`v1`). */
  public get apiVersion(): string {
    return this.serviceAccount.apiVersion;
  }

  /** The API group of the service account (`core`). */
  public get apiGroup(): string {
    return this.serviceAccount.apiGroup;
  }

  /** The kind of the service account (`ServiceAccount`). */
  public get kind(): string {
    return this.serviceAccount.kind;
  }

  /** The name of the service account, for RBAC rules about this one object. */
  public get resourceName(): string | undefined {
    return this.serviceAccount.resourceName;
  }

  /** The service account as a subject of role bindings. */
  public toSubjectConfiguration(): kplus.SubjectConfiguration {
    return this.serviceAccount.toSubjectConfiguration();
  }
}
