import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SparkRbac, SparkRbacScope } from '../src';
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
