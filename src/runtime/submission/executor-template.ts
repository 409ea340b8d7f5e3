/**
 * The executor pod template (`spark.kubernetes.executor.podTemplateFile`): `spec.executor.template`
 * (if any) with everything upstream's webhook would patch into each executor pod, and the
 * application as a non-controller owner. Spark builds every executor pod from it, so executors
 * need no webhook either.
 */
import { stringify } from 'yaml';
import { PodSpec, PodTemplate, cloneJson } from './kube-objects';
import { MonitoringPlan } from './monitoring';
import { applicationOwnerReference } from './owner-references';
import { applyWebhookPatches } from './upstream-pod-mutations';
import { ObjectMeta, SparkApplication } from '../../api';
import { SPARK_CONTAINERS } from '../../core';

/**
 * A user's executor template (or none) as Spark will read it: a copy, with a container for Spark
 * to take as its own (by name, else the first, as `KubernetesUtils.selectSparkContainer` picks it;
 * `spark-kubernetes-executor` when there is none), and that container's name.
 */
export function executorTemplateBase(template: unknown): { template: { metadata?: ObjectMeta; spec: PodSpec }; containerName: string } {
  const copy = cloneJson(template ?? {}) as { metadata?: ObjectMeta; spec?: PodSpec };
  const spec: PodSpec = { ...copy.spec, containers: [...copy.spec?.containers ?? []] };
  let container = spec.containers.find((c) => c.name === SPARK_CONTAINERS.executor) ?? spec.containers[0];
  if (!container) {
    container = { name: SPARK_CONTAINERS.executor };
    spec.containers.unshift(container);
  }
  return { template: { ...copy, spec }, containerName: container.name };
}

/** The executor pod template of `app`'s submission. */
export function executorPodTemplate(app: SparkApplication, configMapName: string, monitoring: MonitoringPlan | undefined): PodTemplate {
  const { template, containerName } = executorTemplateBase(app.spec.executor?.template);
  const spec = template.spec;
  const owner = applicationOwnerReference(app, false);
  const metadata: ObjectMeta = {
    ...template.metadata,
    ...owner ? { ownerReferences: [...template.metadata?.ownerReferences ?? [], owner] } : {},
  };
  return {
    metadata,
    spec: applyWebhookPatches(spec, containerName, { app, role: 'executor', configMapName, monitoring }),
  };
}

/** The template as the file the driver reads (YAML). */
export function podTemplateFile(template: PodTemplate): string {
  return stringify(template, { lineWidth: 0 });
}
