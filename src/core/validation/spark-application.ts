/** Rules for a SparkApplication spec (also the template of a ScheduledSparkApplication) and its name. */
import { DEPLOY_MODES, PYTHON_VERSIONS, RESTART_POLICY_TYPES, SPARK_APPLICATION_TYPES } from '../../api';
import { VOLCANO_SCHEDULER_NAME, YUNIKORN_SCHEDULER_NAME, schedulerNameProblem } from '../batch-scheduler';
import { DNS_LABEL_MAX_LENGTH, isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue } from '../dns';
import { ingressUrlProblem } from '../ingress-url';
import { DRIVER_POD_SUFFIX } from '../names';
import { ProblemList } from '../problems';
import { SPARK_NAMESPACE_CONF } from '../spark-conf';
import { checkInteger, checkOneOf, checkPort, checkString, checkStringList, checkStringMap, isObject, listOf, shown, sparkVersionOf } from './checks';
import { checkSparkPod } from './driver-and-executor';
import { sparkConfKeyProblem, sparkNamespaceProblem } from './spark-conf';

const JVM_TYPES = ['Java', 'Scala'];

/** `metadata.name`: a DNS-1035 label, as the upstream webhook requires. */
export function checkApplicationName(problems: ProblemList, name: unknown): name is string {
  if (typeof name !== 'string' || !isDns1035Label(name)) {
    problems.add('metadata.name', `must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got ${shown(name)})`);
    return false;
  }
  return true;
}

/** The driver pod is `<name>-driver` unless `driver.podName` is set: it must be a DNS-1123 label too. */
export function checkDriverPodName(problems: ProblemList, specPath: string, name: string, spec: Record<string, unknown>): void {
  const podName = isObject(spec.driver) ? spec.driver.podName : undefined;
  if (podName !== undefined) {
    if (typeof podName !== 'string' || !isDns1123Label(podName)) {
      problems.add(`${specPath}.driver.podName`, `must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (got ${shown(podName)})`);
    }
    return;
  }
  const driverPod = `${name}${DRIVER_POD_SUFFIX}`;
  if (driverPod.length > DNS_LABEL_MAX_LENGTH) {
    problems.add('metadata.name', `'${name}' (${name.length} characters) makes the driver pod name '${driverPod}' ${driverPod.length} characters long, over the limit of 63: use at most ${DNS_LABEL_MAX_LENGTH - DRIVER_POD_SUFFIX.length} characters or set {${specPath}.driver.podName}`);
  }
}

function checkBasics(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  if (spec.type === undefined || spec.type === '') problems.add(`${path}.type`, `is required: one of ${SPARK_APPLICATION_TYPES.join(', ')}`);
  else checkOneOf(problems, `${path}.type`, spec.type, SPARK_APPLICATION_TYPES);
  checkOneOf(problems, `${path}.mode`, spec.mode, DEPLOY_MODES);
  checkOneOf(problems, `${path}.pythonVersion`, spec.pythonVersion, PYTHON_VERSIONS);
  if (!sparkVersionOf(spec.sparkVersion)) {
    problems.add(`${path}.sparkVersion`, `must be a Spark version such as '3.5.1' (got ${shown(spec.sparkVersion)})`);
  }
  const file = checkString(problems, `${path}.mainApplicationFile`, spec.mainApplicationFile);
  if (file === undefined || file.trim() === '') {
    if (spec.mainApplicationFile === undefined || file !== undefined) {
      problems.add(`${path}.mainApplicationFile`, 'must not be empty: give the jar, .py or .R file of the application');
    }
  } else if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(file)) {
    // Without a scheme Spark reads a local path of the submitting machine and uploads it.
    problems.add(`${path}.mainApplicationFile`, `must be a URI with a scheme, such as local:///opt/spark/app.jar for a file in the image or s3a://bucket/app.py (got '${file}')`);
  }
  const type = typeof spec.type === 'string' ? spec.type : '';
  if (JVM_TYPES.includes(type) && (spec.mainClass === undefined || spec.mainClass === '')) {
    problems.add(`${path}.mainClass`, `is required for ${type} applications; for a non-JVM application set {${path}.type} to Python or R`);
  } else if (['Python', 'R'].includes(type) && spec.mainClass !== undefined) {
    problems.add(`${path}.mainClass`, `must not be set for ${type} applications: Spark runs the main file itself (got ${shown(spec.mainClass)})`);
  }
}

