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

/** The container Spark runs in, per role, as upstream picks it from a template. */
const SPARK_CONTAINERS = { server: 'spark-kubernetes-driver', executor: 'spark-kubernetes-executor' } as const;

/** `metadata.name`: a DNS-1035 label short enough to prefix the executors' pod names. */
export function checkConnectName(problems: ProblemList, name: unknown): void {
  if (typeof name !== 'string' || !isDns1035Label(name)) {
    problems.add('metadata.name', `must be a DNS-1035 label: at most ${SPARK_CONNECT_NAME_MAX_LENGTH} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got ${shown(name)})`);
  } else if (name.length > SPARK_CONNECT_NAME_MAX_LENGTH) {
    problems.add('metadata.name', `'${name}' (${name.length} characters) is too long for a SparkConnect: it prefixes the executors' pod names '<name>-exec-<id>', which must fit in 63 characters; use at most ${SPARK_CONNECT_NAME_MAX_LENGTH} characters`);
  }
}

/** The image of a role's Spark container in its template, if it names one. */
export function connectTemplateImage(pod: unknown, role: keyof typeof SPARK_CONTAINERS): string | undefined {
  const template = isObject(pod) ? pod.template : undefined;
  const spec = isObject(template) ? template.spec : undefined;
  const container = listOf(isObject(spec) ? spec.containers : undefined)
    .find((c) => isObject(c) && c.name === SPARK_CONTAINERS[role]) as Record<string, unknown> | undefined;
  return typeof container?.image === 'string' && container.image !== '' ? container.image : undefined;
}

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
  const image = checkString(problems, 'spec.image', spec.image);
  checkConnectPod(problems, 'server', spec.server);
  checkConnectPod(problems, 'executor', spec.executor);
  if (isObject(spec.server)) checkService(problems, spec.server.service);
  if (spec.image === undefined || image === '') {
    const missing = (['server', 'executor'] as const).filter((role) => !connectTemplateImage(spec[role], role));
    if (missing.length > 0) {
      problems.add('spec.image', `is required unless the ${missing.map((r) => `${r} template's '${SPARK_CONTAINERS[r]}' container`).join(' and the ')} names an image`);
    }
  }
  checkSparkConf(problems, spec, namespace, typedFields);
  checkStringMap(problems, 'spec.hadoopConf', spec.hadoopConf);
  checkDynamicAllocation(problems, 'spec', spec);
}
