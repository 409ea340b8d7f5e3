/**
 * The submit-args oracle: the `spark-submit` command line that the upstream (Kubeflow) operator runs
 * for a SparkApplication (its `internal/controller/sparkapplication/submission.go`), so the parity
 * harness can feed the real spark-submit exactly what the upstream operator would.
 *
 * What is NOT an argument. The upstream operator leaves these fields to its pod webhook, which patches
 * the pods after spark-submit created them; spark-submit never sees them, so neither do the golden
 * files: `env`, `envFrom`, `configMaps`, `sparkConfigMap`, `hadoopConfigMap`, volumes other than
 * `spark-local-dir-*` (and their mounts), `affinity`, `tolerations`, the role `nodeSelector`,
 * `schedulerName`, `priorityClassName`, `podSecurityContext`, `securityContext`, `sidecars`,
 * `initContainers`, `hostNetwork`, `hostAliases`, `dnsConfig`, `terminationGracePeriodSeconds`,
 * `lifecycle`, `ports`, `gpu`, `memoryLimit`, `shareProcessNamespace`; also everything the operator
 * does itself around the submission (UI Service and Ingress, the Prometheus ConfigMap, batch-scheduler
 * pod groups).
 *
 * Order. Upstream emits its `--conf` flags in the order of its option functions and walks Go maps in
 * random order. Here the confs are first merged with upstream's precedence (a later option overrides
 * an earlier one with the same key, as the last `--conf` wins in spark-submit) and then emitted sorted
 * by key, so the same application always gives the same command line.
 */
import * as path from 'node:path';
import { GROUP_VERSION, LABELS, SPARK_APPLICATION_NAMES } from '../../src/api/constants';
import { OwnerReference, PodTemplateSpec, Volume, VolumeMount } from '../../src/api/core';
import { SecretInfo, SparkApplication, SparkPodSpec } from '../../src/api/spark-application';

/** Options of {@link sparkSubmitArgs}: what the operator knows besides the application. */
export interface SparkSubmitArgsOptions {
  /**
   * The API server, without `k8s://`: upstream uses `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`.
   */
  readonly apiServer: string;
  /** `status.submissionID`: the UUID the operator gives this submission (label `sparkoperator.k8s.io/submission-id`). */
  readonly submissionId: string;
  /** `metadata.uid` of the SparkApplication, for the pod templates' ownerReferences. */
  readonly appUid: string;
  /** Where the pod templates are written. @default `/tmp/spark/<submissionId>` (upstream's folder) */
  readonly templateDir?: string;
}

/** A pod template file the operator writes before it runs spark-submit. */
export interface PodTemplateFile {
  /** Absolute path named by `spark.kubernetes.{driver,executor}.podTemplateFile`. */
  readonly path: string;
  /** The PodTemplateSpec to write there (as YAML or JSON; spark-submit reads either). */
  readonly template: PodTemplateSpec;
}

/** The whole submission: the argument list and the files it refers to. */
export interface SparkSubmitInvocation {
  /** Arguments of `$SPARK_HOME/bin/spark-submit`, in order. */
  readonly args: string[];
  /** The driver pod template, written on every submission (§5.1). */
  readonly driverPodTemplate: PodTemplateFile;
  /** The executor pod template, written on every submission (§5.1). */
  readonly executorPodTemplate: PodTemplateFile;
}

/** Name of the Spark container in the pod templates, as upstream (`spark.kubernetes.*.podTemplateContainerName`). */
export const DRIVER_CONTAINER_NAME = 'spark-kubernetes-driver';
/** See {@link DRIVER_CONTAINER_NAME}. */
export const EXECUTOR_CONTAINER_NAME = 'spark-kubernetes-executor';

// Where the upstream operator mounts its Prometheus ConfigMap, and the keys in it (monitoring_config.go).
const PROMETHEUS_CONF_DIR = '/etc/metrics/conf';
const DEFAULT_PROMETHEUS_PORT = 8090;

/** The volume types Spark can mount by conf (`spark.kubernetes.*.volumes.<type>.<name>.*`). */
type LocalDirVolumeType = 'emptyDir' | 'hostPath' | 'nfs' | 'persistentVolumeClaim';

/**
 * Returns the spark-submit arguments, and the pod templates to write first, for `app` as the upstream
 * operator builds them. `app` is taken as stored after the upstream defaulting webhook ran: nothing
 * is defaulted here except `mode` (`cluster`). Throws, with upstream's message, on a
 * `spark-local-dir-*` mount without a volume or with a volume type Spark cannot mount by conf.
 */