const OBJECT_FIELDS = ['restartPolicy', 'dynamicAllocation', 'monitoring', 'sparkUIOptions', 'batchSchedulerOptions'];

const DEPENDENCY_LISTS = ['jars', 'files', 'pyFiles', 'packages', 'excludePackages', 'repositories', 'archives'];

/**
 * The lists and maps the submission reads entry by entry: a string where a list belongs would
 * otherwise become one argument per character.
 */
function checkLists(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  checkStringList(problems, `${path}.arguments`, spec.arguments);
  checkStringMap(problems, `${path}.hadoopConf`, spec.hadoopConf);
  checkStringMap(problems, `${path}.nodeSelector`, spec.nodeSelector);
  for (const field of OBJECT_FIELDS) {
    if (spec[field] !== undefined && !isObject(spec[field])) problems.add(`${path}.${field}`, `must be an object (got ${shown(spec[field])})`);
  }
  for (const field of ['volumes', 'driverIngressOptions']) {
    if (spec[field] !== undefined && !Array.isArray(spec[field])) problems.add(`${path}.${field}`, `must be a list (got ${shown(spec[field])})`);
  }
  if (spec.deps === undefined) return;
  if (!isObject(spec.deps)) {
    problems.add(`${path}.deps`, `must be an object (got ${shown(spec.deps)})`);
    return;
  }
  for (const field of DEPENDENCY_LISTS) checkStringList(problems, `${path}.deps.${field}`, spec.deps[field]);
}

function checkImages(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  if (spec.image !== undefined && spec.image !== '') return;
  for (const role of ['driver', 'executor']) {
    const pod = spec[role];
    if (!isObject(pod) || pod.image === undefined || pod.image === '') {
      problems.add(`${path}.${role}.image`, `is required when {${path}.image} is not set`);
    }
  }
}

function checkTemplatesNeedSpark3(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  const version = sparkVersionOf(spec.sparkVersion);
  if (!version || version.major >= 3) return;
  for (const role of ['driver', 'executor']) {
    if (isObject(spec[role]) && (spec[role] as Record<string, unknown>).template !== undefined) {
      problems.add(`${path}.${role}.template`, `needs Spark 3.0.0 or later (got sparkVersion '${spec.sparkVersion}')`);
    }
  }
}

function hasEntries(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length > 0;
}

function checkNodeSelectors(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  const roleSelector = ['driver', 'executor'].some((role) => isObject(spec[role]) && hasEntries((spec[role] as Record<string, unknown>).nodeSelector));
  if (hasEntries(spec.nodeSelector) && roleSelector) {
    problems.add(`${path}.nodeSelector`, `cannot be combined with {${path}.driver.nodeSelector} or {${path}.executor.nodeSelector}: set it for the whole application or per role`);
  }
}

function checkSparkConf(problems: ProblemList, path: string, spec: Record<string, unknown>, namespace: string | undefined): void {
  if (spec.sparkConf === undefined || !checkStringMap(problems, `${path}.sparkConf`, spec.sparkConf)) return;
  for (const [key, value] of Object.entries(spec.sparkConf)) {
    const problem = key === SPARK_NAMESPACE_CONF
      ? sparkNamespaceProblem(String(value), namespace)
      : sparkConfKeyProblem(key, false);
    if (problem) problems.add(`${path}.sparkConf`, problem);
  }
}

function checkMemoryOverheadFactor(problems: ProblemList, path: string, factor: unknown): void {
  if (factor === undefined) return;
  const n = typeof factor === 'string' && factor.trim() !== '' ? Number(factor) : NaN;
  if (!(n > 0 && n <= 1)) {
    problems.add(`${path}.memoryOverheadFactor`, `must be a number greater than 0 and at most 1, the share of memory added as overhead (0.4 for 40%) (got ${shown(factor)})`);
  }
}

