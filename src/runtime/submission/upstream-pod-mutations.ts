/**
 * Stage 4: what upstream's mutating pod webhook (`sparkpod_defaulter.go`) patches into every driver
 * and executor pod, applied here to the driver pod and to the executor pod template, in the
 * webhook's order (`reference/kubeflow-v1beta2.md` §6; the numbers below are its steps). Pods
 * therefore need no webhook. Step 1 (the driver's owner reference) is in `owner-references.ts`.
 *
 * Where the webhook appends an environment variable the container already has, the value here
 * replaces the earlier one in place: the kubelet uses the last of duplicate names, so the effect
 * is the same, without a duplicate.
 */
import { WEBHOOK_MOUNTS } from './constants';
import { ContainerPort, PodContainer, PodSpec } from './kube-objects';
import { MonitoringPlan } from './monitoring';
import { Container, EnvVar, JsonObject, SparkApplication, SparkPodSpec, Volume, VolumeMount } from '../../api';
import { LOCAL_DIR_VOLUME_PREFIX, binaryQuantity, podVolumeName } from '../../core';

/** Which pod is patched, and what the patches need to know. */
export interface PatchContext {
  readonly app: SparkApplication;
  readonly role: 'driver' | 'executor';
  /** The driver ConfigMap, which holds the monitoring files. */
  readonly configMapName: string;
  readonly monitoring?: MonitoringPlan;
}

/** A pod spec and the name of its Spark container. */
interface Target {
  readonly spec: PodSpec;
  readonly containerName: string;
}

type Patch = (target: Target, role: SparkPodSpec & JsonObject, context: PatchContext) => PodSpec;

function onSparkContainer(target: Target, change: (container: PodContainer) => PodContainer): PodSpec {
  return { ...target.spec, containers: target.spec.containers.map((c) => (c.name === target.containerName ? change(c) : c)) };
}

/** `env` with `added` set: an existing name keeps its place and takes the new value. */
export function setEnv(env: readonly EnvVar[] | undefined, ...added: EnvVar[]): EnvVar[] {
  const result = [...env ?? []];
  for (const variable of added) {
    const at = result.findIndex((e) => e.name === variable.name);
    if (at >= 0) result[at] = variable;
    else result.push(variable);
  }
  return result;
}

function withVolume(spec: PodSpec, volume: Volume): PodSpec {
  return (spec.volumes ?? []).some((v) => v.name === volume.name) ? spec : { ...spec, volumes: [...spec.volumes ?? [], volume] };
}

function mountConfigMap(target: Target, volume: string, configMap: string, mountPath: string, env?: EnvVar): PodSpec {
  const spec = withVolume(target.spec, { name: volume, configMap: { name: configMap } });
  return onSparkContainer({ ...target, spec }, (c) => ({
    ...c,
    volumeMounts: [...c.volumeMounts ?? [], { name: volume, mountPath, readOnly: true }],
    ...env ? { env: setEnv(c.env, env) } : {},
  }));
}

/**
 * A Spark memory size (`512m`, `2g`; a plain number is MiB) as a Kubernetes quantity (`512Mi`,
 * `2Gi`), for `memoryLimit`; validation has checked it.
 */
export function memoryLimitQuantity(text: string): string {
  const match = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text)!;
  const kib: Record<string, number> = { '': 1024, 'k': 1, 'kb': 1, 'm': 1024, 'mb': 1024, 'g': 1024 ** 2, 'gb': 1024 ** 2, 't': 1024 ** 3, 'tb': 1024 ** 3, 'p': 1024 ** 4, 'pb': 1024 ** 4 };
  const unit = match[2].toLowerCase();
  const value = Number(match[1]);
  if (unit === 'b') return value % 1024 === 0 ? binaryQuantity(value / 1024) : `${value}`;
  return binaryQuantity(value * (kib[unit] ?? 1024));
}

function appendUnlessPresent(existing: readonly Container[] | undefined, added: readonly Container[]): Container[] {
  const result = [...existing ?? []];
  for (const container of added) {
    if (!result.some((c) => c.name === container.name && c.image === container.image)) result.push(container);
  }
  return result;
}

