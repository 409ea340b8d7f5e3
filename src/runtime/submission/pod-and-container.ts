/**
 * Spark's `SparkPod`: a pod and, kept apart from its containers, the Spark container. Feature
 * steps change one or both; Spark appends the container to the pod at the very end, after any
 * containers of the pod template.
 */
import { Pod, PodContainer, PodSpec, cloneJson } from './kube-objects';
import { EnvVar, JsonObject, PodTemplateSpec, Volume, VolumeMount } from '../../api';

/** A pod under construction and its Spark container. */
export interface SparkPod {
  readonly pod: Pod;
  readonly container: PodContainer;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The pod Spark starts from (`KubernetesUtils.loadPodFromTemplate` + `selectSparkContainer`): a
 * copy of `template`, with the container named `containerName` taken out as the Spark container,
 * else the first container, else a new empty one.
 */
export function sparkPodFromTemplate(template: PodTemplateSpec | undefined, containerName: string): SparkPod {
  const copy = cloneJson(template ?? {});
  const metadata = isObject(copy.metadata) ? copy.metadata : {};
  const spec = (isObject(copy.spec) ? copy.spec : {}) as PodSpec;
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  const named = containers.filter((c) => c.name === containerName);
  const container = named.length === 1 ? named[0] : containers[0];
  return {
    pod: { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...spec, containers: containers.filter((c) => c !== container) } },
    container: container ?? ({} as PodContainer),
  };
}

/** `pod` with `changes` applied to its spec. */
export function editSpec(pod: Pod, changes: Partial<PodSpec>): Pod {
  return { ...pod, spec: { ...pod.spec, ...changes } };
}

/** `pod` with `volumes` appended. */
export function addVolumes(pod: Pod, ...volumes: Volume[]): Pod {
  return volumes.length === 0 ? pod : editSpec(pod, { volumes: [...pod.spec.volumes ?? [], ...volumes] });
}

/** `container` with `env` appended. */
export function addEnv<C extends PodContainer>(container: C, ...env: EnvVar[]): C {
  return env.length === 0 ? container : { ...container, env: [...container.env ?? [], ...env] };
}

/** `container` with `mounts` appended. */
export function addMounts<C extends PodContainer>(container: C, ...mounts: VolumeMount[]): C {
  return mounts.length === 0 ? container : { ...container, volumeMounts: [...container.volumeMounts ?? [], ...mounts] };
}

/** A map without its undefined values, or undefined when nothing is left (Kubernetes omits empty maps). */
export function nonEmpty<V>(map: Record<string, V | undefined>): Record<string, V> | undefined {
  const entries = Object.entries(map).filter((e): e is [string, V] => e[1] !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
