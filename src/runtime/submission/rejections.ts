/**
 * What the native submission refuses, with the reason, beyond `validateSparkApplication`:
 * settings that only make sense for a `spark-submit` process on a user's machine (its files, its
 * Kerberos login, client mode), values Spark itself would refuse while building the driver, and
 * the few v1beta2 fields that a pod template cannot carry. Reported as problems with field paths,
 * never thrown, so the controller can write them into `status.applicationState.errorMessage`.
 */
import { LOCAL_DIR_VOLUME_PREFIX, SPARK_DRIVER_PRESET_LABELS, SPARK_EXECUTOR_PRESET_LABELS, UNCOPIED_LABEL_PREFIX } from './constants';
import { SparkSubmitCall } from './submit-conf';
import { SPARK_VOLUME_TYPES, parseVolumeConf } from './volume-conf';
import { SparkApplication } from '../../api';
import { Problem, ProblemList, canonicalDecimalQuantity, driverMemory, executorMemoryMiB, parseSparkVersion, sparkHasFeature } from '../../core';

const SUBMITTER_FILES = 'names a file on the submitting machine, and the operator submits from its own pod';

/** `sparkConf` keys (exact, or prefixes ending in `.`) the native submission refuses, and why. */
export const REJECTED_SPARK_CONF: ReadonlyArray<[string, string]> = [
  ['spark.driver.host', 'Spark sets it to the driver Service in Kubernetes mode and refuses a value of its own'],
  ['spark.driver.bindAddress', 'Spark binds the driver to its pod\'s IP address in Kubernetes mode and refuses a value of its own'],
  ['spark.kubernetes.driver.podTemplateFile', `${SUBMITTER_FILES}: put the template in {spec.driver.template}`],
  ['spark.kubernetes.executor.podTemplateFile', `${SUBMITTER_FILES}: put the template in {spec.executor.template}`],
  ['spark.kubernetes.authenticate.submission.', 'is how spark-submit authenticates to the API server; the operator uses its own service account'],
  ...['caCertFile', 'clientKeyFile', 'clientCertFile'].flatMap((file): Array<[string, string]> => [
    [`spark.kubernetes.authenticate.driver.${file}`, `${SUBMITTER_FILES}: mount the file with {spec.driver.secrets} and set 'spark.kubernetes.authenticate.driver.mounted.${file}'`],
    [`spark.kubernetes.authenticate.${file}`, `is for client mode and ${SUBMITTER_FILES}`],
  ]),
  ['spark.kerberos.keytab', `${SUBMITTER_FILES}: mount a delegation token with {spec.driver.secrets} (secretType HadoopDelegationToken)`],
  ['spark.kerberos.principal', 'needs a Kerberos login at submission, which the operator does not do: mount a delegation token with {spec.driver.secrets} (secretType HadoopDelegationToken)'],
  ['spark.kubernetes.kerberos.', 'is not supported by the native submission: mount krb5.conf with {spec.driver.configMaps} and a delegation token with {spec.driver.secrets} (secretType HadoopDelegationToken)'],
  ['spark.kubernetes.hadoop.configMapName', 'is not supported by the native submission: use {spec.hadoopConfigMap}'],
  ['spark.kubernetes.driver.pod.featureSteps', 'runs Scala classes during submission, which the operator cannot load'],
  ['spark.kubernetes.driver.pod.excludedFeatureSteps', 'removes steps of a JVM submission, which the operator does not run'],
];

function rejectionOf(key: string): string | undefined {
  return REJECTED_SPARK_CONF.find(([rejected]) => (rejected.endsWith('.') ? key.startsWith(rejected) : key === rejected))?.[1];
}

const PORT_KEYS = ['spark.driver.port', 'spark.driver.blockManager.port', 'spark.blockManager.port', 'spark.ui.port'];
const CPU_KEYS = ['spark.kubernetes.driver.request.cores', 'spark.kubernetes.driver.limit.cores', 'spark.kubernetes.executor.request.cores', 'spark.kubernetes.executor.limit.cores'];
const EXECUTOR_NAME_PREFIX_MAX = 47; // 63 - '-exec-' - 10 digits, as Spark's documentation says

