/*
 * The webhook's check of embedded Kubernetes core types, against the real control plane: the loader
 * reads the core/v1 OpenAPI v3 document as the webhook's ServiceAccount (with only the RBAC that
 * `SparkOperator` renders: `/openapi/*` comes from the default `system:discovery` role), and the
 * checker refuses what the API server itself refuses in a pod, at the same field, and accepts the rest.
 * The document the unit tests use is compared with the live one, so it cannot go stale unnoticed.
 */
import { kubeConfigFromFile } from './harness/client';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { KubectlError } from './harness/kubectl';
import { synthesizeOperator } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { SparkApplication } from '../../src/api';
import { applyDefaults } from '../../src/core';
import { SYSTEM_CLOCK } from '../../src/kube/clock';
import { SILENT } from '../../src/kube/log';
import { RestClient } from '../../src/kube/rest';
import { buildSubmission } from '../../src/runtime/submission';
import { CoreSchemaLoader } from '../../src/runtime/webhook/schema';
import { coreV1OpenApi } from '../fixtures/core-v1-openapi';
import { withEveryEmbeddedField } from '../fixtures/embedded-fields-app';
import { REQUIRED_CASES, podOf } from '../fixtures/required-cases';

const cluster = new Cluster(readConnection());
const OPERATOR_NAMESPACE = uniqueName('schema-operator');
const JOBS = uniqueName('schema-jobs');
const install = synthesizeOperator({ name: uniqueName('spark-schema'), namespace: OPERATOR_NAMESPACE, jobNamespaces: [JOBS] });
const webhook = install.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'webhook');
const RBAC_KINDS = ['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

let loader: CoreSchemaLoader;
/** What the first load as the webhook's ServiceAccount answered. */
let loadedAtStart: boolean;

function application(volumes: unknown[]): Record<string, unknown> {
  return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'pi', namespace: JOBS }, spec: { ...sparkPiSpec(), volumes } };
}

beforeAll(async () => {
  await cluster.createNamespace(JOBS);
  await cluster.applyManifests(install.filter((o) => RBAC_KINDS.includes(o.kind)), { serverSide: true });
  const kubeconfig = await cluster.kubeconfigFor(OPERATOR_NAMESPACE, webhook.spec.template.spec.serviceAccountName);
  loader = new CoreSchemaLoader({ client: RestClient.fromKubeConfig(kubeConfigFromFile(kubeconfig)), log: SILENT, clock: SYSTEM_CLOCK });
  loadedAtStart = await loader.loadOnce();
});

