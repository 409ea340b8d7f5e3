import { installSparkCrds } from './harness/spark-crds';
import { e2eCluster, uniqueName } from './harness/suite';
import { testPod } from './harness/test-pods';

const cluster = e2eCluster();
let namespace: string;

beforeAll(async () => {
  namespace = await cluster.createNamespace(uniqueName('e2e-gc'));
});

afterAll(async () => {
  await cluster.deleteNamespace(namespace);
});

describe('kube-controller-manager collects garbage', () => {
  test('deleting an owner removes the pods it owns', async () => {
    // GIVEN an owner (a ConfigMap stands in for a SparkApplication) and a running pod it owns
    const owner = await cluster.kubectlJson<any>(['create', 'configmap', 'owner', '--namespace', namespace]);
    await cluster.applyManifests(testPod('owned', {
      namespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid, controller: true }],
    }));
    await cluster.applyManifests(testPod('unowned', { namespace }));
    await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/owned', 'pod/unowned', '--namespace', namespace, '--timeout=60s']);

    // WHEN the owner is deleted (background propagation, kubectl's default)
    await cluster.kubectl(['delete', 'configmap', 'owner', '--namespace', namespace]);

    // THEN the garbage collector deletes the owned pod, and only that one
    await cluster.kubectl(['wait', '--for=delete', 'pod/owned', '--namespace', namespace, '--timeout=60s']);
    const left = await cluster.kubectl(['get', 'pods', '--namespace', namespace, '-o', 'name']);
    expect(left.trim().split('\n')).toEqual(['pod/unowned']);
  });
});

describe('a SparkApplication owns what runs for it', () => {
  test('deleting a SparkApplication removes its driver pod', async () => {
    // GIVEN a SparkApplication and a driver pod it controls, as the operator creates them
    await installSparkCrds(cluster);
    const [app] = await cluster.applyManifests({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'spark-pi', namespace },
      spec: {
        type: 'Python',
        sparkVersion: '3.5.1',
        mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
        driver: {},
        executor: {},
      },
    });
    await cluster.applyManifests(testPod('spark-pi-driver', {
      namespace,
      ownerReferences: [{
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        name: 'spark-pi',
        uid: app.metadata!.uid!,
        controller: true,
        blockOwnerDeletion: true,
      }],
    }));
    await cluster.kubectl(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/spark-pi-driver', '--namespace', namespace, '--timeout=60s']);

    // WHEN
    await cluster.kubectl(['delete', 'sparkapplication', 'spark-pi', '--namespace', namespace]);

    // THEN the garbage collector (which learns about new resource types within ~30 s) removes the pod
    await cluster.kubectl(['wait', '--for=delete', 'pod/spark-pi-driver', '--namespace', namespace, '--timeout=90s'], { timeoutMs: 120_000 });
    const left = await cluster.kubectl(['get', 'pods', '--namespace', namespace, '-o', 'name']);
    expect(left).not.toContain('spark-pi-driver');
  }, 150_000);
});
