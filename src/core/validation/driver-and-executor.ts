/** Rules for `spec.driver` and `spec.executor`: resources, mounts, containers, ports. */
import { SECRET_TYPES } from '../../api';
import { SPARK_CONTAINERS } from '../contract';
import { SPARK_MIN_MEMORY_MIB, parseSparkMemoryMiB } from '../memory';
import { ProblemList } from '../problems';
import { checkAbsolutePath, checkInteger, checkOneOf, checkPort, isObject, listOf, shown } from './checks';

/** Spark's own container names (driver, executor, and the executor name Spark 2 used); sidecars must not take them. */
export const SPARK_CONTAINER_NAMES = [SPARK_CONTAINERS.driver, SPARK_CONTAINERS.executor, 'executor'];

/** Adds a problem unless `value` is undefined or a Spark memory string of at least `floorMiB`. */
export function checkMemory(problems: ProblemList, path: string, value: unknown, floorMiB: number): void {
  if (value === undefined) return;
  const mib = typeof value === 'string' ? parseSparkMemoryMiB(value) : undefined;
  if (mib === undefined) {
    problems.add(path, `must be a size as Spark reads it, such as 512m or 2g (got ${shown(value)})`);
  } else if (mib < floorMiB) {
    problems.add(path, `must be at least ${floorMiB} MiB: Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got ${shown(value)})`);
  }
}

/** Every mount of the Spark container must be at an absolute path no other mount uses. */
function checkMountPaths(problems: ProblemList, base: string, pod: Record<string, unknown>): void {
  // Most roles mount nothing: no lists to build then (every application's two roles come here).
  if (pod.volumeMounts === undefined && pod.secrets === undefined && pod.configMaps === undefined) return;
  const seen = new Map<string, string>();
  const mounts: Array<[string, unknown]> = [
    ...listOf(pod.volumeMounts).map((m, i): [string, unknown] => [`${base}.volumeMounts[${i}].mountPath`, isObject(m) ? m.mountPath : undefined]),
    ...listOf(pod.secrets).map((s, i): [string, unknown] => [`${base}.secrets[${i}].path`, isObject(s) ? s.path : undefined]),
    ...listOf(pod.configMaps).map((c, i): [string, unknown] => [`${base}.configMaps[${i}].path`, isObject(c) ? c.path : undefined]),
  ];
  for (const [path, mountPath] of mounts) {
    if (mountPath === undefined) {
      problems.add(path, 'is required');
      continue;
    }
    checkAbsolutePath(problems, path, mountPath);
    if (typeof mountPath !== 'string') continue;
    const earlier = seen.get(mountPath);
    if (earlier !== undefined) problems.add(path, `'${mountPath}' is already mounted by {${earlier}}`);
    else seen.set(mountPath, path);
  }
}

/** Mounts refer to `spec.volumes` by name: a missing volume would fail the pod's creation. */
function checkMountedVolumes(
  problems: ProblemList, base: string, pod: Record<string, unknown>, specPath: string, volumeNames: ReadonlySet<string>,
): void {
  listOf(pod.volumeMounts).forEach((mount, i) => {
    const name = isObject(mount) ? mount.name : undefined;
    if (typeof name !== 'string' || name === '') {
      problems.add(`${base}.volumeMounts[${i}].name`, 'is required');
    } else if (!volumeNames.has(name)) {
      problems.add(`${base}.volumeMounts[${i}].name`, `'${name}' is not a volume of {${specPath}.volumes}`);
    }
  });
}

/** Sidecar and init container names must be set, unique, and not Spark's own. */
function checkContainerNames(problems: ProblemList, base: string, pod: Record<string, unknown>): void {
  if (pod.sidecars === undefined && pod.initContainers === undefined) return;
  const seen = new Set<string>();
  for (const field of ['sidecars', 'initContainers']) {
    listOf(pod[field]).forEach((container, i) => {
      const path = `${base}.${field}[${i}].name`;
      const name = isObject(container) ? container.name : undefined;
      if (typeof name !== 'string' || name === '') {
        problems.add(path, 'is required: every sidecar and init container needs a name');
      } else if (seen.has(name) || SPARK_CONTAINER_NAMES.includes(name)) {
        problems.add(path, `'${name}' is used twice or is Spark's own container name: give each sidecar and init container a unique name`);
      }
      if (typeof name === 'string') seen.add(name);
    });
  }
}

/** `env`: a list of core/v1 EnvVars, each with a name (the submission merges them by name). */
function checkEnv(problems: ProblemList, base: string, env: unknown): void {
  if (env === undefined) return;
  if (!Array.isArray(env)) {
    problems.add(`${base}.env`, `must be a list of environment variables (got ${shown(env)})`);
    return;
  }
  env.forEach((variable, i) => {
    if (!isObject(variable)) problems.add(`${base}.env[${i}]`, `must be an object with a name (got ${shown(variable)})`);
    else if (typeof variable.name !== 'string' || variable.name === '') problems.add(`${base}.env[${i}].name`, `is required (got ${shown(variable.name)})`);
  });
}

/** The fields of a role that hold lists: anything else would be read as no entries, or break a rule that reads them. */
const LIST_FIELDS = ['volumeMounts', 'secrets', 'configMaps', 'ports', 'sidecars', 'initContainers', 'tolerations', 'envFrom'];

/** The rules of one role; `base` is its path (`spec.driver`), `specPath` the spec's (`spec`). */
export function checkSparkPod(problems: ProblemList, specPath: string, role: 'driver' | 'executor', pod: unknown, volumeNames: ReadonlySet<string>): void {
  const base = `${specPath}.${role}`;
  if (!isObject(pod)) {
    if (pod !== undefined) problems.add(base, `must be an object (got ${shown(pod)})`);
    return;
  }
  for (const field of LIST_FIELDS) {
    if (pod[field] !== undefined && !Array.isArray(pod[field])) problems.add(`${base}.${field}`, `must be a list (got ${shown(pod[field])})`);
  }
  checkInteger(problems, `${base}.cores`, pod.cores, 1);
  checkMemory(problems, `${base}.memory`, pod.memory, SPARK_MIN_MEMORY_MIB);
  checkMemory(problems, `${base}.memoryOverhead`, pod.memoryOverhead, 0);
  if (role === 'executor') checkInteger(problems, `${base}.instances`, pod.instances, 1);
  if (isObject(pod.gpu)) checkInteger(problems, `${base}.gpu.quantity`, pod.gpu.quantity, 1);
  checkInteger(problems, `${base}.terminationGracePeriodSeconds`, pod.terminationGracePeriodSeconds, 0);
  listOf(pod.ports).forEach((port, i) => checkPort(problems, `${base}.ports[${i}].containerPort`, isObject(port) ? port.containerPort : port));
  listOf(pod.secrets).forEach((secret, i) => checkOneOf(problems, `${base}.secrets[${i}].secretType`, isObject(secret) ? secret.secretType : undefined, SECRET_TYPES));
  checkEnv(problems, base, pod.env);
  checkMountPaths(problems, base, pod);
  checkMountedVolumes(problems, base, pod, specPath, volumeNames);
  checkContainerNames(problems, base, pod);
}
