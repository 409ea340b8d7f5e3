import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as api from './api';
import { BatchScheduler } from './batch-scheduler';
import { DEFAULT_APPLICATION_TYPE, DEFAULT_DEPLOY_MODE, HADOOP_CONF_PREFIX, Problem, applyDefaults, describeProblem, sparkConfKeyProblem } from './core';
import { SparkDependencies } from './dependencies';
import { DeployMode } from './deploy-mode';
import { SparkDriver, SparkDriverProps } from './driver';
import { DynamicAllocation } from './dynamic-allocation';
import { SparkExecutor, SparkExecutorProps } from './executor';
import { SparkMonitoring } from './monitoring';
import { PythonVersion } from './python-version';
import { RestartPolicy } from './restart-policy';
import { SparkApplicationType } from './spark-application-type';
import { SparkPodSchedulingProps } from './spark-pod-scheduling';
import { SparkRbac } from './spark-rbac';
import { DriverIngressOptions, SparkUiOptions } from './spark-ui';
import { renderDynamicAllocation } from './util/dynamic-allocation';
import { listOrUndefined, mapOrUndefined, objectOrUndefined, prune } from './util/json';
import { located, locatedError } from './util/located';
import { propNamer } from './util/prop-names';
import { wholeSeconds } from './util/validation';

/**
 * What a Spark application is (upstream `SparkApplicationSpec`): the props that `SparkApplication`
 * and the template of `ScheduledSparkApplication` share.
 */
export interface SparkApplicationSpecProps {
  /**
   * Spark version of the image, e.g. `'3.5.1'`. Pod templates need 3.0.0 or later.
   */
  readonly sparkVersion: string;

  /**
   * The application: a jar (JVM), `.py` file (Python) or `.R` file, as a URL Spark understands:
   * `local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar` (inside the image), `s3a://...`.
   */
  readonly mainApplicationFile: string;

  /**
   * Language of the application.
   *
   * @default SparkApplicationType.SCALA - the upstream webhook's default, written explicitly
   */
  readonly type?: SparkApplicationType;

  /**
   * Fully qualified main class; required for Java and Scala applications.
   *
   * @default - none (Python and R applications)
   */
  readonly mainClass?: string;

  /**
   * Arguments passed to the application.
   *
   * @default - none
   */
  readonly arguments?: string[];

  /**
   * Where the driver runs.
   *
   * @default DeployMode.CLUSTER - the upstream webhook's default, written explicitly
   */
  readonly mode?: DeployMode;

  /**
   * Container image of the driver and the executors, e.g. `apache/spark:3.5.1`. Either this or both
   * `driver.image` and `executor.image` must be set.
   *
   * @default - none: `driver.image` and `executor.image` must be set
   */
  readonly image?: string;

  /**
   * Pull policy of the image.
   *
   * @default - Spark's default: IfNotPresent
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * Secrets with registry credentials for the image.
   *
   * @default - none
   */
  readonly imagePullSecrets?: kplus.ISecret[];

  /**
   * User to impersonate (`--proxy-user`), for Kerberos-secured Hadoop.
   *
   * @default - none
   */
  readonly proxyUser?: string;

  /**
   * Service account of the driver and the executors: a `SparkRbac` (the executors then run as its
   * tokenless `<name>-executor` account), or any cdk8s-plus service account whose role lets the
   * driver manage pods, services and ConfigMaps (used for both).
   *
   * @default - the namespace's `default` service account, which usually cannot create executors
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Spark configuration (`--conf key=value`), the escape hatch for every Spark setting. Keys that
   * the operator owns or that have a typed prop here are rejected with the prop to use.
   *
   * @default - none
   */
  readonly sparkConf?: { [key: string]: string };

  /**
   * Hadoop configuration; each key gets the `spark.hadoop.` prefix.
   *
   * @default - none
   */
  readonly hadoopConf?: { [key: string]: string };

  /**
   * ConfigMap with Spark configuration files, mounted at `/etc/spark/conf` (`SPARK_CONF_DIR`).
   *
   * @default - none
   */
  readonly sparkConfigMap?: kplus.IConfigMap;

  /**
   * ConfigMap with Hadoop configuration files, mounted at `/etc/hadoop/conf` (`HADOOP_CONF_DIR`).
   *
   * @default - none
   */
  readonly hadoopConfigMap?: kplus.IConfigMap;

