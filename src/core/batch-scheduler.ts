/**
 * Batch scheduling, written once: which scheduler an application's pods go to (`spec.batchScheduler`,
 * else the operator's `--default-batch-scheduler`), the names and keys each integration writes
 * (PodGroups, labels, annotations), and the resources a gang needs. The submission builders build
 * the objects from these rules; the controller, the constructs and `SparkOperator` read them too.
 *
 * The integrations are those of the upstream (Kubeflow) operator
 * (https://www.kubeflow.org/docs/components/spark-operator/user-guide/volcano-integration/,
 * .../yunikorn-integration/, .../kube-scheduler/): Volcano and YuniKorn built in, and any
 * kube-scheduler running the scheduler-plugins coscheduling plugin, registered by name.
 */
import { SparkApplicationSpec } from '../api';
import { isDns1123Subdomain } from './dns';
import { Problem } from './problems';

/** The name of the Volcano integration (and of Volcano's scheduler). */
export const VOLCANO_SCHEDULER_NAME = 'volcano';
/** The name of the YuniKorn integration (and of YuniKorn's scheduler). */
export const YUNIKORN_SCHEDULER_NAME = 'yunikorn';
/** The integrations built into the operator; kube-schedulers are added by name. */
export const BUILT_IN_BATCH_SCHEDULERS: readonly string[] = [VOLCANO_SCHEDULER_NAME, YUNIKORN_SCHEDULER_NAME];

/** A PodGroup kind: its API version, and the group and resource RBAC names. */
export interface PodGroupKind {
  readonly apiVersion: string;
  readonly kind: 'PodGroup';
  readonly group: string;
  readonly resource: 'podgroups';
}

/** Volcano's PodGroup (https://volcano.sh/en/docs/podgroup/). */
export const VOLCANO_POD_GROUP: PodGroupKind = { apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'PodGroup', group: 'scheduling.volcano.sh', resource: 'podgroups' };
/** The scheduler-plugins PodGroup of the coscheduling plugin (https://github.com/kubernetes-sigs/scheduler-plugins). */
export const KUBE_SCHEDULER_POD_GROUP: PodGroupKind = { apiVersion: 'scheduling.x-k8s.io/v1alpha1', kind: 'PodGroup', group: 'scheduling.x-k8s.io', resource: 'podgroups' };

/** The pod annotation that puts a pod in a Volcano PodGroup. */
export const VOLCANO_GROUP_NAME_ANNOTATION = 'scheduling.k8s.io/group-name';
/** The pod label that puts a pod in a scheduler-plugins PodGroup. */
export const KUBE_SCHEDULER_POD_GROUP_LABEL = 'scheduling.x-k8s.io/pod-group';
/** YuniKorn's keys (https://yunikorn.apache.org/docs/user_guide/labels_and_annotations_in_yunikorn/). */
export const YUNIKORN = {
  /** The pod label with the application's queue. */
  queueLabel: 'queue',
  /** The pod annotation naming the task group a pod belongs to. */
  taskGroupNameAnnotation: 'yunikorn.apache.org/task-group-name',
  /** The annotation of the originating (driver) pod with every task group, as JSON. */
  taskGroupsAnnotation: 'yunikorn.apache.org/task-groups',
  /** The task groups' names, as YuniKorn's gang-scheduling guide for Spark names them. */
  driverTaskGroup: 'spark-driver',
  executorTaskGroup: 'spark-executor',
} as const;

/** Kueue's labels (`kueue.x-k8s.io/queue-name` ...): never copied from an application to its pods. */
export const KUEUE_LABEL_PREFIX = 'kueue.x-k8s.io/';

/** What the operator was started with (`--enable-batch-scheduler`, `--kube-scheduler-names`, `--default-batch-scheduler`). */
export interface BatchSchedulingSettings {
  /** `--enable-batch-scheduler`. */
  readonly enabled: boolean;
  /** `--kube-scheduler-names`: kube-schedulers with the coscheduling plugin. */
  readonly kubeSchedulerNames?: readonly string[];
  /** `--default-batch-scheduler`: for applications that name none. */
  readonly defaultBatchScheduler?: string;
}

/** Batch scheduling off: `spec.batchScheduler` is refused. */
export const BATCH_SCHEDULING_OFF: BatchSchedulingSettings = { enabled: false };

/** The integration an application's pods go to. */
export type BatchSchedulerChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'volcano' | 'yunikorn' | 'kube-scheduler'; readonly name: string };

/** The scheduler names the operator knows with `settings` (built in first), empty when batch scheduling is off. */
export function registeredBatchSchedulers(settings: BatchSchedulingSettings): string[] {
  if (!settings.enabled) return [];
  return [...BUILT_IN_BATCH_SCHEDULERS, ...(settings.kubeSchedulerNames ?? []).filter((n) => !BUILT_IN_BATCH_SCHEDULERS.includes(n))];
}

/**
 * The integration of an application with `spec`: `spec.batchScheduler`, else the default; a name
 * the operator does not know (or any name while batch scheduling is off) is a problem at
 * `spec.batchScheduler`, as upstream fails such a submission.
 */