export function sparkSubmitArgs(app: SparkApplication, options: SparkSubmitArgsOptions): SparkSubmitInvocation {
  const name = requireField(app.metadata.name, 'metadata.name');
  const namespace = requireField(app.metadata.namespace, 'metadata.namespace');
  const spec = withMonitoring(app);
  const templateDir = options.templateDir ?? `/tmp/spark/${options.submissionId}`;
  const confs = new Map<string, string>();
  const set = (key: string, value: string) => {
    // Re-inserting moves nothing (Map keeps the first position) but order is sorted later anyway.
    confs.set(key, value);
  };

  // The option functions of submission.go, in their order: a later one wins on the same key.
  set('spark.kubernetes.namespace', namespace);
  if (spec.image) set('spark.kubernetes.container.image', spec.image);
  if (spec.imagePullPolicy) set('spark.kubernetes.container.image.pullPolicy', spec.imagePullPolicy);
  if (spec.imagePullSecrets?.length) set('spark.kubernetes.container.image.pullSecrets', spec.imagePullSecrets.join(','));
  if (spec.pythonVersion) set('spark.kubernetes.pyspark.pythonVersion', spec.pythonVersion);
  if (spec.memoryOverheadFactor) set('spark.kubernetes.memoryOverheadFactor', spec.memoryOverheadFactor);
  set('spark.kubernetes.submission.waitAppCompletion', 'false');
  for (const [k, v] of Object.entries(spec.sparkConf ?? {})) {
    // The driver pod name has its own option (below), which reads this key too.
    if (k !== 'spark.kubernetes.driver.pod.name') set(k, v);
  }
  for (const [k, v] of Object.entries(spec.hadoopConf ?? {})) set(`spark.hadoop.${k}`, v);

  const driverPodTemplate: PodTemplateFile = {
    path: path.posix.join(templateDir, 'driver-pod-template.yaml'),
    template: templateWithOwner(spec.driver.template, ownerReference(app, options.appUid, true)),
  };
  set('spark.kubernetes.driver.podTemplateFile', driverPodTemplate.path);
  set('spark.kubernetes.driver.podTemplateContainerName', DRIVER_CONTAINER_NAME);
  set('spark.kubernetes.driver.pod.name', driverPodName(app));

  // Driver.
  const D = 'spark.kubernetes.driver';
  roleLabels(spec.driver, spec.sparkVersion, name, options.submissionId, (k, v) => set(`${D}.label.${k}`, v));
  const driverImage = spec.driver.image || spec.image;
  if (driverImage) set(`${D}.container.image`, driverImage);
  if (spec.driver.cores !== undefined) set('spark.driver.cores', String(spec.driver.cores));
  if (spec.driver.coreRequest !== undefined) set(`${D}.request.cores`, spec.driver.coreRequest);
  if (spec.driver.coreLimit !== undefined) set(`${D}.limit.cores`, spec.driver.coreLimit);
  if (spec.driver.memory !== undefined) set('spark.driver.memory', spec.driver.memory);
  if (spec.driver.memoryOverhead !== undefined) set('spark.driver.memoryOverhead', spec.driver.memoryOverhead);
  if (spec.driver.serviceAccount !== undefined) set('spark.kubernetes.authenticate.driver.serviceAccountName', spec.driver.serviceAccount);
  if (spec.driver.javaOptions !== undefined) set('spark.driver.extraJavaOptions', spec.driver.javaOptions);
  if (spec.driver.kubernetesMaster !== undefined) set(`${D}.master`, spec.driver.kubernetesMaster);
  for (const [k, v] of Object.entries(appLabels(app))) set(`${D}.label.${k}`, v);
  for (const [k, v] of Object.entries(spec.driver.labels ?? {})) set(`${D}.label.${k}`, v);
  for (const [k, v] of Object.entries(spec.driver.annotations ?? {})) set(`${D}.annotation.${k}`, v);
  for (const [k, v] of Object.entries(spec.driver.serviceLabels ?? {})) set(`${D}.service.label.${k}`, v);
  for (const [k, v] of Object.entries(spec.driver.serviceAnnotations ?? {})) set(`${D}.service.annotation.${k}`, v);
  for (const [k, v] of Object.entries(spec.driver.envSecretKeyRefs ?? {})) set(`${D}.secretKeyRef.${k}`, `${v.name}:${v.key}`);
  for (const [k, v] of Object.entries(spec.driver.envVars ?? {})) set(`spark.kubernetes.driverEnv.${k}`, v);
  secretConfs(spec.driver.secrets, `${D}.secrets`, 'spark.kubernetes.driverEnv', set);
  localDirConfs(spec.volumes, spec.driver.volumeMounts, D, set);

  // Executors.
  const E = 'spark.kubernetes.executor';
  const executorPodTemplate: PodTemplateFile = {
    path: path.posix.join(templateDir, 'executor-pod-template.yaml'),
    template: templateWithOwner(spec.executor.template, ownerReference(app, options.appUid, false)),
  };
  set(`${E}.podTemplateFile`, executorPodTemplate.path);
  set(`${E}.podTemplateContainerName`, EXECUTOR_CONTAINER_NAME);
  roleLabels(spec.executor, spec.sparkVersion, name, options.submissionId, (k, v) => set(`${E}.label.${k}`, v));
  if (spec.executor.instances !== undefined) set('spark.executor.instances', String(spec.executor.instances));
  const executorImage = spec.executor.image || spec.image;
  if (executorImage) set(`${E}.container.image`, executorImage);
  if (spec.executor.cores !== undefined) set('spark.executor.cores', String(spec.executor.cores));
  if (spec.executor.coreRequest !== undefined) set(`${E}.request.cores`, spec.executor.coreRequest);
  if (spec.executor.coreLimit !== undefined) set(`${E}.limit.cores`, spec.executor.coreLimit);
  if (spec.executor.memory !== undefined) set('spark.executor.memory', spec.executor.memory);
  if (spec.executor.memoryOverhead !== undefined) set('spark.executor.memoryOverhead', spec.executor.memoryOverhead);
  if (spec.executor.serviceAccount !== undefined) set('spark.kubernetes.authenticate.executor.serviceAccountName', spec.executor.serviceAccount);
  if (spec.executor.deleteOnTermination !== undefined) set(`${E}.deleteOnTermination`, String(spec.executor.deleteOnTermination));
  for (const [k, v] of Object.entries(appLabels(app))) set(`${E}.label.${k}`, v);
  for (const [k, v] of Object.entries(spec.executor.labels ?? {})) set(`${E}.label.${k}`, v);
  for (const [k, v] of Object.entries(spec.executor.annotations ?? {})) set(`${E}.annotation.${k}`, v);
  for (const [k, v] of Object.entries(spec.executor.envSecretKeyRefs ?? {})) set(`${E}.secretKeyRef.${k}`, `${v.name}:${v.key}`);
  if (spec.executor.javaOptions !== undefined) set('spark.executor.extraJavaOptions', spec.executor.javaOptions);
  for (const [k, v] of Object.entries(spec.executor.envVars ?? {})) set(`spark.executorEnv.${k}`, v);
  secretConfs(spec.executor.secrets, `${E}.secrets`, 'spark.executorEnv', set);
  localDirConfs(spec.volumes, spec.executor.volumeMounts, E, set);

  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) set(`spark.kubernetes.node.selector.${k}`, v);

  const dynamic = spec.dynamicAllocation;
  if (dynamic?.enabled) {
    set('spark.dynamicAllocation.enabled', 'true');
    if (dynamic.initialExecutors !== undefined) set('spark.dynamicAllocation.initialExecutors', String(dynamic.initialExecutors));
    if (dynamic.minExecutors !== undefined) set('spark.dynamicAllocation.minExecutors', String(dynamic.minExecutors));
    if (dynamic.maxExecutors !== undefined) set('spark.dynamicAllocation.maxExecutors', String(dynamic.maxExecutors));
    // Executors hold shuffle data and there is no external shuffle service on Kubernetes: on by default.
    set('spark.dynamicAllocation.shuffleTracking.enabled', String(dynamic.shuffleTrackingEnabled ?? true));
    if (dynamic.shuffleTrackingTimeout !== undefined) {
      set('spark.dynamicAllocation.shuffleTracking.timeout', String(dynamic.shuffleTrackingTimeout));
    }
  }

  const args: string[] = ['--master', `k8s://${options.apiServer}`, '--deploy-mode', spec.mode ?? 'cluster'];
  if (spec.mainClass !== undefined) args.push('--class', spec.mainClass);
  args.push('--name', name);
  const deps = spec.deps ?? {};
  const depFlags: Array<[string, string[] | undefined]> = [
    ['--jars', deps.jars], ['--packages', deps.packages], ['--exclude-packages', deps.excludePackages],
    ['--repositories', deps.repositories], ['--py-files', deps.pyFiles], ['--files', deps.files],
    ['--archives', deps.archives],
  ];
  for (const [flag, list] of depFlags) {
    if (list?.length) args.push(flag, list.join(','));
  }
  for (const key of [...confs.keys()].sort()) {
    args.push('--conf', `${key}=${confs.get(key)}`);
  }
  if (spec.proxyUser) args.push('--proxy-user', spec.proxyUser);
  if (spec.mainApplicationFile !== undefined) args.push(spec.mainApplicationFile);
  args.push(...(spec.arguments ?? []));
  return { args, driverPodTemplate, executorPodTemplate };
}