  /**
   * Volumes the driver and executors can mount. Volumes mounted with `driver.mount()` or
   * `executor.mount()` are added automatically.
   *
   * @default - none
   */
  readonly volumes?: kplus.Volume[];

  /**
   * The driver.
   *
   * @default - 1 core, 1g of memory
   */
  readonly driver?: SparkDriverProps;

  /**
   * The executors.
   *
   * @default - 1 executor with 1 core and 1g of memory
   */
  readonly executor?: SparkExecutorProps;

  /**
   * Jars, files, Python files, packages and archives Spark fetches.
   *
   * @default - none
   */
  readonly dependencies?: SparkDependencies;

  /**
   * When the operator runs the application again.
   *
   * @default RestartPolicy.never()
   */
  readonly restartPolicy?: RestartPolicy;

  /**
   * Tolerations and affinity of the driver and executor pods, as props (the same as calling
   * `driver.scheduling.*()` and `executor.scheduling.*()`); each role's own `scheduling` adds to it.
   *
   * @default - none
   */
  readonly scheduling?: SparkPodSchedulingProps;

  /**
   * Node selector of the driver and executor pods; exclusive with `driver.nodeSelector` and
   * `executor.nodeSelector`.
   *
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Major Python version of a PySpark application.
   *
   * @default - the image's
   */
  readonly pythonVersion?: PythonVersion;

  /**
   * Share of memory added as non-heap overhead (`spark.kubernetes.memoryOverheadFactor`).
   *
   * @default - Spark's default: 0.1 for JVM applications, 0.4 for Python and R
   */
  readonly memoryOverheadFactor?: number;

  /**
   * Metrics exposed to Prometheus.
   *
   * @default - no metrics
   */
  readonly monitoring?: SparkMonitoring;

  /**
   * Batch scheduler that places the pods, with its options (`batchScheduler`, `batchSchedulerOptions`):
   * `BatchScheduler.volcano({...})`, `BatchScheduler.yunikorn({...})` or `BatchScheduler.kubeScheduler(name)`.
   *
   * @default - the default Kubernetes scheduler (the operator has no default batch scheduler)
   */
  readonly batchScheduler?: BatchScheduler;

  /**
   * Delete the application this long after it ends (`timeToLiveSeconds`; whole seconds).
   *
   * @default - kept until deleted, unless the SparkOperator sets `controller.defaultTimeToLive` (`--default-time-to-live`)
   */
  readonly timeToLive?: Duration;

  /**
   * The Service (and Ingress) in front of the Spark UI.
   *
   * @default - the operator's defaults
   */
  readonly sparkUi?: SparkUiOptions;

  /**
   * Other driver ports exposed through a Service and an Ingress.
   *
   * @default - none
   */
  readonly driverIngresses?: DriverIngressOptions[];

  /**
   * Dynamic allocation of executors. Setting it turns dynamic allocation on.
   *
   * @default - off: a fixed number of executors
   */
  readonly dynamicAllocation?: DynamicAllocation;

  /**
   * Protect the driver pod with a policy/v1 PodDisruptionBudget that the operator creates while the
   * driver runs and deletes when the application ends.
   *
   * @default false
   */
  readonly driverPodDisruptionBudget?: boolean;
}

/** The policy of every application that sets none: one object, as a `RestartPolicy` cannot change. */
const NEVER = RestartPolicy.never();

/** What `_problemsOnce()` keeps for an application without problems: one empty list for all of them. */
const NO_PROBLEMS: string[] = [];

/** Name of the `SparkRbac` / `kplus.ServiceAccount` namespace, when it is known for sure. */
function serviceAccountNamespace(sa: kplus.IServiceAccount | undefined): string | undefined {
  if (sa instanceof SparkRbac) return sa.namespace;
  if (sa instanceof kplus.ServiceAccount) return sa.metadata.namespace;
  return undefined;
}

/**
 * The part of `SparkApplication` and `ScheduledSparkApplication` that describes the Spark
 * application: driver, executors, configuration, volumes, dependencies. One renderer turns it into a
 * v1beta2 `SparkApplicationSpec` for both.
 */
export abstract class SparkApplicationBase extends Construct {
  /** The driver: add environment, mounts and scheduling rules here. */
  public readonly driver: SparkDriver;

