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

/** The executor pod template a driver reads (`spark.kubernetes.executor.podTemplateFile`), as parsed YAML. */
export interface ExecutorTemplate {
  readonly metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: unknown[] };
  readonly spec?: { containers?: Array<Record<string, unknown>>; [field: string]: unknown };
}

/** What Spark adds to each executor built from a template (`BasicExecutorFeatureStep`). */
export interface TemplateExecutorOptions extends ExecutorPodOptions {
  /** The container's requests as Spark sets them: cpu from `request.cores` (or `cores`), memory with its overhead. */
  readonly requests: { readonly cpu: string; readonly memory: string };
}

/**
 * Executor `id` of `driver` as Spark builds it from the executor pod template of the driver's
 * ConfigMap: the template's labels, annotations, owners and pod spec (scheduler name, node selector,
 * tolerations, pod-group label of a batch scheduler), Spark's executor labels, the driver as
 * controller, and the container's requests. No kubelet runs it: the fake kubelet does, as
 * `options.annotations` say.
 */
export function executorPodFromTemplate(driver: any, id: number, template: ExecutorTemplate, options: TemplateExecutorOptions): Record<string, any> {
  const plain = executorPod(driver, id, options) as { metadata: Record<string, any>; spec: { containers: Array<Record<string, unknown>> } };
  const [container = {}, ...sidecars] = template.spec?.containers ?? [];
  return {
    ...plain,
    metadata: {
      ...plain.metadata,
      labels: { ...template.metadata?.labels, ...plain.metadata.labels },
      annotations: { ...template.metadata?.annotations, ...options.annotations },
      ownerReferences: [...template.metadata?.ownerReferences ?? [], ...plain.metadata.ownerReferences],
    },
    spec: {
      ...template.spec,
      containers: [
        { ...plain.spec.containers[0], ...container, resources: { requests: options.requests, limits: { memory: options.requests.memory } } },
        ...sidecars,
      ],
    },
  };
}
