/**
 * Stage 1 of a submission: the v1beta2 spec as the Spark configuration that upstream's operator
 * hands to `spark-submit` (`--conf` per field, `reference/kubeflow-v1beta2.md` §5.1), plus what
 * `SparkSubmit` itself adds (master, deploy mode, name, jars ...). Everything Spark builds later
 * (the driver pod, its ConfigMap and Service) is derived from this configuration alone, as Spark does.
 *
 * Precedence: `sparkConf` comes first and every value the operator derives from a typed field is
 * set after it, so the field wins over a `sparkConf` entry for the same key.
 */
import { EXECUTOR_POD_TEMPLATE_PATH, PYTHON_RUNNER, R_RUNNER, WEBHOOK_MOUNTS } from './constants';
import { MonitoringPlan } from './monitoring';
import { DEFAULT_SPARK_MASTER, SubmissionOptions } from './options';
import { DriverSpec, ExecutorSpec, LABELS, SparkApplication, SparkPodSpec } from '../../api';
import {
  APPLICATION_FIELD_CONF, DYNAMIC_ALLOCATION_FIELD_CONF, FieldConf, HADOOP_CONF_PREFIX, LOCAL_DIR_VOLUME_PREFIX, ROLE_FIELD_CONF,
  SPARK_CONTAINERS, SparkConfMap, UNCOPIED_LABEL_PREFIX, driverPodName, secretKeyRefConf, setLocalDirVolumeConf,
} from '../../core';

/** `spark.kubernetes.resource.type`: how the driver runs the main resource. */
export type MainResourceType = 'java' | 'python' | 'r';

/** What `spark-submit` is called with: its configuration and the driver's command line. */
export interface SparkSubmitCall {
  readonly conf: SparkConfMap;
  readonly resourceType: MainResourceType;
  /** `--class`: the application's class, or Spark's Python or R runner. */
  readonly mainClass: string;
  /** The main jar, `.py` or `.R` file. */
  readonly primaryResource: string;
  readonly appArgs: readonly string[];
  readonly proxyUser?: string;
}

type Role = 'driver' | 'executor';

/** Sets the Spark key of a field to what the field renders (nothing when it is unset). */
function setField(conf: SparkConfMap, field: Required<FieldConf>, spec: SparkApplication['spec']): void {
  conf.set(field.key, field.render(spec));
}

/** The prefix of a role's `spark.kubernetes.<role>.*` keys. */
function k8s(role: Role): string {
  return `spark.kubernetes.${role}`;
}

function listOrConf(list: readonly string[] | undefined, conf: SparkConfMap, key: string): string[] {
  if (list && list.length > 0) return [...list];
  const text = conf.get(key);
  return text ? text.split(',').filter((s) => s !== '') : [];
}

/** The SparkApplication's labels that upstream copies to both roles' pods. */
function applicationLabels(app: SparkApplication): Array<[string, string]> {
  return Object.entries(app.metadata.labels ?? {}).filter(([key]) => !key.startsWith(UNCOPIED_LABEL_PREFIX));
}