  /** The executors: add environment, mounts and scheduling rules here. */
  public readonly executor: SparkExecutor;

  /** Language of the application. */
  public readonly type: SparkApplicationType;

  /** Spark version of the image. */
  public readonly sparkVersion: string;

  /** Where the driver runs. */
  public readonly mode: DeployMode;

  /** When the operator runs the application again. */
  public readonly restartPolicy: RestartPolicy;

  /** Container image of the driver and executors, if set at application level. */
  public readonly image?: string;

  /** Service account of the driver and executors, if set at application level. */
  public readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * The underlying API object.
   */
  protected abstract readonly apiObject: ApiObject;

  private readonly _props: SparkApplicationSpecProps;
  // Each collection is made by its first addition: most applications have few of them.
  private _sparkConf?: { [key: string]: string };
  /** Changes made through this construct's own `addX()` methods (the roles count theirs): see `_revision`. */
  private _changes = 0;
  /** The revision `_problems()` last checked (-1: none yet), the problems it found, and the spec it checked until synthesis takes it. */
  private _checkedRevision = -1;
  private _checkedProblems: string[] = NO_PROBLEMS;
  private _checkedSpec?: object;
  private _hadoopConf?: { [key: string]: string };
  private _arguments?: string[];
  private _volumes?: kplus.Volume[];
  private _imagePullSecrets?: kplus.ISecret[];
  private _driverIngresses?: DriverIngressOptions[];
  private _deps?: { [K in keyof SparkDependencies]-?: string[] };
  private readonly _dynamicAllocation?: api.DynamicAllocation;
  private readonly _timeToLiveSeconds?: number;

  protected constructor(scope: Construct, id: string, props: SparkApplicationSpecProps) {
    super(scope, id);
    // Every mistake found while building names this construct's path.
    try {
      this._props = props;
      this.type = props.type ?? DEFAULT_APPLICATION_TYPE as SparkApplicationType;
      this.sparkVersion = props.sparkVersion;
      this.mode = props.mode ?? DEFAULT_DEPLOY_MODE as DeployMode;
      this.restartPolicy = props.restartPolicy ?? NEVER;
      this.image = props.image;
      this.serviceAccount = props.serviceAccount;

      this.driver = SparkDriver._create(props.driver);
      this.executor = SparkExecutor._create(props.executor);
      for (const volume of props.volumes ?? []) this.addVolume(volume);
      this.driver._bind(this, props.scheduling);
      this.executor._bind(this, props.scheduling);

      this._timeToLiveSeconds = props.timeToLive ? wholeSeconds('timeToLive', props.timeToLive, 0) : undefined;
      if (props.dynamicAllocation) this._dynamicAllocation = renderDynamicAllocation(props.dynamicAllocation);

      for (const [key, value] of Object.entries(props.sparkConf ?? {})) this.addSparkConf(key, value);
      for (const [key, value] of Object.entries(props.hadoopConf ?? {})) this.addHadoopConf(key, value);
      this.addArguments(...props.arguments ?? []);
      for (const secret of props.imagePullSecrets ?? []) this.addImagePullSecret(secret);
      if (props.dependencies) this.addDependencies(props.dependencies);
      for (const ingress of props.driverIngresses ?? []) this.addDriverIngress(ingress);

    } catch (error) {
      throw locatedError(this, error);
    }
    // The shared rules once more on the finished app: addX() calls made after construction.
    this.node.addValidation({ validate: () => [...this._problems(), ...this.validateLate()] });
  }

  /**
   * The spec of the API object (`spec` of a SparkApplication, of a ScheduledSparkApplication),
   * rendered now.
   * @internal
   */
  public abstract _toKube(): object;

  /**
   * The problems `validate()` (src/core) finds in `spec`, a `_toKube()` of this construct, each
   * naming the prop that set the field.
   * @internal
   */
  protected abstract _problemsOf(spec: object): string[];

  /**
   * A number that changes whenever an `addX()` call of the application or of its roles (and their
   * `scheduling`) changes what the spec renders from: each of them counts its own changes.
   * @internal
   */
  public get _revision(): number {
    return this._changes + this.driver._revision + this.executor._revision;
  }

