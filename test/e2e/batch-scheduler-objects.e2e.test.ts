/**
 * The controller's side of the batch-scheduler integrations, on the real API server with the
 * PodGroup CRDs of Volcano and scheduler-plugins (from their Go modules: batch-crds/build.sh) and
 * exactly the RBAC `SparkOperator` renders with `batchSchedulers`. No batch scheduler runs here
 * (the kube-scheduler of the control plane leaves pods of other schedulers alone, and no fake
 * scheduler stands in): the drivers stay Pending, unplaced, as in a scheduler's queue. What runs
 * them to the end is another file's (the schedulers built from their modules).
 */
import { Duration } from 'cdk8s';
import { OperatorBatchScheduler } from '../../src';
import { KubeObject } from './harness/apply';
import { installPodGroupCrds, upstreamExample } from './harness/batch-crds';
import { RunningOperator, startController } from './harness/operator';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';

const cluster = e2eCluster();
const NAMESPACE = uniqueName('batch-jobs');
/** The driver account upstream's examples name. */
const DRIVER_ACCOUNT = 'spark-operator-spark';
/** The kube-scheduler name upstream's spark-pi-kube-scheduler.yaml gives. */
const KUBE_SCHEDULER = 'kube-scheduler';
/** Short, so that a driver left Pending would fail within the test if it counted. */
const PENDING_TIMEOUT_SECONDS = 5;

let operator: RunningOperator;

beforeAll(async () => {
  await installPodGroupCrds(cluster);
  await cluster.createNamespace(NAMESPACE);
  operator = await startController(cluster, {
    jobNamespaces: [NAMESPACE],
    namespace: uniqueName('spark-operator'),
    driverServiceAccountName: DRIVER_ACCOUNT,
    batchSchedulers: [OperatorBatchScheduler.VOLCANO, OperatorBatchScheduler.YUNIKORN, OperatorBatchScheduler.kubeScheduler(KUBE_SCHEDULER)],
    controller: { driverPendingTimeout: Duration.seconds(PENDING_TIMEOUT_SECONDS) },
  });
}, 300_000);

afterAll(async () => {
  await operator?.stop();
  await cluster.deleteNamespace(NAMESPACE).catch(() => undefined);
});

async function get(kind: string, name: string): Promise<any | undefined> {
  const list = await cluster.kubectlJson<any>(['get', kind, '-n', NAMESPACE, '--field-selector', `metadata.name=${name}`]);
  return list.items[0];
}

async function stateOf(name: string): Promise<{ state?: string; errorMessage?: string; submission?: string }> {
  const app = await get('sparkapplication', name);
  const state = app?.status?.applicationState;
  return { state: state?.state, errorMessage: state?.errorMessage, submission: app?.status?.submissionID };
}

async function waitForState(name: string, state: string, timeoutMs = 60_000) {
  return waitFor(`${name} to be ${state}`, async () => {
    const s = await stateOf(name);
    return s.state === state ? s : undefined;
  }, { timeoutMs, intervalMs: 500 });
}

/** Upstream's example, in the test's namespace. */
async function example(file: string, name?: string): Promise<KubeObject & { spec: Record<string, any> }> {
  const app = await upstreamExample(file);
  const metadata = { ...app.metadata, name: name ?? app.metadata.name, namespace: NAMESPACE };
  return { ...app, apiVersion: app.apiVersion, kind: app.kind, spec: app.spec, metadata };
}

const VOLCANO_PG = 'podgroups.scheduling.volcano.sh';
const COSCHEDULING_PG = 'podgroups.scheduling.x-k8s.io';

