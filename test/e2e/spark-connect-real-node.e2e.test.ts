/*
 * SparkConnect on the real node (harness/real-node.ts): upstream's example, run by our controller
 * bundle with the RBAC SparkOperator renders, starts Spark's real Connect server in the server pod
 * (the Spark image built here, with our start-connect-server.sh: node/images.sh); the server creates
 * its two executors through the API server as the example's ServiceAccount; PyPI's
 * `pyspark[connect]` (connect-client/install.sh) connects through the server's Service, from this
 * machine (its ClusterIP, which the host routes through the node's kube-proxy) and from a pod (its
 * `sc://<name>-server.<ns>.svc:15002` name, through CoreDNS), and gets exact answers computed by the
 * executors. Deleting the SparkConnect removes the server and its executors.
 */
import { stringify } from 'yaml';
import { offlineImages } from './harness/binaries';
import { CONNECT_CLIENT_DIR, assertClientPythonFitsImage, connectClientPython, connectClientSitePackages, runConnectQueries } from './harness/connect-client';
import { RunningOperator, startController } from './harness/operator';
import { RealNode, onRealNode, startRealNode } from './harness/real-node';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { pinnedSparkVersions } from '../parity/pyspark';
import { loadFixtures } from '../util/fixtures';

const cluster = e2eCluster();

// The Spark image and client of the newest Spark the parity suite pins (Spark Connect needs 4.0's jars).
const SPARK_VERSION = pinnedSparkVersions().at(-1)!;
const NAME = 'spark-connect';
const SERVER_POD = `${NAME}-server`;
const EXECUTORS = `sparkoperator.k8s.io/connect-name=${NAME},spark-role=executor`;

// A cold start builds the kubelet, the Spark image and the client (minutes, once per cache).
jest.setTimeout(900_000);

let node: RealNode | undefined;
let namespace: string;
let operator: RunningOperator;
let python: string;
/** The SparkConnect's status once Ready with its executors running. */
let ready: any;

/**
 * Upstream's example (test/fixtures/valid/spark-connect.yaml) as it runs on the real node: our Spark
 * image, never pulled, the node's toleration and selector, the image's Spark version, and the executors'
 * CPU request lowered (the node has the machine's 2 cores; the server requests 1, two executors of
 * `cores: 1` would ask 2 more). Everything else as upstream wrote it.
 */