  /**
   * The problems of the spec as rendered now, rendered and checked once per revision: an
   * application that nothing changed since its constructor checked it is not rendered and checked
   * again at synthesis (thousands of applications in one app). Props are read when the construct
   * is created; later changes go through the `addX()` methods.
   * @internal
   */
  protected _problems(): string[] {
    const revision = this._revision;
    if (this._checkedRevision !== revision) {
      const spec = this._toKube();
      const problems = this._problemsOf(spec);
      this._checkedProblems = problems.length > 0 ? problems : NO_PROBLEMS;
      this._checkedSpec = spec;
      this._checkedRevision = revision;
    }
    return this._checkedProblems;
  }

  /**
   * The spec the API object synthesizes: the one `_problems()` checked, if nothing changed since
   * (then it is handed over once, not kept), else rendered now.
   * @internal
   */
  protected _specToSynthesize(): object {
    const checked = this._checkedSpec;
    this._checkedSpec = undefined;
    return checked !== undefined && this._checkedRevision === this._revision ? checked : this._toKube();
  }

  /** A role's volume joins the application's `volumes` (`RoleOwner`). @internal */
  public _registerVolume(volume: kplus.Volume): void {
    this.addVolume(volume);
  }

  /** A role changed: the application checks itself once built (`RoleOwner`). @internal */
  public _roleChanged(): void {
    this._checkIfBuilt();
  }

  /** The error with this construct's path in its message (`RoleOwner`). @internal */
  public _locate(error: unknown): unknown {
    return locatedError(this, error);
  }

  /**
   * Throws the first problem of `_problems()`: subclasses call it at the end of their constructor,
   * so a mistake in the props fails where the construct is created.
   * @internal
   */
  protected _throwFirstProblem(): void {
    const [first] = this._problems();
    if (first !== undefined) throw new Error(located(this, first));
  }

  /** Throws the first problem once the construct is built (not while its constructor still runs). */
  private _checkIfBuilt(): void {
    if (this.apiObject !== undefined) this._throwFirstProblem();
  }

  /** Appends `item`, then checks the application; a problem takes the item out again and throws. */
  private addChecked<T>(list: T[], item: T): void {
    list.push(item);
    this._changes++;
    try {
      this._checkIfBuilt();
    } catch (e) {
      list.pop();
      this._changes++;
      throw e;
    }
  }

  /** The problems of the rendered object `validate` returns, in this construct's words. @internal */
  protected _describeProblems(problems: readonly Problem[], specPath: string, overrides: Record<string, string> = {}): string[] {
    if (problems.length === 0) return NO_PROBLEMS;
    const name = propNamer(specPath, overrides);
    return problems.map((p) => describeProblem(p, name));
  }

  /**
   * Sets a Spark configuration value (`sparkConf`). Keys that the operator owns or that have a typed
   * prop are rejected with the prop to use.
   */
  public addSparkConf(key: string, value: string): void {
    const problem = sparkConfKeyProblem(key, true);
    if (problem !== undefined) {
      throw new Error(located(this, describeProblem({ path: 'spec.sparkConf', message: problem }, propNamer('spec'))));
    }
    (this._sparkConf ??= {})[key] = value;
    this._changes++;
  }

  /**
   * Sets a Hadoop configuration value (`hadoopConf`); give the key without the `spark.hadoop.`
   * prefix, which the operator adds.
   */
  public addHadoopConf(key: string, value: string): void {
    if (key.startsWith(HADOOP_CONF_PREFIX)) {
      throw locatedError(this, new Error(`'hadoopConf' key '${key}' must not start with '${HADOOP_CONF_PREFIX}': the operator adds the prefix, use '${key.slice(HADOOP_CONF_PREFIX.length)}'`));
    }
    (this._hadoopConf ??= {})[key] = value;
    this._changes++;
  }

  /**
   * Appends arguments passed to the application.
   */
  public addArguments(...args: string[]): void {
    if (args.length > 0) (this._arguments ??= []).push(...args);
    this._changes++;
  }

  /**
   * Adds a volume that the driver and executors can mount. Mounting a volume with
   * `driver.mount()` / `executor.mount()` adds it too.
   */
  public addVolume(volume: kplus.Volume): void {
    // The same volume mounted twice is one volume; two volumes with one name are a problem validate() reports.
    if (this._volumes?.includes(volume)) return;
    this.addChecked(this._volumes ??= [], volume);
  }

