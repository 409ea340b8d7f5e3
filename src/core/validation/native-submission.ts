/**
 * What the operator's native submission cannot do, as rules every part applies: settings that only
 * make sense for a `spark-submit` process on a user's machine (its files, its Kerberos login, client
 * mode), values Spark itself would refuse while building the driver, and the few v1beta2 fields that
 * a pod template cannot carry. The constructs refuse them at synth time, the webhook at admission,
 * the controller before it creates anything; `docs/submission.md` says why each is refused.
 *
 * They read the spec after the type rules passed (`checkSparkApplicationSpec` runs them only then),
 * together with the Spark configuration the spec gives (`sparkConf`, then each typed field's key).
 */
import { SparkApplicationSpec, Volume, VolumeMount } from '../../api';
import { canonicalDecimalQuantity } from '../decimal-quantity';
import { DNS_LABEL_MAX_LENGTH } from '../dns';
import { driverMemory, executorMemoryMiB } from '../memory-overhead';
import { ProblemList } from '../problems';
import { APPLICATION_FIELD_CONF, FIELD_CONF, FieldConf, ROLE_FIELD_CONF, secretKeyRefConf } from '../spark-conf';
import { SparkConfMap } from '../spark-conf-map';
import { LOCAL_DIR_VOLUME_PREFIX, SPARK_DRIVER_PRESET_LABELS, SPARK_EXECUTOR_PRESET_LABELS, UNCOPIED_LABEL_PREFIX } from '../spark-kubernetes';
import { parseSparkVersion, sparkHasFeature } from '../spark-versions';
import { SPARK_VOLUME_TYPES, parseVolumeConf, setLocalDirVolumeConf } from '../spark-volume-conf';
import { isObject, listOf } from './checks';

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
/** `<prefix>-exec-<id>` must fit a pod name, with room for an executor id of 10 digits, as Spark's documentation says. */
const EXECUTOR_NAME_PREFIX_MAX = DNS_LABEL_MAX_LENGTH - '-exec-'.length - 10;

type ResourceType = 'java' | 'python' | 'r';

/** What the rules read of one application spec. */
interface Submitted {
  /** `spec`, or `spec.template` of a ScheduledSparkApplication. */
  readonly path: string;
  readonly spec: SparkApplicationSpec;
  /** The labels the application's pods get from it (a schedule's reach its runs). */
  readonly labels: Readonly<Record<string, string>>;
  /** `sparkConf` with every typed field's key set over it, as Spark would read them. */
  readonly conf: SubmittedConf;
  readonly sparkConf: Readonly<Record<string, unknown>>;
  readonly resourceType: ResourceType;
}

/** The `sparkConf` keys of the labels Spark sets on each role's pods, with the label: written out once, not per check. */
const PRESET_LABEL_KEYS: ReadonlyArray<readonly [key: string, label: string]> = (
  [['driver', SPARK_DRIVER_PRESET_LABELS], ['executor', SPARK_EXECUTOR_PRESET_LABELS]] as const
).flatMap(([role, presets]) => presets.map((label) => [`spark.kubernetes.${role}.label.${label}`, label] as const));

