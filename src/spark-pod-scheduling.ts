import * as kplus from 'cdk8s-plus-28';
import * as api from './api';
import { listOrUndefined, objectOrUndefined, prune } from './util/json';

/** Nodes to attract pods to (`scheduling.attract()` as a prop). */
export interface SparkNodeAffinity extends kplus.PodSchedulingAttractOptions {
  /** The nodes, by label: `kplus.Node.labeled(...)`. */
  readonly node: kplus.LabeledNode;
}

/** Pods to run next to (`scheduling.colocate()` as a prop). */
export interface SparkPodAffinity extends kplus.PodSchedulingColocateOptions {
  /** The pods: `kplus.Pods.select(...)`, a workload or a pod. */
  readonly pods: kplus.IPodSelector;
}

/** Pods to keep away from (`scheduling.separate()` as a prop). */
export interface SparkPodAntiAffinity extends kplus.PodSchedulingSeparateOptions {
  /** The pods: `kplus.Pods.select(...)`, a workload or a pod. */
  readonly pods: kplus.IPodSelector;
}

/**
 * Scheduling rules given as props: the same as calling the methods of {@link SparkPodScheduling},
 * in the order listed here.
 */
export interface SparkPodSchedulingProps {
  /**
   * Taints the pods tolerate (`scheduling.tolerate()`): `kplus.Node.tainted(...)`.
   *
   * @default - none
   */
  readonly tolerate?: kplus.TaintedNode[];
  /**
   * Nodes the pods are attracted to (`scheduling.attract()`): required unless a weight is given.
   *
   * @default - none
   */
  readonly attract?: SparkNodeAffinity[];
  /**
   * Pods to run in the same topology domain as (`scheduling.colocate()`).
   *
   * @default - none
   */
  readonly colocate?: SparkPodAffinity[];
  /**
   * Pods to keep out of the topology domain of (`scheduling.separate()`).
   *
   * @default - none
   */
  readonly separate?: SparkPodAntiAffinity[];
}

/**
 * Where the driver or the executor pods may run: node affinity, pod (anti-)affinity and
 * tolerations, with the cdk8s-plus vocabulary (`kplus.Node.labeled(...)`, `kplus.Pods.select(...)`,
 * `kplus.Node.tainted(...)`, `kplus.Topology`).
 *
 * cdk8s-plus offers these verbs only on its own pods; this class gives Spark pods the same ones and
 * renders them into `affinity` and `tolerations` of the role (applied by the operator to the driver
 * pod and, through the executor pod template, to every executor).
 */
export class SparkPodScheduling {
  /** @internal */
  public static _of(role: string): SparkPodScheduling {
    return new SparkPodScheduling(role);
  }

  private readonly _nodeRequired: any[] = [];
  private readonly _nodePreferred: any[] = [];
  private readonly _podRequired: any[] = [];
  private readonly _podPreferred: any[] = [];
  private readonly _antiRequired: any[] = [];
  private readonly _antiPreferred: any[] = [];
  private readonly _tolerations: api.Toleration[] = [];
  /** Rules added so far: see `_revision`. */
  private _changes = 0;

  private constructor(private readonly role: string) {}

  /**
   * Attract the pods to nodes matched by labels (`kplus.Node.labeled(...)`): required unless a
   * weight is given. Several calls are alternatives (OR).
   */
  public attract(node: kplus.LabeledNode, options: kplus.PodSchedulingAttractOptions = {}): void {
    const term = { matchExpressions: node.labelSelector.map((q) => kplus.k8s.toJson_NodeSelectorRequirement(q._toKube())) };
    if (options.weight !== undefined) {
      this.validateWeight(options.weight);
      this._nodePreferred.push({ weight: options.weight, preference: term });
    } else {
      this._nodeRequired.push(term);
    }
    this._changes++;
  }