  /**
   * Adds a Secret with registry credentials for the image.
   */
  public addImagePullSecret(secret: kplus.ISecret): void {
    (this._imagePullSecrets ??= []).push(secret);
    this._changes++;
  }

  /**
   * Adds jars, files, Python files, packages, repositories or archives (appended to those given
   * so far).
   */
  public addDependencies(deps: SparkDependencies): void {
    this._deps ??= { jars: [], files: [], pyFiles: [], packages: [], excludePackages: [], repositories: [], archives: [] };
    for (const key of Object.keys(this._deps) as Array<keyof SparkDependencies>) {
      this._deps[key].push(...deps[key] ?? []);
    }
    this._changes++;
  }

  /**
   * Exposes another driver port through a Service and an Ingress.
   */
  public addDriverIngress(options: DriverIngressOptions): void {
    this.addChecked(this._driverIngresses ??= [], options);
  }

  /** The Spark configuration. Returns a copy; to set a value, use `addSparkConf()`. */
  public get sparkConf(): { [key: string]: string } {
    return { ...this._sparkConf };
  }

  /** The Hadoop configuration. Returns a copy; to set a value, use `addHadoopConf()`. */
  public get hadoopConf(): { [key: string]: string } {
    return { ...this._hadoopConf };
  }

  /** The application's arguments. Returns a copy; to add some, use `addArguments()`. */
  public get arguments(): string[] {
    return [...this._arguments ?? []];
  }

  /** The volumes. Returns a copy; to add one, use `addVolume()` or mount it. */
  public get volumes(): kplus.Volume[] {
    return [...this._volumes ?? []];
  }

  /** The Kubernetes name of this object. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** The object's API version (`sparkoperator.k8s.io/v1beta2`). */
  public get apiVersion(): string {
    return this.apiObject.apiVersion;
  }

  /** The object's kind. */
  public get kind(): string {
    return this.apiObject.kind;
  }

  /** The API group (`sparkoperator.k8s.io`), for RBAC rules about this object. */
  public get apiGroup(): string {
    return api.API_GROUP;
  }

  /** The name of this object, for RBAC rules about this one object. */
  public get resourceName(): string | undefined {
    return this.name;
  }

  /**
   * The object's labels, which its pods get too: the shared rules refuse Spark's own label keys
   * among them. They are the ones cdk8s gives the API object when it is created (the chart's, then
   * its own `metadata.labels`), merged here as cdk8s merges them rather than read back with
   * `metadata.toJson()`, which resolves the whole metadata and costs more than the rest of the check.
   * @internal
   */
  protected _labels(own: { readonly [key: string]: string } | undefined): Record<string, string> {
    return { ...Chart.of(this).labels, ...own };
  }

