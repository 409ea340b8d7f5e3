import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as api from './api';
import { DEFAULT_CORES, DEFAULT_MEMORY, parseSparkMemoryMiB } from './core';
import { SparkPodScheduling, SparkPodSchedulingProps } from './spark-pod-scheduling';
import { listOrUndefined, mapOrUndefined, objectOrUndefined, prune } from './util/json';
import { RoleOwner } from './util/role-owner';
import { sparkMemory } from './util/spark-memory';
import { wholeSeconds } from './util/validation';

/**
 * How the operator treats a mounted Secret (`secrets[].secretType`).
 */
export enum SparkSecretType {
  /** Mounted as files, nothing else. */
  GENERIC = 'Generic',
  /** A GCP service account key: also sets `GOOGLE_APPLICATION_CREDENTIALS=<path>/key.json`. */
  GCP_SERVICE_ACCOUNT = 'GCPServiceAccount',
  /** A Hadoop delegation token: also sets `HADOOP_TOKEN_FILE_LOCATION=<path>/hadoop.token`. */
  HADOOP_DELEGATION_TOKEN = 'HadoopDelegationToken',
}

/**
 * A GPU (or other extended resource) request for each pod of a role (`gpu`).
 */
export interface GpuRequest {
  /** Resource name, e.g. `nvidia.com/gpu`. */
  readonly name: string;
  /** How many, at least 1. */
  readonly quantity: number;
}

/**
 * An extra container port on the Spark container (`ports`).
 */
export interface SparkContainerPort {
  /** Port name (an IANA service name: at most 15 characters). */
  readonly name: string;
  /** Port number, 1-65535. */
  readonly containerPort: number;
  /**
   * Protocol.
   *
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
}

/**
 * Lifecycle hooks of the Spark container (`lifecycle`).
 */
export interface SparkPodLifecycle {
  /**
   * Runs right after the container starts.
   *
   * @default - none
   */
  readonly postStart?: kplus.Handler;
  /**
   * Runs before the container is stopped, for example to flush logs. HTTP and TCP handlers need an
   * explicit port.
   *
   * @default - none
   */
  readonly preStop?: kplus.Handler;
}

/**
 * DNS settings of the pods (`dnsConfig`).
 */
export interface SparkPodDnsConfig {
  /**
   * DNS server IP addresses.
   *
   * @default - none
   */
  readonly nameservers?: string[];
  /**
   * DNS search domains.
   *
   * @default - none
   */
  readonly searches?: string[];
  /**
   * Resolver options, such as `ndots`.
   *
   * @default - none
   */
  readonly options?: kplus.DnsOption[];
}

/**
 * Options of {@link SparkPod.mount}.
 */
export interface SparkVolumeMountOptions {
  /**
   * Mount the volume read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Mount only this path inside the volume.
   *
   * @default - the whole volume
   */
  readonly subPath?: string;
}

/**
 * A volume mounted into the Spark container (`volumeMounts`).
 */
export interface SparkVolumeMount extends SparkVolumeMountOptions {
  /** The volume; it is added to the application's `volumes` if it is not there yet. */
  readonly volume: kplus.Volume;
  /** Where to mount it. */
  readonly path: string;
}

/**
 * A Secret mounted into the Spark container (`secrets`).
 */
export interface SparkSecretMount {
  /** The Secret. */
  readonly secret: kplus.ISecret;
  /** Where to mount it. */
  readonly path: string;
  /**
   * How the operator treats it.
   *
   * @default SparkSecretType.GENERIC
   */
  readonly type?: SparkSecretType;
}

/**
 * A ConfigMap mounted into the Spark container (`configMaps`).
 */
export interface SparkConfigMapMount {
  /** The ConfigMap. */
  readonly configMap: kplus.IConfigMap;
  /** Where to mount it. */
  readonly path: string;
}

/**
 * What the driver and the executors have in common (upstream `SparkPodSpec`).
 */
export interface SparkPodProps {
  /**
   * CPU cores of each pod (`spark.{driver,executor}.cores`): how many tasks an executor runs at
   * once; also the pod's CPU request unless `coreRequest` is set.
   *
   * @default 1 - the upstream webhook's default, written explicitly
   */
  readonly cores?: number;

