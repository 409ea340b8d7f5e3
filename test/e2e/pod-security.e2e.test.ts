import { KubectlError } from './harness/kubectl';
import { e2eCluster, uniqueName } from './harness/suite';
import { testPod } from './harness/test-pods';

const cluster = e2eCluster();
let namespace: string;

beforeAll(async () => {
  namespace = await cluster.createNamespace(uniqueName('e2e-psa'), {
    labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
  });
});

afterAll(async () => {
  await cluster.deleteNamespace(namespace);
});

describe('the PodSecurity admission plugin enforces the namespace label', () => {
  test('a privileged pod is rejected in a restricted namespace', async () => {
    // GIVEN
    const pod = testPod('privileged', { namespace, securityContext: { privileged: true } });

    // WHEN
    const error = await cluster.applyManifests(pod).then(() => undefined, (e: unknown) => e);

    // THEN
    expect(error).toBeInstanceOf(KubectlError);
    const stderr = (error as KubectlError).stderr;
    expect(stderr).toContain('violates PodSecurity "restricted:latest"');
    expect(stderr).toContain('privileged (container "main" must not set securityContext.privileged=true)');
  });

  test('a pod that meets the restricted profile is admitted', async () => {
    // GIVEN
    const pod = testPod('compliant', {
      namespace,
      podSecurityContext: { runAsNonRoot: true, runAsUser: 185, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });

    // WHEN
    const [admitted] = await cluster.applyManifests(pod);

    // THEN
    expect(admitted.metadata?.uid).toBeDefined();
  });
});