  /**
   * Run the pods in the same topology domain (node, zone ...) as the selected pods: required
   * unless a weight is given. Several calls must all hold (AND).
   */
  public colocate(selector: kplus.IPodSelector, options: kplus.PodSchedulingColocateOptions = {}): void {
    const term = this.podAffinityTerm(selector, options.topology);
    if (options.weight !== undefined) {
      this.validateWeight(options.weight);
      this._podPreferred.push({ weight: options.weight, podAffinityTerm: term });
    } else {
      this._podRequired.push(term);
    }
    this._changes++;
  }

  /**
   * Keep the pods out of topology domains (node, zone ...) that run the selected pods: required
   * unless a weight is given. Use it to spread executors over nodes.
   */
  public separate(selector: kplus.IPodSelector, options: kplus.PodSchedulingSeparateOptions = {}): void {
    const term = this.podAffinityTerm(selector, options.topology);
    if (options.weight !== undefined) {
      this.validateWeight(options.weight);
      this._antiPreferred.push({ weight: options.weight, podAffinityTerm: term });
    } else {
      this._antiRequired.push(term);
    }
    this._changes++;
  }

  /**
   * Let the pods run on nodes with matching taints (`kplus.Node.tainted(...)`), for example a
   * dedicated Spark node pool or spot nodes.
   */
  public tolerate(node: kplus.TaintedNode): void {
    for (const query of node.taintSelector) {
      this._tolerations.push(kplus.k8s.toJson_Toleration(query._toKube()) as api.Toleration);
    }
    this._changes++;
  }

  /** Applies scheduling rules given as props. @internal */
  public _apply(props: SparkPodSchedulingProps | undefined): void {
    for (const node of props?.tolerate ?? []) this.tolerate(node);
    for (const { node, ...options } of props?.attract ?? []) this.attract(node, options);
    for (const { pods, ...options } of props?.colocate ?? []) this.colocate(pods, options);
    for (const { pods, ...options } of props?.separate ?? []) this.separate(pods, options);
  }

  /** A number that changes with every rule added, so that the application checks itself again. @internal */
  public get _revision(): number {
    return this._changes;
  }

  /** Whether any affinity term was added. @internal */
  public get _hasAffinity(): boolean {
    return [this._nodeRequired, this._nodePreferred, this._podRequired, this._podPreferred, this._antiRequired, this._antiPreferred]
      .some((terms) => terms.length > 0);
  }

  /** @internal */
  public _affinity(): api.Affinity | undefined {
    return objectOrUndefined({
      nodeAffinity: objectOrUndefined({
        requiredDuringSchedulingIgnoredDuringExecution: this._nodeRequired.length > 0
          ? { nodeSelectorTerms: [...this._nodeRequired] }
          : undefined,
        preferredDuringSchedulingIgnoredDuringExecution: listOrUndefined(this._nodePreferred),
      }),
      podAffinity: objectOrUndefined({
        requiredDuringSchedulingIgnoredDuringExecution: listOrUndefined(this._podRequired),
        preferredDuringSchedulingIgnoredDuringExecution: listOrUndefined(this._podPreferred),
      }),
      podAntiAffinity: objectOrUndefined({
        requiredDuringSchedulingIgnoredDuringExecution: listOrUndefined(this._antiRequired),
        preferredDuringSchedulingIgnoredDuringExecution: listOrUndefined(this._antiPreferred),
      }),
    });
  }

  /** @internal */
  public _tolerationList(): api.Toleration[] {
    return [...this._tolerations];
  }

  private podAffinityTerm(selector: kplus.IPodSelector, topology?: kplus.Topology): any {
    const config = selector.toPodSelectorConfig();
    return prune({
      topologyKey: (topology ?? kplus.Topology.HOSTNAME).key,
      labelSelector: kplus.k8s.toJson_LabelSelector(config.labelSelector._toKube()),
      namespaceSelector: config.namespaces?.labelSelector
        ? kplus.k8s.toJson_LabelSelector(config.namespaces.labelSelector._toKube())
        : undefined,
      namespaces: config.namespaces?.names,
    });
  }

  private validateWeight(weight: number): void {
    // https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#node-affinity-weight
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw new Error(`'${this.role}' affinity weight must be an integer from 1 to 100 (got ${weight})`);
    }
  }
}
