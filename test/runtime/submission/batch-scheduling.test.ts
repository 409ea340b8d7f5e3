/**
 * What the submission builds for each batch scheduler, against what upstream's integrations write
 * for the same application (read from upstream's `internal/scheduler/{volcano,yunikorn,kubescheduler}`
 * at v2.5.2; the differences are asserted and explained in `docs/submission.md`, "Batch schedulers").
 */
import { APP_UID, OPTIONS, build, problemsOf, sparkPi } from './fixtures';
import { BatchSchedulingSettings } from '../../../src/core';
import { SubmissionOptions } from '../../../src/runtime/submission';

const ALL: BatchSchedulingSettings = { enabled: true, kubeSchedulerNames: ['scheduler-plugins-scheduler'] };
const WITH = (batchScheduling: BatchSchedulingSettings = ALL): SubmissionOptions => ({ ...OPTIONS, batchScheduling });
const OWNER = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'spark-pi', uid: APP_UID, controller: true, blockOwnerDeletion: true };

// sparkPi: a Scala driver and 2 executors of 1 core and 512m each. Spark requests 512 + max(0.1 x 512, 384) = 896 MiB per pod.
const GANG = { cpu: '3', memory: '2688Mi' };

describe('Volcano', () => {
  test('a scheduling.volcano.sh/v1beta1 PodGroup spark-<app>-pg: minMember 1, driver + executors as Spark requests them, queue and priority class', () => {
    // GIVEN
    const app = sparkPi({ batchScheduler: 'volcano', batchSchedulerOptions: { queue: 'batch', priorityClassName: 'batch-high' } });
    // WHEN
    const submission = build(app, WITH());
    // THEN
    expect(submission.podGroup).toEqual({
      apiVersion: 'scheduling.volcano.sh/v1beta1',
      kind: 'PodGroup',
      metadata: { name: 'spark-spark-pi-pg', namespace: 'spark-jobs', ownerReferences: [OWNER] },
      spec: { minMember: 1, minResources: GANG, queue: 'batch', priorityClassName: 'batch-high' },
    });
  });

  test('the driver pod and the executor template carry the group annotation and schedulerName volcano', () => {
    const submission = build(sparkPi({ batchScheduler: 'volcano' }), WITH());
    for (const pod of [submission.driverPod, submission.executorPodTemplate]) {
      expect(pod.metadata.annotations?.['scheduling.k8s.io/group-name']).toBe('spark-spark-pi-pg');
      expect(pod.spec.schedulerName).toBe('volcano');
    }
    // The template in the ConfigMap is the one the driver reads.
    expect(submission.configMap.data['podspec-configmap-key']).toContain('scheduling.k8s.io/group-name: spark-spark-pi-pg');
  });

  test('batchSchedulerOptions.resources replace the computed minResources, as upstream', () => {
    const app = sparkPi({ batchScheduler: 'volcano', batchSchedulerOptions: { resources: { 'cpu': '10', 'memory': '40Gi', 'nvidia.com/gpu': '2' } } });
    expect(build(app, WITH()).podGroup?.spec.minResources).toEqual({ 'cpu': '10', 'memory': '40Gi', 'nvidia.com/gpu': '2' });
  });

  test('minResources count the overhead, the initial executors of dynamic allocation and the request cores', () => {
    // GIVEN 4g drivers and executors (overhead 409 MiB), executor request cores 500m, dynamic allocation starting at 3
    const app = sparkPi({
      batchScheduler: 'volcano',
      driver: { memory: '4g', cores: 2 },
      executor: { memory: '4g', coreRequest: '500m', instances: 1 },
      dynamicAllocation: { enabled: true, initialExecutors: 3, minExecutors: 1, maxExecutors: 5 },
    });
    // THEN 2 + 3 x 0.5 cores, 4505 + 3 x 4505 MiB
    expect(build(app, WITH()).podGroup?.spec.minResources).toEqual({ cpu: '3500m', memory: `${4 * 4505}Mi` });
  });

  test('a Python executor adds spark.executor.pyspark.memory, and off-heap memory when enabled', () => {
    const app = sparkPi({
      type: 'Python',
      mainClass: undefined,
      mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
      batchScheduler: 'volcano',
      executor: { instances: 1 },
      sparkConf: { 'spark.executor.pyspark.memory': '256m', 'spark.memory.offHeap.enabled': 'true', 'spark.memory.offHeap.size': '1g' },
    });
    // Python's default overhead factor is 0.4: driver 512 + 384, executor 512 + 384 + 256 + 1024.
    expect(build(app, WITH()).podGroup?.spec.minResources).toEqual({ cpu: '2', memory: `${896 + 2176}Mi` });
  });
});

