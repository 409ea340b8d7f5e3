// Everything the SparkOperator's pods may do in the cluster: their ServiceAccounts, Roles, ClusterRoles
// and bindings. No wildcards; each rule says why it exists.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { API_GROUP } from '../api';
import { OperatorIdentity, objectMetadata } from './metadata';
import { makeClusterScoped } from '../util/cluster-scoped';

/**
 * What the controller may do in a job namespace (or, watching all namespaces, in every namespace).
 */
function controllerRules(podGroupApiGroups: readonly string[]): k8s.PolicyRule[] {
  return [
    // Native submission: create the driver pod; watch driver and executor pods to drive the state
    // machine; delete the driver on retry, suspend or kill. Pods are never updated.
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    // Native submission: the driver's ConfigMap (spark.properties and the executor pod template),
    // created once, read back when a retried create finds it; garbage collection deletes it with the
    // driver pod that owns it.
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create'] },
    // Native submission: the driver's headless Service, which executors connect to; also the Spark UI
    // Service (`sparkUIOptions`) and one Service per `driverIngressOptions` entry.
    { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    // The Ingress of the Spark UI (with `--ingress-url-format`) and one per `driverIngressOptions`
    // entry; deleted on retry and when the application ends. Never updated.
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    // `driverPodDisruptionBudget`: a policy/v1 PodDisruptionBudget that keeps the driver pod from
    // voluntary eviction while it runs; deleted when the application ends (after a get: only our
    // own). Never updated, never watched.
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'create', 'delete'] },
    // Every state change becomes an Event on the SparkApplication (core/v1 Events, each created once).
    { apiGroups: [''], resources: ['events'], verbs: ['create'] },
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
    // Batch schedulers (`batchSchedulers`): the application's PodGroup, created before its driver
    // pod, read back and updated when a retry adopts it, deleted before the next submission. Only
    // the API groups of the enabled schedulers; never listed or watched.
    ...podGroupApiGroups.length > 0
      ? [{ apiGroups: [...podGroupApiGroups], resources: ['podgroups'], verbs: ['get', 'create', 'update', 'delete'] }]
      : [],
    ...sparkConnectRules(),
  ];
}

/**
 * What the SparkConnect controller adds: its server pod, Service and ConfigMap fall under the
 * rules above (pods and Services created and deleted), but the ConfigMap is rewritten.
 */
function sparkConnectRules(): k8s.PolicyRule[] {
  return [
    // Watch SparkConnects (their spec is never written; one over 32 KiB is left out of the cache and
    // read whole with a get when reconciled) and write their status.
    { apiGroups: [API_GROUP], resources: ['sparkconnects'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [API_GROUP], resources: ['sparkconnects/status'], verbs: ['update'] },
    // The server pod, Service and ConfigMap name their SparkConnect as owner with blockOwnerDeletion.
    { apiGroups: [API_GROUP], resources: ['sparkconnects/finalizers'], verbs: ['update'] },
    // The ConfigMap `<name>-conf` (the executor pod template) is rewritten when the spec changes,
    // before the new server pod starts.
    { apiGroups: [''], resources: ['configmaps'], verbs: ['update'] },
  ];
}

/** A ServiceAccount of an operator component, in the operator namespace. */
export function serviceAccount(scope: Construct, identity: OperatorIdentity, id: string, name: string, component: string): void {
  new k8s.KubeServiceAccount(scope, id, {
    metadata: objectMetadata(identity, name, component, identity.namespace),
    // Tokens are mounted only into the pods that call the API (set on the pod, not here).
    automountServiceAccountToken: false,
  });
}

/**
 * The controller's leader election: a Role and RoleBinding in the operator namespace for its own Lease.
 *
 * @param serviceAccountName the controller's ServiceAccount
 * @param leaseName the Lease the controller replicas compete for
 */
export function controllerLeaderElectionRbac(scope: Construct, identity: OperatorIdentity, serviceAccountName: string, leaseName: string): void {
  grant(scope, 'ControllerLeaderElectionRole', identity, {
    name: `${identity.name}-controller-leader-election`,
    component: 'controller',
    namespace: identity.namespace,
    serviceAccountName,
    rules: [
      // Leader election: the first replica creates the Lease. `create` cannot be limited by name.
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      // Leader election: read and renew (or take over) our own Lease, and no other.
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [leaseName], verbs: ['get', 'update'] },
    ],
  });
}