afterAll(async () => {
  const clusterScoped = install.filter((o) => ['ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
  for (const o of clusterScoped) await cluster.kubectl(['delete', o.kind.toLowerCase(), o.metadata.name, '--ignore-not-found']);
  await cluster.deleteNamespace(OPERATOR_NAMESPACE);
  await cluster.deleteNamespace(JOBS);
});

describe('the core/v1 schemas as the webhook reads them', () => {
  test('the webhook ServiceAccount loads the document with the RBAC SparkOperator renders', () => {
    // THEN (loaded in beforeAll, so that each test can run alone)
    expect(loadedAtStart).toBe(true);
    expect(loader.documentUrl).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    expect(loader.checker?.missingDefinitions).toEqual([]);
  });

  test('a misspelt volume source is refused, as the API server refuses it in a pod', async () => {
    // GIVEN
    const volume = { name: 'data', hostpath: { path: '/mnt/data' } };

    // WHEN
    const problems = loader.check(application([volume]));
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probe', namespace: JOBS },
      spec: { containers: [{ name: 'main', image: 'busybox' }], volumes: [volume] },
    };
    const refused = await cluster.kubectl(['create', '--dry-run=server', '--validate=strict', '-f', '-'], { input: JSON.stringify(pod) })
      .then(() => undefined, (e: unknown) => e);

    // THEN
    expect(problems).toEqual([{ path: 'spec.volumes[0].hostpath', message: 'unknown field "hostpath"' }]);
    expect(refused).toBeInstanceOf(KubectlError);
    expect((refused as KubectlError).stderr).toContain('unknown field "spec.volumes[0].hostpath"');
  });

  test('a node affinity operator outside the enum is refused at the field the API server refuses in a pod', async () => {
    // GIVEN
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Inn', values: ['a'] }] }] } },
    };
    const app = application([]);
    (app.spec as any).executor.affinity = affinity;

    // WHEN
    const [problem] = loader.check(app);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probe', namespace: JOBS },
      spec: { containers: [{ name: 'main', image: 'busybox' }], affinity },
    };
    const refused = await cluster.kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(pod) }).then(() => undefined, (e: unknown) => e);

    // THEN the same field below the affinity; the pod's validation says `not a valid selector
    // operator`, the schema's enum lets the webhook name the supported values
    expect(problem).toEqual({
      path: 'spec.executor.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator',
      message: 'Unsupported value: "Inn": supported values: "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"',
    });
    expect((refused as KubectlError).stderr).toContain(`${problem.path.replace('spec.executor.', 'spec.')}: Invalid value: "Inn"`);
  });

  test.each([
    ['a string port', { ports: [{ containerPort: 'abc' }] }, 'ports[0].containerPort', 'Invalid value: "abc": must be of type integer', 'containerPort'],
    ['a port wider than int32', { ports: [{ containerPort: 2 ** 31 }] }, 'ports[0].containerPort', 'Invalid value: 2147483648: must be a 32-bit integer', 'containerPort'],
    ['a quantity that does not parse', { resources: { requests: { cpu: 'half' } } }, 'resources.requests.cpu',
      'Invalid value: "half": must be a quantity such as "500m", "1.5", "2Gi" or "1e3"', 'quantities must match'],
  ])('%s in a sidecar is refused, as the API server refuses it in a pod', async (_, fields, field, message, apiServerSays) => {
    // GIVEN
    const sidecar = { name: 'side', image: 'busybox', ...fields };
    const app = application([]);
    (app.spec as any).driver.sidecars = [sidecar];

    // WHEN
    const problems = loader.check(app);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: JOBS }, spec: { containers: [sidecar] } };
    const refused = await cluster.kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(pod) }).then(() => undefined, (e: unknown) => e);

    // THEN
    expect(problems).toEqual([{ path: `spec.driver.sidecars[0].${field}`, message }]);
    expect(refused).toBeInstanceOf(KubectlError);
    expect((refused as KubectlError).stderr).toContain(apiServerSays);
  });

  test('an application with every embedded field is accepted, and so is the driver pod the controller builds from it', async () => {
    // GIVEN
    const app = application([]) as unknown as SparkApplication;
    withEveryEmbeddedField(app.spec);
    const built = buildSubmission({ ...app, metadata: { ...app.metadata, uid: '0b5f3c2e-7d1a-4e8b-9c6f-2a4d8e1f3b7c' }, spec: applyDefaults(app.spec) },
      { submissionId: 'schema-check', now: new Date() });
    if (!built.submission) throw new Error(`not buildable: ${JSON.stringify(built.problems)}`);
    const { driverPod } = built.submission;
    await cluster.kubectl(['create', 'serviceaccount', driverPod.spec.serviceAccountName ?? 'default', '-n', JOBS]).catch(() => undefined);

    // WHEN
    const problems = loader.check(app);
    const created = await cluster.kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(driverPod) });

    // THEN
    expect(problems).toEqual([]);
    expect(created).toContain('created (server dry run)');
  });

  test('a well-formed volume is accepted', () => {
    expect(loader.check(application([{ name: 'data', hostPath: { path: '/mnt/data', type: 'Directory' } }, { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } }]))).toEqual([]);
  });

  test('the unit tests\' captured document is the one this control plane serves', async () => {
    // GIVEN
    const live = await RestClient.fromKubeConfig(kubeConfigFromFile(cluster.connection.adminKubeconfig)).request<any>('GET', loader.documentUrl!);

    // THEN (otherwise: npx ts-node --transpile-only --project test/e2e/tsconfig.json test/e2e/capture-core-openapi.ts)
    expect(live.components.schemas).toEqual(coreV1OpenApi().components.schemas);
  });
});

describe('required fields: the API server\'s verdict on each case the checker is held to', () => {
  // The unit tests hold the checker to `refused`; this holds `refused` to the API server.
  test.each(REQUIRED_CASES.map((c) => [c.field, c] as const))('%s', async (_, c) => {
    // WHEN a pod without the field is created (dry run)
    const outcome = await cluster.kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(podOf(c, JOBS)) })
      .then(() => 'accepted', (e: unknown) => (e instanceof KubectlError ? `refused: ${e.stderr.trim()}` : String(e)));

    // THEN
    if (c.refused) {
      expect(outcome).toMatch(/^refused: The Pod "required-case" is invalid/);
      // for that field, not for another reason
      expect(outcome).toContain(c.says ?? c.missing.split('.').pop()!.replace(/\[\d+\]$/, ''));
    } else {expect(outcome).toBe('accepted');}
  });
});
