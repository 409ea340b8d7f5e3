import { ApiObject, ApiObjectMetadata, Lazy, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as api from './api';
import {
  SPARK_CONNECT_NAME_MAX_LENGTH, SPARK_CONNECT_PORT, SPARK_CONTAINERS, connectServerPodName, connectServiceName, connectUrl, describeProblem,
  validateSparkConnect,
} from './core';
import { DynamicAllocation } from './dynamic-allocation';
import { SparkPodScheduling, SparkPodSchedulingProps } from './spark-pod-scheduling';
import { SparkRbac } from './spark-rbac';
import { renderDynamicAllocation } from './util/dynamic-allocation';
import { mapOrUndefined, prune } from './util/json';
import { located, locatedError } from './util/located';
import { propNamer } from './util/prop-names';
import { sparkMemory } from './util/spark-memory';

/** What the server and the executors of a {@link SparkConnect} have in common. */
export interface SparkConnectPodProps {
  /**
   * CPU cores (`spark.driver.cores` for the server, `spark.executor.cores` for each executor).
   *
   * @default - Spark's default: 1
   */
  readonly cores?: number;

  /**
   * Memory of the JVM (`spark.driver.memory` / `spark.executor.memory`), a whole number of MiB of
   * at least 450 MiB (Spark's floor).
   *
   * @default - Spark's default: 1 GiB
   */
  readonly memory?: Size;

  /**
   * Labels of the pods.
   *
   * @default - only the operator's and Spark's own
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the pods.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Where the pods may run: node affinity, pod (anti-)affinity and tolerations.
   *
   * @default - anywhere
   */
  readonly scheduling?: SparkPodSchedulingProps;
}

/** The Spark Connect server of a {@link SparkConnect}: a Spark driver that serves gRPC clients. */
export interface SparkConnectServerProps extends SparkConnectPodProps {
  /**
   * The type of the server's Service.
   *
   * @default kplus.ServiceType.CLUSTER_IP - reachable inside the cluster only
   */
  readonly serviceType?: kplus.ServiceType;

  /**
   * Annotations of the server's Service (a cloud load balancer's settings, for example).
   *
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };

  /**
   * Labels of the server's Service, besides the operator's own.
   *
   * @default - none
   */
  readonly serviceLabels?: { [key: string]: string };
}

/** The executors of a {@link SparkConnect}. */
export interface SparkConnectExecutorProps extends SparkConnectPodProps {
  /**
   * Executors (`spark.executor.instances`); 0 runs every query in the server alone. With dynamic
   * allocation, the number to start with.
   *
   * @default - Spark's default: 2
   */
  readonly instances?: number;
}

/** Properties of {@link SparkConnect}. */
export interface SparkConnectProps {
  /**
   * Metadata of the SparkConnect; its labels are copied to the server and the executor pods.
   *
   * @default - a name generated from the construct path (at most 47 characters, so that the
   * executors' pod names `<name>-exec-<id>` fit in 63); the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /** The Spark version of the image, e.g. `4.0.1` (Spark Connect ships with Spark from 3.4; 4.0 has it built in). */
  readonly sparkVersion: string;

  /** The container image of the server and the executors, e.g. `apache/spark:4.0.1`. */
  readonly image: string;

  /**
   * Pull policy of the image.
   *
   * @default - Kubernetes' default: IfNotPresent, Always for `:latest`
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * Service account of the server, which creates and deletes the executor pods: a `SparkRbac` (the
   * executors then run as its tokenless `<name>-executor` account), or any cdk8s-plus service
   * account whose role lets it manage pods, services and ConfigMaps (used for both).
   *
   * @default - the namespace's `default` service account, which usually cannot create executors
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * The server.
   *
   * @default - Spark's defaults, a ClusterIP Service
   */
  readonly server?: SparkConnectServerProps;

  /**
   * The executors.
   *
   * @default - Spark's defaults
   */
  readonly executor?: SparkConnectExecutorProps;

  /**
   * Dynamic allocation of executors: Spark adds executors while queries wait and removes idle ones,
   * which suits a server shared by notebooks that are idle most of the time.
   *
   * @default - off: `executor.instances` executors for the life of the server
   */
  readonly dynamicAllocation?: DynamicAllocation;

  /**
   * Spark configuration (`--conf key=value`). Keys that the operator owns or that have a typed prop
   * here are rejected with the prop to use.
   *
   * @default - none
   */
  readonly sparkConf?: { [key: string]: string };

  /**
   * Hadoop configuration; each key gets the `spark.hadoop.` prefix unless it has it.
   *
   * @default - none
   */
  readonly hadoopConf?: { [key: string]: string };
}

/** The user of the Apache Spark images. */
const SPARK_USER = 185;

/**
 * A shared Spark Connect server (`sparkoperator.k8s.io/v1alpha1` SparkConnect): the operator runs a
 * Spark driver that serves `pyspark[connect]` and other Spark Connect clients at
 * {@link SparkConnect.connectUrl}, a Service in front of it, and its executors. Unlike a
 * SparkApplication it does not end: notebooks and services share it.
 *
 * The pods run as the Apache Spark images' user (185), non-root, with no privilege escalation, no
 * capabilities and the runtime's default seccomp profile; the root file system stays writable, as
 * Spark writes its scratch files there.
 */
export class SparkConnect extends Construct {
  /** The Spark version of the image. */
  public readonly sparkVersion: string;

  /** The image of the server and the executors. */
  public readonly image: string;

  /** The service account of the server, if set. */
  public readonly serviceAccount?: kplus.IServiceAccount;

  /** Scheduling rules of the server pod. */
  public readonly serverScheduling: SparkPodScheduling;

  /** Scheduling rules of the executor pods. */
  public readonly executorScheduling: SparkPodScheduling;

  /** The SparkConnect object. */
  public readonly apiObject: ApiObject;

  private readonly props: SparkConnectProps;
  private readonly _sparkConf: { [key: string]: string } = {};
  private readonly _hadoopConf: { [key: string]: string } = {};
  private readonly serverMemory?: string;
  private readonly executorMemory?: string;
  private readonly dynamicAllocation?: api.DynamicAllocation;

  constructor(scope: Construct, id: string, props: SparkConnectProps) {
    super(scope, id);
    try {
      this.props = props;
      this.sparkVersion = props.sparkVersion;
      this.image = props.image;
      this.serviceAccount = props.serviceAccount;
      this.serverMemory = props.server?.memory ? sparkMemory(props.server.memory, 'server.memory') : undefined;
      this.executorMemory = props.executor?.memory ? sparkMemory(props.executor.memory, 'executor.memory') : undefined;
      this.dynamicAllocation = props.dynamicAllocation ? renderDynamicAllocation(props.dynamicAllocation) : undefined;
      this.serverScheduling = SparkPodScheduling._of('server');
      this.serverScheduling._apply(props.server?.scheduling);
      this.executorScheduling = SparkPodScheduling._of('executor');
      this.executorScheduling._apply(props.executor?.scheduling);
      Object.assign(this._sparkConf, props.sparkConf);
      Object.assign(this._hadoopConf, props.hadoopConf);

      const name = props.metadata?.name ?? Names.toDnsLabel(this, { maxLen: SPARK_CONNECT_NAME_MAX_LENGTH });
      this.apiObject = new ApiObject(this, 'Resource', {
        ...api.SPARK_CONNECT_TYPE_META,
        metadata: { ...props.metadata, name },
        spec: Lazy.any({ produce: () => this._toKube() }),
      });
      this.throwFirstProblem();
    } catch (error) {
      throw locatedError(this, error);
    }
    this.node.addValidation({ validate: () => this.problems() });
  }

  /** The Kubernetes name of this object. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** The namespace of this object, if known at synth time. */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /** The server pod the operator runs: `<name>-server`. */
  public get serverPodName(): string {
    return connectServerPodName(this.name);
  }

  /** The Service in front of the server: `<name>-server`. */
  public get serviceName(): string {
    return connectServiceName({ metadata: { name: this.name } });
  }

  /** The gRPC port of the server, 15002. */
  public get port(): number {
    return SPARK_CONNECT_PORT;
  }

  /**
   * The address Spark Connect clients in the cluster use: `sc://<service>.<namespace>.svc:15002`
   * (`SparkSession.builder.remote(url)`, or the `SPARK_REMOTE` environment variable).
   * The namespace is the object's, else `default`.
   */
  public get connectUrl(): string {
    return connectUrl(this.serviceName, this.namespace ?? 'default');
  }

  /** Sets a Spark configuration value; keys the operator owns or a typed prop renders are rejected with the prop to use. */
  public addSparkConf(key: string, value: string): void {
    this.addChecked(this._sparkConf, key, value);
  }

  /** Sets a Hadoop configuration value (`spark.hadoop.` is prefixed unless the key has it). */
  public addHadoopConf(key: string, value: string): void {
    this.addChecked(this._hadoopConf, key, value);
  }

  /** Sets `key`, then checks the object; a problem takes the change back and throws. */
  private addChecked(map: { [key: string]: string }, key: string, value: string): void {
    const before = map[key];
    map[key] = value;
    try {
      this.throwFirstProblem();
    } catch (error) {
      if (before === undefined) delete map[key];
      else map[key] = before;
      throw error;
    }
  }

  private throwFirstProblem(): void {
    const [first] = this.problems();
    if (first !== undefined) throw new Error(located(this, first));
  }

  /** The problems `validate()` finds in the object as rendered, each naming the prop that set the field. */
  private problems(): string[] {
    const object = { ...api.SPARK_CONNECT_TYPE_META, metadata: { name: this.name, namespace: this.namespace }, spec: this._toKube() };
    const name = propNamer('spec', { 'spec.server.template.spec.serviceAccountName': 'serviceAccount' });
    return validateSparkConnect(object, true).map((p) => describeProblem(p, name));
  }

  /** The v1alpha1 `SparkConnectSpec`. @internal */
  public _toKube(): api.SparkConnectSpec {
    const p = this.props;
    // A SparkRbac has a tokenless account for executors; any other account serves both roles.
    const executorAccount = this.serviceAccount instanceof SparkRbac ? this.serviceAccount.executorServiceAccount : this.serviceAccount;
    return prune({
      sparkVersion: this.sparkVersion,
      image: this.image,
      sparkConf: mapOrUndefined(this._sparkConf),
      hadoopConf: mapOrUndefined(this._hadoopConf),
      server: {
        cores: p.server?.cores,
        memory: this.serverMemory,
        template: this.template(p.server, SPARK_CONTAINERS.driver, this.serverScheduling, this.serviceAccount),
        service: this.service(p.server),
      },
      executor: {
        instances: p.executor?.instances,
        cores: p.executor?.cores,
        memory: this.executorMemory,
        template: this.template(p.executor, SPARK_CONTAINERS.executor, this.executorScheduling, executorAccount),
      },
      dynamicAllocation: this.dynamicAllocation ? { ...this.dynamicAllocation } : undefined,
    }) as api.SparkConnectSpec;
  }

  /** The pod template of a role: its Spark container, secure by default, and its scheduling. */
  private template(pod: SparkConnectPodProps | undefined, container: string, scheduling: SparkPodScheduling,
    account: kplus.IServiceAccount | undefined): api.JsonObject {
    return prune({
      metadata: { labels: mapOrUndefined(pod?.labels), annotations: mapOrUndefined(pod?.annotations) },
      spec: {
        serviceAccountName: account?.name,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: SPARK_USER,
          runAsGroup: SPARK_USER,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [{
          name: container,
          imagePullPolicy: this.props.imagePullPolicy,
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            // Spark writes scratch files (shuffle, spills, the work directory) under the root file system.
            readOnlyRootFilesystem: false,
          },
        }],
        affinity: scheduling._affinity(),
        tolerations: scheduling._tolerationList().length > 0 ? scheduling._tolerationList() : undefined,
      },
    });
  }

  private service(server: SparkConnectServerProps | undefined): api.JsonObject | undefined {
    if (!server?.serviceType && !server?.serviceAnnotations && !server?.serviceLabels) return undefined;
    return prune({
      metadata: { labels: mapOrUndefined(server.serviceLabels), annotations: mapOrUndefined(server.serviceAnnotations) },
      spec: { type: server.serviceType },
    });
  }
}
