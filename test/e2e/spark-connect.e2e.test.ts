/*
 * SparkConnect on the real control plane: upstream's example, unchanged but for its namespace, is
 * accepted by our CRD and run by the controller bundle with the RBAC SparkOperator renders (its
 * driver ServiceAccount named as upstream's chart names it, `spark-operator-spark`, which the example
 * uses). kwok plays the kubelet and marks the server pod ready; no Spark runs here (the real node
 * test does that).
 */
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { OperatorOptions, RunningOperator, startController } from './harness/operator';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { loadFixtures } from '../util/fixtures';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('connect');
const OPERATOR: OperatorOptions = {
  jobNamespaces: [NAMESPACE], namespace: uniqueName('spark-operator'), driverServiceAccountName: 'spark-operator-spark',
};
const FINGERPRINT = 'sparkoperator.k8s.io/connect-fingerprint';

let operator: RunningOperator;

/** Upstream's example (test/fixtures/valid/spark-connect.yaml) in our namespace, under `name`. */
function upstreamExample(name = 'spark-connect'): any {
  const [[, doc]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
  return { ...doc, metadata: { ...doc.metadata, name, namespace: NAMESPACE } };
}

async function create(object: unknown): Promise<any> {
  return JSON.parse(await cluster.kubectl(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify(object) }));
}

async function getConnect(name: string): Promise<any> {
  return cluster.kubectlJson<any>(['get', 'sparkconnect', name, '-n', NAMESPACE]);
}

/** `kind/name` in the namespace, or undefined when it is not there. */
async function find(kind: string, name: string): Promise<any | undefined> {
  const list = await cluster.kubectlJson<any>(['get', kind, '-n', NAMESPACE, '--field-selector', `metadata.name=${name}`]);
  return list.items[0];
}

async function reasonsOf(name: string): Promise<string[]> {
  const list = await cluster.kubectlJson<any>(['get', 'events', '-n', NAMESPACE, '--field-selector', `involvedObject.name=${name},involvedObject.kind=SparkConnect`]);
  return list.items.map((e: any) => e.reason);
}

/** How many times the Event `reason` was sent for SparkConnect `name` (Events of one reason and message are counted in one object). */
async function timesTold(name: string, reason: string): Promise<number> {
  const list = await cluster.kubectlJson<any>(['get', 'events', '-n', NAMESPACE, '--field-selector', `involvedObject.name=${name},involvedObject.kind=SparkConnect,reason=${reason}`]);
  return list.items.reduce((n: number, e: any) => n + (e.count ?? 1), 0);
}

