/** Rules for a SparkConnect (v1alpha1): its name, its server and executors, and its Spark settings. */
import { isDns1035Label } from '../dns';
import { SPARK_MIN_MEMORY_MIB } from '../memory';
import { ProblemList } from '../problems';
import { SPARK_NAMESPACE_CONF } from '../spark-conf';
import { CONNECT_OWNED_SPARK_CONF, CONNECT_SPARK_CONF_FIELDS, SPARK_CONNECT_NAME_MAX_LENGTH } from '../spark-connect';
import { checkInteger, checkString, checkStringMap, isObject, listOf, shown, sparkVersionOf } from './checks';
import { checkMemory } from './driver-and-executor';
import { checkDynamicAllocation } from './spark-application';
import { sparkNamespaceProblem } from './spark-conf';
import { SPARK_CONTAINERS } from '../contract';

/** The two pods of a SparkConnect. */
export type ConnectRole = 'server' | 'executor';

/** The name of a role's Spark container: the driver's for the server. */
const CONTAINER_OF: Readonly<Record<ConnectRole, string>> = { server: SPARK_CONTAINERS.driver, executor: SPARK_CONTAINERS.executor };

/** `metadata.name`: a DNS-1035 label short enough to prefix the executors' pod names. */
export function checkConnectName(problems: ProblemList, name: unknown): void {
  if (typeof name !== 'string' || !isDns1035Label(name)) {
    problems.add('metadata.name', `must be a DNS-1035 label: at most ${SPARK_CONNECT_NAME_MAX_LENGTH} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got ${shown(name)})`);
  } else if (name.length > SPARK_CONNECT_NAME_MAX_LENGTH) {
    problems.add('metadata.name', `'${name}' (${name.length} characters) is too long for a SparkConnect: it prefixes the executors' pod names '<name>-exec-<id>', which must fit in 63 characters; use at most ${SPARK_CONNECT_NAME_MAX_LENGTH} characters`);
  }
}

/**
 * Which of `containers` (a role's pod template's) upstream takes as Spark's, or -1: the one named
 * `spark-kubernetes-driver` for the server, else its first (upstream's `mutateServerPod`); for
 * executors only the one named `spark-kubernetes-executor` (upstream's `imageOption`).
 */
export function connectSparkContainerIndex(containers: readonly unknown[], role: ConnectRole): number {
  const named = containers.findIndex((c) => isObject(c) && c.name === CONTAINER_OF[role]);
  return named >= 0 || role === 'executor' || containers.length === 0 ? named : 0;
}

/**
 * The image a SparkConnect's server or executors run, as upstream picks it: its Spark container's in
 * the role's template ({@link connectSparkContainerIndex}), else `spec.image`; undefined when neither
 * names one.
 */
export function connectImage(spec: unknown, role: ConnectRole): string | undefined {
  const pod = isObject(spec) ? spec[role] : undefined;
  const template = isObject(pod) ? pod.template : undefined;
  const containers = listOf(isObject(template) && isObject(template.spec) ? template.spec.containers : undefined);
  const container = containers[connectSparkContainerIndex(containers, role)];
  const image = isObject(container) ? container.image : undefined;
  if (typeof image === 'string' && image !== '') return image;
  return isObject(spec) && typeof spec.image === 'string' && spec.image !== '' ? spec.image : undefined;
}

/** How the problem of a role without an image names where its image could come from. */
const IMAGE_SOURCE: Readonly<Record<ConnectRole, string>> = {
  server: `server template's Spark container ('${SPARK_CONTAINERS.driver}', else its first)`,
  executor: `executor template's '${SPARK_CONTAINERS.executor}' container`,
};

function checkConnectPod(problems: ProblemList, role: 'server' | 'executor', pod: unknown): void {
  const base = `spec.${role}`;
  if (!isObject(pod)) {
    problems.add(base, `is required and must be an object (got ${shown(pod)})`);
    return;
  }
  checkInteger(problems, `${base}.cores`, pod.cores, 1);
  checkMemory(problems, `${base}.memory`, pod.memory, SPARK_MIN_MEMORY_MIB);
  if (role === 'executor') checkInteger(problems, `${base}.instances`, pod.instances, 0);
  if (pod.template !== undefined && !isObject(pod.template)) {
    problems.add(`${base}.template`, `must be a pod template (an object with metadata and spec) (got ${shown(pod.template)})`);
  }
}

function checkService(problems: ProblemList, service: unknown): void {
  if (service === undefined) return;
  if (!isObject(service)) {
    problems.add('spec.server.service', `must be a Service (an object) (got ${shown(service)})`);
    return;
  }
  const name = isObject(service.metadata) ? service.metadata.name : undefined;
  if (name !== undefined && (typeof name !== 'string' || !isDns1035Label(name))) {
    problems.add('spec.server.service.metadata.name', `must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter (got ${shown(name)})`);
  }
}

function checkSparkConf(problems: ProblemList, spec: Record<string, unknown>, namespace: string | undefined, typedFields: boolean): void {
  if (spec.sparkConf === undefined || !checkStringMap(problems, 'spec.sparkConf', spec.sparkConf)) return;
  for (const [key, value] of Object.entries(spec.sparkConf)) {
    if (key === SPARK_NAMESPACE_CONF) {
      const problem = sparkNamespaceProblem(String(value), namespace);
      if (problem) problems.add('spec.sparkConf', problem.replace('the application runs', 'the SparkConnect runs'));
    } else if (CONNECT_OWNED_SPARK_CONF[key] !== undefined) {
      problems.add('spec.sparkConf', `must not set '${key}': ${CONNECT_OWNED_SPARK_CONF[key]}`);
    } else if (typedFields && CONNECT_SPARK_CONF_FIELDS[key] !== undefined) {
      problems.add('spec.sparkConf', `must not set '${key}': use {${CONNECT_SPARK_CONF_FIELDS[key]}}`);
    }
  }
}

/**
 * The rules of a SparkConnect's spec. `typedFields`: also refuse `sparkConf` keys a typed field
 * renders (the constructs' rule; the cluster accepts them as upstream does).
 */
export function checkSparkConnectSpec(
  problems: ProblemList, spec: Record<string, unknown>, namespace: string | undefined, typedFields = false,
): void {
  if (!sparkVersionOf(spec.sparkVersion)) {
    problems.add('spec.sparkVersion', `must be a Spark version such as '4.0.1' (got ${shown(spec.sparkVersion)})`);
  }
  checkString(problems, 'spec.image', spec.image);
  checkConnectPod(problems, 'server', spec.server);
  checkConnectPod(problems, 'executor', spec.executor);
  if (isObject(spec.server)) checkService(problems, spec.server.service);
  const missing = (['server', 'executor'] as const).filter((role) => connectImage(spec, role) === undefined);
  if (missing.length > 0 && (spec.image === undefined || spec.image === '')) {
    problems.add('spec.image', `is required unless the ${missing.map((r) => IMAGE_SOURCE[r]).join(' and the ')} names an image`);
  }
  checkSparkConf(problems, spec, namespace, typedFields);
  checkStringMap(problems, 'spec.hadoopConf', spec.hadoopConf);
  checkDynamicAllocation(problems, 'spec', spec);
}
