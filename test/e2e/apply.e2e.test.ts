import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { KubeObject } from './harness/apply';
import { KubectlError } from './harness/kubectl';
import { e2eCluster, uniqueName } from './harness/suite';

const cluster = e2eCluster();
let namespace: string;
let workDir: string;

beforeAll(async () => {
  namespace = await cluster.createNamespace(uniqueName('e2e-apply'));
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-e2e-apply-'));
});

afterAll(async () => {
  await cluster.deleteNamespace(namespace);
  fs.rmSync(workDir, { recursive: true, force: true });
});

function manifests(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'spark', namespace } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'spark-conf', namespace }, data: { 'spark.properties': 'spark.executor.instances=2\n' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'spark-driver', namespace },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete'] }],
    },
  ];
}

const versions = (objects: KubeObject[]) =>
  Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata?.name}`, o.metadata?.resourceVersion]));

describe('applyManifests: create-or-update with kubectl apply', () => {
  test('applying the same YAML file twice changes nothing', async () => {
    // GIVEN a YAML file applied once
    const file = path.join(workDir, 'app.yaml');
    fs.writeFileSync(file, manifests().map((m) => stringify(m)).join('---\n'));
    const first = await cluster.applyManifests(file);
    expect(Object.keys(versions(first))).toEqual(['ServiceAccount/spark', 'ConfigMap/spark-conf', 'Role/spark-driver']);

    // WHEN it is applied again
    const second = await cluster.applyManifests(file);

    // THEN no object got a new resourceVersion, in the answer or in the store
    expect(versions(second)).toEqual(versions(first));
    const stored = await cluster.kubectlJson<{ items: KubeObject[] }>(['get', 'serviceaccount/spark', 'configmap/spark-conf', 'role/spark-driver', '--namespace', namespace]);
    expect(versions(stored.items)).toEqual(versions(first));
  });

  test('applying a changed object updates it in place', async () => {
    // GIVEN
    const [, configMap] = manifests();
    const [before] = await cluster.applyManifests(configMap);

    // WHEN
    const [after] = await cluster.applyManifests({ ...configMap, data: { 'spark.properties': 'spark.executor.instances=4\n' } });

    // THEN
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.metadata?.resourceVersion).not.toBe(before.metadata?.resourceVersion);
    expect(after.data).toEqual({ 'spark.properties': 'spark.executor.instances=4\n' });
  });

  test('a server-side dry run answers with the admitted object and stores nothing', async () => {
    // GIVEN
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace }, data: { a: 'b' } };

    // WHEN
    const [answer] = await cluster.applyManifests(configMap, { dryRun: true });

    // THEN
    expect(answer.metadata?.name).toBe('dry');
    expect(answer.metadata?.uid).toBeDefined(); // the server filled it in
    const error = await cluster.kubectl(['get', 'configmap', 'dry', '--namespace', namespace]).then(() => undefined, (e: unknown) => e);
    expect((error as KubectlError).stderr).toContain('configmaps "dry" not found');
  });

  test('a server-side dry run reports what the server would reject', async () => {
    // GIVEN an object the API server's validation refuses
    const bad: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name', namespace } };

    // WHEN
    const error = await cluster.applyManifests(bad, { dryRun: 'server' }).then(() => undefined, (e: unknown) => e);

    // THEN
    expect(error).toBeInstanceOf(KubectlError);
    expect((error as KubectlError).stderr).toContain('metadata.name: Invalid value: "Not_A_Name"');
  });
});
