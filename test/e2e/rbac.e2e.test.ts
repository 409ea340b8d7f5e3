import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { kubeConfigFromFile } from './harness/client';
import { KubectlError } from './harness/kubectl';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';

const cluster = e2eCluster();
let namespace: string;

beforeAll(async () => {
  namespace = await cluster.createNamespace(uniqueName('e2e-rbac'));
  await cluster.kubectl(['create', 'serviceaccount', 'reader', '--namespace', namespace]);
  await cluster.kubectl(['create', 'configmap', 'settings', '--from-literal=a=b', '--namespace', namespace]);
});

afterAll(async () => {
  await cluster.deleteNamespace(namespace);
});

describe('service-account credentials carry exactly what RBAC grants', () => {
  test('a TokenRequest token authenticates as the service account', async () => {
    // GIVEN
    const kubeconfig = await cluster.kubeconfigFor(namespace, 'reader');

    // WHEN
    const review = await cluster.kubectlJson<any>(['auth', 'whoami'], { kubeconfig });

    // THEN
    expect(review.status.userInfo.username).toBe(`system:serviceaccount:${namespace}:reader`);
    expect(review.status.userInfo.groups).toContain(`system:serviceaccounts:${namespace}`);
  });

  test('a service account is forbidden what no Role grants, and allowed once a RoleBinding grants it', async () => {
    // GIVEN a client acting with the service account's token
    const core = kubeConfigFromFile(await cluster.kubeconfigFor(namespace, 'reader')).makeApiClient(CoreV1Api);
    const forbidden = await core.readNamespacedConfigMap({ name: 'settings', namespace }).then(() => undefined, (e: unknown) => e);
    expect(forbidden).toBeInstanceOf(ApiException);
    expect((forbidden as ApiException<string>).code).toBe(403);

    // WHEN a Role that lets it read ConfigMaps is bound to it
    await cluster.kubectl(['create', 'role', 'configmap-reader', '--verb=get,list', '--resource=configmaps', '--namespace', namespace]);
    await cluster.kubectl(['create', 'rolebinding', 'reader', '--role=configmap-reader', `--serviceaccount=${namespace}:reader`, '--namespace', namespace]);

    // THEN it can read them (the authorizer's cache follows within moments)
    const cm = await waitFor('the RoleBinding to take effect', () => core.readNamespacedConfigMap({ name: 'settings', namespace }), { timeoutMs: 10_000 });
    expect(cm.data).toEqual({ a: 'b' });
    // AND still nothing more than that
    const kubeconfig = await cluster.kubeconfigFor(namespace, 'reader');
    const deleteError = await cluster.kubectl(['delete', 'configmap', 'settings'], { kubeconfig }).then(() => undefined, (e: unknown) => e);
    expect(deleteError).toBeInstanceOf(KubectlError);
    expect((deleteError as KubectlError).stderr).toContain(
      `User "system:serviceaccount:${namespace}:reader" cannot delete resource "configmaps" in API group "" in the namespace "${namespace}"`);
  });
});