export function batchSchedulerOf(spec: Pick<SparkApplicationSpec, 'batchScheduler'>, settings: BatchSchedulingSettings): BatchSchedulerChoice | Problem {
  const asked = typeof spec.batchScheduler === 'string' && spec.batchScheduler !== '' ? spec.batchScheduler : undefined;
  const name = asked ?? (settings.enabled ? settings.defaultBatchScheduler : undefined);
  if (name === undefined || name === '') return { kind: 'none' };
  if (!settings.enabled) {
    return { path: 'spec.batchScheduler', message: `'${name}' cannot be used: batch scheduling is not enabled in this operator (SparkOperator's batchSchedulers); remove {spec.batchScheduler} or enable it` };
  }
  if (name === VOLCANO_SCHEDULER_NAME) return { kind: 'volcano', name };
  if (name === YUNIKORN_SCHEDULER_NAME) return { kind: 'yunikorn', name };
  if ((settings.kubeSchedulerNames ?? []).includes(name)) return { kind: 'kube-scheduler', name };
  return { path: 'spec.batchScheduler', message: `'${name}' is not a batch scheduler this operator knows: use one of ${registeredBatchSchedulers(settings).join(', ')} (a kube-scheduler must be one of the operator\'s batchSchedulers)` };
}

/** True for a problem rather than a choice. */
export function isBatchSchedulerProblem(value: BatchSchedulerChoice | Problem): value is Problem {
  return (value as Problem).path !== undefined;
}

/** The PodGroup kind an integration creates, if any (YuniKorn reads annotations only). */
export function podGroupKindOf(choice: BatchSchedulerChoice): PodGroupKind | undefined {
  return choice.kind === 'volcano' ? VOLCANO_POD_GROUP : choice.kind === 'kube-scheduler' ? KUBE_SCHEDULER_POD_GROUP : undefined;
}

/** The name of an application's PodGroup: `spark-<app>-pg` for Volcano, `<app>-pg` for a kube-scheduler, as upstream names them. */
export function podGroupName(choice: BatchSchedulerChoice, appName: string): string | undefined {
  if (choice.kind === 'volcano') return `spark-${appName}-pg`;
  if (choice.kind === 'kube-scheduler') return `${appName}-pg`;
  return undefined;
}

/** A scheduler name (`--kube-scheduler-names`, `--default-batch-scheduler`): pods carry it as `spec.schedulerName`, a DNS-1123 subdomain. */
export function schedulerNameProblem(name: string): string | undefined {
  return isDns1123Subdomain(name) ? undefined : `must be a scheduler name: a DNS-1123 subdomain (got ${JSON.stringify(name)})`;
}

// ---------------------------------------------------------------------------------------------
// The resources of a gang.

/** CPU (in milli-cores) and memory (in MiB) of one pod, as Spark requests them. */
export interface PodRequests {
  readonly milliCpu: number;
  readonly memoryMiB: number;
}

/** Milli-cores of a plain decimal CPU amount (`1`, `0.5`, `500m`), rounded up; undefined when unreadable. */
export function milliCpuOf(text: string): number | undefined {
  const match = /^\s*(\d+)(?:\.(\d+))?(m?)\s*$/.exec(text);
  if (!match) return undefined;
  const [, whole, fraction = '', milli] = match;
  if (milli) return Number(whole) + (/[1-9]/.test(fraction) ? 1 : 0);
  return Number(whole) * 1000 + Number(fraction.slice(0, 3).padEnd(3, '0')) + (/[1-9]/.test(fraction.slice(3)) ? 1 : 0);
}

/** Milli-cores as the API server writes a quantity (`2`, `1500m`). */
export function formatMilliCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * How many executors Spark asks for at start (`SchedulerBackendUtils.getInitialTargetExecutorNumber`):
 * with dynamic allocation the largest of `minExecutors`, `initialExecutors` and `spark.executor.instances`;
 * else `spark.executor.instances`, 2 when unset.
 */
export function initialExecutorCount(conf: Readonly<Record<string, string>>): number {
  const int = (key: string) => {
    const value = Number(conf[key]);
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  };
  if (conf['spark.dynamicAllocation.enabled'] === 'true') {
    return Math.max(int('spark.dynamicAllocation.minExecutors') ?? 0, int('spark.dynamicAllocation.initialExecutors') ?? 0, int('spark.executor.instances') ?? 0);
  }
  return int('spark.executor.instances') ?? 2;
}

/** The sum of the driver's requests and `executors` times an executor's, as a core/v1 ResourceList. */
export function gangResources(driver: PodRequests, executor: PodRequests, executors: number): Record<string, string> {
  return {
    cpu: formatMilliCpu(driver.milliCpu + executors * executor.milliCpu),
    memory: `${driver.memoryMiB + executors * executor.memoryMiB}Mi`,
  };
}

/** A pod's requests as a ResourceList (`cpu`, `memory` in Mi). */
export function requestsList(requests: PodRequests): Record<string, string> {
  return { cpu: formatMilliCpu(requests.milliCpu), memory: `${requests.memoryMiB}Mi` };
}
