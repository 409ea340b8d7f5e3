/**
 * An executor pod as a Spark driver creates it (the labels Spark's executor pods carry), for tests that
 * play the driver's part: no driver runs here, so the test creates the executors the controller
 * then tracks. The fake kubelet runs it as its annotations say (`podOutcomeAnnotations`), or until
 * the test ends.
 */

/** What differs between executors. */
export interface ExecutorPodOptions {
  /** Annotations for the fake kubelet. */
  readonly annotations?: Record<string, string>;
  /** The application's own labels, which Spark copies onto its executors. */
  readonly labels?: Record<string, string>;
}

/** Executor `id` of `driver` (a driver pod as the API server returned it), in the driver's namespace, owned by it. */
export function executorPod(driver: any, id: number, options: ExecutorPodOptions = {}): Record<string, unknown> {
  const labels = driver.metadata.labels;
  const app = labels['sparkoperator.k8s.io/app-name'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-exec-${id}`,
      namespace: driver.metadata.namespace,
      annotations: options.annotations,
      labels: {
        ...options.labels,
        'spark-role': 'executor',
        'spark-exec-id': String(id),
        'spark-app-selector': labels['spark-app-selector'],
        'sparkoperator.k8s.io/app-name': app,
        'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
        'sparkoperator.k8s.io/submission-id': labels['sparkoperator.k8s.io/submission-id'],
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: driver.metadata.name, uid: driver.metadata.uid, controller: true }],
    },
    spec: { containers: [{ name: 'spark-kubernetes-executor', image: 'apache/spark:3.5.1' }] },
  };
}