  /** The namespace of this object, if known at synth time. */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /**
   * The v1beta2 `SparkApplicationSpec`, shared by `SparkApplication` (its `spec`) and
   * `ScheduledSparkApplication` (its `spec.template`).
   * @internal
   */
  public _toSpec(): api.SparkApplicationSpec {
    const p = this._props;
    const driver = this.driver._toKube(this.serviceAccount?.name);
    // A SparkRbac has a tokenless account for executors; any other account serves both roles.
    const executorAccount = this.serviceAccount instanceof SparkRbac ? this.serviceAccount.executorServiceAccount : this.serviceAccount;
    const executor = this.executor._toKube(executorAccount?.name);
    const monitoring = p.monitoring;
    const batchScheduler = p.batchScheduler?._toKube();
    const spec: api.SparkApplicationSpec = {
      type: this.type,
      sparkVersion: this.sparkVersion,
      mode: this.mode,
      proxyUser: p.proxyUser,
      image: this.image,
      imagePullPolicy: p.imagePullPolicy,
      imagePullSecrets: listOrUndefined(this._imagePullSecrets?.map((s) => s.name)),
      mainClass: p.mainClass,
      mainApplicationFile: p.mainApplicationFile,
      arguments: listOrUndefined(this._arguments),
      sparkConf: mapOrUndefined(this._sparkConf),
      hadoopConf: mapOrUndefined(this._hadoopConf),
      sparkConfigMap: p.sparkConfigMap?.name,
      hadoopConfigMap: p.hadoopConfigMap?.name,
      volumes: listOrUndefined(this._volumes?.map((v) => prune(kplus.k8s.toJson_Volume(v._toKube())) as api.Volume)),
      driver,
      executor,
      deps: this._deps ? objectOrUndefined({
        jars: listOrUndefined(this._deps.jars),
        files: listOrUndefined(this._deps.files),
        pyFiles: listOrUndefined(this._deps.pyFiles),
        packages: listOrUndefined(this._deps.packages),
        excludePackages: listOrUndefined(this._deps.excludePackages),
        repositories: listOrUndefined(this._deps.repositories),
        archives: listOrUndefined(this._deps.archives),
      }) : undefined,
      restartPolicy: this.restartPolicy._toKube(),
      nodeSelector: mapOrUndefined(p.nodeSelector),
      pythonVersion: p.pythonVersion,
      memoryOverheadFactor: p.memoryOverheadFactor !== undefined ? String(p.memoryOverheadFactor) : undefined,
      monitoring: monitoring ? {
        exposeDriverMetrics: monitoring.exposeDriverMetrics ?? true,
        exposeExecutorMetrics: monitoring.exposeExecutorMetrics ?? true,
        metricsProperties: monitoring.metricsProperties,
        metricsPropertiesFile: monitoring.metricsPropertiesFile,
        prometheus: monitoring.prometheus ? {
          jmxExporterJar: monitoring.prometheus.jmxExporterJar,
          port: monitoring.prometheus.port,
          portName: monitoring.prometheus.portName,
          configFile: monitoring.prometheus.configFile,
          configuration: monitoring.prometheus.configuration,
        } : undefined,
      } : undefined,
      batchScheduler: batchScheduler?.batchScheduler,
      timeToLiveSeconds: this._timeToLiveSeconds,
      batchSchedulerOptions: batchScheduler?.batchSchedulerOptions,
      sparkUIOptions: p.sparkUi ? {
        servicePort: p.sparkUi.servicePort,
        servicePortName: p.sparkUi.servicePortName,
        serviceType: p.sparkUi.serviceType,
        serviceAnnotations: mapOrUndefined(p.sparkUi.serviceAnnotations),
        serviceLabels: mapOrUndefined(p.sparkUi.serviceLabels),
        ingressAnnotations: mapOrUndefined(p.sparkUi.ingressAnnotations),
        ingressTLS: renderIngressTls(p.sparkUi.ingressTls),
      } : undefined,
      driverIngressOptions: listOrUndefined(this._driverIngresses?.map((i) => ({
        servicePort: i.servicePort,
        servicePortName: i.servicePortName,
        serviceType: i.serviceType,
        serviceAnnotations: mapOrUndefined(i.serviceAnnotations),
        serviceLabels: mapOrUndefined(i.serviceLabels),
        ingressURLFormat: i.ingressUrlFormat,
        ingressAnnotations: mapOrUndefined(i.ingressAnnotations),
        ingressTLS: renderIngressTls(i.ingressTls),
      }))),
      dynamicAllocation: this._dynamicAllocation ? { ...this._dynamicAllocation } : undefined,
      driverPodDisruptionBudget: p.driverPodDisruptionBudget,
    };
    // The upstream webhook's defaults, written into the YAML so it means the same with or without a
    // webhook (they add no undefined field: one prune is enough).
    return applyDefaults(prune(spec));
  }

  /** Checks that need the whole app (calls made after construction). */
  private validateLate(): string[] {
    const errors = [...this.driver._validate(), ...this.executor._validate()];
    const namespace = this.namespace;
    const accounts: Array<[string, kplus.IServiceAccount | undefined]> = [
      ['serviceAccount', this.serviceAccount],
      ['driver.serviceAccount', this.driver.serviceAccount],
      ['executor.serviceAccount', this.executor.serviceAccount],
    ];
    for (const [prop, sa] of accounts) {
      const saNamespace = serviceAccountNamespace(sa);
      if (sa && namespace !== undefined && saNamespace !== undefined && saNamespace !== namespace) {
        errors.push(`'${prop}' '${sa.name}' is in namespace '${saNamespace}' but the application is in '${namespace}': pods can only use service accounts of their own namespace`);
      }
    }
    return errors;
  }
}

function renderIngressTls(tls: kplus.IngressTls[] | undefined): api.IngressTLS[] | undefined {
  return listOrUndefined((tls ?? []).map((t) => prune({ hosts: t.hosts, secretName: t.secret?.name })));
}
