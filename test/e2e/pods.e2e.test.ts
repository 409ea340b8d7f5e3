import { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { adminKubeConfig } from './harness/client';
import { POD_START_AFTER_ANNOTATION, podOutcomeAnnotations } from './harness/kwok-stages';
import { e2eCluster, uniqueName } from './harness/suite';
import { testPod } from './harness/test-pods';
import { sleep, waitFor } from './harness/wait';

const cluster = e2eCluster();
const core = adminKubeConfig().makeApiClient(CoreV1Api);
let namespace: string;

beforeAll(async () => {
  namespace = await cluster.createNamespace(uniqueName('e2e-pods'));
});

afterAll(async () => {
  await cluster.deleteNamespace(namespace);
});

/** Polls the pod until `done` holds, and returns it. */
function podWhen(name: string, what: string, done: (pod: V1Pod) => boolean): Promise<V1Pod> {
  return waitFor(`pod ${namespace}/${name} ${what}`, async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    return done(pod) ? pod : undefined;
  }, { timeoutMs: 60_000 });
}

describe('kwok plays the kubelet of the fake nodes', () => {
  test('a pod is scheduled onto a kwok node, runs, and ends Succeeded with exit code 0 when its annotation asks', async () => {
    // GIVEN a pod that asks to run for 2 seconds and then succeed
    const name = 'succeeds';
    await core.createNamespacedPod({
      namespace,
      body: testPod(name, { namespace, annotations: podOutcomeAnnotations('Succeeded', { runFor: '2s' }) }) as V1Pod,
    });

    // WHEN it is scheduled and started
    const running = await podWhen(name, 'Running', (p) => p.status?.phase === 'Running');

    // THEN it runs on a kwok node, with an IP and a running, ready container
    expect(cluster.connection.nodes).toContain(running.spec?.nodeName);
    expect(running.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(running.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(running.status?.containerStatuses?.[0].state?.running?.startedAt).toBeDefined();

    // AND then it ends Succeeded, its container terminated with exit code 0
    const done = await podWhen(name, 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    const terminated = done.status?.containerStatuses?.[0].state?.terminated;
    expect(terminated?.exitCode).toBe(0);
    expect(terminated?.reason).toBe('Completed');
    expect(done.status?.containerStatuses?.[0].state?.running).toBeUndefined();
    expect(new Date(terminated!.finishedAt!).getTime() - new Date(terminated!.startedAt!).getTime()).toBeGreaterThanOrEqual(1_000);
  });

  test('a pod whose annotation asks for Failed ends Failed with exit code 1', async () => {
    // GIVEN
    const name = 'fails';
    await core.createNamespacedPod({
      namespace,
      body: testPod(name, { namespace, annotations: podOutcomeAnnotations('Failed', { runFor: '1s' }) }) as V1Pod,
    });

    // WHEN
    const done = await podWhen(name, 'Failed', (p) => p.status?.phase === 'Failed');

    // THEN
    const terminated = done.status?.containerStatuses?.[0].state?.terminated;
    expect(terminated?.exitCode).toBe(1);
    expect(terminated?.reason).toBe('Error');
  });

  test('a Failed pod reports the exit code its annotation names', async () => {
    // GIVEN a pod that fails as an OOM-killed JVM would
    const name = 'oom';
    await core.createNamespacedPod({
      namespace,
      body: testPod(name, { namespace, annotations: podOutcomeAnnotations('Failed', { runFor: '1s', exitCode: 137 }) }) as V1Pod,
    });

    // WHEN
    const done = await podWhen(name, 'Failed', (p) => p.status?.phase === 'Failed');

    // THEN
    expect(done.status?.containerStatuses?.[0].state?.terminated?.exitCode).toBe(137);
  });

  test('init containers are reported completed and the main containers running', async () => {
    // GIVEN a pod with an init container, as a SparkApplication with initContainers makes
    const name = 'with-init';
    const pod = testPod(name, { namespace }) as V1Pod;
    pod.spec!.initContainers = [{ name: 'setup', image: 'cdk8s-spark-e2e/fake:1' }];
    await core.createNamespacedPod({ namespace, body: pod });

    // WHEN
    const running = await podWhen(name, 'Running', (p) => p.status?.phase === 'Running');

    // THEN
    expect(running.status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.exitCode])).toEqual([['setup', 0]]);
    expect(running.status?.containerStatuses?.map((s) => [s.name, s.ready])).toEqual([['main', true]]);
  });

  test('a pod asked to start late stays Pending on its node until then', async () => {
    // GIVEN a pod that is to start 3 seconds after it lands on a node
    const name = 'late';
    await core.createNamespacedPod({
      namespace,
      body: testPod(name, { namespace, annotations: { [POD_START_AFTER_ANNOTATION]: '3s' } }) as V1Pod,
    });

    // WHEN it is scheduled
    const scheduled = await podWhen(name, 'bound to a node', (p) => !!p.spec?.nodeName);

    // THEN it is Pending first, and Running later
    expect(scheduled.status?.phase).toBe('Pending');
    const running = await podWhen(name, 'Running', (p) => p.status?.phase === 'Running');
    const bound = scheduled.status?.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime;
    expect(new Date(running.status!.startTime!).getTime() - new Date(bound!).getTime()).toBeGreaterThanOrEqual(2_000);
  });

  test('a pod without an outcome annotation keeps running', async () => {
    // GIVEN
    const name = 'runs-on';
    await core.createNamespacedPod({ namespace, body: testPod(name, { namespace }) as V1Pod });
    await podWhen(name, 'Running', (p) => p.status?.phase === 'Running');

    // WHEN well past the default run time of an annotated pod
    await sleep(3_000);

    // THEN
    const pod = await core.readNamespacedPod({ name, namespace });
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.containerStatuses?.[0].state?.running).toBeDefined();
  });

  test('deleting a running pod removes it (kwok confirms the deletion as a kubelet would)', async () => {
    // GIVEN
    const name = 'deleted';
    await core.createNamespacedPod({ namespace, body: testPod(name, { namespace }) as V1Pod });
    await podWhen(name, 'Running', (p) => p.status?.phase === 'Running');

    // WHEN a graceful delete (30 s grace period) is asked
    await cluster.kubectl(['delete', 'pod', name, '--namespace', namespace, '--wait=false']);

    // THEN the pod is gone well before the grace period ends
    await cluster.kubectl(['wait', '--for=delete', `pod/${name}`, '--namespace', namespace, '--timeout=20s']);
  });
});
