import { KubeObject } from './apply';

/** Options of {@link testPod}. */
export interface TestPodOptions {
  readonly namespace: string;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly ownerReferences?: readonly Record<string, unknown>[];
  /** Container security context. @default - none */
  readonly securityContext?: Record<string, unknown>;
  /** Pod security context. @default - none */
  readonly podSecurityContext?: Record<string, unknown>;
  /** @default "Never" (as Spark's driver and executor pods) */
  readonly restartPolicy?: 'Never' | 'OnFailure' | 'Always';
}

/**
 * A one-container pod for the fake kubelet. The image is never pulled (kwok runs nothing), so any
 * name does; steer its life with `podOutcomeAnnotations`.
 */
export function testPod(name: string, options: TestPodOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace,
      annotations: options.annotations ?? {},
      labels: options.labels ?? {},
      ...(options.ownerReferences ? { ownerReferences: options.ownerReferences } : {}),
    },
    spec: {
      restartPolicy: options.restartPolicy ?? 'Never',
      terminationGracePeriodSeconds: 30,
      ...(options.podSecurityContext ? { securityContext: options.podSecurityContext } : {}),
      containers: [{
        name: 'main',
        image: 'cdk8s-spark-e2e/fake:1',
        resources: { requests: { cpu: '100m', memory: '64Mi' } },
        ...(options.securityContext ? { securityContext: options.securityContext } : {}),
      }],
    },
  };
}
