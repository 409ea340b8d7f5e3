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