function checkSparkConf(problems: ProblemList, at: Submitted): void {
  const sparkConfPath = `${at.path}.sparkConf`;
  for (const key of Object.keys(at.sparkConf)) {
    const reason = rejectionOf(key);
    if (reason) problems.add(sparkConfPath, `must not set '${key}': ${reason}`);
  }
  const conf = at.conf;
  for (const [key, label] of PRESET_LABEL_KEYS) {
    if (at.sparkConf[key] !== undefined) {
      problems.add(sparkConfPath, `must not set '${key}': Spark sets the label '${label}' itself and refuses a custom one`);
    }
  }
  for (const key of PORT_KEYS) {
    const text = conf.get(key);
    if (text !== undefined && !(/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535)) {
      problems.add(sparkConfPath, `'${key}' must be a port number between 1 and 65535: the driver's container and Service ports are fixed (got '${text}')`);
    }
  }
  const cores = conf.get('spark.driver.cores');
  if (cores !== undefined && !(/^\d+$/.test(cores) && Number(cores) >= 1)) {
    problems.add(sparkConfPath, `'spark.driver.cores' must be a whole number >= 1, as Spark reads it (got '${cores}')`);
  }
  for (const key of CPU_KEYS) {
    const text = conf.get(key);
    if (text !== undefined && canonicalDecimalQuantity(text) === undefined) {
      problems.add(at.sparkConf[key] !== undefined && String(at.sparkConf[key]) === text ? sparkConfPath : fieldOfCpuKey(at.path, key), `'${text}' is not a CPU amount such as 500m, 1.5 or 2 (${key})`);
    }
  }
  for (const [env, ref] of conf.withPrefix('spark.kubernetes.driver.secretKeyRef.').concat(conf.withPrefix('spark.kubernetes.executor.secretKeyRef.'))) {
    if (!/^[^:]+:[^:]+$/.test(ref)) problems.add(sparkConfPath, `secretKeyRef '${env}' must be '<secret>:<key>' (got '${ref}')`);
  }
  for (const [key] of conf.withPrefix('spark.driver.resource.')) {
    const name = key.endsWith('.amount') ? key.slice(0, -'.amount'.length) : undefined;
    if (name !== undefined && !conf.get(`spark.driver.resource.${name}.vendor`)) {
      problems.add(sparkConfPath, `'spark.driver.resource.${name}.amount' needs 'spark.driver.resource.${name}.vendor': Kubernetes names the resource '<vendor>/${name}'`);
    }
  }
  for (const prefix of ['spark.kubernetes.driver.volumes.', 'spark.kubernetes.executor.volumes.']) {
    for (const problem of parseVolumeConf(conf, prefix).problems) problems.add(sparkConfPath, `'${problem.key}' ${problem.message}`);
  }
  const prefix = conf.get('spark.kubernetes.executor.podNamePrefix');
  if (prefix !== undefined && prefix.length > EXECUTOR_NAME_PREFIX_MAX) {
    problems.add(sparkConfPath, `'spark.kubernetes.executor.podNamePrefix' must have at most ${EXECUTOR_NAME_PREFIX_MAX} characters, so that '<prefix>-exec-<n>' fits in 63 (got ${prefix.length})`);
  }
}

function fieldOfCpuKey(path: string, key: string): string {
  const role = key.includes('.driver.') ? 'driver' : 'executor';
  return `${path}.${role}.${key.endsWith('request.cores') ? 'coreRequest' : 'coreLimit'}`;
}

function checkMemory(problems: ProblemList, at: Submitted): void {
  const version = parseSparkVersion(at.spec.sparkVersion);
  if (!version) return; // the type rules report it
  const conf = at.conf.memoryConf();
  const result = driverMemory(conf, at.resourceType === 'java', version);
  // The executors' sizes too: the driver reads them when it starts, and a batch scheduler's gang counts them.
  const executor = executorMemoryMiB(conf, at.resourceType, version);
  const unreadable = result.unreadable ?? (typeof executor === 'number' ? undefined : executor);
  if (unreadable) {
    const { key, value, message } = unreadable;
    const path = key === 'spark.kubernetes.memoryOverheadFactor' && at.spec.memoryOverheadFactor !== undefined ? `${at.path}.memoryOverheadFactor` : `${at.path}.sparkConf`;
    problems.add(path, `'${key}' ${message} (got '${value}')`);
  }
}

function roleLabels(spec: SparkApplicationSpec, role: 'driver' | 'executor'): string[] {
  const pod = spec[role];
  return isObject(pod) && isObject(pod.labels) ? Object.keys(pod.labels) : [];
}

function checkLabels(problems: ProblemList, at: Submitted, metadataPath: string): void {
  const copied = Object.keys(at.labels).filter((k) => !k.startsWith(UNCOPIED_LABEL_PREFIX));
  for (const key of copied.filter((k) => (SPARK_EXECUTOR_PRESET_LABELS as readonly string[]).includes(k))) {
    problems.add(`${metadataPath}.labels`, `must not have the label '${key}': the operator copies the application's labels to its pods, and Spark sets '${key}' itself`);
  }
  for (const [role, presets] of [['driver', SPARK_DRIVER_PRESET_LABELS], ['executor', SPARK_EXECUTOR_PRESET_LABELS]] as const) {
    for (const key of roleLabels(at.spec, role)) {
      if ((presets as readonly string[]).includes(key)) problems.add(`${at.path}.${role}.labels`, `must not have the label '${key}': Spark sets it itself`);
    }
  }
}