/** `dynamicAllocation`: integers, min <= initial <= max, and executor instances within max. */
export function checkDynamicAllocation(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  const da = spec.dynamicAllocation;
  if (!isObject(da)) return;
  const base = `${path}.dynamicAllocation`;
  checkInteger(problems, `${base}.initialExecutors`, da.initialExecutors, 0);
  checkInteger(problems, `${base}.minExecutors`, da.minExecutors, 0);
  checkInteger(problems, `${base}.maxExecutors`, da.maxExecutors, 1);
  checkInteger(problems, `${base}.shuffleTrackingTimeout`, da.shuffleTrackingTimeout, 0);
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const [initial, min, max] = [num(da.initialExecutors), num(da.minExecutors), num(da.maxExecutors)];
  if (min !== undefined && max !== undefined && min > max) {
    problems.add(`${base}.minExecutors`, `(${min}) must be <= {${base}.maxExecutors} (${max})`);
  }
  if (initial !== undefined && min !== undefined && initial < min) {
    problems.add(`${base}.initialExecutors`, `(${initial}) must be >= {${base}.minExecutors} (${min})`);
  }
  if (initial !== undefined && max !== undefined && initial > max) {
    problems.add(`${base}.initialExecutors`, `(${initial}) must be <= {${base}.maxExecutors} (${max})`);
  }
  const instances = isObject(spec.executor) ? num(spec.executor.instances) : undefined;
  if (da.enabled === true && instances !== undefined && max !== undefined && instances > max) {
    problems.add(`${path}.executor.instances`, `(${instances}) must be <= {${base}.maxExecutors} (${max}): with dynamic allocation Spark starts with the larger of the two`);
  }
}

function checkRestartPolicy(problems: ProblemList, path: string, policy: unknown): void {
  if (!isObject(policy)) return;
  const base = `${path}.restartPolicy`;
  checkOneOf(problems, `${base}.type`, policy.type, RESTART_POLICY_TYPES);
  checkInteger(problems, `${base}.onSubmissionFailureRetries`, policy.onSubmissionFailureRetries, 0);
  checkInteger(problems, `${base}.onFailureRetries`, policy.onFailureRetries, 0);
  checkInteger(problems, `${base}.onSubmissionFailureRetryInterval`, policy.onSubmissionFailureRetryInterval, 1);
  checkInteger(problems, `${base}.onFailureRetryInterval`, policy.onFailureRetryInterval, 1);
}

function checkServices(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  if (isObject(spec.sparkUIOptions)) checkPort(problems, `${path}.sparkUIOptions.servicePort`, spec.sparkUIOptions.servicePort);
  const ports = new Map<unknown, number>();
  const formats = new Map<unknown, number>();
  listOf(spec.driverIngressOptions).forEach((entry, i) => {
    const base = `${path}.driverIngressOptions[${i}]`;
    if (!isObject(entry)) {
      problems.add(base, `must be an object (got ${shown(entry)})`);
      return;
    }
    if (entry.servicePort === undefined) problems.add(`${base}.servicePort`, 'is required');
    checkPort(problems, `${base}.servicePort`, entry.servicePort);
    if (typeof entry.ingressURLFormat !== 'string' || entry.ingressURLFormat.trim() === '') {
      problems.add(`${base}.ingressURLFormat`, 'must not be empty');
    } else {
      const urlProblem = ingressUrlProblem(entry.ingressURLFormat);
      if (urlProblem) problems.add(`${base}.ingressURLFormat`, urlProblem);
    }
    for (const [map, field] of [[ports, 'servicePort'], [formats, 'ingressURLFormat']] as const) {
      const value = entry[field];
      if (value === undefined || value === '') continue;
      const first = map.get(value);
      if (first !== undefined) problems.add(`${base}.${field}`, `${shown(value)} is already used by {${path}.driverIngressOptions[${first}]}`);
      else map.set(value, i);
    }
  });
}

function checkMonitoring(problems: ProblemList, path: string, monitoring: unknown): void {
  if (!isObject(monitoring) || !isObject(monitoring.prometheus)) return;
  const port = monitoring.prometheus.port;
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 49151)) {
    problems.add(`${path}.monitoring.prometheus.port`, `must be an integer from 1024 to 49151 (got ${shown(port)})`);
  }
}