/** The `--conf` entries of one role (upstream's driver and executor option builders). */
function roleConf(conf: SparkConfMap, app: SparkApplication, role: Role, submissionId: string, monitoring: MonitoringPlan | undefined): void {
  const spec = app.spec;
  const pod: SparkPodSpec & Partial<DriverSpec & ExecutorSpec> = spec[role] ?? {};
  const prefix = k8s(role);
  if (role === 'driver') conf.set(APPLICATION_FIELD_CONF.driverPodName.key, driverPodName(app));

  // Labels: the application's, then the role's, then the operator's (later keys win).
  const hasTemplate = pod.template !== undefined;
  const labels: Array<[string, string]> = [
    ...applicationLabels(app),
    ...Object.entries(pod.labels ?? {}),
    [LABELS.appName, app.metadata.name!],
    [LABELS.launchedBy, 'true'],
    ...hasTemplate ? [] : [[LABELS.mutatedBy, 'true'] as [string, string]],
    [LABELS.submissionId, submissionId],
  ];
  for (const [key, value] of labels) conf.set(`${prefix}.label.${key}`, value);
  const monitored = monitoring?.roles[role] === true;
  const annotations = { ...pod.annotations, ...monitored ? monitoring.annotations : {} };
  for (const [key, value] of Object.entries(annotations)) conf.set(`${prefix}.annotation.${key}`, value);

  const fields = ROLE_FIELD_CONF[role];
  for (const field of [fields.image, fields.cores, fields.coreRequest, fields.coreLimit, fields.memory, fields.memoryOverhead]) {
    setField(conf, field, spec);
  }
  const javaOptions = [fields.javaOptions.render(spec) ?? conf.get(fields.javaOptions.key), monitored ? monitoring.javaAgent : undefined]
    .filter((o): o is string => o !== undefined && o !== '');
  if (javaOptions.length > 0) conf.set(fields.javaOptions.key, javaOptions.join(' '));
  if (role === 'driver') setField(conf, APPLICATION_FIELD_CONF.driverMaster, spec);
  setField(conf, fields.serviceAccount, spec);
  if (role === 'driver') {
    for (const [key, value] of Object.entries(pod.serviceLabels ?? {})) conf.set(`${prefix}.service.label.${key}`, value);
    for (const [key, value] of Object.entries(pod.serviceAnnotations ?? {})) conf.set(`${prefix}.service.annotation.${key}`, value);
  }

  for (const [key, value] of secretKeyRefConf(role, pod.envSecretKeyRefs)) conf.set(key, value);
  const envPrefix = role === 'driver' ? 'spark.kubernetes.driverEnv.' : 'spark.executorEnv.';
  for (const [env, value] of Object.entries(pod.envVars ?? {})) conf.set(`${envPrefix}${env}`, value);
  for (const secret of pod.secrets ?? []) {
    conf.set(`${prefix}.secrets.${secret.name}`, secret.path);
    if (secret.secretType === 'GCPServiceAccount') conf.set(`${envPrefix}GOOGLE_APPLICATION_CREDENTIALS`, `${secret.path}/key.json`);
    if (secret.secretType === 'HadoopDelegationToken') conf.set(`${envPrefix}HADOOP_TOKEN_FILE_LOCATION`, `${secret.path}/hadoop.token`);
  }
  for (const mount of pod.volumeMounts ?? []) {
    const volume = (spec.volumes ?? []).find((v) => v.name === mount.name);
    if (mount.name.startsWith(LOCAL_DIR_VOLUME_PREFIX) && volume) setLocalDirVolumeConf(conf, role, mount, volume);
  }

  if (role === 'executor') {
    setField(conf, APPLICATION_FIELD_CONF.executorInstances, spec);
    setField(conf, APPLICATION_FIELD_CONF.executorDeleteOnTermination, spec);
    // The executor container gets Spark's own SPARK_CONF_DIR after the template's env, so the
    // webhook's value for spec.sparkConfigMap must come from spark.executorEnv (which Spark adds last).
    if (spec.sparkConfigMap) conf.set(`spark.executorEnv.${WEBHOOK_MOUNTS.sparkConfigMap.env}`, WEBHOOK_MOUNTS.sparkConfigMap.mountPath);
  }
}