  /**
   * CPU request of each pod (`spark.kubernetes.{driver,executor}.request.cores`), when it should differ
   * from `cores`, e.g. `kplus.Cpu.millis(500)`.
   *
   * @default - `cores`
   */
  readonly coreRequest?: kplus.Cpu;

  /**
   * Hard CPU limit of each pod (`spark.kubernetes.{driver,executor}.limit.cores`).
   *
   * @default - no limit
   */
  readonly coreLimit?: kplus.Cpu;

  /**
   * JVM heap of each pod (`spark.{driver,executor}.memory`). Rendered in Spark's format: whole
   * gibibytes as `2g`, other sizes as `512m`; it must be a whole number of MiB and at least 450 MiB
   * (Spark reserves 300 MiB and refuses a heap below 1.5 times that). The pod asks for this plus the
   * overhead.
   *
   * @default Size.gibibytes(1) - the upstream webhook's default, written explicitly as "1g"
   */
  readonly memory?: Size;

  /**
   * Off-heap memory of each pod (`spark.{driver,executor}.memoryOverhead`).
   *
   * @default - Spark's default: max(384 MiB, memory x overhead factor)
   */
  readonly memoryOverhead?: Size;

  /**
   * Hard memory limit of the driver pod, set by the operator on its container.
   *
   * Driver only: Spark sets each executor's limit to its request (memory plus overhead) over any
   * template, so an executor's `memoryLimit` is refused at synth time; size it with `memoryOverhead`.
   *
   * @default - memory plus overhead (Spark sets request and limit to the same value)
   */
  readonly memoryLimit?: Size;

  /**
   * GPUs for each pod.
   *
   * @default - none
   */
  readonly gpu?: GpuRequest;

  /**
   * Container image of this role; overrides the application's `image`.
   *
   * @default - the application's `image`
   */
  readonly image?: string;

  /**
   * Service account the pods run as; overrides the application's `serviceAccount`.
   *
   * @default - the application's `serviceAccount`
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Environment variables, from values, Secrets, ConfigMaps or fields.
   *
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };

  /**
   * Sources of environment variables: `kplus.Env.fromSecret(...)`, `kplus.Env.fromConfigMap(...)`.
   *
   * @default - none
   */
  readonly envFrom?: kplus.EnvFrom[];

  /**
   * Labels added to the pods (on top of the application's labels).
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the pods.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Node selector of the pods; exclusive with the application's `nodeSelector`.
   *
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Extra JVM options (`spark.{driver,executor}.extraJavaOptions`), one option per entry; joined
   * with spaces.
   *
   * @default - none
   */
  readonly javaOptions?: string[];

  /**
   * Lifecycle hooks of the Spark container.
   *
   * @default - none
   */
  readonly lifecycle?: SparkPodLifecycle;

  /**
   * Extra container ports.
   *
   * @default - none
   */
  readonly ports?: SparkContainerPort[];

  /**
   * PriorityClass of the pods.
   *
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * Scheduler that places the pods (the application's `batchScheduler` takes precedence).
   *
   * @default - the default scheduler
   */
  readonly schedulerName?: string;

  /**
   * Security context of the Spark container, in cdk8s-plus terms. cdk8s-plus defaults apply
   * (non-root, no privilege escalation), except `readOnlyRootFilesystem`, which defaults to false
   * here because Spark writes to `/tmp` and its working directory.
   *
   * @default - none (the image's user, 185 in the Apache images)
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;

  /**
   * Security context of the pods, in cdk8s-plus terms (cdk8s-plus defaults apply).
   *
   * @default - none
   */
  readonly podSecurityContext?: kplus.PodSecurityContextProps;

  /**
   * Containers that run next to the Spark container, in cdk8s-plus terms. Each needs a unique
   * `name`. Only the fields given are rendered: cdk8s-plus's container defaults (resource requests
   * and limits, pull policy `Always`, a restrictive security context, a startup probe on
   * `portNumber`) are not applied, because they would be added to every driver or executor pod.
   *
   * @default - none
   */
  readonly sidecars?: kplus.ContainerProps[];

