import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SparkOperator, SparkRbac, SparkRbacScope } from '../src';
import { kubeSchemaErrors } from './util/kube-validator';

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

function byKind(manifests: any[], kind: string): any {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('SparkRbac', () => {
  test('namespace scope renders the driver ServiceAccount, Role and RoleBinding named spark, and the executor ServiceAccount', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    new SparkRbac(chart, 'rbac', { namespace: 'team-a' });

    // THEN
    const manifests = Testing.synth(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/team-a/spark', 'ServiceAccount/team-a/spark-executor', 'Role/team-a/spark', 'RoleBinding/team-a/spark',
    ]);
    expect(manifests.flatMap((m) => kubeSchemaErrors(m))).toEqual([]);
  });

  test('the driver account mounts its token because the driver calls the API server; the executor account does not', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    const rbac = new SparkRbac(chart, 'rbac');

    // THEN
    const accounts = Testing.synth(chart).filter((m) => m.kind === 'ServiceAccount');
    expect(accounts.map((m) => [m.metadata.name, m.automountServiceAccountToken])).toEqual([['spark', true], ['spark-executor', false]]);
    expect(rbac.executorServiceAccount.name).toBe('spark-executor');
  });

  test('only the driver account is bound to the role', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    new SparkRbac(chart, 'rbac', { namespace: 'team-a' });

    // THEN
    expect(byKind(Testing.synth(chart), 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'spark', namespace: 'team-a' }]);
  });

  test('the role grants exactly the driver verbs on pods, services, configmaps and claims, no wildcards', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    new SparkRbac(chart, 'rbac');

    // THEN
    const role = byKind(Testing.synth(chart), 'Role');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ALL_VERBS },
      { apiGroups: [''], resources: ['services'], verbs: ALL_VERBS },
      { apiGroups: [''], resources: ['configmaps'], verbs: ALL_VERBS },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ALL_VERBS },
    ]);
    expect(JSON.stringify(role.rules)).not.toContain('*');
  });

  test('the binding ties the role to the service account', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    new SparkRbac(chart, 'rbac', { namespace: 'team-a', serviceAccountName: 'etl' });

    // THEN
    const binding = byKind(Testing.synth(chart), 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'etl' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'etl', namespace: 'team-a' }]);
  });

  test('the namespace defaults to the chart namespace', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'chart', { namespace: 'jobs' });

    // WHEN
    const rbac = new SparkRbac(chart, 'rbac');

    // THEN
    expect(rbac.namespace).toBe('jobs');
    for (const m of Testing.synth(chart)) {
      expect(m.metadata.namespace).toBe('jobs');
    }
  });

  test('labels go on every object, annotations on the service account only', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    new SparkRbac(chart, 'rbac', {
      labels: { team: 'a' },
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark' },
    });

    // THEN
    const manifests = Testing.synth(chart);
    for (const m of manifests) {
      expect(m.metadata.labels).toEqual({ team: 'a' });
    }
    // Workload identity must reach the executors too: both accounts carry the annotations.
    for (const account of manifests.filter((m) => m.kind === 'ServiceAccount')) {
      expect(account.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark' });
    }
    expect(byKind(manifests, 'Role').metadata.annotations).toBeUndefined();
  });

  test('cluster scope renders a ClusterRole and ClusterRoleBinding without a namespace', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'chart', { namespace: 'jobs' });

    // WHEN
    new SparkRbac(chart, 'rbac', { scope: SparkRbacScope.CLUSTER });

    // THEN
    const manifests = Testing.synth(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => m.kind)).toEqual(['ServiceAccount', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
    expect(manifests.flatMap((m) => kubeSchemaErrors(m))).toEqual([]);
    const clusterRole = byKind(manifests, 'ClusterRole');
    const binding = byKind(manifests, 'ClusterRoleBinding');
    expect(clusterRole.metadata).toEqual({ name: 'jobs-spark' });
    expect(binding.metadata).toEqual({ name: 'jobs-spark' });
    expect(clusterRole.rules.map((r: any) => r.resources[0])).toEqual(['pods', 'services', 'configmaps', 'persistentvolumeclaims']);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'jobs-spark' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'spark', namespace: 'jobs' }]);
    // The accounts stay namespaced.
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.namespace)).toEqual(['jobs', 'jobs']);
  });

  test('cluster scope without any namespace is rejected', () => {
    // GIVEN
    const chart = Testing.chart();

    // THEN
    expect(() => new SparkRbac(chart, 'rbac', { scope: SparkRbacScope.CLUSTER })).toThrow(
      new Error("'namespace' is required with SparkRbacScope.CLUSTER: a ClusterRoleBinding must name the service account's namespace (set 'namespace' or the chart's namespace)"),
    );
  });

  test('a service account name that is not a DNS-1123 subdomain is rejected', () => {
    // GIVEN
    const chart = Testing.chart();

    // THEN
    expect(() => new SparkRbac(chart, 'rbac', { serviceAccountName: 'Spark_Driver' })).toThrow(
      new Error("'serviceAccountName' must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'; at most 244 characters, so that '<name>-executor' fits too), got 'Spark_Driver'"),
    );
  });

  test('it is an IServiceAccount that kplus workloads and bindings accept', () => {
    // GIVEN
    const chart = Testing.chart();
    const rbac = new SparkRbac(chart, 'rbac', { namespace: 'team-a' });

    // WHEN
    const sa: kplus.IServiceAccount = rbac;
    new kplus.Pod(chart, 'notebook', {
      serviceAccount: sa,
      automountServiceAccountToken: true,
      containers: [{ image: 'jupyter/pyspark-notebook' }],
    });

    // THEN
    expect(sa.name).toBe('spark');
    expect(sa.kind).toBe('ServiceAccount');
    expect(sa.apiVersion).toBe('v1');
    expect(sa.resourceType).toBe('serviceaccounts');
    expect(sa.toSubjectConfiguration()).toEqual({ kind: 'ServiceAccount', name: 'spark', namespace: 'team-a', apiGroup: 'core' });
    expect(byKind(Testing.synth(chart), 'Pod').spec.serviceAccountName).toBe('spark');
  });

  test('the objects are reachable as constructs and keep the Resource child id', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    const rbac = new SparkRbac(chart, 'rbac');

    // THEN
    expect(ApiObject.of(rbac.serviceAccount).kind).toBe('ServiceAccount');
    expect(rbac.role.kind).toBe('Role');
    expect(rbac.binding.kind).toBe('RoleBinding');
    expect(rbac.scope).toBe(SparkRbacScope.NAMESPACE);
  });
});

