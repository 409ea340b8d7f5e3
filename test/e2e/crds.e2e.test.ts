import { completeSparkApplication } from '../fixtures/complete-documents';
import { loadFixtures } from '../util/fixtures';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { KubectlError } from './harness/kubectl';
import { installSparkCrds, sparkCrdsYaml } from './harness/spark-crds';

const cluster = new Cluster(readConnection());
const NAMESPACE = 'e2e-crds';

/** A SparkApplication document with only what a user writes (no server-set metadata or status). */
function userDocument(name: string, edit: (spec: any) => void = () => undefined): any {
  const spec = JSON.parse(JSON.stringify(completeSparkApplication.spec));
  edit(spec);
  return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name, namespace: NAMESPACE }, spec };
}

/** The API server's answer to creating `doc`: its stderr if rejected. */
async function rejection(doc: any): Promise<string> {
  try {
    await cluster.kubectl(['create', '-f', '-', '--dry-run=server'], { input: JSON.stringify(doc) });
  } catch (err) {
    if (err instanceof KubectlError) return err.stderr;
    throw err;
  }
  throw new Error(`${doc.metadata.name} was accepted`);
}

beforeAll(async () => {
  // WHEN the CRDs are applied the plain way: client-side, with the last-applied annotation.
  await installSparkCrds(cluster);
  await cluster.createNamespace(NAMESPACE);
});

describe('the CRDs on a real API server', () => {
  test('a client-side apply stores them with the last-applied annotation, and they become Established', async () => {
    const crd = await cluster.kubectlJson<any>(['get', 'crd', 'sparkapplications.sparkoperator.k8s.io']);
    expect(crd.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBeDefined();
    expect(crd.status.conditions.find((c: any) => c.type === 'Established').status).toBe('True');
    expect(crd.status.acceptedNames.shortNames).toEqual(['sparkapp']);
    // A non-structural schema would be served but flagged (and its fields neither pruned nor defaulted).
    expect(crd.status.conditions.filter((c: any) => c.type === 'NonStructuralSchema')).toEqual([]);
  });

  test('applying them again changes nothing', async () => {
    const before = await cluster.kubectlJson<any>(['get', 'crd', 'sparkapplications.sparkoperator.k8s.io']);
    const out = await cluster.kubectl(['apply', '-f', '-'], { input: sparkCrdsYaml() });
    const after = await cluster.kubectlJson<any>(['get', 'crd', 'sparkapplications.sparkoperator.k8s.io']);
    expect(out).toMatch(/unchanged/);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  test('discovery serves the fields with their descriptions (kubectl explain)', async () => {
    const explained = await cluster.kubectl(['explain', 'sparkapplications.spec.executor.instances']);
    expect(explained).toContain('Number of executors: spark.executor.instances');
    const scheduled = await cluster.kubectl(['explain', 'scheduledsparkapp.spec.template.driver.cores']);
    expect(scheduled).toContain('spark.driver.cores');
  });

  test('a document with every field is stored as written: nothing is pruned', async () => {
    // GIVEN
    const doc = userDocument('complete');
    // WHEN
    const stored = JSON.parse(await cluster.kubectl(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify(doc) }));
    // THEN
    expect(stored.spec).toEqual(doc.spec);
    await cluster.kubectl(['delete', 'sparkapplication', 'complete', '-n', NAMESPACE]);
  });

  test.each(loadFixtures('valid'))('%s, written for the upstream operator, is accepted', async (_file, doc) => {
    const inNamespace = { ...doc, metadata: { ...doc.metadata, namespace: NAMESPACE } };
    const stored = JSON.parse(await cluster.kubectl(['create', '-f', '-', '--dry-run=server', '-o', 'json'], { input: JSON.stringify(inNamespace) }));
    expect(stored.spec).toEqual(doc.spec);
  });

  test('kubectl get shows the upstream printer columns', async () => {
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(userDocument('columns')) });
    const table = await cluster.kubectl(['get', 'sparkapp', 'columns', '-n', NAMESPACE]);
    expect(table.split('\n')[0].split(/\s{2,}/)).toEqual(['NAME', 'SUSPEND', 'STATUS', 'ATTEMPTS', 'START', 'FINISH', 'AGE']);
  });
});