/** `file:` and scheme-less URIs are files of the submitting machine that spark-submit would upload. */
function isSubmitterFile(uri: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) || /^file:/i.test(uri);
}

function checkDependencies(problems: ProblemList, at: Submitted): void {
  const reason = 'must be a URI the driver pod can read (local:// for a file in the image, or s3a://, gs://, https:// ...): spark-submit would upload a file of the submitting machine, and the operator submits from its own pod';
  const main = at.spec.mainApplicationFile;
  if (main && /^file:/i.test(main)) problems.add(`${at.path}.mainApplicationFile`, `${reason} (got '${main}')`);
  const deps = isObject(at.spec.deps) ? at.spec.deps : {};
  for (const field of ['jars', 'files', 'pyFiles', 'archives'] as const) {
    listOf(deps[field]).forEach((uri, i) => {
      if (typeof uri === 'string' && isSubmitterFile(uri)) problems.add(`${at.path}.deps.${field}[${i}]`, `${reason} (got '${uri}')`);
    });
  }
}

function checkPods(problems: ProblemList, at: Submitted): void {
  const { spec, path } = at;
  const version = parseSparkVersion(spec.sparkVersion);
  const serviceLabels = spec.driver?.serviceLabels;
  if (version && isObject(serviceLabels) && Object.keys(serviceLabels).length > 0 && !sparkHasFeature(version, 'driverServiceLabels')) {
    problems.add(`${path}.driver.serviceLabels`, `need Spark 3.4 or later ('spark.kubernetes.driver.service.label.*'), and sparkVersion is '${spec.sparkVersion}'`);
  }
  if (spec.executor?.memoryLimit) {
    problems.add(`${path}.executor.memoryLimit`, 'cannot be honoured: Spark sets each executor\'s memory limit to its request (memory plus overhead) over any template; size the limit with {spec.executor.memoryOverhead} instead');
  }
  for (const role of ['driver', 'executor'] as const) {
    const pod = isObject(spec[role]) ? spec[role] as Record<string, unknown> : {};
    listOf(pod.volumeMounts).forEach((mount, i) => {
      if (!isObject(mount) || typeof mount.name !== 'string' || !mount.name.startsWith(LOCAL_DIR_VOLUME_PREFIX)) return;
      const volume = listOf(spec.volumes).find((v): v is Volume => isObject(v) && v.name === mount.name);
      if (!volume) return; // the type rules report it
      const type = SPARK_VOLUME_TYPES.find((t) => volume[t] !== undefined);
      const mountPath = `${path}.${role}.volumeMounts[${i}]`;
      if (!type) {
        problems.add(mountPath, `mounts '${mount.name}', and Spark mounts '${LOCAL_DIR_VOLUME_PREFIX}*' volumes itself, only as ${SPARK_VOLUME_TYPES.join(', ')}: rename the volume or change its type`);
      } else if (type === 'persistentVolumeClaim' && role === 'driver') {
        const claim = isObject(volume.persistentVolumeClaim) ? volume.persistentVolumeClaim.claimName : undefined;
        if (claim === 'OnDemand' || claim === 'SPARK_EXECUTOR_ID') {
          problems.add(mountPath, `mounts an on-demand claim ('${claim}'), which for the driver needs a PersistentVolumeClaim created at submission; the native submission does not create one yet (executors may use on-demand claims)`);
        }
      }
    });
  }
}

/** Each Spark key a typed field renders, with its field. */
const RENDERED_BY_KEY: ReadonlyMap<string, FieldConf> = new Map(FIELD_CONF.filter((field) => field.render).map((field) => [field.key, field]));

