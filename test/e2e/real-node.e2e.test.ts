// A real node (harness/real-node.ts): containerd and a kubelet built from the control plane's
// Kubernetes modules, with kube-proxy, and CoreDNS as a Deployment behind the kube-dns Service, run pods from images built offline: busybox, whose
// log comes back through the API server (which asks the kubelet); a Service reached by name; Spark's
// Pi with spark-submit; SparkApplications submitted by our controller, whose drivers and executors
// really run (success, a failing job's retries, a missing image, deletion); and the README's example:
// its operator install as cdk8s synth writes it, applied with kubectl, our image run by the kubelet, its
// webhook called by the API server through its Service, its SparkPi (our own, in the Spark 3.5 image)
// and a PySpark job on Spark 3.5 submitted by the controller pod.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { Duration } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { adminKubeConfig } from './harness/client';
import { importOperatorImage } from './harness/image-run';
import { RUNTIME_BUNDLE, RunningOperator, startController } from './harness/operator';
import { CLUSTER_DNS_IP, REAL_NODE_KEY, RealNode, onRealNode, realNodePlacement, startRealNode } from './harness/real-node';
import { DRIVER_ACCOUNT } from './harness/spark-pi';
import { SparkctlEnvironment, runSparkctl, startSparkctl } from './harness/sparkctl';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { OperatorImage } from '../../src';
import { pinnedSparkVersions } from '../parity/pyspark';
import { synthesizeReadmeExample } from '../readme-example';

const cluster = e2eCluster();
const core = adminKubeConfig().makeApiClient(CoreV1Api);

// The Spark image (Debian 12, Java 17, Python 3, PyPI's pyspark) of the newest Spark the parity
// suite pins.
const SPARK_VERSION = pinnedSparkVersions().at(-1)!;
// The Spark 3 the parity suite pins (3.5.x): the README's SparkPi names a Spark 3.5 image.
const SPARK_3 = pinnedSparkVersions().find((v) => v.startsWith('3.'))!;

// A cold start builds the kubelet (minutes, once per cache) before the node can start.
jest.setTimeout(900_000);

let node: RealNode | undefined;
let namespace: string;

/** sparkctl as the cluster's admin runs it. */
const sparkctlEnv = (): SparkctlEnvironment => ({ kubeconfig: cluster.connection.adminKubeconfig, home: cluster.connection.runDir });

/** Spark's own Python Pi in the Spark image, on the real node, with `executors` executors and small CPU requests (the node has the machine's 2 cores). */
function pythonPiSpec(executors: number): Record<string, any> {
  return {
    type: 'Python',
    pythonVersion: '3',
    mode: 'cluster',
    sparkVersion: SPARK_VERSION,
    image: node!.images[`spark-${SPARK_VERSION}`],
    imagePullPolicy: 'Never',
    mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
    arguments: ['10'],
    restartPolicy: { type: 'Never' },
    driver: { cores: 1, coreRequest: '100m', memory: '512m', serviceAccount: DRIVER_ACCOUNT, ...onRealNode() },
    executor: { cores: 1, coreRequest: '100m', memory: '512m', instances: executors, ...onRealNode() },
  };
}

/** An application's status has reached an end. */
const ended = (status: any) => ['COMPLETED', 'FAILED'].includes(status.applicationState?.state);

/** Polls `namespace/name` until `until` says so (`each` sees every status on the way); returns its status. */
async function watchApplication(
  ns: string,
  name: string,
  until: (status: any) => boolean,
  each: (status: any) => Promise<void> = async () => undefined,
  abortIf?: () => string | undefined,
): Promise<any> {
  return waitFor(`SparkApplication ${ns}/${name}`, async () => {
    const status = (await cluster.kubectlJson<any>(['get', 'sparkapplication', name, '-n', ns])).status ?? {};
    await each(status);
    return until(status) ? status : undefined;
  }, { timeoutMs: 480_000, intervalMs: 500, abortIf });
}

/** The objects of a YAML file. */
function readYaml(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
}

