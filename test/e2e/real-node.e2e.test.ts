// A real node: containerd and a kubelet built from the control plane's Kubernetes modules run a pod
// from an image built offline; its log comes back through the API server (which asks the kubelet).
import * as os from 'node:os';
import { CoreV1Api } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { adminKubeConfig } from './harness/client';
import { startController } from './harness/operator';
import { RealNode, onRealNode, startRealNode } from './harness/real-node';
import { DRIVER_ACCOUNT } from './harness/spark-pi';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { pinnedSparkVersions } from '../parity/pyspark';

const cluster = e2eCluster();
const core = adminKubeConfig().makeApiClient(CoreV1Api);

// The Spark image (Debian 12, Java 17, Python 3, PyPI's pyspark) of the newest Spark the parity
// suite pins.
const SPARK_VERSION = pinnedSparkVersions().at(-1)!;

// A cold start builds the kubelet (minutes, once per cache) before the node can start.
jest.setTimeout(900_000);

let node: RealNode | undefined;
let namespace: string;

beforeAll(async () => {
  node = await startRealNode(cluster, { images: ['busybox', `spark-${SPARK_VERSION}`] });
  namespace = await cluster.createNamespace(uniqueName('e2e-real-node'));
});

afterAll(async () => {
  await cluster.deleteNamespace(namespace).catch(() => undefined);
  await node?.stop();
});

test('the real node is Ready, tainted and labelled, and kwok nodes are left alone', async () => {
  // WHEN
  const real = await core.readNode({ name: node!.name });
  // THEN
  expect(real.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  expect(real.spec?.taints).toEqual([{ key: 'e2e.cdk8s-spark.dev/real-node', value: 'true', effect: 'NoSchedule' }]);
  expect(real.metadata?.labels?.['e2e.cdk8s-spark.dev/real-node']).toBe('true');
  expect(real.status?.nodeInfo?.kubeletVersion).toBe(cluster.connection.kubernetesVersion);
  expect(real.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.6\./);
  expect(real.status?.addresses).toContainEqual({ type: 'InternalIP', address: node!.address });
});

test('a pod from the offline image runs on the real node, succeeds, and its log is read through the API server', async () => {
  // GIVEN
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'hello', namespace },
    spec: {
      ...onRealNode(),
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [{
        name: 'main',
        image: node!.images.busybox,
        imagePullPolicy: 'Never',
        command: ['sh', '-c', 'echo "hello from $(hostname) as $(id -u), kernel $(uname -r)"; ls /proc/1/exe >/dev/null; echo done'],
      }],
    },
  };
  // WHEN
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(pod) });
  await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/hello', '-n', namespace, '--timeout=120s'], { timeoutMs: 130_000 });
  // THEN
  const ran = await core.readNamespacedPod({ name: 'hello', namespace });
  expect(ran.spec?.nodeName).toBe(node!.name);
  expect(ran.status?.podIP).toMatch(/^10\.251\.\d+\.\d+$/);
  const terminated = ran.status?.containerStatuses?.[0].state?.terminated;
  expect(terminated?.exitCode).toBe(0);
  expect(terminated?.reason).toBe('Completed');
  // pods/log: the API server asks the kubelet on the node, which reads the container's log file.
  const logs = await cluster.kubectl(['logs', 'hello', '-n', namespace]);
  expect(logs).toBe(`hello from hello as 0, kernel ${os.release()}\ndone\n`);
});

test('a Service name resolves from a pod (CoreDNS) and its ClusterIP reaches the pod behind it (kube-proxy)', async () => {
  // GIVEN a web server and its Service
  const busybox = { image: node!.images.busybox, imagePullPolicy: 'Never' };
  await cluster.applyManifests([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace, labels: { app: 'web' } },
      spec: {
        ...onRealNode(),
        automountServiceAccountToken: false,
        containers: [{
          name: 'main',
          ...busybox,
          command: ['sh', '-c', 'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www'],
          ports: [{ containerPort: 8080 }],
        }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ]);
  await cluster.kubectl(['wait', '--for=condition=Ready', 'pod/web', '-n', namespace, '--timeout=120s'], { timeoutMs: 130_000 });
  const service = await core.readNamespacedService({ name: 'web', namespace });
  const fqdn = `web.${namespace}.svc.cluster.local`;
  // WHEN a client looks the name up (busybox's nslookup asks the pod's nameserver itself) and
  // sends an HTTP request to the address it got
  const client = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client', namespace },
    spec: {
      ...onRealNode(),
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [{
        name: 'main',
        ...busybox,
        command: ['sh', '-c', [
          `for i in $(seq 1 30); do ip=$(nslookup ${fqdn} | awk '/^Address: / { print $2 }'); [ -n "$ip" ] && break; sleep 1; done`,
          'echo "resolved $ip"; grep nameserver /etc/resolv.conf',
          // nc, not wget: Debian's busybox-static wget crashes (SIGSEGV) even outside a container.
          'for i in $(seq 1 30); do body=$(printf \'GET / HTTP/1.0\\r\\n\\r\\n\' | nc -w 2 "$ip" 80 | tail -n 1); [ -n "$body" ] && echo "$body" && exit 0; sleep 1; done; exit 1',
        ].join('\n')],
      }],
    },
  };
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(client) });
  await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/client', '-n', namespace, '--timeout=120s'], { timeoutMs: 130_000 })
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nclient log:\n${await cluster.kubectl(['logs', 'client', '-n', namespace]).catch((e: Error) => e.message)}`);
    });
  // THEN
  const logs = await cluster.kubectl(['logs', 'client', '-n', namespace]);
  expect(logs).toBe(`resolved ${service.spec?.clusterIP}\nnameserver ${node!.address}\nhello-from-web\n`);
});

test('the Spark image computes Pi with spark-submit on the real node', async () => {
  // GIVEN Spark's own Python example, run by the image's entrypoint as given (local mode: no executors)
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'spark-pi', namespace },
    spec: {
      ...onRealNode(),
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [{
        name: 'spark',
        image: node!.images[`spark-${SPARK_VERSION}`],
        imagePullPolicy: 'Never',
        args: ['/opt/spark/bin/spark-submit', '--master', 'local[2]', '--conf', 'spark.ui.enabled=false',
          '/opt/spark/examples/src/main/python/pi.py', '4'],
      }],
    },
  };
  // WHEN
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(pod) });
  await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/spark-pi', '-n', namespace, '--timeout=300s'], { timeoutMs: 310_000 })
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nlog:\n${await cluster.kubectl(['logs', 'spark-pi', '-n', namespace]).catch((e: Error) => e.message)}`);
    });
  // THEN the driver's result, the Spark version and the image's user
  const logs = await cluster.kubectl(['logs', 'spark-pi', '-n', namespace]);
  expect(logs).toMatch(/^Pi is roughly 3\.1\d*$/m);
  expect(logs).toContain(`Running Spark version ${SPARK_VERSION}`);
  const ran = await core.readNamespacedPod({ name: 'spark-pi', namespace });
  expect(ran.status?.containerStatuses?.[0].state?.terminated?.exitCode).toBe(0);
}, 600_000);