describe('invalid SparkApplications are rejected with a message that names the field', () => {
  test('schema: driver cores below 1', async () => {
    const stderr = await rejection(userDocument('bad-cores', (s) => { s.driver.cores = 0; }));
    expect(stderr).toContain('spec.driver.cores: Invalid value: 0: spec.driver.cores in body should be greater than or equal to 1');
  });

  test('schema: an unknown application type', async () => {
    const stderr = await rejection(userDocument('bad-type', (s) => { s.type = 'Go'; }));
    expect(stderr).toContain('spec.type: Unsupported value: "Go"');
  });

  test('schema: a missing required field', async () => {
    const stderr = await rejection(userDocument('no-file', (s) => { delete s.mainApplicationFile; }));
    expect(stderr).toContain('spec.mainApplicationFile: Required value');
  });

  test('rule: a Java application without mainClass', async () => {
    const stderr = await rejection(userDocument('no-main', (s) => { s.type = 'Java'; delete s.mainClass; }));
    expect(stderr).toContain('spec.mainClass: Required value: mainClass is required for Java and Scala applications');
  });

  test('rule: dynamic allocation with min above max', async () => {
    const stderr = await rejection(userDocument('bad-bounds', (s) => {
      s.dynamicAllocation = { enabled: true, minExecutors: 5, initialExecutors: 5, maxExecutors: 2 };
    }));
    expect(stderr).toContain('spec.dynamicAllocation.minExecutors');
    expect(stderr).toContain('minExecutors must be <= maxExecutors');
  });

  test('rule: a sparkConf key the operator owns', async () => {
    const stderr = await rejection(userDocument('owned-conf', (s) => { s.sparkConf = { 'spark.master': 'local[*]' }; }));
    expect(stderr).toContain('spec.sparkConf: Forbidden: sparkConf must not set keys the operator owns');
  });

  test('rule: spec.nodeSelector together with a per-role nodeSelector', async () => {
    const stderr = await rejection(userDocument('two-selectors', (s) => { s.nodeSelector = { pool: 'spark' }; }));
    expect(stderr).toContain('spec.nodeSelector: Forbidden: spec.nodeSelector is exclusive with driver.nodeSelector and executor.nodeSelector');
  });

  test('rule: the same rules hold inside a ScheduledSparkApplication template', async () => {
    const template = userDocument('x', (s) => { s.type = 'Java'; delete s.mainClass; }).spec;
    const stderr = await rejection({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'nightly', namespace: NAMESPACE },
      spec: { schedule: '0 2 * * *', template },
    });
    expect(stderr).toContain('spec.template.mainClass: Required value');
  });

  test('rules: a SparkConnect may not set a sparkConf key the operator owns there, nor dynamic allocation bounds Spark refuses', async () => {
    // GIVEN a SparkConnect as upstream's example writes one
    const connect = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'sparkoperator.k8s.io/v1alpha1',
      kind: 'SparkConnect',
      metadata: { name, namespace: NAMESPACE },
      spec: { sparkVersion: '4.0.1', image: 'spark:4.0.1', server: { cores: 1, memory: '512m' }, executor: { instances: 1 }, ...spec },
    });
    // WHEN it sets the driver port (the server's Service fixes it), or a minimum above the maximum
    const port = await rejection(connect('port', { sparkConf: { 'spark.driver.port': '7000' } }));
    const bounds = await rejection(connect('bounds', { dynamicAllocation: { enabled: true, minExecutors: 3, maxExecutors: 1 } }));
    // THEN the API server refuses each with its field
    expect(port).toContain('spec.sparkConf: Forbidden: sparkConf must not set keys the operator owns in a SparkConnect');
    expect(bounds).toContain('spec.dynamicAllocation.minExecutors: Invalid value: minExecutors must be <= maxExecutors');
  });
});