/** The typed fields the memory rules read besides `sparkConf`. */
const MEMORY_FIELDS: readonly FieldConf[] = [
  ROLE_FIELD_CONF.driver.memory, ROLE_FIELD_CONF.driver.memoryOverhead,
  ROLE_FIELD_CONF.executor.memory, ROLE_FIELD_CONF.executor.memoryOverhead,
  APPLICATION_FIELD_CONF.memoryOverheadFactor,
];

/**
 * The Spark configuration a spec gives, read key by key without building it: a typed field's value
 * where it renders one (the field wins, as in the submission), else `sparkConf`'s.
 */
class SubmittedConf {
  /** `sparkConf` with the key families typed fields render (secretKeyRefs, local-dir volumes), built on first use. */
  private families?: SparkConfMap;

  constructor(private readonly spec: SparkApplicationSpec, private readonly sparkConf: Readonly<Record<string, unknown>>) {}

  public get(key: string): string | undefined {
    const rendered = RENDERED_BY_KEY.get(key)?.render?.(this.spec);
    if (rendered !== undefined) return String(rendered);
    const value = this.sparkConf[key];
    return value === undefined ? undefined : String(value);
  }

  /** The entries under `prefix`, without it: `sparkConf`'s, and those the typed fields render as the submission does. */
  public withPrefix(prefix: string): Array<[string, string]> {
    if (!this.families) {
      this.families = new SparkConfMap(Object.entries(this.sparkConf));
      for (const role of ['driver', 'executor'] as const) {
        const pod = isObject(this.spec[role]) ? this.spec[role] as Record<string, unknown> : {};
        for (const [key, value] of secretKeyRefConf(role, pod.envSecretKeyRefs)) this.families.set(key, value);
        for (const mount of listOf(pod.volumeMounts)) {
          if (!isObject(mount) || typeof mount.name !== 'string' || !mount.name.startsWith(LOCAL_DIR_VOLUME_PREFIX)) continue;
          const volume = listOf(this.spec.volumes).find((v): v is Volume => isObject(v) && v.name === mount.name);
          if (volume) setLocalDirVolumeConf(this.families, role, mount as unknown as VolumeMount, volume);
        }
      }
    }
    return this.families.withPrefix(prefix);
  }

  /** `sparkConf` with the memory fields over it, as the memory rules read a configuration. */
  public memoryConf(): Record<string, string> {
    const conf: Record<string, string> = {};
    for (const key in this.sparkConf) conf[key] = String(this.sparkConf[key]);
    for (const field of MEMORY_FIELDS) {
      const value = field.render!(this.spec);
      if (value !== undefined) conf[field.key] = String(value);
    }
    return conf;
  }
}

/**
 * The problems of submitting the well-typed application `spec` at `path` natively, in rule order.
 * `labels` are the object's own (`metadataPath.labels`), which its pods get too.
 */
export function checkNativeSubmission(problems: ProblemList, path: string, spec: SparkApplicationSpec, labels: unknown, metadataPath = 'metadata'): void {
  const version = parseSparkVersion(spec.sparkVersion);
  if (version && version.major < 3) {
    problems.add(`${path}.sparkVersion`, `'${spec.sparkVersion}' is not supported: Spark before 3.0 reads no executor pod template (spark.kubernetes.executor.podTemplateFile), so executors would miss what the pod webhook adds; use Spark 3.0 or later`);
  }
  if (spec.mode === 'client') {
    problems.add(`${path}.mode`, '\'client\' is not supported: in client mode the driver runs inside the submitting process, and the operator does not run drivers in its own process; use cluster');
  }
  const sparkConf = isObject(spec.sparkConf) ? spec.sparkConf : {};
  const at: Submitted = {
    path,
    spec,
    labels: isObject(labels) ? labels as Record<string, string> : {},
    conf: new SubmittedConf(spec, sparkConf),
    sparkConf,
    resourceType: spec.type === 'Java' || spec.type === 'Scala' ? 'java' : spec.type === 'Python' ? 'python' : 'r',
  };
  checkSparkConf(problems, at);
  checkMemory(problems, at);
  checkLabels(problems, at, metadataPath);
  checkDependencies(problems, at);
  checkPods(problems, at);
}
