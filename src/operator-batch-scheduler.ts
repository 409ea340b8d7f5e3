import { KUBE_SCHEDULER_POD_GROUP, VOLCANO_POD_GROUP, VOLCANO_SCHEDULER_NAME, YUNIKORN_SCHEDULER_NAME, schedulerNameProblem } from './core';

/**
 * A batch scheduler the operator acts on (`SparkOperator`'s `batchSchedulers`): with at least one,
 * the controller runs with `--enable-batch-scheduler`, and its RBAC grows by what the schedulers'
 * integrations create. As upstream's flag, that accepts the built-in Volcano and YuniKorn whichever
 * are listed, so the RBAC always covers Volcano's PodGroups then (YuniKorn needs none); a
 * kube-scheduler is accepted only when listed. Applications choose one with `BatchScheduler`
 * (`spec.batchScheduler`).
 *
 * - `OperatorBatchScheduler.VOLCANO`: a Volcano PodGroup per application (`scheduling.volcano.sh`);
 * - `OperatorBatchScheduler.YUNIKORN`: task-group annotations and a queue label only, no object and no RBAC;
 * - `OperatorBatchScheduler.kubeScheduler(name)`: a kube-scheduler with the scheduler-plugins
 *   coscheduling plugin, listed in `--kube-scheduler-names`, and its PodGroup (`scheduling.x-k8s.io`).
 */
export class OperatorBatchScheduler {
  /** Volcano (https://volcano.sh): the controller creates a `scheduling.volcano.sh/v1beta1` PodGroup per application. */
  public static readonly VOLCANO = new OperatorBatchScheduler(VOLCANO_SCHEDULER_NAME, VOLCANO_POD_GROUP.group, false);

  /** Apache YuniKorn (https://yunikorn.apache.org): task groups in the pods' annotations, the queue in a label. */
  public static readonly YUNIKORN = new OperatorBatchScheduler(YUNIKORN_SCHEDULER_NAME, undefined, false);

  /**
   * A kube-scheduler running the scheduler-plugins coscheduling plugin: the controller creates a
   * `scheduling.x-k8s.io/v1alpha1` PodGroup per application and labels the pods with it.
   *
   * @param name the scheduler's name (its profile's `schedulerName`), which applications put in `spec.batchScheduler`
   */
  public static kubeScheduler(name: string): OperatorBatchScheduler {
    if (name === VOLCANO_SCHEDULER_NAME || name === YUNIKORN_SCHEDULER_NAME) {
      throw new Error(`'batchSchedulers' kube-scheduler ${JSON.stringify(name)} is built into the operator: use OperatorBatchScheduler.${name.toUpperCase()}`);
    }
    const problem = schedulerNameProblem(name);
    if (problem) throw new Error(`'batchSchedulers' kube-scheduler name ${problem}`);
    return new OperatorBatchScheduler(name, KUBE_SCHEDULER_POD_GROUP.group, true);
  }

  /** The name applications give in `spec.batchScheduler`, and the pods' `schedulerName`. */
  public readonly name: string;

  /**
   * The API group of the PodGroups the controller creates for it, if any.
   *
   * @default - none: the integration creates no object
   */
  public readonly podGroupApiGroup?: string;

  /** Whether it is a kube-scheduler (listed in `--kube-scheduler-names`). */
  public readonly isKubeScheduler: boolean;

  private constructor(name: string, podGroupApiGroup: string | undefined, isKubeScheduler: boolean) {
    this.name = name;
    this.podGroupApiGroup = podGroupApiGroup;
    this.isKubeScheduler = isKubeScheduler;
  }
}