  /**
   * Containers that run to completion before the Spark container starts, in cdk8s-plus terms.
   * Each needs a unique `name`. Like `sidecars`, only the fields given are rendered.
   *
   * @default - none
   */
  readonly initContainers?: kplus.ContainerProps[];

  /**
   * Use the node's network namespace.
   *
   * @default false
   */
  readonly hostNetwork?: boolean;

  /**
   * Extra `/etc/hosts` entries.
   *
   * @default - none
   */
  readonly hostAliases?: kplus.HostAlias[];

  /**
   * DNS settings.
   *
   * @default - the cluster's
   */
  readonly dnsConfig?: SparkPodDnsConfig;

  /**
   * How long the pods get to stop (`terminationGracePeriodSeconds`).
   *
   * @default - Kubernetes' default: 30 seconds
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Share one process namespace between the containers of a pod.
   *
   * @default false
   */
  readonly shareProcessNamespace?: boolean;

  /**
   * RuntimeClass of the pods (e.g. `gvisor`, `kata`).
   *
   * @default - the cluster's default runtime
   */
  readonly runtimeClassName?: string;

  /**
   * Volumes to mount into the Spark container; each volume is added to the application.
   *
   * @default - none
   */
  readonly volumeMounts?: SparkVolumeMount[];

  /**
   * Secrets to mount into the Spark container.
   *
   * @default - none
   */
  readonly secrets?: SparkSecretMount[];

  /**
   * ConfigMaps to mount into the Spark container.
   *
   * @default - none
   */
  readonly configMaps?: SparkConfigMapMount[];

  /**
   * Tolerations and affinity of the pods of this role, as props; the same as calling
   * `scheduling.tolerate/attract/colocate/separate()`, which stay available. Added after the
   * application's `scheduling`.
   *
   * @default - none
   */
  readonly scheduling?: SparkPodSchedulingProps;

  /**
   * Raw core/v1 Affinity JSON, an escape hatch for what `scheduling` cannot say. Cannot be combined
   * with `scheduling.attract/colocate/separate`.
   *
   * @default - built from `scheduling`
   */
  readonly affinity?: { [key: string]: any };

  /**
   * Raw core/v1 PodTemplateSpec JSON that Spark starts the pods from, the escape hatch for any pod
   * field the other props do not cover (needs Spark >= 3.0.0).
   *
   * @default - none
   */
  readonly template?: { [key: string]: any };
}

/**
 * The two roles of the pods of a Spark application.
 */
export enum SparkRole {
  /** The driver pod. */
  DRIVER = 'driver',
  /** The executor pods. */
  EXECUTOR = 'executor',
}

/**
 * The driver or the executors of a Spark application: resources, image, environment, mounts and
 * scheduling of the pods of one role. Create it through the application (`app.driver`,
 * `app.executor`).
 */
export abstract class SparkPod {
  /** Which role this is. */
  public readonly role: SparkRole;

  /** CPU cores of each pod. */
  public readonly cores: number;

  /** JVM heap of each pod. */
  public readonly memory: Size;

  /** Container image of this role, if it overrides the application's. */
  public readonly image?: string;

  /** Service account of this role, if it overrides the application's. */
  public readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Node affinity, pod (anti-)affinity and tolerations of the pods.
   */
  public readonly scheduling: SparkPodScheduling;

  private readonly _props: SparkPodProps;
  /** Sizes and durations in the wire's units, converted (and checked) once in the constructor. */
  private readonly _units: Pick<api.SparkPodSpec, 'memory' | 'memoryOverhead' | 'memoryLimit' | 'terminationGracePeriodSeconds'>;
  private readonly _env: Array<{ name: string; value: kplus.EnvValue }> = [];
  private readonly _envFrom: kplus.EnvFrom[] = [];
  private readonly _mounts: SparkVolumeMount[] = [];
  private readonly _secrets: SparkSecretMount[] = [];
  private readonly _configMaps: SparkConfigMapMount[] = [];
  private readonly _javaOptions: string[] = [];
  private _owner?: RoleOwner;