function checkSparkConf(problems: ProblemList, app: SparkApplication, call: SparkSubmitCall): void {
  for (const key of Object.keys(app.spec.sparkConf ?? {})) {
    const reason = rejectionOf(key);
    if (reason) problems.add('spec.sparkConf', `must not set '${key}': ${reason}`);
  }
  const conf = call.conf;
  for (const [role, presets] of [['driver', SPARK_DRIVER_PRESET_LABELS], ['executor', SPARK_EXECUTOR_PRESET_LABELS]] as const) {
    for (const label of presets) {
      if (app.spec.sparkConf?.[`spark.kubernetes.${role}.label.${label}`] !== undefined) {
        problems.add('spec.sparkConf', `must not set 'spark.kubernetes.${role}.label.${label}': Spark sets the label '${label}' itself and refuses a custom one`);
      }
    }
  }
  for (const key of PORT_KEYS) {
    const text = conf.get(key);
    if (text !== undefined && !(/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535)) {
      problems.add('spec.sparkConf', `'${key}' must be a port number between 1 and 65535: the driver's container and Service ports are fixed (got '${text}')`);
    }
  }
  const cores = conf.get('spark.driver.cores');
  if (cores !== undefined && !(/^\d+$/.test(cores) && Number(cores) >= 1)) {
    problems.add('spec.sparkConf', `'spark.driver.cores' must be a whole number >= 1, as Spark reads it (got '${cores}')`);
  }
  for (const key of CPU_KEYS) {
    const text = conf.get(key);
    if (text !== undefined && canonicalDecimalQuantity(text) === undefined) {
      problems.add(app.spec.sparkConf?.[key] === text ? 'spec.sparkConf' : fieldOfCpuKey(key), `'${text}' is not a CPU amount such as 500m, 1.5 or 2 (${key})`);
    }
  }
  for (const [env, ref] of conf.withPrefix('spark.kubernetes.driver.secretKeyRef.').concat(conf.withPrefix('spark.kubernetes.executor.secretKeyRef.'))) {
    if (!/^[^:]+:[^:]+$/.test(ref)) problems.add('spec.sparkConf', `secretKeyRef '${env}' must be '<secret>:<key>' (got '${ref}')`);
  }
  for (const [key] of conf.withPrefix('spark.driver.resource.')) {
    const name = key.endsWith('.amount') ? key.slice(0, -'.amount'.length) : undefined;
    if (name !== undefined && !conf.get(`spark.driver.resource.${name}.vendor`)) {
      problems.add('spec.sparkConf', `'spark.driver.resource.${name}.amount' needs 'spark.driver.resource.${name}.vendor': Kubernetes names the resource '<vendor>/${name}'`);
    }
  }
  for (const prefix of ['spark.kubernetes.driver.volumes.', 'spark.kubernetes.executor.volumes.']) {
    for (const problem of parseVolumeConf(conf, prefix).problems) problems.add('spec.sparkConf', `'${problem.key}' ${problem.message}`);
  }
  const prefix = conf.get('spark.kubernetes.executor.podNamePrefix');
  if (prefix !== undefined && prefix.length > EXECUTOR_NAME_PREFIX_MAX) {
    problems.add('spec.sparkConf', `'spark.kubernetes.executor.podNamePrefix' must have at most ${EXECUTOR_NAME_PREFIX_MAX} characters, so that '<prefix>-exec-<n>' fits in 63 (got ${prefix.length})`);
  }
}

function fieldOfCpuKey(key: string): string {
  const role = key.includes('.driver.') ? 'driver' : 'executor';
  return `spec.${role}.${key.endsWith('request.cores') ? 'coreRequest' : 'coreLimit'}`;
}

function checkMemory(problems: ProblemList, app: SparkApplication, call: SparkSubmitCall): void {
  const version = parseSparkVersion(app.spec.sparkVersion)!;
  const conf = call.conf.toRecord();
  const result = driverMemory(conf, call.resourceType === 'java', version);
  // The executors' sizes too: the driver reads them when it starts, and a batch scheduler's gang counts them.
  const executor = executorMemoryMiB(conf, call.resourceType, version);
  const unreadable = result.unreadable ?? (typeof executor === 'number' ? undefined : executor);
  if (unreadable) {
    const { key, value, message } = unreadable;
    const path = key === 'spark.kubernetes.memoryOverheadFactor' && app.spec.memoryOverheadFactor !== undefined ? 'spec.memoryOverheadFactor' : 'spec.sparkConf';
    problems.add(path, `'${key}' ${message} (got '${value}')`);
  }
}