describe('one SparkRbac per service account and namespace in an app', () => {
  test('a second SparkRbac with the same service account in the same namespace, in another chart, is rejected with both paths', () => {
    // GIVEN
    const app = Testing.app();
    new SparkRbac(new Chart(app, 'team-a'), 'spark', { namespace: 'analytics' });
    const jobs = new Chart(app, 'jobs', { namespace: 'analytics' });

    // THEN
    expect(() => new SparkRbac(jobs, 'rbac')).toThrow(new Error(
      "SparkRbac 'jobs/rbac' would render the ServiceAccount 'spark' in namespace 'analytics' a second time: "
      + "SparkRbac 'team-a/spark' of this app already renders it. Use that one as the service account "
      + "(for a job namespace of a SparkOperator: operator.driverRbacOf(namespace)), or give this one another 'serviceAccountName'",
    ));
  });

  test("a SparkRbac in a SparkOperator's job namespace, which already has the operator's driver RBAC, is rejected", () => {
    // GIVEN the operator renders the drivers' SparkRbac in 'analytics' (driverRbac defaults to true)
    const app = Testing.app();
    new SparkOperator(new Chart(app, 'spark-operator'), 'spark', { jobNamespaces: ['analytics'] });

    // THEN
    expect(() => new SparkRbac(new Chart(app, 'analytics', { namespace: 'analytics' }), 'spark')).toThrow(new Error(
      "SparkRbac 'analytics/spark' would render the ServiceAccount 'spark' in namespace 'analytics' a second time: "
      + "SparkRbac 'spark-operator/spark/JobNamespace-analytics/DriverRbac' of this app already renders it. Use that one as the service account "
      + "(for a job namespace of a SparkOperator: operator.driverRbacOf(namespace)), or give this one another 'serviceAccountName'",
    ));
  });

  test("a service account named like another one's executor account is rejected too", () => {
    // GIVEN
    const chart = Testing.chart();
    new SparkRbac(chart, 'spark', { namespace: 'analytics' });

    // THEN
    expect(() => new SparkRbac(chart, 'executor', { namespace: 'analytics', serviceAccountName: 'spark-executor' })).toThrow(new Error(
      "SparkRbac 'test/executor' would render the ServiceAccount 'spark-executor' in namespace 'analytics' a second time: "
      + "SparkRbac 'test/spark' of this app already renders it. Use that one as the service account "
      + "(for a job namespace of a SparkOperator: operator.driverRbacOf(namespace)), or give this one another 'serviceAccountName'",
    ));
  });

  test('two cluster-scoped SparkRbacs for the same namespace are rejected on the shared ServiceAccount', () => {
    // GIVEN
    const app = Testing.app();
    new SparkRbac(new Chart(app, 'one'), 'spark', { namespace: 'analytics', scope: SparkRbacScope.CLUSTER });

    // THEN
    expect(() => new SparkRbac(new Chart(app, 'two'), 'spark', { namespace: 'analytics', scope: SparkRbacScope.CLUSTER })).toThrow(new Error(
      "SparkRbac 'two/spark' would render the ServiceAccount 'spark' in namespace 'analytics' a second time: "
      + "SparkRbac 'one/spark' of this app already renders it. Use that one as the service account "
      + "(for a job namespace of a SparkOperator: operator.driverRbacOf(namespace)), or give this one another 'serviceAccountName'",
    ));
  });

  test('two SparkRbacs without a namespace in one chart are rejected: one file lands in one namespace', () => {
    // GIVEN
    const chart = Testing.chart();
    new SparkRbac(chart, 'first');

    // THEN
    expect(() => new SparkRbac(chart, 'second')).toThrow(new Error(
      "SparkRbac 'test/second' would render the ServiceAccount 'spark' without a namespace in chart 'test' a second time: "
      + "SparkRbac 'test/first' of this app already renders it. Use that one as the service account "
      + "(for a job namespace of a SparkOperator: operator.driverRbacOf(namespace)), or give this one another 'serviceAccountName'",
    ));
  });

  test('the same service account name in other namespaces, in namespace-less charts, or in another app is fine', () => {
    // GIVEN
    const app = Testing.app();
    new SparkRbac(new Chart(app, 'a', { namespace: 'team-a' }), 'spark');
    new SparkRbac(new Chart(app, 'b', { namespace: 'team-b' }), 'spark');
    new SparkRbac(new Chart(app, 'c'), 'spark');
    new SparkRbac(new Chart(app, 'd'), 'spark');
    new SparkRbac(new Chart(app, 'e', { namespace: 'team-a' }), 'other', { serviceAccountName: 'other' });

    // WHEN
    const otherApp = Testing.app();
    new SparkRbac(new Chart(otherApp, 'a', { namespace: 'team-a' }), 'spark');

    // THEN each ServiceAccount is rendered once per namespace and app
    const accounts = app.charts.flatMap((chart) => Testing.synth(chart)).filter((o) => o.kind === 'ServiceAccount')
      .map((o) => `${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
    expect(accounts).toEqual([
      'team-a/spark', 'team-a/spark-executor', 'team-b/spark', 'team-b/spark-executor',
      '-/spark', '-/spark-executor', '-/spark', '-/spark-executor', 'team-a/other', 'team-a/other-executor',
    ]);
  });
});