/**
 * The driver pod's name as upstream decides it (`util.GetDriverPodName`): `driver.podName`, else the
 * `spark.kubernetes.driver.pod.name` in `sparkConf`, else `<app>-driver`.
 */
export function driverPodName(app: SparkApplication): string {
  return app.spec.driver.podName
    || app.spec.sparkConf?.['spark.kubernetes.driver.pod.name']
    || `${requireField(app.metadata.name, 'metadata.name')}-driver`;
}

/**
 * The application with the upstream monitoring pre-step applied (`configPrometheusMonitoring`, run
 * when `monitoring.prometheus` is set): `spark.metrics.{namespace,conf}` in sparkConf, and for each
 * role that exposes metrics the JMX exporter `-javaagent` appended to its javaOptions and the
 * `prometheus.io/*` annotations. Returns a copy; `app` is not changed.
 */
function withMonitoring(app: SparkApplication): SparkApplication['spec'] {
  const spec = app.spec;
  const prometheus = spec.monitoring?.prometheus;
  if (!spec.monitoring || !prometheus) {
    return spec;
  }
  const port = prometheus.port ?? DEFAULT_PROMETHEUS_PORT;
  const promConfig = prometheus.configFile || `${PROMETHEUS_CONF_DIR}/prometheus.yaml`;
  const javaAgent = `-javaagent:${prometheus.jmxExporterJar}=${port}:${promConfig}`;
  const sparkConf = {
    ...spec.sparkConf,
    'spark.metrics.namespace': `${app.metadata.namespace}.${app.metadata.name}`,
    'spark.metrics.conf': spec.monitoring.metricsPropertiesFile || `${PROMETHEUS_CONF_DIR}/metrics.properties`,
  };
  const expose = <T extends SparkPodSpec & { javaOptions?: string }>(role: T, on: boolean): T => on ? {
    ...role,
    annotations: { ...role.annotations, 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' },
    javaOptions: role.javaOptions === undefined ? javaAgent : `${role.javaOptions} ${javaAgent}`,
  } : role;
  return {
    ...spec,
    sparkConf,
    driver: expose(spec.driver, spec.monitoring.exposeDriverMetrics),
    executor: expose(spec.executor, spec.monitoring.exposeExecutorMetrics),
  };
}

/** The operator's labels on both roles (app name, launched-by, mutated-by, submission id). */
function roleLabels(role: SparkPodSpec, sparkVersion: string, name: string, submissionId: string, set: (k: string, v: string) => void) {
  set(LABELS.appName, name);
  set(LABELS.launchedBy, 'true');
  // Without a template (or before Spark 3.0) only the pod webhook can add what spark-submit cannot.
  if (compareVersions(sparkVersion, '3.0.0') < 0 || role.template === undefined) {
    set('sparkoperator.k8s.io/mutated-by-spark-operator', 'true');
  }
  set(LABELS.submissionId, submissionId);
}

/** The application's own labels, which go to both roles; Kueue's are not passed on. */
function appLabels(app: SparkApplication): Record<string, string> {
  return Object.fromEntries(Object.entries(app.metadata.labels ?? {}).filter(([k]) => !k.startsWith('kueue.x-k8s.io/')));
}

/** Secrets mounted by conf, plus the env var that points at the credential for the two typed kinds. */
function secretConfs(secrets: SecretInfo[] | undefined, prefix: string, envPrefix: string, set: (k: string, v: string) => void) {
  for (const secret of secrets ?? []) {
    set(`${prefix}.${secret.name}`, secret.path);
    if (secret.secretType === 'GCPServiceAccount') {
      set(`${envPrefix}.GOOGLE_APPLICATION_CREDENTIALS`, path.posix.join(secret.path, 'key.json'));
    } else if (secret.secretType === 'HadoopDelegationToken') {
      set(`${envPrefix}.HADOOP_TOKEN_FILE_LOCATION`, path.posix.join(secret.path, 'hadoop.token'));
    }
  }
}

/**
 * `spark-local-dir-*` mounts of one role, as Spark's volume confs
 * (`spark.kubernetes.<role>.volumes.<type>.<name>.{mount,options}.*`). Other mounts are the webhook's.
 */
function localDirConfs(volumes: Volume[] | undefined, mounts: VolumeMount[] | undefined, prefix: string, set: (k: string, v: string) => void) {
  const localVolumes = new Map((volumes ?? []).filter((v) => v.name.startsWith('spark-local-dir-')).map((v) => [v.name, v]));
  if (localVolumes.size === 0) {
    return;
  }
  for (const mount of (mounts ?? []).filter((m) => m.name.startsWith('spark-local-dir-'))) {
    const volume = localVolumes.get(mount.name);
    if (!volume) {
      throw new Error(`volume ${mount.name} not found`);
    }
    const type = localDirVolumeType(volume);
    const base = `${prefix}.volumes.${type}.${mount.name}`;
    if (mount.mountPath) set(`${base}.mount.path`, mount.mountPath);
    if (mount.subPath) set(`${base}.mount.subPath`, mount.subPath);
    if (mount.readOnly) set(`${base}.mount.readOnly`, 'true');
    const o = `${base}.options`;
    if (type === 'emptyDir') {
      const emptyDir = volume.emptyDir as { sizeLimit?: string; medium?: string };
      if (emptyDir.sizeLimit) set(`${o}.sizeLimit`, emptyDir.sizeLimit);
      if (emptyDir.medium) set(`${o}.medium`, emptyDir.medium);
    } else if (type === 'hostPath') {
      const hostPath = volume.hostPath as { path: string; type?: string };
      set(`${o}.path`, hostPath.path);
      if (hostPath.type) set(`${o}.type`, hostPath.type);
    } else if (type === 'nfs') {
      const nfs = volume.nfs as { path: string; server: string; readOnly?: boolean };
      set(`${o}.path`, nfs.path);
      set(`${o}.server`, nfs.server);
      if (nfs.readOnly) set(`${o}.readOnly`, 'true');
    } else {
      const pvc = volume.persistentVolumeClaim as { claimName: string; readOnly?: boolean };
      set(`${o}.claimName`, pvc.claimName);
      if (pvc.readOnly) set(`${o}.readOnly`, 'true');
    }
  }
}

function localDirVolumeType(volume: Volume): LocalDirVolumeType {
  for (const type of ['emptyDir', 'hostPath', 'nfs', 'persistentVolumeClaim'] as const) {
    if (volume[type] !== undefined) {
      return type;
    }
  }
  throw new Error('unsupported volume type');
}

/**
 * A pod template that carries the application as owner: the driver's as its controller (so deleting
 * the application deletes the driver pod and, through it, everything Spark made), the executors' as a
 * plain owner (for Kueue; the driver pod is their controller).
 */
function templateWithOwner(template: PodTemplateSpec | undefined, owner: OwnerReference): PodTemplateSpec {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as { metadata?: { ownerReferences?: OwnerReference[] }; spec?: object } & PodTemplateSpec;
  copy.metadata = { ...copy.metadata, ownerReferences: [...(copy.metadata?.ownerReferences ?? []), owner] };
  // Upstream writes a Go PodTemplateSpec, whose `spec` is never omitted; Spark needs it (a template
  // without one fails in KubernetesUtils.selectSparkContainer).
  copy.spec ??= {};
  return copy;
}

function ownerReference(app: SparkApplication, uid: string, controller: boolean): OwnerReference {
  return {
    apiVersion: GROUP_VERSION,
    kind: SPARK_APPLICATION_NAMES.kind,
    name: requireField(app.metadata.name, 'metadata.name'),
    uid,
    controller,
    blockOwnerDeletion: true,
  };
}

/** Compares dotted numeric versions ("3.5.9" < "4.0.0"); a missing part counts as 0. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function requireField(value: string | undefined, field: string): string {
  if (!value) {
    throw new Error(`the SparkApplication needs '${field}'`);
  }
  return value;
}