test('a PySpark SparkApplication runs for real: its driver computes Pi with 2 executors from our template, and it COMPLETES', async () => {
  // GIVEN the controller (a local process with the RBAC SparkOperator renders) and Spark's Python Pi
  const operator = await startController(cluster, { jobNamespaces: [namespace], namespace: uniqueName('spark-operator') });
  const states = new Set<string>();
  const executorStates = new Set<string>();
  const executorNodes = new Map<string, string>();
  try {
    const app = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'pi', namespace },
      spec: {
        type: 'Python',
        pythonVersion: '3',
        mode: 'cluster',
        sparkVersion: SPARK_VERSION,
        image: node!.images[`spark-${SPARK_VERSION}`],
        imagePullPolicy: 'Never',
        mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
        arguments: ['10'],
        restartPolicy: { type: 'Never' },
        // Small CPU requests: the node has the machine's 2 cores.
        driver: { cores: 1, coreRequest: '100m', memory: '512m', serviceAccount: DRIVER_ACCOUNT, ...onRealNode() },
        executor: { cores: 1, coreRequest: '100m', memory: '512m', instances: 2, ...onRealNode() },
      },
    };
    // WHEN
    await cluster.kubectl(['create', '-f', '-'], { input: stringify(app) });
    const done = await waitFor('SparkApplication pi to end', async () => {
      const status = (await cluster.kubectlJson<any>(['get', 'sparkapplication', 'pi', '-n', namespace])).status ?? {};
      if (status.applicationState?.state) states.add(status.applicationState.state);
      for (const state of Object.values<string>(status.executorState ?? {})) executorStates.add(state);
      const executors = await cluster.kubectlJson<any>(['get', 'pods', '-n', namespace, '-l', 'spark-role=executor']);
      for (const pod of executors.items) executorNodes.set(pod.metadata.name, pod.spec.nodeName ?? '');
      return ['COMPLETED', 'FAILED'].includes(status.applicationState?.state) ? status : undefined;
    }, { timeoutMs: 480_000, intervalMs: 500 });
    // THEN
    const driverLog = await cluster.kubectl(['logs', 'pi-driver', '-n', namespace]).catch((e: Error) => e.message);
    expect({ state: done.applicationState.state, log: done.applicationState.state === 'COMPLETED' ? '' : driverLog })
      .toEqual({ state: 'COMPLETED', log: '' });
    expect(driverLog).toMatch(/^Pi is roughly 3\.1\d*$/m);
    // Both executors, created by the driver from our template, ran on the real node and registered.
    expect([...executorNodes.values()]).toEqual([node!.name, node!.name]);
    expect([...driverLog.matchAll(/Registered executor .* with ID (\d+)/g)].map((m) => m[1]).sort()).toEqual(['1', '2']);
    expect(Object.keys(done.executorState ?? {}).sort()).toEqual([...executorNodes.keys()].sort());
    expect([...states]).toEqual(expect.arrayContaining(['SUBMITTED', 'RUNNING', 'COMPLETED']));
    expect([...executorStates]).toContain('RUNNING');
  } finally {
    await operator.stop();
  }
}, 600_000);

test('stopping the node removes its pods, its Node and everything it made on this machine', async () => {
  // GIVEN a container still running
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'sleeper', namespace },
    spec: {
      ...onRealNode(),
      automountServiceAccountToken: false,
      containers: [{ name: 'main', image: node!.images.busybox, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
    },
  };
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(pod) });
  await cluster.kubectl(['wait', '--for=condition=Ready', 'pod/sleeper', '-n', namespace, '--timeout=120s'], { timeoutMs: 130_000 });
  expect(node!.leftovers().length).toBeGreaterThan(0);
  // WHEN
  await node!.stop();
  // THEN
  expect(node!.leftovers()).toEqual([]);
  const nodes = await cluster.kubectl(['get', 'nodes', '-o', 'name']);
  expect(nodes).not.toContain(node!.name);
});