/**
 * The controller's rights in one job namespace (a Role and RoleBinding), or in every namespace (a
 * ClusterRole and ClusterRoleBinding) when no namespace is given.
 *
 * @param scope the parent of the two objects
 * @param serviceAccountName the controller's ServiceAccount
 * @param namespace the job namespace
 * @param podGroupApiGroups the API groups of the PodGroups of the enabled batch schedulers
 */
export function controllerRbac(scope: Construct, identity: OperatorIdentity, serviceAccountName: string, namespace?: string,
  podGroupApiGroups: readonly string[] = []): void {
  grant(scope, namespace === undefined ? 'ControllerClusterRole' : 'ControllerRole', identity, {
    name: `${identity.name}-controller`,
    component: 'controller',
    namespace,
    serviceAccountName,
    rules: controllerRules(podGroupApiGroups),
  });
}

/**
 * What the webhook needs for self-managed TLS: its certificate Secret (a Role in the operator
 * namespace) and the `caBundle` of its own two webhook configurations (a ClusterRole).
 *
 * @param webhookName the name of the webhook's ServiceAccount, Service and webhook configurations
 * @param secretName the certificate Secret
 */
export function webhookSelfManagedTlsRbac(scope: Construct, identity: OperatorIdentity, webhookName: string, secretName: string): void {
  grant(scope, 'WebhookRole', identity, {
    name: webhookName,
    component: 'webhook',
    namespace: identity.namespace,
    serviceAccountName: webhookName,
    rules: [
      // Self-managed TLS: the first replica creates the certificate Secret. `create` cannot be limited by name.
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      // Self-managed TLS: every replica reads the shared certificate; the one that renews it writes it back.
      { apiGroups: [''], resources: ['secrets'], resourceNames: [secretName], verbs: ['get', 'update'] },
    ],
  });
  grant(scope, 'WebhookClusterRole', identity, {
    name: webhookName,
    component: 'webhook',
    namespace: undefined,
    serviceAccountName: webhookName,
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
}

/**
 * What the webhook needs to judge who asks: a SubjectAccessReview per requesting user (may they
 * create pods in the namespace?), when `--authorize-pod-creation` is on. A ClusterRole, since
 * SubjectAccessReviews are cluster-scoped; `create` is all there is to them.
 *
 * @param webhookName the name of the webhook's ServiceAccount
 */
export function webhookAuthorizationRbac(scope: Construct, identity: OperatorIdentity, webhookName: string): void {
  grant(scope, 'WebhookAuthorizationClusterRole', identity, {
    name: `${webhookName}-authorization`,
    component: 'webhook',
    namespace: undefined,
    serviceAccountName: webhookName,
    rules: [{ apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] }],
  });
}

interface Grant {
  /** Name of the role and of its binding. */
  readonly name: string;
  readonly component: string;
  /** The namespace of a Role; `undefined` for a ClusterRole. */
  readonly namespace: string | undefined;
  /** The operator ServiceAccount the role is bound to. */
  readonly serviceAccountName: string;
  readonly rules: k8s.PolicyRule[];
}

/** A Role and its RoleBinding (`<id>` and `<id>Binding`), or a cluster-scoped ClusterRole and ClusterRoleBinding. */
function grant(scope: Construct, id: string, identity: OperatorIdentity, grantProps: Grant): void {
  const { name, component, namespace } = grantProps;
  const clusterWide = namespace === undefined;
  const role = new (clusterWide ? k8s.KubeClusterRole : k8s.KubeRole)(scope, id, {
    metadata: objectMetadata(identity, name, component, namespace),
    rules: grantProps.rules,
  });
  const binding = new (clusterWide ? k8s.KubeClusterRoleBinding : k8s.KubeRoleBinding)(scope, `${id}Binding`, {
    metadata: objectMetadata(identity, name, component, namespace),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: clusterWide ? 'ClusterRole' : 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: grantProps.serviceAccountName, namespace: identity.namespace }],
  });
  if (clusterWide) {
    makeClusterScoped(role);
    makeClusterScoped(binding);
  }
}