describe('a kube-scheduler with the coscheduling plugin (scheduler-plugins)', () => {
  test('a scheduling.x-k8s.io/v1alpha1 PodGroup <app>-pg; batchSchedulerOptions are not read, as upstream', () => {
    const app = sparkPi({ batchScheduler: 'scheduler-plugins-scheduler', batchSchedulerOptions: { queue: 'ignored', resources: { cpu: '99' } } });
    const submission = build(app, WITH());
    expect(submission.podGroup).toEqual({
      apiVersion: 'scheduling.x-k8s.io/v1alpha1',
      kind: 'PodGroup',
      metadata: { name: 'spark-pi-pg', namespace: 'spark-jobs', ownerReferences: [OWNER] },
      spec: { minMember: 1, minResources: GANG },
    });
  });

  test('the pods carry the pod-group label and the scheduler\'s name', () => {
    const submission = build(sparkPi({ batchScheduler: 'scheduler-plugins-scheduler' }), WITH());
    for (const pod of [submission.driverPod, submission.executorPodTemplate]) {
      expect(pod.metadata.labels?.['scheduling.x-k8s.io/pod-group']).toBe('spark-pi-pg');
      expect(pod.spec.schedulerName).toBe('scheduler-plugins-scheduler');
    }
  });
});

describe('YuniKorn', () => {
  test('no object; task groups on the driver, the group names on both, the queue label, schedulerName yunikorn', () => {
    // GIVEN
    const app = sparkPi({
      batchScheduler: 'yunikorn',
      batchSchedulerOptions: { queue: 'root.etl' },
      executor: { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'spot', operator: 'Exists' }] },
    });
    // WHEN
    const submission = build(app, WITH());
    // THEN
    expect(submission.podGroup).toBeUndefined();
    const driver = submission.driverPod;
    const executor = submission.executorPodTemplate;
    expect(driver.metadata.labels?.queue).toBe('root.etl');
    expect(executor.metadata.labels?.queue).toBe('root.etl');
    expect(driver.metadata.annotations?.['yunikorn.apache.org/task-group-name']).toBe('spark-driver');
    expect(executor.metadata.annotations?.['yunikorn.apache.org/task-group-name']).toBe('spark-executor');
    expect(executor.metadata.annotations).not.toHaveProperty(['yunikorn.apache.org/task-groups']);
    expect(JSON.parse(driver.metadata.annotations!['yunikorn.apache.org/task-groups'])).toEqual([
      { name: 'spark-driver', minMember: 1, minResource: { cpu: '1', memory: '896Mi' } },
      {
        name: 'spark-executor',
        minMember: 2,
        minResource: { cpu: '1', memory: '896Mi' },
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'spot', operator: 'Exists' }],
      },
    ]);
    expect(driver.spec.schedulerName).toBe('yunikorn');
    expect(executor.spec.schedulerName).toBe('yunikorn');
  });

  test('no executor task group when Spark starts with no executor (YuniKorn refuses minMember 0)', () => {
    const app = sparkPi({ batchScheduler: 'yunikorn', dynamicAllocation: { enabled: true, minExecutors: 0, maxExecutors: 4 }, executor: { instances: undefined } });
    const groups = JSON.parse(build(app, WITH()).driverPod.metadata.annotations!['yunikorn.apache.org/task-groups']);
    expect(groups.map((g: { name: string }) => g.name)).toEqual(['spark-driver']);
  });
});

describe('which scheduler, and refusals', () => {
  test('--default-batch-scheduler applies to an application that names none', () => {
    const submission = build(sparkPi(), WITH({ enabled: true, defaultBatchScheduler: 'volcano' }));
    expect(submission.podGroup?.metadata.name).toBe('spark-spark-pi-pg');
    expect(submission.driverPod.spec.schedulerName).toBe('volcano');
  });

  test('no batch scheduler: nothing added', () => {
    const submission = build(sparkPi(), WITH());
    expect(submission.podGroup).toBeUndefined();
    expect(submission.driverPod.spec.schedulerName).toBeUndefined();
    expect(Object.keys(submission.driverPod.metadata.annotations ?? {}).filter((k) => k.includes('scheduling') || k.includes('yunikorn'))).toEqual([]);
  });

  test('batch scheduling off: an application that names a batch scheduler is refused, saying so', () => {
    expect(problemsOf(sparkPi({ batchScheduler: 'volcano' }))).toEqual([{
      path: 'spec.batchScheduler',
      message: '\'volcano\' cannot be used: batch scheduling is not enabled in this operator (SparkOperator\'s batchSchedulers); remove {spec.batchScheduler} or enable it',
    }]);
  });

  test('a name the operator does not know is refused with the names it knows', () => {
    expect(problemsOf(sparkPi({ batchScheduler: 'kube-batch' }), WITH())).toEqual([{
      path: 'spec.batchScheduler',
      message: '\'kube-batch\' is not a batch scheduler this operator knows: use one of volcano, yunikorn, scheduler-plugins-scheduler (a kube-scheduler must be one of the operator\'s batchSchedulers)',
    }]);
  });

  test('Kueue\'s labels stay on the application: the pods do not get them', () => {
    const submission = build(sparkPi({}, { labels: { 'kueue.x-k8s.io/queue-name': 'user-queue', 'team': 'data' } }), WITH());
    expect(submission.driverPod.metadata.labels).toHaveProperty('team', 'data');
    expect(Object.keys(submission.driverPod.metadata.labels ?? {}).filter((k) => k.startsWith('kueue.x-k8s.io/'))).toEqual([]);
  });
});
