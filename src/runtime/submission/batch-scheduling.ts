/**
 * What a batch scheduler needs of a submission (`src/core/batch-scheduler.ts` has the rules): the
 * PodGroup created before the driver pod (Volcano, a kube-scheduler with the coscheduling plugin),
 * and the labels, annotations and scheduler name of the driver pod and the executor template, as
 * upstream's scheduler integrations write them into the application before it submits.
 */
import { KubeObject, OwnerReference } from './kube-objects';
import { applicationOwnerReference } from './owner-references';
import { SparkSubmitCall } from './submit-conf';
import { SparkApplication } from '../../api';
import {
  BatchSchedulerChoice, KUBE_SCHEDULER_POD_GROUP_LABEL, PodRequests, VOLCANO_GROUP_NAME_ANNOTATION, YUNIKORN, YUNIKORN_SCHEDULER_NAME,
  driverMemory, executorMemoryMiB, gangResources, initialExecutorCount, milliCpuOf, parseSparkVersion, podGroupKindOf, podGroupName,
  requestsList,
} from '../../core';

/** A PodGroup of Volcano (`scheduling.volcano.sh/v1beta1`) or of scheduler-plugins (`scheduling.x-k8s.io/v1alpha1`). */
export interface PodGroup extends KubeObject {
  apiVersion: string;
  kind: 'PodGroup';
  metadata: { name: string; namespace?: string; ownerReferences?: OwnerReference[] };
  spec: {
    minMember: number;
    minResources: Record<string, string>;
    queue?: string;
    priorityClassName?: string;
  };
}

/** What one role's pods get. */
export interface PodMarks {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly schedulerName?: string;
}

/** A submission's batch scheduling. */
export interface BatchSchedulingPlan {
  /** Created (or adopted) before the driver pod, owned by the application. */
  readonly podGroup?: PodGroup;
  readonly driver: PodMarks;
  readonly executor: PodMarks;
}

const NOTHING: PodMarks = { labels: {}, annotations: {} };

/** The requests of the driver pod and of one executor, and how many executors Spark starts with. */
export function gangOf(app: SparkApplication, call: SparkSubmitCall): { driver: PodRequests; executor: PodRequests; executors: number } {
  const conf = call.conf.toRecord();
  const version = parseSparkVersion(app.spec.sparkVersion)!;
  const cpu = (keys: string[]) => milliCpuOf(keys.map((k) => conf[k]).find((v) => v !== undefined) ?? '1') ?? 1000;
  // Checked by the shared rules (native-submission.ts): both memories, and the CPU amounts.
  const driverMiB = driverMemory(conf, call.resourceType === 'java', version).memory?.totalMiB ?? 0;
  const executorMiB = executorMemoryMiB(conf, call.resourceType, version);
  return {
    driver: { milliCpu: cpu(['spark.kubernetes.driver.request.cores', 'spark.driver.cores']), memoryMiB: driverMiB },
    executor: { milliCpu: cpu(['spark.kubernetes.executor.request.cores', 'spark.executor.cores']), memoryMiB: typeof executorMiB === 'number' ? executorMiB : 0 },
    executors: initialExecutorCount(conf),
  };
}