/** The dotted paths of the leaves where `b` differs from `a`, sorted. */
function changedPaths(a: unknown, b: unknown, at = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
      .flatMap((k) => changedPaths(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

beforeAll(async () => {
  node = await startRealNode(cluster, { images: ['busybox', `spark-${SPARK_VERSION}`, `spark-${SPARK_3}`] });
  namespace = await cluster.createNamespace(uniqueName('e2e-real-node'));
});

afterAll(async () => {
  await cluster.deleteNamespace(namespace).catch(() => undefined);
  await node?.stop();
});

/** A pod as `nodePod` makes it. */
type NodePod = { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: Record<string, unknown> };

/** Options of `nodePod`. */
type NodePodOptions = { readonly labels?: Record<string, string>; readonly keepRunning?: boolean };

/**
 * A pod of one container (busybox unless `container` names another image) on the real node, with no
 * ServiceAccount token and nothing pulled; it runs once unless `keepRunning`.
 */
function nodePod(name: string, container: Record<string, unknown>, options: NodePodOptions = {}): NodePod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...options.labels ? { labels: options.labels } : {} },
    spec: {
      ...onRealNode(),
      ...options.keepRunning ? {} : { restartPolicy: 'Never' },
      automountServiceAccountToken: false,
      containers: [{ name: 'main', image: node!.images.busybox, imagePullPolicy: 'Never', ...container }],
    },
  };
}

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
  const pod = nodePod('hello', {
    command: ['sh', '-c', 'echo "hello from $(hostname) as $(id -u), kernel $(uname -r)"; ls /proc/1/exe >/dev/null; echo done'],
  });
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