  protected constructor(role: SparkRole, props: SparkPodProps) {
    this.role = role;
    this._props = props;
    this.scheduling = SparkPodScheduling._of(role);
    this.cores = props.cores ?? DEFAULT_CORES;
    this.memory = props.memory ?? Size.mebibytes(parseSparkMemoryMiB(DEFAULT_MEMORY)!);
    this._units = {
      memory: sparkMemory(this.memory, `${role}.memory`),
      memoryOverhead: props.memoryOverhead ? sparkMemory(props.memoryOverhead, `${role}.memoryOverhead`) : undefined,
      memoryLimit: props.memoryLimit ? sparkMemory(props.memoryLimit, `${role}.memoryLimit`) : undefined,
      terminationGracePeriodSeconds: props.terminationGracePeriod
        ? wholeSeconds(`${role}.terminationGracePeriod`, props.terminationGracePeriod, 0)
        : undefined,
    };
    // cdk8s-plus names a container 'main' when no name is given; two of them would collide.
    if ([...props.sidecars ?? [], ...props.initContainers ?? []].some((c) => c.name === undefined)) {
      throw new Error(`'${role}.sidecars' and '${role}.initContainers' need a 'name' on every container`);
    }
    this.image = props.image;
    this.serviceAccount = props.serviceAccount;
    for (const [name, value] of Object.entries(props.env ?? {})) this.addEnv(name, value);
    for (const from of props.envFrom ?? []) this.addEnvFrom(from);
    for (const option of props.javaOptions ?? []) this.addJavaOption(option);
    for (const secret of props.secrets ?? []) this.addSecret(secret.secret, secret.path, secret.type);
    for (const cm of props.configMaps ?? []) this.addConfigMap(cm.configMap, cm.path);
    // Mounts need the owner's volumes: they are replayed in _bind().
  }

  /**
   * Adds an environment variable to the Spark container.
   */
  public addEnv(name: string, value: kplus.EnvValue): void {
    if (this._env.some((e) => e.name === name)) {
      const error = new Error(`'${this.role}.env' already has a variable named '${name}'`);
      throw this._owner ? this._owner.locate(error) : error;
    }
    this._env.push({ name, value });
  }

  /**
   * Adds a source of environment variables: `kplus.Env.fromSecret(...)` or
   * `kplus.Env.fromConfigMap(...)`.
   */
  public addEnvFrom(from: kplus.EnvFrom): void {
    this._envFrom.push(from);
  }

  /**
   * Adds one JVM option (`spark.{driver,executor}.extraJavaOptions`).
   */
  public addJavaOption(option: string): void {
    this._javaOptions.push(option);
  }

  /**
   * Mounts a volume into the Spark container; the volume joins the application's `volumes`.
   *
   * @param path where to mount it
   * @param volume the volume
   * @param options read-only, sub-path
   */
  public mount(path: string, volume: kplus.Volume, options: SparkVolumeMountOptions = {}): void {
    this._owner?.registerVolume(volume);
    this.addChecked(this._mounts, { path, volume, ...options });
  }

  /**
   * Mounts a Secret into the Spark container (`secrets`).
   *
   * @param secret the Secret
   * @param path where to mount it
   * @param type how the operator treats it
   */
  public addSecret(secret: kplus.ISecret, path: string, type: SparkSecretType = SparkSecretType.GENERIC): void {
    this.addChecked(this._secrets, { secret, path, type });
  }

  /**
   * Mounts a ConfigMap into the Spark container (`configMaps`).
   */
  public addConfigMap(configMap: kplus.IConfigMap, path: string): void {
    this.addChecked(this._configMaps, { configMap, path });
  }

  /** Appends `item`, then lets the application check itself; a problem takes the item out again and throws. */
  private addChecked<T>(list: T[], item: T): void {
    list.push(item);
    try {
      this._owner?.roleChanged();
    } catch (e) {
      list.pop();
      throw e;
    }
  }

  /** The environment variables, by name. Returns a copy; to add one, use `addEnv()`. */
  public get env(): { [name: string]: kplus.EnvValue } {
    return Object.fromEntries(this._env.map((e) => [e.name, e.value]));
  }