/** The webhook's steps 2 to 26, in order. */
const PATCHES: ReadonlyArray<[string, Patch]> = [
  ['2 env', (t, r) => (r.env?.length ? onSparkContainer(t, (c) => ({ ...c, env: setEnv(c.env, ...r.env!) })) : t.spec)],
  ['3 envFrom', (t, r) => (r.envFrom?.length ? onSparkContainer(t, (c) => ({ ...c, envFrom: [...c.envFrom ?? [], ...r.envFrom!] })) : t.spec)],
  ['4 hadoopConfigMap', (t, _r, { app }) => {
    const m = WEBHOOK_MOUNTS.hadoopConfigMap;
    if (!app.spec.hadoopConfigMap) return t.spec;
    return mountConfigMap(t, m.volume, app.spec.hadoopConfigMap, m.mountPath, { name: m.env, value: m.mountPath });
  }],
  ['5 sparkConfigMap', (t, _r, { app, role }) => {
    const m = WEBHOOK_MOUNTS.sparkConfigMap;
    // Executors get SPARK_CONF_DIR through spark.executorEnv (submit-conf.ts): Spark sets its own after the template's.
    const env = role === 'driver' ? { name: m.env, value: m.mountPath } : undefined;
    return app.spec.sparkConfigMap ? mountConfigMap(t, m.volume, app.spec.sparkConfigMap, m.mountPath, env) : t.spec;
  }],
  ['6 configMaps', (t, r) => (r.configMaps ?? []).reduce(
    (spec, cm) => mountConfigMap({ ...t, spec }, podVolumeName(cm.name, '-vol'), cm.name, cm.path), t.spec)],
  ['7 volumes', (t, r, { app }) => {
    const mounts = (r.volumeMounts ?? []).filter((m) => !m.name.startsWith(LOCAL_DIR_VOLUME_PREFIX));
    let spec = t.spec;
    for (const mount of mounts) {
      const volume = (app.spec.volumes ?? []).find((v) => v.name === mount.name);
      if (volume) spec = withVolume(spec, volume);
    }
    if (mounts.length === 0) return spec;
    return onSparkContainer({ ...t, spec }, (c) => ({ ...c, volumeMounts: [...c.volumeMounts ?? [], ...mounts as VolumeMount[]] }));
  }],
  ['8 ports', (t, r) => {
    const ports: ContainerPort[] = ((r.ports ?? []) as ContainerPort[])
      .map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }));
    return ports.length ? onSparkContainer(t, (c) => ({ ...c, ports: [...c.ports ?? [], ...ports] })) : t.spec;
  }],
  ['9 hostNetwork', (t, r) => (r.hostNetwork ? { ...t.spec, hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : t.spec)],
  ['10 hostAliases', (t, r) => (r.hostAliases?.length
    ? { ...t.spec, hostAliases: [...(t.spec.hostAliases as JsonObject[] | undefined) ?? [], ...r.hostAliases] }
    : t.spec)],
  ['11 initContainers', (t, r) => (r.initContainers?.length
    ? { ...t.spec, initContainers: appendUnlessPresent(t.spec.initContainers, r.initContainers) }
    : t.spec)],
  ['12 sidecars', (t, r) => (r.sidecars?.length ? { ...t.spec, containers: appendUnlessPresent(t.spec.containers, r.sidecars) } : t.spec)],
  ['13 dnsConfig', (t, r) => (r.dnsConfig ? { ...t.spec, dnsConfig: r.dnsConfig } : t.spec)],
  ['14 priorityClassName', (t, r) => {
    const name = r.priorityClassName as string | undefined;
    if (!name) return t.spec;
    const { priority: _priority, preemptionPolicy: _policy, ...spec } = t.spec;
    return { ...spec, priorityClassName: name } as PodSpec;
  }],
  ['15 schedulerName', (t, r, { app }) => {
    const name = app.spec.batchScheduler || r.schedulerName;
    return name ? { ...t.spec, schedulerName: name } : t.spec;
  }],
  ['16 nodeSelector', (t, r) => (r.nodeSelector && Object.keys(r.nodeSelector).length
    ? { ...t.spec, nodeSelector: { ...t.spec.nodeSelector, ...r.nodeSelector } }
    : t.spec)],
  ['17 affinity', (t, r) => (r.affinity ? { ...t.spec, affinity: r.affinity } : t.spec)],
  ['18 tolerations', (t, r) => (r.tolerations?.length
    ? { ...t.spec, tolerations: [...(t.spec.tolerations as JsonObject[] | undefined) ?? [], ...r.tolerations] }
    : t.spec)],
  // Executors: refused by the shared rules (native-submission.ts), as Spark overwrites a template's memory limit.
  ['19 memoryLimit', (t, r, { role }) => {
    if (role !== 'driver' || !r.memoryLimit) return t.spec;
    const memory = memoryLimitQuantity(r.memoryLimit);
    return onSparkContainer(t, (c) => ({ ...c, resources: { ...c.resources, limits: { ...c.resources?.limits, memory } } }));
  }],
  ['20 gpu', (t, r) => (r.gpu
    ? onSparkContainer(t, (c) => ({ ...c, resources: { ...c.resources, limits: { ...c.resources?.limits, [r.gpu!.name]: `${r.gpu!.quantity}` } } }))
    : t.spec)],
  ['21 prometheus', (t, _r, { role, monitoring, configMapName }) => {
    if (!monitoring?.roles[role] || !monitoring.volumeName) return t.spec;
    const items = Object.keys(monitoring.configMapData).map((key) => ({ key, path: key }));
    const spec = withVolume(t.spec, { name: monitoring.volumeName, configMap: { name: configMapName, items } });
    return onSparkContainer({ ...t, spec }, (c) => ({
      ...c,
      volumeMounts: [...c.volumeMounts ?? [], { name: monitoring.volumeName!, mountPath: WEBHOOK_MOUNTS.prometheus.mountPath }],
      ports: [...c.ports ?? [], monitoring.port],
    }));
  }],
  ['22 securityContext', (t, r) => (r.securityContext ? onSparkContainer(t, (c) => ({ ...c, securityContext: r.securityContext })) : t.spec)],
  ['23 podSecurityContext', (t, r) => (r.podSecurityContext ? { ...t.spec, securityContext: r.podSecurityContext } : t.spec)],
  ['24 terminationGracePeriodSeconds', (t, r) => (r.terminationGracePeriodSeconds !== undefined
    ? { ...t.spec, terminationGracePeriodSeconds: r.terminationGracePeriodSeconds }
    : t.spec)],
  ['25 lifecycle', (t, r) => (r.lifecycle ? onSparkContainer(t, (c) => ({ ...c, lifecycle: r.lifecycle as JsonObject })) : t.spec)],
  ['26 shareProcessNamespace', (t, r) => (r.shareProcessNamespace !== undefined ? { ...t.spec, shareProcessNamespace: r.shareProcessNamespace } : t.spec)],
  // Not in upstream's webhook, which ignores the field; v1beta2 has it, so it is honoured.
  ['runtimeClassName', (t, r) => (r.runtimeClassName ? { ...t.spec, runtimeClassName: r.runtimeClassName } : t.spec)],
  // Ours: no Service environment variables in Spark pods (see docs/submission.md).
  ['enableServiceLinks', (t) => (t.spec.enableServiceLinks === undefined ? { ...t.spec, enableServiceLinks: false } : t.spec)],
];

/** `spec` (whose Spark container is `containerName`) with the webhook's patches for `context.role` applied. */
export function applyWebhookPatches(spec: PodSpec, containerName: string, context: PatchContext): PodSpec {
  const role = (context.app.spec[context.role] ?? {}) as SparkPodSpec & JsonObject;
  return PATCHES.reduce((current, [, patch]) => patch({ spec: current, containerName }, role, context), spec);
}