test('a Service name resolves from a pod (CoreDNS, a Deployment behind the kube-dns Service) and its ClusterIP reaches the pod behind it (kube-proxy)', async () => {
  // GIVEN a web server and its Service
  await cluster.applyManifests([
    nodePod('web', {
      command: ['sh', '-c', 'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www'],
      ports: [{ containerPort: 8080 }],
    }, { labels: { app: 'web' }, keepRunning: true }),
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
  const client = nodePod('client', {
    command: ['sh', '-c', [
      // Retries until kube-proxy and CoreDNS know the new Service; their complaints meanwhile go nowhere.
      `for i in $(seq 1 30); do ip=$(nslookup ${fqdn} 2>/dev/null | awk '/^Address: / { print $2 }'); [ -n "$ip" ] && break; sleep 1; done`,
      'echo "resolved $ip"; grep nameserver /etc/resolv.conf',
      // nc, not wget: Debian's busybox-static wget crashes (SIGSEGV) even outside a container.
      'for i in $(seq 1 30); do body=$(printf \'GET / HTTP/1.0\\r\\n\\r\\n\' | nc -w 2 "$ip" 80 2>/dev/null | tail -n 1); [ -n "$body" ] && echo "$body" && exit 0; sleep 1; done; exit 1',
    ].join('\n')],
  });
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(client) });
  await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/client', '-n', namespace, '--timeout=120s'], { timeoutMs: 130_000 })
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nclient log:\n${await cluster.kubectl(['logs', 'client', '-n', namespace]).catch((e: Error) => e.message)}`);
    });
  // THEN
  const logs = await cluster.kubectl(['logs', 'client', '-n', namespace]);
  expect(logs).toBe(`resolved ${service.spec?.clusterIP}\nnameserver ${CLUSTER_DNS_IP}\nhello-from-web\n`);
});

test('the Spark image computes Pi with spark-submit on the real node', async () => {
  // GIVEN Spark's own Python example, run by the image's entrypoint as given (local mode: no executors)
  const pod = nodePod('spark-pi', {
    name: 'spark',
    image: node!.images[`spark-${SPARK_VERSION}`],
    args: ['/opt/spark/bin/spark-submit', '--master', 'local[2]', '--conf', 'spark.ui.enabled=false', '/opt/spark/examples/src/main/python/pi.py', '4'],
  });
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

describe('SparkApplications on the real node, submitted by our controller', () => {
  let operator: RunningOperator;

  beforeAll(async () => {
    // The controller is a local process with the RBAC SparkOperator renders; a driver Pending 20 s fails.
    operator = await startController(cluster, {
      jobNamespaces: [namespace],
      namespace: uniqueName('spark-operator'),
      controller: { driverPendingTimeout: Duration.seconds(20) },
    });
  });

  afterAll(async () => {
    await operator?.stop();
  });

  /** A SparkApplication of {@link pythonPiSpec} with 2 executors, `spec` merged over it. */
  function pythonPi(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
    return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name, namespace }, spec: { ...pythonPiSpec(2), ...spec } };
  }


  /** Polls the application until `until` says so; returns its status. */
  const watchApp = (name: string, until: (status: any) => boolean, each?: (status: any) => Promise<void>) =>
    watchApplication(namespace, name, until, each, () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`));

  test('a PySpark job runs for real: its driver computes Pi with 2 executors from our template, and it COMPLETES', async () => {
    // GIVEN
    const states = new Set<string>();
    const executorStates = new Set<string>();
    const executorNodes = new Map<string, string>();
    // WHEN
    await cluster.kubectl(['create', '-f', '-'], { input: stringify(pythonPi('pi')) });
    const done = await watchApp('pi', ended, async (status) => {
      if (status.applicationState?.state) states.add(status.applicationState.state);
      for (const state of Object.values<string>(status.executorState ?? {})) executorStates.add(state);
      const executors = await cluster.kubectlJson<any>(['get', 'pods', '-n', namespace, '-l', 'spark-role=executor,sparkoperator.k8s.io/app-name=pi']);
      for (const pod of executors.items) executorNodes.set(pod.metadata.name, pod.spec.nodeName ?? '');
    });
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
    // and `sparkctl logs` reads the same log from the real kubelet
    const logs = await runSparkctl(sparkctlEnv(), ['logs', 'pi', '-n', namespace]);
    expect({ code: logs.code, stderr: logs.stderr }).toEqual({ code: 0, stderr: '' });
    expect(logs.stdout).toMatch(/^Pi is roughly 3\.1\d*$/m);
  }, 600_000);

  test('a job whose code fails (exit 1) is retried as its restartPolicy says, then FAILED with the driver\'s exit code', async () => {
    // GIVEN pi.py with an argument it cannot read (int('not-a-number') raises: python, then spark-submit, exit 1)
    const app = pythonPi('pi-fails', {
      arguments: ['not-a-number'],
      restartPolicy: { type: 'OnFailure', onFailureRetries: 1, onFailureRetryInterval: 1, onSubmissionFailureRetries: 0, onSubmissionFailureRetryInterval: 1 },
    });
    // WHEN
    await cluster.kubectl(['create', '-f', '-'], { input: stringify(app) });
    const failed = await watchApp('pi-fails', (status) => status.applicationState?.state === 'FAILED');
    // THEN
    expect(failed.executionAttempts).toBe(2);
    expect(failed.applicationState.errorMessage).toMatch(/^driver container failed with ExitCode: 1, Reason: Error/);
    const log = await cluster.kubectl(['logs', 'pi-fails-driver', '-n', namespace]);
    expect(log).toContain("ValueError: invalid literal for int() with base 10: 'not-a-number'");
  }, 600_000);

  test('a job whose image does not exist fails with the kubelet\'s reason, not stuck in SUBMITTED', async () => {
    // GIVEN an image that was never imported (and is never pulled)
    const app = pythonPi('pi-no-image', { image: 'localhost/cdk8s-spark-e2e/no-such-image:1' });
    // WHEN
    await cluster.kubectl(['create', '-f', '-'], { input: stringify(app) });
    const failed = await watchApp('pi-no-image', (status) => status.applicationState?.state === 'FAILED');
    // THEN
    expect(failed.applicationState.errorMessage).toMatch(
      /^driver pod pi-no-image-driver still Pending after 20s: container spark-kubernetes-driver: ErrImageNeverPull: .*localhost\/cdk8s-spark-e2e\/no-such-image:1/);
  }, 600_000);

  test('a running application\'s driver UI answers through its Service; deleting the application removes its driver, executors, ConfigMap and Services', async () => {
    // GIVEN a job that runs long enough (many partitions), with its executors running
    await cluster.kubectl(['create', '-f', '-'], { input: stringify(pythonPi('pi-long', { arguments: ['2000'] })) });
    const running = await watchApp('pi-long', (status) => Object.values(status.executorState ?? {}).filter((s) => s === 'RUNNING').length === 2);
    const selector = 'sparkoperator.k8s.io/app-name=pi-long';
    const owned = async () => (await cluster.kubectl(['get', 'pods,configmaps,services', '-n', namespace, '-l', selector, '-o', 'name'])).trim();
    const executors = async () => (await cluster.kubectl(['get', 'pods', '-n', namespace, '-l', 'spark-role=executor', '-o', 'name'])).trim();
    expect(await owned()).toMatch(/pod\/pi-long-driver/);
    expect(await executors()).not.toBe('');
    // WHEN a pod asks the UI Service our controller made for the driver's jobs page
    const ui = `${running.driverInfo.webUIServiceName}.${namespace}.svc.cluster.local`;
    const client = nodePod('ui-client', {
      command: ['sh', '-c', [
        `for i in $(seq 1 30); do ip=$(nslookup ${ui} 2>/dev/null | awk '/^Address: / { print $2 }'); [ -n "$ip" ] && break; sleep 1; done`,
        `for i in $(seq 1 30); do t=$(printf 'GET /jobs/ HTTP/1.0\\r\\n\\r\\n' | nc -w 5 "$ip" ${running.driverInfo.webUIPort} 2>/dev/null | grep -o '<title>[^<]*' | head -n 1); [ -n "$t" ] && echo "$t" && exit 0; sleep 1; done; exit 1`,
      ].join('\n')],
    });
    await cluster.kubectl(['create', '-f', '-'], { input: stringify(client) });
    await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/ui-client', '-n', namespace, '--timeout=120s'], { timeoutMs: 130_000 });
    // THEN Spark's UI answered (the application names itself PythonPi)
    expect(await cluster.kubectl(['logs', 'ui-client', '-n', namespace])).toMatch(/^<title>PythonPi - Spark Jobs/);
    // and `sparkctl forward` brings the same UI to localhost, through the API server and the kubelet's port-forward
    const forward = startSparkctl(sparkctlEnv(), ['forward', 'pi-long', '-n', namespace, '--local-port', '0']);
    try {
      const [, url] = await forward.output(/^Forwarding (http:\/\/127\.0\.0\.1:\d+) to the Spark UI of sparkapplication\/pi-long/, 60_000);
      const page = await waitFor('the Spark UI through sparkctl forward', async () => {
        const answer = await fetch(`${url}/jobs/`, { headers: { connection: 'close' } }).catch(() => undefined);
        return answer?.status === 200 ? answer.text() : undefined;
      }, { timeoutMs: 60_000, intervalMs: 1_000 });
      expect(page).toMatch(/<title>PythonPi - Spark Jobs/);
    } finally {
      expect(await forward.interrupt()).toBe(0);
    }
    // WHEN
    await cluster.kubectl(['delete', 'sparkapplication', 'pi-long', '-n', namespace, '--wait=false']);
    // THEN everything it made goes (the driver by its owner reference, the executors by theirs to the driver)
    await waitFor('pi-long\'s objects to be gone', async () => (await owned()) === '' && (await executors()) === '', { timeoutMs: 120_000, intervalMs: 1_000 });
  }, 600_000);
});