  /** The volume mounts. Returns a copy; to add one, use `mount()`. */
  public get volumeMounts(): SparkVolumeMount[] {
    return [...this._mounts];
  }

  /** The mounted Secrets. Returns a copy; to add one, use `addSecret()`. */
  public get secrets(): SparkSecretMount[] {
    return [...this._secrets];
  }

  /** The mounted ConfigMaps. Returns a copy; to add one, use `addConfigMap()`. */
  public get configMaps(): SparkConfigMapMount[] {
    return [...this._configMaps];
  }

  /** The raw pod template, if any. @internal */
  public get _template(): { [key: string]: any } | undefined {
    return this._props.template;
  }

  /** The node selector of this role, if any. @internal */
  public get _nodeSelector(): { [key: string]: string } | undefined {
    return mapOrUndefined(this._props.nodeSelector);
  }

  /** Connects the role to the application's volumes and replays the mounts and scheduling given as props. @internal */
  public _bind(owner: RoleOwner, applicationScheduling?: SparkPodSchedulingProps): void {
    this._owner = owner;
    this.scheduling._apply(applicationScheduling);
    this.scheduling._apply(this._props.scheduling);
    for (const m of this._props.volumeMounts ?? []) {
      this.mount(m.path, m.volume, { readOnly: m.readOnly, subPath: m.subPath });
    }
  }

  /** Problems that can only be judged once the app is built. @internal */
  public _validate(): string[] {
    if (this._props.affinity && this.scheduling._hasAffinity) {
      return [`'${this.role}.affinity' (raw JSON) cannot be combined with ${this.role}.scheduling.attract/colocate/separate; use one or the other`];
    }
    return [];
  }