function checkLabels(problems: ProblemList, app: SparkApplication): void {
  const copied = Object.keys(app.metadata.labels ?? {}).filter((k) => !k.startsWith(UNCOPIED_LABEL_PREFIX));
  for (const key of copied.filter((k) => (SPARK_EXECUTOR_PRESET_LABELS as readonly string[]).includes(k))) {
    problems.add('metadata.labels', `must not have the label '${key}': the operator copies the application's labels to its pods, and Spark sets '${key}' itself`);
  }
  for (const [role, presets] of [['driver', SPARK_DRIVER_PRESET_LABELS], ['executor', SPARK_EXECUTOR_PRESET_LABELS]] as const) {
    for (const key of Object.keys(app.spec[role]?.labels ?? {})) {
      if ((presets as readonly string[]).includes(key)) problems.add(`spec.${role}.labels`, `must not have the label '${key}': Spark sets it itself`);
    }
  }
}

/** `file:` and scheme-less URIs are files of the submitting machine that spark-submit would upload. */
function isSubmitterFile(uri: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) || /^file:/i.test(uri);
}

function checkDependencies(problems: ProblemList, app: SparkApplication): void {
  const reason = 'must be a URI the driver pod can read (local:// for a file in the image, or s3a://, gs://, https:// ...): spark-submit would upload a file of the submitting machine, and the operator submits from its own pod';
  const main = app.spec.mainApplicationFile;
  if (main && /^file:/i.test(main)) problems.add('spec.mainApplicationFile', `${reason} (got '${main}')`);
  for (const field of ['jars', 'files', 'pyFiles', 'archives'] as const) {
    (app.spec.deps?.[field] ?? []).forEach((uri, i) => {
      if (isSubmitterFile(uri)) problems.add(`spec.deps.${field}[${i}]`, `${reason} (got '${uri}')`);
    });
  }
}

function checkPods(problems: ProblemList, app: SparkApplication): void {
  const version = parseSparkVersion(app.spec.sparkVersion)!;
  if (app.spec.driver?.serviceLabels && Object.keys(app.spec.driver.serviceLabels).length > 0 && !sparkHasFeature(version, 'driverServiceLabels')) {
    problems.add('spec.driver.serviceLabels', `need Spark 3.4 or later ('spark.kubernetes.driver.service.label.*'), and sparkVersion is '${app.spec.sparkVersion}'`);
  }
  if (app.spec.executor?.memoryLimit) {
    problems.add('spec.executor.memoryLimit', 'cannot be honoured: Spark sets each executor\'s memory limit to its request (memory plus overhead) over any template; size the limit with {spec.executor.memoryOverhead} instead');
  }
  for (const role of ['driver', 'executor'] as const) {
    (app.spec[role]?.volumeMounts ?? []).forEach((mount, i) => {
      if (!mount.name.startsWith(LOCAL_DIR_VOLUME_PREFIX)) return;
      const volume = (app.spec.volumes ?? []).find((v) => v.name === mount.name);
      if (!volume) return; // validateSparkApplication reports it
      const type = SPARK_VOLUME_TYPES.find((t) => volume[t] !== undefined);
      const path = `spec.${role}.volumeMounts[${i}]`;
      if (!type) {
        problems.add(path, `mounts '${mount.name}', and Spark mounts '${LOCAL_DIR_VOLUME_PREFIX}*' volumes itself, only as ${SPARK_VOLUME_TYPES.join(', ')}: rename the volume or change its type`);
      } else if (type === 'persistentVolumeClaim' && role === 'driver') {
        const claim = (volume.persistentVolumeClaim as Record<string, unknown>).claimName;
        if (claim === 'OnDemand' || claim === 'SPARK_EXECUTOR_ID') {
          problems.add(path, `mounts an on-demand claim ('${claim}'), which for the driver needs a PersistentVolumeClaim created at submission; the native submission does not create one yet (executors may use on-demand claims)`);
        }
      }
    });
  }
}

/** The problems of submitting `app` natively (the spec has passed `validateSparkApplication`), in rule order. */
export function submissionProblems(app: SparkApplication, call: SparkSubmitCall): Problem[] {
  const problems = new ProblemList();
  const version = parseSparkVersion(app.spec.sparkVersion)!;
  if (version.major < 3) {
    problems.add('spec.sparkVersion', `'${app.spec.sparkVersion}' is not supported: Spark before 3.0 reads no executor pod template (spark.kubernetes.executor.podTemplateFile), so executors would miss what the pod webhook adds; use Spark 3.0 or later`);
  }
  if (app.spec.mode === 'client') {
    problems.add('spec.mode', '\'client\' is not supported: in client mode the driver runs inside the submitting process, and the operator does not run drivers in its own process; use cluster');
  }
  checkSparkConf(problems, app, call);
  checkMemory(problems, app, call);
  checkLabels(problems, app);
  checkDependencies(problems, app);
  checkPods(problems, app);
  return problems.toArray();
}