describe('the README\'s example on the real node: its install applied with kubectl as cdk8s synth writes it, its SparkPi run by the controller pod', () => {
  // The names the README's example gives: the operator's namespace (SparkOperator's default) and the job namespace.
  const OPERATOR_NAMESPACE = 'spark-operator';
  const JOBS = 'analytics';
  /** Where the example's YAML was written: spark-operator.k8s.yaml (the install) and analytics.k8s.yaml (SparkPi). */
  let dist: string;

  beforeAll(async () => {
    dist = path.join(fs.mkdtempSync(path.join(cluster.connection.runDir, 'readme-')), 'dist');
    const synth = synthesizeReadmeExample(dist);
    if (synth.status !== 0) throw new Error(`the README's example did not synthesize: ${synth.stderr}`);
    // The operator image as the Dockerfile's final stage makes it (Node.js and the bundle, user 65532),
    // packed offline and imported under the reference the install names (OperatorImage.default()),
    // which no registry serves yet: the kubelet finds it (IfNotPresent) and pulls nothing.
    await importOperatorImage(node!, cluster.connection.runDir, RUNTIME_BUNDLE, OperatorImage.default().reference);
    // The example's fixed names meet an earlier file's install of the examples (the same operator
    // namespace): the README's install goes into a cluster without one.
    // (Its pods may sit on a kwok node that is gone: they are removed at once, or the namespace would wait for them.)
    await cluster.kubectl(['delete', 'pods', '--all', '-n', OPERATOR_NAMESPACE, '--grace-period=0', '--force', '--ignore-not-found']).catch(() => undefined);
    await cluster.kubectl(['delete', 'namespace', OPERATOR_NAMESPACE, '--ignore-not-found', '--timeout=120s'], { timeoutMs: 130_000 });
    // The test cluster's only addition: pods created in both namespaces go to the real node (tainted,
    // beside kwok's nodes) by an admission policy that matches the namespaces' label, so the YAML needs
    // no toleration. The README says the job namespace must exist; the install creates its own
    // namespace, and kubectl apply keeps the label.
    await cluster.applyManifests(realNodePlacement());
    for (const name of [OPERATOR_NAMESPACE, JOBS]) {
      await cluster.createNamespace(name, { labels: { [REAL_NODE_KEY]: 'true' } });
    }
    // The policy acts once the API server has loaded it: a pod in a dry run shows when.
    await waitFor('the placement policy to act', async () => {
      const pod = await cluster.kubectlJson<any>(['run', 'placement-probe', '-n', JOBS, '--image=none', '--restart=Never', '--dry-run=server']);
      return pod.spec.nodeSelector?.[REAL_NODE_KEY] === 'true';
    }, { timeoutMs: 30_000, intervalMs: 500 });
  });

  afterAll(async () => {
    // Everything the install made except the CRDs, which every other test's SparkApplications need;
    // the webhook configurations with it: no later test may meet a webhook that no longer runs.
    if (!dist) return;
    const install = readYaml(path.join(dist, 'spark-operator.k8s.yaml')).filter((o) => o.kind !== 'CustomResourceDefinition');
    await cluster.kubectl(['delete', '-f', '-', '--ignore-not-found', '--wait=false'], { input: install.map((o) => stringify(o)).join('---\n') }).catch(() => undefined);
    await cluster.deleteNamespace(JOBS).catch(() => undefined);
    await cluster.kubectl(['delete', '-f', '-', '--ignore-not-found'], { input: realNodePlacement().map((o) => stringify(o)).join('---\n') }).catch(() => undefined);
  });

  test('kubectl apply of the README\'s install, as written, starts the controller and the webhook from our image on the real kubelet, both ready', async () => {
    // WHEN the file cdk8s synth wrote, byte for byte
    await cluster.kubectl(['apply', '-f', path.join(dist, 'spark-operator.k8s.yaml')]);
    // THEN both Deployments become available, their pods on the real node from the default image, as user 65532 with a read-only root
    await cluster.kubectl(['wait', '--for=condition=Available', 'deployment', '--all', '-n', OPERATOR_NAMESPACE, '--timeout=180s'], { timeoutMs: 190_000 });
    const pods = await cluster.kubectlJson<any>(['get', 'pods', '-n', OPERATOR_NAMESPACE]);
    expect(pods.items.map((p: any) => ({ node: p.spec.nodeName, phase: p.status.phase, ready: p.status.conditions.find((c: any) => c.type === 'Ready')?.status })))
      .toEqual([{ node: node!.name, phase: 'Running', ready: 'True' }, { node: node!.name, phase: 'Running', ready: 'True' }]);
    for (const pod of pods.items) {
      expect(pod.spec.containers[0]).toMatchObject({ image: OperatorImage.default().reference, imagePullPolicy: 'IfNotPresent' });
      expect(pod.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(pod.status.containerStatuses[0].restartCount).toBe(0);
    }
  }, 300_000);

  test('the webhook answers through its Service: a bad SparkApplication is refused at kubectl apply with its field path', async () => {
    // GIVEN memory under Spark's floor, which only the webhook checks
    const bad = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'low-memory', namespace: JOBS },
      spec: { ...pythonPiSpec(1), driver: { cores: 1, memory: '100m', serviceAccount: DRIVER_ACCOUNT } },
    };
    // WHEN
    const refusal = await cluster.kubectl(['apply', '-f', '-'], { input: stringify(bad) }).then(() => '', (e: Error) => e.message);
    // THEN
    expect(refusal).toContain('admission webhook "validate-sparkapplication.sparkoperator.k8s.io" denied the request: SparkApplication "low-memory" is invalid: '
      + '\'spec.driver.memory\' must be at least 450 MiB');
  }, 120_000);

  test('the README\'s SparkPi (Scala/Java, our SparkPi in the Spark 3.5 image) is submitted by the controller pod, computes Pi with 2 executors, and COMPLETES', async () => {
    // GIVEN the job as cdk8s synth wrote it, with what this machine needs instead: the Spark image
    // built here (Apache's is not reachable) with its Spark version and examples jar, and a quarter
    // core per pod (the README asks 1 core each of the driver and 2 executors; the node has 2).
    const [written] = readYaml(path.join(dist, 'analytics.k8s.yaml'));
    const app = structuredClone(written);
    app.spec.image = node!.images[`spark-${SPARK_3}`];
    app.spec.sparkVersion = SPARK_3;
    app.spec.mainApplicationFile = `local:///opt/spark/examples/jars/spark-examples_2.12-${SPARK_3}.jar`;
    app.spec.driver.coreRequest = '250m';
    app.spec.executor.coreRequest = '250m';
    expect(changedPaths(written, app)).toEqual([
      'spec.driver.coreRequest', 'spec.executor.coreRequest', 'spec.image', 'spec.mainApplicationFile', 'spec.sparkVersion',
    ]);
    expect(written.spec).toMatchObject({ type: 'Scala', mainClass: 'org.apache.spark.examples.SparkPi', arguments: ['1000'], executor: { instances: 2 } });
    const seen = { states: new Set<string>(), runningExecutors: 0 };
    // WHEN
    await cluster.kubectl(['apply', '-f', '-'], { input: stringify(app) });
    const done = await watchApplication(JOBS, 'spark-pi', ended, async (status) => {
      if (status.applicationState?.state) seen.states.add(status.applicationState.state);
      seen.runningExecutors = Math.max(seen.runningExecutors, Object.values(status.executorState ?? {}).filter((s) => s === 'RUNNING').length);
    });
    // THEN
    const driverLog = await cluster.kubectl(['logs', 'spark-pi-driver', '-n', JOBS]).catch((e: Error) => e.message);
    expect({ state: done.applicationState.state, log: done.applicationState.state === 'COMPLETED' ? '' : driverLog }).toEqual({ state: 'COMPLETED', log: '' });
    expect(driverLog).toMatch(/^Pi is roughly 3\.1\d*$/m);
    expect(driverLog).toContain(`Running Spark version ${SPARK_3}`);
    expect([...driverLog.matchAll(/Registered executor .* with ID (\d+)/g)].map((m) => m[1]).sort()).toEqual(['1', '2']);
    expect([...seen.states]).toEqual(expect.arrayContaining(['SUBMITTED', 'RUNNING', 'COMPLETED']));
    expect(seen.runningExecutors).toBe(2);
    const driver = await core.readNamespacedPod({ name: 'spark-pi-driver', namespace: JOBS });
    expect(driver.spec?.nodeName).toBe(node!.name);
  }, 600_000);

  test('a bare PySpark application on Spark 3.5 is defaulted by the webhook, submitted by the controller pod, and COMPLETES', async () => {
    // GIVEN no restartPolicy: the webhook fills in upstream's defaults
    const { restartPolicy: _r, ...spec } = pythonPiSpec(1);
    const app = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'pyspark-pi', namespace: JOBS },
      spec: { ...spec, image: node!.images[`spark-${SPARK_3}`], sparkVersion: SPARK_3 },
    };
    await cluster.kubectl(['apply', '-f', '-'], { input: stringify(app) });
    const stored = await cluster.kubectlJson<any>(['get', 'sparkapplication', 'pyspark-pi', '-n', JOBS]);
    expect(stored.spec.restartPolicy).toEqual({ type: 'Never' });
    // WHEN / THEN
    const done = await watchApplication(JOBS, 'pyspark-pi', ended);
    expect(done.applicationState).toEqual({ state: 'COMPLETED' });
    const log = await cluster.kubectl(['logs', 'pyspark-pi-driver', '-n', JOBS]);
    expect(log).toMatch(/^Pi is roughly 3\.1\d*$/m);
    expect(log).toContain(`Running Spark version ${SPARK_3}`);
  }, 600_000);
});

test('stopping the node removes its pods, its Node and everything it made on this machine', async () => {
  // GIVEN a container still running
  const pod = nodePod('sleeper', { command: ['sleep', '3600'] }, { keepRunning: true });
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