/** The batch scheduling of `app`'s submission for the integration `choice`. */
export function planBatchScheduling(app: SparkApplication, call: SparkSubmitCall, choice: BatchSchedulerChoice): BatchSchedulingPlan {
  if (choice.kind === 'none') return { driver: NOTHING, executor: NOTHING };
  const gang = gangOf(app, call);
  if (choice.kind === 'yunikorn') return yunikornPlan(app, gang);
  const name = podGroupName(choice, app.metadata.name ?? '')!;
  const kind = podGroupKindOf(choice)!;
  const options = app.spec.batchSchedulerOptions ?? {};
  const owner = applicationOwnerReference(app, true);
  const given = options.resources && Object.keys(options.resources).length > 0
    ? Object.fromEntries(Object.entries(options.resources).map(([k, v]) => [k, String(v)]))
    : undefined;
  // Volcano reads the queue, the priority class and given resources; upstream's kube-scheduler integration reads no options.
  const volcano = choice.kind === 'volcano';
  const podGroup: PodGroup = {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata: { name, namespace: app.metadata.namespace, ...owner ? { ownerReferences: [owner] } : {} },
    spec: {
      // 1: the driver first, as upstream (Spark creates the executors once the driver runs).
      minMember: 1,
      minResources: (volcano ? given : undefined) ?? gangResources(gang.driver, gang.executor, gang.executors),
      ...volcano && options.queue ? { queue: options.queue } : {},
      ...volcano && options.priorityClassName ? { priorityClassName: options.priorityClassName } : {},
    },
  };
  const marks: PodMarks = volcano
    ? { labels: {}, annotations: { [VOLCANO_GROUP_NAME_ANNOTATION]: name }, schedulerName: choice.name }
    : { labels: { [KUBE_SCHEDULER_POD_GROUP_LABEL]: name }, annotations: {}, schedulerName: choice.name };
  return { podGroup, driver: marks, executor: marks };
}

/** YuniKorn's task groups (gang scheduling) in annotations, and the queue in a label; no object. */
function yunikornPlan(app: SparkApplication, gang: ReturnType<typeof gangOf>): BatchSchedulingPlan {
  const spec = app.spec;
  const group = (name: string, minMember: number, requests: PodRequests, role: 'driver' | 'executor') => {
    const pod = spec[role] ?? {};
    const nodeSelector = { ...spec.nodeSelector, ...pod.nodeSelector };
    return {
      name,
      minMember,
      minResource: requestsList(requests),
      ...Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {},
      ...pod.tolerations && pod.tolerations.length > 0 ? { tolerations: pod.tolerations } : {},
      ...pod.affinity ? { affinity: pod.affinity } : {},
      ...pod.labels && Object.keys(pod.labels).length > 0 ? { labels: pod.labels } : {},
    };
  };
  // YuniKorn refuses a task group of 0 members: no executor group without initial executors.
  const groups = [
    group(YUNIKORN.driverTaskGroup, 1, gang.driver, 'driver'),
    ...gang.executors > 0 ? [group(YUNIKORN.executorTaskGroup, gang.executors, gang.executor, 'executor')] : [],
  ];
  const queue = spec.batchSchedulerOptions?.queue;
  const labels: Record<string, string> = queue ? { [YUNIKORN.queueLabel]: queue } : {};
  return {
    driver: {
      labels,
      annotations: { [YUNIKORN.taskGroupNameAnnotation]: YUNIKORN.driverTaskGroup, [YUNIKORN.taskGroupsAnnotation]: JSON.stringify(groups) },
      schedulerName: YUNIKORN_SCHEDULER_NAME,
    },
    executor: { labels, annotations: { [YUNIKORN.taskGroupNameAnnotation]: YUNIKORN.executorTaskGroup }, schedulerName: YUNIKORN_SCHEDULER_NAME },
  };
}

type Marked = { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { schedulerName?: string } };

/** `object` (a pod or a pod template) with `marks` added. */
export function withMarks<T extends Marked>(object: T, marks: PodMarks): T {
  if (Object.keys(marks.labels).length === 0 && Object.keys(marks.annotations).length === 0 && marks.schedulerName === undefined) return object;
  const metadata = { ...object.metadata };
  if (Object.keys(marks.labels).length > 0) metadata.labels = { ...metadata.labels, ...marks.labels };
  if (Object.keys(marks.annotations).length > 0) metadata.annotations = { ...metadata.annotations, ...marks.annotations };
  return { ...object, metadata, spec: marks.schedulerName ? { ...object.spec, schedulerName: marks.schedulerName } : object.spec };
}