  /** The fields of `SparkPodSpec` plus the role fields both roles share. @internal */
  public _toKube(): api.DriverSpec & api.ExecutorSpec {
    const p = this._props;
    return {
      template: p.template ? { ...p.template } : undefined,
      cores: this.cores,
      coreRequest: p.coreRequest?.amount,
      coreLimit: p.coreLimit?.amount,
      memory: this._units.memory,
      memoryOverhead: this._units.memoryOverhead,
      memoryLimit: this._units.memoryLimit,
      gpu: p.gpu ? { name: p.gpu.name, quantity: p.gpu.quantity } : undefined,
      image: this.image,
      configMaps: listOrUndefined(this._configMaps.map((c) => ({ name: c.configMap.name, path: c.path }))),
      secrets: listOrUndefined(this._secrets.map((s) => ({
        name: s.secret.name,
        path: s.path,
        secretType: s.type ?? SparkSecretType.GENERIC,
      }))),
      env: listOrUndefined(this._env.map(({ name, value }) => prune({
        name,
        value: value.value,
        valueFrom: value.valueFrom ? kplus.k8s.toJson_EnvVarSource(value.valueFrom) : undefined,
      }) as api.EnvVar)),
      envFrom: listOrUndefined(this._envFrom.map((f) => prune(kplus.k8s.toJson_EnvFromSource(f._toKube())) as api.EnvFromSource)),
      labels: mapOrUndefined(p.labels),
      annotations: mapOrUndefined(p.annotations),
      volumeMounts: listOrUndefined(this._mounts.map((m) => prune({
        name: m.volume.name,
        mountPath: m.path,
        readOnly: m.readOnly,
        subPath: m.subPath,
      }) as api.VolumeMount)),
      affinity: p.affinity ? { ...p.affinity } : this.scheduling._affinity(),
      tolerations: listOrUndefined(this.scheduling._tolerationList()),
      podSecurityContext: p.podSecurityContext
        ? prune(kplus.k8s.toJson_PodSecurityContext(new kplus.PodSecurityContext(p.podSecurityContext)._toKube()))
        : undefined,
      securityContext: p.securityContext
        ? prune(kplus.k8s.toJson_SecurityContext(new kplus.ContainerSecurityContext({
          readOnlyRootFilesystem: false,
          ...p.securityContext,
        })._toKube()))
        : undefined,
      schedulerName: p.schedulerName,
      sidecars: listOrUndefined((p.sidecars ?? []).map(renderContainer)),
      initContainers: listOrUndefined((p.initContainers ?? []).map(renderContainer)),
      hostNetwork: p.hostNetwork,
      nodeSelector: mapOrUndefined(p.nodeSelector),
      dnsConfig: p.dnsConfig ? prune({
        nameservers: p.dnsConfig.nameservers,
        searches: p.dnsConfig.searches,
        options: p.dnsConfig.options?.map((o) => ({ name: o.name, value: o.value })),
      }) : undefined,
      terminationGracePeriodSeconds: this._units.terminationGracePeriodSeconds,
      serviceAccount: this.serviceAccount?.name,
      hostAliases: listOrUndefined((p.hostAliases ?? []).map((h) => ({ ip: h.ip, hostnames: [...h.hostnames] }))),
      shareProcessNamespace: p.shareProcessNamespace,
      runtimeClassName: p.runtimeClassName,
      javaOptions: this._javaOptions.length > 0 ? this._javaOptions.join(' ') : undefined,
      lifecycle: p.lifecycle ? renderLifecycle(p.lifecycle) : undefined,
      ports: listOrUndefined((p.ports ?? []).map((port) => ({
        name: port.name,
        containerPort: port.containerPort,
        protocol: port.protocol ?? kplus.Protocol.TCP,
      }))),
      priorityClassName: p.priorityClassName,
    };
  }
}

/**
 * A sidecar or init container as core/v1 Container JSON, with only the fields the user gave.
 *
 * `kplus.Container` fills in what is left out: requests 1000m/512Mi and limits 1500m/2048Mi, pull
 * policy `Always`, a non-root read-only security context, and a TCP startup probe on `portNumber`.
 * Those suit a cdk8s-plus workload, but on a sidecar they would land in every executor pod (a log
 * shipper asking for a whole CPU per executor). So the container is rendered through cdk8s-plus (its
 * conversions and checks) and every defaulted field not given by the user is dropped.
 */
function renderContainer(props: kplus.ContainerProps): api.Container {
  const kube = new kplus.Container(props)._toKube();
  const sc = props.securityContext;
  const rendered = kube.securityContext;
  return prune(kplus.k8s.toJson_Container({
    ...kube,
    imagePullPolicy: props.imagePullPolicy,
    resources: props.resources ? kube.resources : undefined,
    startupProbe: props.startup ? kube.startupProbe : undefined,
    securityContext: sc && rendered ? objectOrUndefined({
      runAsUser: sc.user !== undefined ? rendered.runAsUser : undefined,
      runAsGroup: sc.group !== undefined ? rendered.runAsGroup : undefined,
      runAsNonRoot: sc.ensureNonRoot !== undefined ? rendered.runAsNonRoot : undefined,
      privileged: sc.privileged !== undefined ? rendered.privileged : undefined,
      readOnlyRootFilesystem: sc.readOnlyRootFilesystem !== undefined ? rendered.readOnlyRootFilesystem : undefined,
      allowPrivilegeEscalation: sc.allowPrivilegeEscalation !== undefined ? rendered.allowPrivilegeEscalation : undefined,
      capabilities: sc.capabilities !== undefined ? rendered.capabilities : undefined,
      seccompProfile: sc.seccompProfile !== undefined ? rendered.seccompProfile : undefined,
    }) : undefined,
  })) as api.Container;
}

/**
 * The container lifecycle hooks as JSON. cdk8s-plus renders a handler for a container (its `_toKube`
 * takes one); a stand-in is made here, only for the pods that have hooks: making one for every
 * render cost a container construct per application.
 */
function renderLifecycle(lifecycle: SparkPodLifecycle): api.Lifecycle {
  const container = new kplus.Container({ image: 'spark' });
  return prune({
    postStart: lifecycle.postStart ? kplus.k8s.toJson_LifecycleHandler(lifecycle.postStart._toKube(container)) : undefined,
    preStop: lifecycle.preStop ? kplus.k8s.toJson_LifecycleHandler(lifecycle.preStop._toKube(container)) : undefined,
  }) as api.Lifecycle;
}