function volumeNamesOf(problems: ProblemList, path: string, volumes: unknown): Set<string> {
  const names = new Set<string>();
  listOf(volumes).forEach((volume, i) => {
    const name = isObject(volume) ? volume.name : undefined;
    // Every source of a Kubernetes volume (hostPath, persistentVolumeClaim, configMap ...) is an
    // object; a null one would silently become an emptyDir in the API server.
    for (const [source, value] of Object.entries(isObject(volume) ? volume : {})) {
      if (source !== 'name' && !isObject(value)) problems.add(`${path}.volumes[${i}].${source}`, `must be an object (got ${shown(value)})`);
    }
    if (typeof name !== 'string' || name === '') {
      problems.add(`${path}.volumes[${i}].name`, 'is required');
    } else if (names.has(name)) {
      problems.add(`${path}.volumes[${i}].name`, `'${name}' is used twice: a mount refers to its volume by name, so give each volume a unique name`);
    } else {
      names.add(name);
    }
  });
  return names;
}

/**
 * `batchScheduler` becomes the pods' `schedulerName`; the options its integration reads go where
 * names go: a YuniKorn queue into the pods' `queue` label, a Volcano queue and priority class into
 * the PodGroup's fields naming those objects.
 */
function checkBatchScheduler(problems: ProblemList, path: string, spec: Record<string, unknown>): void {
  const name = spec.batchScheduler;
  if (typeof name === 'string' && name !== '' && schedulerNameProblem(name)) {
    problems.add(`${path}.batchScheduler`, `${schedulerNameProblem(name)}: the pods' schedulerName`);
  }
  const options = isObject(spec.batchSchedulerOptions) ? spec.batchSchedulerOptions : {};
  const queue = options.queue;
  if (name === YUNIKORN_SCHEDULER_NAME && typeof queue === 'string' && !isLabelValue(queue)) {
    problems.add(`${path}.batchSchedulerOptions.queue`, `must be a label value for YuniKorn (1 to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit): the pods get it as their 'queue' label (got ${shown(queue)})`);
  }
  if (name === VOLCANO_SCHEDULER_NAME) {
    for (const field of ['queue', 'priorityClassName']) {
      const value = options[field];
      if (typeof value === 'string' && !isDns1123Subdomain(value)) {
        problems.add(`${path}.batchSchedulerOptions.${field}`, `must name a Volcano ${field === 'queue' ? 'Queue' : 'PriorityClass'}: a DNS-1123 subdomain (got ${shown(value)})`);
      }
    }
  }
}

/**
 * Every rule for a SparkApplication spec at `path` (`spec`, or `spec.template` of a
 * ScheduledSparkApplication) in `namespace`. Reads `spec` as unknown JSON and never throws.
 */
export function checkSparkApplicationSpec(problems: ProblemList, path: string, spec: unknown, namespace?: string): void {
  if (!isObject(spec)) {
    problems.add(path, `is required and must be an object (got ${shown(spec)})`);
    return;
  }
  checkBasics(problems, path, spec);
  checkLists(problems, path, spec);
  checkImages(problems, path, spec);
  checkTemplatesNeedSpark3(problems, path, spec);
  checkNodeSelectors(problems, path, spec);
  checkSparkConf(problems, path, spec, namespace);
  checkMemoryOverheadFactor(problems, path, spec.memoryOverheadFactor);
  checkMonitoring(problems, path, spec.monitoring);
  checkServices(problems, path, spec);
  checkDynamicAllocation(problems, path, spec);
  checkRestartPolicy(problems, path, spec.restartPolicy);
  checkBatchScheduler(problems, path, spec);
  checkInteger(problems, `${path}.timeToLiveSeconds`, spec.timeToLiveSeconds, 0);
  const volumes = volumeNamesOf(problems, path, spec.volumes);
  checkSparkPod(problems, path, 'driver', spec.driver, volumes);
  checkSparkPod(problems, path, 'executor', spec.executor, volumes);
}