function wait<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  return waitFor(what, probe, {
    timeoutMs, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`),
  });
}

/** The SparkConnect once its status says Ready for a server pod with the given uid, or other than `not`. */
async function readyWith(name: string, pod: { not?: string } = {}): Promise<{ connect: any; pod: any }> {
  return wait(`${name} Ready`, async () => {
    const connect = await getConnect(name);
    const server = await find('pod', `${name}-server`);
    if (connect.status?.state !== 'Ready' || !server || server.metadata.uid === pod.not || server.metadata.deletionTimestamp) return undefined;
    return { connect, pod: server };
  });
}

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  operator = await startController(cluster, OPERATOR);
}, 90_000);

afterAll(async () => {
  await operator?.stop();
});

describe('SparkConnect run by the bundle with the RBAC SparkOperator synthesizes', () => {
  test('upstream\'s example is accepted as written and becomes Ready: server pod, Service and ConfigMap, all owned by it', async () => {
    // GIVEN / WHEN upstream's example
    const created = await create(upstreamExample());

    // THEN the status says Ready as upstream writes it
    const { connect, pod } = await readyWith('spark-connect');
    expect(created.spec).toEqual(upstreamExample().spec);
    expect(connect.status).toMatchObject({
      state: 'Ready',
      server: { podName: 'spark-connect-server', serviceName: 'spark-connect-server', podIp: pod.status.podIP },
      conditions: [{ type: 'ServerPodReady', status: 'True', reason: 'ServerPodReady', message: 'Server pod is ready', observedGeneration: 1 }],
    });
    expect(connect.status.startTime).toEqual(expect.any(String));
    // AND the server pod runs Spark's Connect server as upstream starts it, as the example's account
    const owner = { apiVersion: 'sparkoperator.k8s.io/v1alpha1', kind: 'SparkConnect', name: 'spark-connect', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true };
    expect(pod.metadata.ownerReferences).toEqual([owner]);
    expect(pod.metadata.labels).toMatchObject({ 'key1': 'value1', 'spark-role': 'connect-server', 'sparkoperator.k8s.io/connect-name': 'spark-connect', 'spark-version': '4.0.4' });
    expect(pod.spec.serviceAccountName).toBe('spark-operator-spark');
    const container = pod.spec.containers[0];
    expect(container.command).toEqual(['bash', '-c']);
    expect(container.args[0]).toMatch(/^\$\{SPARK_HOME\}\/sbin\/start-connect-server.sh --master k8s:\/\/https:\/\/\S+ --conf spark.kubernetes.namespace=/);
    expect(container.args[0]).toContain(' --conf spark.kubernetes.driver.pod.name=spark-connect-server ');
    // AND the Service and the ConfigMap are there, owned by it
    const service = await find('service', 'spark-connect-server');
    expect(service.metadata.ownerReferences).toEqual([owner]);
    expect(service.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['driver-rpc', 7078], ['blockmanager', 7079], ['web-ui', 4040], ['spark-connect-server', 15002]]);
    expect(service.spec.selector).toEqual({
      'sparkoperator.k8s.io/launched-by-spark-operator': 'true', 'sparkoperator.k8s.io/connect-name': 'spark-connect', 'spark-role': 'connect-server', 'spark-version': '4.0.4',
    });
    const endpoints = await wait('the Service to select the server pod', async () => {
      const slices = await cluster.kubectlJson<any>(['get', 'endpointslices', '-n', NAMESPACE, '-l', 'kubernetes.io/service-name=spark-connect-server']);
      const addresses = slices.items.flatMap((s: any) => (s.endpoints ?? []).flatMap((e: any) => e.addresses));
      return addresses.length > 0 ? addresses : undefined;
    });
    expect(endpoints).toEqual([pod.status.podIP]);
    const configMap = await find('configmap', 'spark-connect-conf');
    expect(configMap.metadata.ownerReferences).toEqual([owner]);
    expect(Object.keys(configMap.data)).toEqual(['executor-pod-template.yaml']);
    // AND kubectl shows upstream's columns; the Events tell the story
    const table = await cluster.kubectl(['get', 'sparkconn', 'spark-connect', '-n', NAMESPACE]);
    expect(table.split('\n')[0].split(/\s{2,}/)).toEqual(['NAME', 'AGE', 'STATUS', 'PODNAME']);
    expect(table.split('\n')[1]).toMatch(/^spark-connect\s+\S+\s+Ready\s+spark-connect-server$/);
    expect(await reasonsOf('spark-connect')).toEqual(expect.arrayContaining(['SparkConnectServerPodCreated', 'SparkConnectReady']));
  }, 90_000);

  test('a deleted server pod is created again and the SparkConnect is Ready again', async () => {
    // GIVEN
    const { pod } = await readyWith('spark-connect');
    // WHEN someone deletes the server pod
    await cluster.kubectl(['delete', 'pod', 'spark-connect-server', '-n', NAMESPACE, '--wait=false']);
    // THEN a new one runs
    const again = await readyWith('spark-connect', { not: pod.metadata.uid });
    expect(again.connect.status.server.podIp).toBe(again.pod.status.podIP);
    expect(await reasonsOf('spark-connect')).toEqual(expect.arrayContaining(['SparkConnectServerPodLost']));
  }, 90_000);

  test('a spec change replaces the server pod, with the executor template rewritten first', async () => {
    // GIVEN
    const { pod } = await readyWith('spark-connect');
    // WHEN the executors get another label and four instances
    await cluster.kubectl(['patch', 'sparkconnect', 'spark-connect', '-n', NAMESPACE, '--type=merge', '-p',
      JSON.stringify({ spec: { executor: { instances: 4, template: { metadata: { labels: { team: 'analytics' } } } } } })]);
    // THEN a new server pod runs the new spec, and the ConfigMap holds the new template
    const again = await readyWith('spark-connect', { not: pod.metadata.uid });
    expect(again.pod.metadata.labels[FINGERPRINT]).not.toBe(pod.metadata.labels[FINGERPRINT]);
    expect(again.pod.spec.containers[0].args[0]).toContain(' --conf spark.executor.instances=4 ');
    expect(again.connect.status.conditions[0].observedGeneration).toBe(2);
    const configMap = await find('configmap', 'spark-connect-conf');
    expect(configMap.data['executor-pod-template.yaml']).toContain('team: analytics');
    // AND the replacement is told once (a cache that still shows the deleted pod does not tell it again)
    expect(await timesTold('spark-connect', 'SparkConnectSpecChanged')).toBe(1);
  }, 90_000);

  test('a SparkConnect whose spec is over 32 KiB (the cache keeps only its fingerprint) is read whole and becomes Ready', async () => {
    // GIVEN upstream's example with 40 KiB of annotations on its server pod
    const large = upstreamExample('spark-connect-large');
    large.spec.server.template.metadata.annotations = { ...large.spec.server.template.metadata.annotations, note: 'n'.repeat(40 * 1024) };
    // WHEN created
    await create(large);
    // THEN the server pod is built from the whole spec, annotation included
    const { pod } = await readyWith('spark-connect-large');
    expect(pod.metadata.annotations.note).toHaveLength(40 * 1024);
  }, 90_000);

  test('a SparkConnect without any image is stored (the CRD has no such rule) and Failed with the field path; nothing is created', async () => {
    // GIVEN / WHEN
    await create({
      apiVersion: 'sparkoperator.k8s.io/v1alpha1',
      kind: 'SparkConnect',
      metadata: { name: 'no-image', namespace: NAMESPACE },
      spec: { sparkVersion: '4.0.1', server: {}, executor: {} },
    });
    // THEN
    const failed = await wait('no-image Failed', async () => {
      const connect = await getConnect('no-image');
      return connect.status?.state === 'Failed' ? connect : undefined;
    });
    expect(failed.status.conditions[0]).toMatchObject({
      status: 'False',
      reason: 'ServerPodFailed',
      message: "Server pod is not ready: invalid SparkConnect: 'spec.image' is required unless the server template's Spark container "
        + "('spark-kubernetes-driver', else its first) and the executor template's 'spark-kubernetes-executor' container names an image",
    });
    expect(await reasonsOf('no-image')).toEqual(['SparkConnectFailed']);
    expect(await find('pod', 'no-image-server')).toBeUndefined();
    expect(await find('service', 'no-image-server')).toBeUndefined();
    await cluster.kubectl(['delete', 'sparkconnect', 'no-image', '-n', NAMESPACE]);
  }, 90_000);

  test('deleting the SparkConnect deletes its server pod, Service and ConfigMap', async () => {
    // GIVEN
    await readyWith('spark-connect');
    // WHEN
    await cluster.kubectl(['delete', 'sparkconnect', 'spark-connect', '-n', NAMESPACE]);
    // THEN the garbage collector takes what it owned
    await wait('the server pod, Service and ConfigMap gone', async () => {
      const left = await Promise.all([find('pod', 'spark-connect-server'), find('service', 'spark-connect-server'), find('configmap', 'spark-connect-conf')]);
      return left.every((o) => o === undefined);
    });
  }, 90_000);

  test('the controller logged no error', () => {
    expect(operator.logLines().filter((l) => l.level === 'error')).toEqual([]);
  });
});