function connectOnRealNode(): any {
  const [[, example]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
  const image = node!.images[`spark-${SPARK_VERSION}`];
  const place = (template: any) => ({
    ...template,
    spec: {
      ...template.spec,
      ...onRealNode(),
      containers: template.spec.containers.map((c: any) => ({ ...c, image, imagePullPolicy: 'Never' })),
    },
  });
  return {
    ...example,
    metadata: { ...example.metadata, namespace },
    spec: {
      ...example.spec,
      sparkVersion: SPARK_VERSION,
      sparkConf: { 'spark.kubernetes.executor.request.cores': '100m' },
      server: { ...example.spec.server, template: place(example.spec.server.template) },
      executor: { ...example.spec.executor, template: place(example.spec.executor.template) },
    },
  };
}

async function executorPods(): Promise<any[]> {
  return (await cluster.kubectlJson<any>(['get', 'pods', '-n', namespace, '-l', EXECUTORS])).items;
}

async function serverLog(): Promise<string> {
  return cluster.kubectl(['logs', SERVER_POD, '-n', namespace]).catch((e: Error) => e.message);
}

beforeAll(async () => {
  const t0 = Date.now();
  // The client's install (cached) while the node starts.
  [node, python] = await Promise.all([
    startRealNode(cluster, { images: [`spark-${SPARK_VERSION}`] }),
    connectClientPython(SPARK_VERSION),
  ]);
  await assertClientPythonFitsImage(python, (await offlineImages([`spark-${SPARK_VERSION}`]))[0]);
  process.stderr.write(`[spark-connect-real-node] node and client ready in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  namespace = await cluster.createNamespace(uniqueName('e2e-connect-node'));
  // The example's server runs as `spark-operator-spark`, the name upstream's chart gives the drivers' account.
  operator = await startController(cluster, {
    jobNamespaces: [namespace], namespace: uniqueName('spark-operator'), driverServiceAccountName: 'spark-operator-spark',
  });
});

afterAll(async () => {
  await operator?.stop();
  await cluster.deleteNamespace(namespace).catch(() => undefined);
  await node?.stop();
});

test('upstream\'s example becomes Ready with Spark\'s Connect server running on the real kubelet and its 2 executors counted', async () => {
  // WHEN
  const t0 = Date.now();
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(connectOnRealNode()) });
  // THEN Ready once the server listens, with both executors (created by the server) running
  ready = await waitFor(`${NAME} Ready with 2 executors running`, async () => {
    const status = (await cluster.kubectlJson<any>(['get', 'sparkconnect', NAME, '-n', namespace])).status;
    return status?.state === 'Ready' && status.executors?.running === 2 ? status : undefined;
  }, {
    timeoutMs: 300_000,
    intervalMs: 1_000,
    abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`),
  }).catch(async (err: Error) => {
    throw new Error(`${err.message}\nserver log:\n${(await serverLog()).split('\n').slice(-40).join('\n')}`);
  });
  process.stderr.write(`[spark-connect-real-node] Ready with 2 executors in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  const server = await cluster.kubectlJson<any>(['get', 'pod', SERVER_POD, '-n', namespace]);
  expect(ready).toMatchObject({
    state: 'Ready',
    server: { podName: SERVER_POD, serviceName: SERVER_POD, podIp: server.status.podIP },
    conditions: [{ type: 'ServerPodReady', status: 'True', reason: 'ServerPodReady' }],
    executors: { running: 2 },
  });
  // The server pod runs on the real node as the example's user, and its log is Spark Connect's
  expect(server.spec.nodeName).toBe(node!.name);
  expect(server.status.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0 });
  const log = await serverLog();
  expect(log).toContain(`Running Spark version ${SPARK_VERSION}`);
  expect(log).toMatch(/Spark Connect server started/);
  // Its executors: made by Spark from our template, on the real node, owned by the server pod
  const executors = await executorPods();
  expect(executors.map((p) => [p.spec.nodeName, p.status.phase, p.metadata.ownerReferences[0].name]))
    .toEqual([[node!.name, 'Running', SERVER_POD], [node!.name, 'Running', SERVER_POD]]);
  // with the example's executor template's labels
  expect(executors.map((p) => [p.metadata.labels.key1, p.metadata.labels.key2])).toEqual([['value1', 'value2'], ['value1', 'value2']]);
}, 600_000);

test('pyspark[connect] from this machine reaches the server at its Service\'s ClusterIP and gets exact answers computed by the executors', async () => {
  // GIVEN the Service's ClusterIP (the host routes the Service range through the node's kube-proxy)
  const service = await cluster.kubectlJson<any>(['get', 'service', ready.server.serviceName, '-n', namespace]);
  const port = service.spec.ports.find((p: any) => p.name === 'spark-connect-server').port;
  const url = `sc://${service.spec.clusterIP}:${port}`;
  // WHEN
  const t0 = Date.now();
  const result = await runConnectQueries(python, url);
  process.stderr.write(`[spark-connect-real-node] queries from the host in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  // THEN
  const executors = (await executorPods()).map((p) => p.metadata.name).sort();
  expect(result).toEqual({ sum: 500500, count: 100000, hosts: executors, version: SPARK_VERSION });
  expect(executors).toHaveLength(2);
}, 600_000);

test('pyspark[connect] in a pod reaches the server by its name, sc://<name>-server.<namespace>.svc:15002', async () => {
  // GIVEN a pod of the Spark image (its Python and pyspark) with the client's packages and query.py from this machine
  const site = await connectClientSitePackages(python);
  const url = `sc://${SERVER_POD}.${namespace}.svc:15002`;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'connect-client', namespace },
    spec: {
      ...onRealNode(),
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      // root: the cache is in root's home
      securityContext: { runAsUser: 0 },
      containers: [{
        name: 'client',
        image: node!.images[`spark-${SPARK_VERSION}`],
        imagePullPolicy: 'Never',
        command: ['bash', '-c', `PYTHONPATH="$PYTHONPATH:/client/site" exec python3 /client/query/query.py ${url}`],
        volumeMounts: [{ name: 'site', mountPath: '/client/site', readOnly: true }, { name: 'query', mountPath: '/client/query', readOnly: true }],
      }],
      volumes: [
        { name: 'site', hostPath: { path: site, type: 'Directory' } },
        { name: 'query', hostPath: { path: CONNECT_CLIENT_DIR, type: 'Directory' } },
      ],
    },
  };
  // WHEN
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(pod) });
  await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/connect-client', '-n', namespace, '--timeout=300s'], { timeoutMs: 310_000 })
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nclient log:\n${await cluster.kubectl(['logs', 'connect-client', '-n', namespace]).catch((e: Error) => e.message)}`);
    });
  // THEN
  const lines = (await cluster.kubectl(['logs', 'connect-client', '-n', namespace])).trim().split('\n');
  const executors = (await executorPods()).map((p) => p.metadata.name).sort();
  expect(JSON.parse(lines.at(-1)!)).toEqual({ sum: 500500, count: 100000, hosts: executors, version: SPARK_VERSION });
}, 600_000);

test('deleting the SparkConnect removes its server pod and its executors', async () => {
  // GIVEN
  expect(await executorPods()).toHaveLength(2);
  // WHEN
  const t0 = Date.now();
  await cluster.kubectl(['delete', 'sparkconnect', NAME, '-n', namespace, '--wait=false']);
  // THEN the server pod goes with its owner, and the executors with theirs (the server pod)
  await waitFor('the server pod and executors gone', async () => {
    const pods = await cluster.kubectl(['get', 'pods', '-n', namespace, '-l', `sparkoperator.k8s.io/connect-name=${NAME}`, '-o', 'name']);
    return pods.trim() === '';
  }, { timeoutMs: 180_000, intervalMs: 1_000 });
  process.stderr.write(`[spark-connect-real-node] server and executors gone in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  expect(await cluster.kubectl(['get', 'service,configmap', '-n', namespace, '-l', `sparkoperator.k8s.io/connect-name=${NAME}`, '-o', 'name'])).toBe('');
}, 300_000);

test('the controller logged no error', () => {
  expect(operator.logLines().filter((l) => l.level === 'error')).toEqual([]);
});