describe('upstream\'s batch-scheduler examples are admitted and submitted', () => {
  beforeAll(async () => {
    await cluster.applyManifests([
      await example('spark-pi-volcano.yaml'),
      await example('spark-pi-yunikorn.yaml'),
      await example('spark-pi-kube-scheduler.yaml'),
    ]);
    for (const name of ['spark-pi-volcano', 'spark-pi-yunikorn', 'spark-pi-kube-scheduler']) await waitForState(name, 'SUBMITTED');
  }, 120_000);

  test('spark-pi-volcano.yaml: a Volcano PodGroup the application controls, and a driver in it', async () => {
    const app = await get('sparkapplication', 'spark-pi-volcano');
    const group = await get(VOLCANO_PG, 'spark-spark-pi-volcano-pg');
    expect(group.metadata.ownerReferences).toEqual([{
      apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'spark-pi-volcano', uid: app.metadata.uid, controller: true, blockOwnerDeletion: true,
    }]);
    // Spark 4.0.4, Scala, 1 core and 512m each: 896Mi per pod (512m + the 384 MiB minimum overhead), a driver and 2 executors.
    expect(group.spec).toMatchObject({ minMember: 1, minResources: { cpu: '3', memory: '2688Mi' } });
    const driver = await get('pod', 'spark-pi-volcano-driver');
    expect(driver.metadata.annotations['scheduling.k8s.io/group-name']).toBe('spark-spark-pi-volcano-pg');
    expect(driver.spec.schedulerName).toBe('volcano');
    expect(driver.status.phase).toBe('Pending');
  });

  test('spark-pi-kube-scheduler.yaml: a scheduler-plugins PodGroup and the pod-group label', async () => {
    const group = await get(COSCHEDULING_PG, 'spark-pi-kube-scheduler-pg');
    expect(group.spec).toMatchObject({ minMember: 1, minResources: { cpu: '3', memory: '2688Mi' } });
    const driver = await get('pod', 'spark-pi-kube-scheduler-driver');
    expect(driver.metadata.labels['scheduling.x-k8s.io/pod-group']).toBe('spark-pi-kube-scheduler-pg');
    expect(driver.spec.schedulerName).toBe(KUBE_SCHEDULER);
  });

  test('spark-pi-yunikorn.yaml: no PodGroup; the queue label and the task groups on the driver', async () => {
    const driver = await get('pod', 'spark-pi-yunikorn-driver');
    expect(driver.metadata.labels.queue).toBe('root.default');
    expect(driver.metadata.annotations['yunikorn.apache.org/task-group-name']).toBe('spark-driver');
    expect(JSON.parse(driver.metadata.annotations['yunikorn.apache.org/task-groups']).map((g: any) => [g.name, g.minMember])).toEqual([['spark-driver', 1], ['spark-executor', 2]]);
    expect(driver.spec.schedulerName).toBe('yunikorn');
    expect(await get(VOLCANO_PG, 'spark-spark-pi-yunikorn-pg')).toBeUndefined();
  });

  test('drivers that no scheduler has placed are not failed by the stuck-Pending timeout', async () => {
    // GIVEN a pending timeout of 5 s, WHEN twice that has passed
    await new Promise((resolve) => setTimeout(resolve, 2 * PENDING_TIMEOUT_SECONDS * 1000));
    // THEN the three are still SUBMITTED
    for (const name of ['spark-pi-volcano', 'spark-pi-yunikorn', 'spark-pi-kube-scheduler']) {
      expect(await stateOf(name)).toMatchObject({ state: 'SUBMITTED' });
    }
  });

  test.each([
    ['spark-pi-volcano', VOLCANO_PG, 'spark-spark-pi-volcano-pg'],
    ['spark-pi-kube-scheduler', COSCHEDULING_PG, 'spark-pi-kube-scheduler-pg'],
  ])('%s: a new submission (a spec change) gets a new PodGroup', async (name, kind, group) => {
    // GIVEN
    const before = await get(kind, group);
    const { submission } = await stateOf(name);
    // WHEN the spec changes: the run is invalidated, its objects deleted, and it is submitted again
    await cluster.kubectl(['patch', 'sparkapplication', name, '-n', NAMESPACE, '--type=merge', '-p', JSON.stringify({ spec: { executor: { instances: 1 } } })]);
    await waitFor(`${name} to be submitted again`, async () => {
      const s = await stateOf(name);
      return s.state === 'SUBMITTED' && s.submission !== submission ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    // THEN its PodGroup is another object, sized for one executor
    const after = await get(kind, group);
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(after.spec.minResources).toEqual({ cpu: '2', memory: '1792Mi' });
  });

  test('deleting the applications deletes their PodGroups (garbage collection)', async () => {
    await cluster.kubectl(['delete', 'sparkapplication', 'spark-pi-volcano', 'spark-pi-kube-scheduler', 'spark-pi-yunikorn', '-n', NAMESPACE]);
    // The garbage collector learns new resource types within about 30 s.
    await waitFor('the PodGroups to be collected', async () => (
      (await get(VOLCANO_PG, 'spark-spark-pi-volcano-pg')) === undefined && (await get(COSCHEDULING_PG, 'spark-pi-kube-scheduler-pg')) === undefined ? true : undefined
    ), { timeoutMs: 90_000, intervalMs: 1000 });
  }, 120_000);
});

test.each([
  ['spark-pi-volcano.yaml', 'adopt-volcano', VOLCANO_PG, 'scheduling.volcano.sh/v1beta1', 'spark-adopt-volcano-pg'],
  ['spark-pi-kube-scheduler.yaml', 'adopt-coscheduling', COSCHEDULING_PG, 'scheduling.x-k8s.io/v1alpha1', 'adopt-coscheduling-pg'],
])('%s: a PodGroup of its own left from before (a crash, a deleted driver) is adopted and brought up to date', async (file, name, kind, apiVersion, group) => {
  // GIVEN a suspended application (as Kueue creates them), and a stale PodGroup it owns
  const app = await example(file, name);
  const [created] = await cluster.applyManifests([{ ...app, spec: { ...app.spec, suspend: true } }]);
  await cluster.applyManifests([{
    apiVersion,
    kind: 'PodGroup',
    metadata: {
      name: group,
      namespace: NAMESPACE,
      ownerReferences: [{ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name, uid: created.metadata!.uid, controller: true }],
    },
    spec: { minMember: 5, minResources: { cpu: '99' } },
  }]);
  // WHEN it is resumed
  await cluster.kubectl(['patch', 'sparkapplication', name, '-n', NAMESPACE, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
  await waitForState(name, 'SUBMITTED');
  // THEN the PodGroup is the same object, with the spec this submission wants
  const after = await get(kind, group);
  expect(after.spec).toMatchObject({ minMember: 1, minResources: { cpu: '3', memory: '2688Mi' } });
  await cluster.kubectl(['delete', 'sparkapplication', name, '-n', NAMESPACE]);
});

test('an application naming a scheduler the operator does not know fails, saying which it knows', async () => {
  // GIVEN
  const app = await example('spark-pi-volcano.yaml', 'unknown-scheduler');
  // WHEN
  await cluster.applyManifests([{ ...app, spec: { ...app.spec, batchScheduler: 'kube-batch' } }]);
  // THEN
  const failed = await waitForState('unknown-scheduler', 'FAILED');
  const message = 'the API server refused the submission';
  expect(failed.errorMessage).toBe('\'spec.batchScheduler\' \'kube-batch\' is not a batch scheduler this operator knows: use one of volcano, yunikorn, kube-scheduler '
    + '(a kube-scheduler must be one of the operator\'s batchSchedulers)');
  expect(failed.errorMessage).not.toContain(message);
  const events = await cluster.kubectlJson<any>(['get', 'events', '-n', NAMESPACE, '--field-selector', 'involvedObject.name=unknown-scheduler,reason=SparkApplicationSubmissionFailed']);
  expect(events.items.map((e: any) => e.message).join('\n')).toContain('\'kube-batch\' is not a batch scheduler this operator knows');
});