/** Stage 1: the `spark-submit` call for `app`'s submission `options.submissionId`. */
export function sparkSubmitCall(app: SparkApplication, options: SubmissionOptions, monitoring: MonitoringPlan | undefined): SparkSubmitCall {
  const spec = app.spec;
  const conf = new SparkConfMap(Object.entries(spec.sparkConf ?? {}));
  for (const [key, value] of Object.entries(spec.hadoopConf ?? {})) conf.set(`${HADOOP_CONF_PREFIX}${key}`, value);

  // What spark-submit's own arguments set (SparkSubmit.prepareSubmitEnvironment).
  conf.set('spark.master', options.master ?? DEFAULT_SPARK_MASTER);
  conf.set('spark.submit.deployMode', 'cluster');
  conf.set('spark.app.name', app.metadata.name);
  conf.set('spark.app.submitTime', options.now.getTime());

  conf.set(APPLICATION_FIELD_CONF.namespace.key, app.metadata.namespace ?? 'default');
  conf.set('spark.kubernetes.submission.waitAppCompletion', 'false');
  setField(conf, APPLICATION_FIELD_CONF.image, spec);
  conf.set('spark.kubernetes.container.image.pullPolicy', spec.imagePullPolicy || undefined);
  if (spec.imagePullSecrets && spec.imagePullSecrets.length > 0) conf.set('spark.kubernetes.container.image.pullSecrets', spec.imagePullSecrets.join(','));
  setField(conf, APPLICATION_FIELD_CONF.pythonVersion, spec);
  setField(conf, APPLICATION_FIELD_CONF.memoryOverheadFactor, spec);

  roleConf(conf, app, 'driver', options.submissionId, monitoring);
  roleConf(conf, app, 'executor', options.submissionId, monitoring);

  for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) conf.set(`spark.kubernetes.node.selector.${key}`, value);
  for (const field of Object.values(DYNAMIC_ALLOCATION_FIELD_CONF)) setField(conf, field, spec);

  // Dependencies: a deps list replaces the sparkConf value (as --jars replaces spark.jars); the
  // main jar of a JVM application joins spark.jars (SparkSubmit's mergeFileLists).
  const deps = spec.deps ?? {};
  const jvm = spec.type === 'Java' || spec.type === 'Scala';
  const primaryResource = spec.mainApplicationFile ?? '';
  const jars = listOrConf(deps.jars, conf, 'spark.jars');
  if (jvm && primaryResource !== '' && !jars.includes(primaryResource)) jars.push(primaryResource);
  const lists: Array<[string, string[]]> = [
    ['spark.jars', jars],
    ['spark.files', listOrConf(deps.files, conf, 'spark.files')],
    ['spark.archives', listOrConf(deps.archives, conf, 'spark.archives')],
    ['spark.jars.packages', listOrConf(deps.packages, conf, 'spark.jars.packages')],
    ['spark.jars.excludes', listOrConf(deps.excludePackages, conf, 'spark.jars.excludes')],
    ['spark.jars.repositories', listOrConf(deps.repositories, conf, 'spark.jars.repositories')],
  ];
  for (const [key, list] of lists) conf.set(key, list.length > 0 ? list.join(',') : undefined);
  // spark-submit always writes spark.submit.pyFiles, empty when there are none.
  conf.set('spark.submit.pyFiles', listOrConf(deps.pyFiles, conf, 'spark.submit.pyFiles').join(','));

  // The executor pod template (upstream always writes one); the driver's is merged into the pod here.
  conf.set(ROLE_FIELD_CONF.executor.podTemplateFile.key, EXECUTOR_POD_TEMPLATE_PATH);
  conf.set(ROLE_FIELD_CONF.executor.podTemplateContainerName.key, SPARK_CONTAINERS.executor);

  for (const [key, value] of Object.entries(monitoring?.conf ?? {})) conf.set(key, value);
  if (options.uiProxyBase) {
    conf.set('spark.ui.proxyBase', options.uiProxyBase);
    conf.set('spark.ui.proxyRedirectUri', '/');
  }

  const resourceType: MainResourceType = jvm ? 'java' : spec.type === 'Python' ? 'python' : 'r';
  const mainClass = resourceType === 'java' ? spec.mainClass ?? '' : resourceType === 'python' ? PYTHON_RUNNER : R_RUNNER;
  return { conf, resourceType, mainClass, primaryResource, appArgs: [...spec.arguments ?? []], proxyUser: spec.proxyUser || undefined };
}
