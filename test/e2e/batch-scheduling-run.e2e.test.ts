/**
 * Our controller (the bundle, with exactly the RBAC `SparkOperator` renders) with the real batch
 * schedulers built from their Go modules (test/e2e/schedulers): scheduler-plugins' Coscheduling
 * places upstream's `spark-pi-kube-scheduler.yaml` and holds one application's gang while another's
 * holds the room, where the default scheduler starts part of it; Kueue admits SparkApplications by
 * quota and our controller runs them. No Spark runs: the fake kubelet runs the pods, and the test
 * plays Spark's driver, creating the executors from the executor pod template our controller wrote
 * into the driver's ConfigMap, as Spark builds them.
 *
 * How Coscheduling gangs an upstream-style PodGroup (scheduler-plugins v0.34.7,
 * pkg/coscheduling/core/core.go, `PreFilter` and `CheckClusterResource`): the PodGroup has
 * `minMember: 1` (the driver alone) and `minResources` of the whole application (driver and initial
 * executors). Before a pod of a group that is not yet permitted is scheduled, PreFilter adds up the
 * free resources (allocatable minus requests of pods not in the group) of every node of the cluster,
 * whatever the pod's node selector and taints, and refuses the pod while that sum is less than
 * `minResources`. The group is then permitted for `permitWaitingTimeSeconds`. So the driver of an
 * application is held until the whole cluster has room for all of it, and a second application is
 * held once the first's executors are bound, not in between (while the first's driver runs and
 * before it creates its executors, there is room for both on paper). The tests below size the pods so
 * that this cluster-wide sum decides on the dedicated node, and check that the other nodes cannot
 * tip it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import { OperatorBatchScheduler } from '../../src';
import { KubeObject } from './harness/apply';
import { upstreamExample } from './harness/batch-crds';
import { ExecutorTemplate, executorPodFromTemplate } from './harness/executor-pod';
import { FAKE_NODE_LABEL_KEY, FAKE_NODE_LABEL_VALUE } from './harness/fake-nodes';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import {
  addFakeNodes, COSCHEDULING_POD_GROUP_LABEL, createKueueQueue, FakeNodes, KUEUE_QUEUE_NAME_LABEL, KueueQueue, RunningScheduler,
  startKueue, startSchedulerPlugins,
} from './harness/schedulers';
import { installSparkCrds } from './harness/spark-crds';
import { e2eCluster, uniqueName } from './harness/suite';
import { sleep, staysFor, waitFor } from './harness/wait';
import { milliCpuOf } from '../../src/core';
import { POD_TEMPLATE, SPARK_CONF_VOLUME } from '../../src/runtime/submission';

const cluster = e2eCluster();
const GANG_NAMESPACE = uniqueName('gang-jobs');
const QUEUE_NAMESPACE = uniqueName('queued-jobs');
/**
 * The scheduler name upstream's spark-pi-kube-scheduler.yaml gives as its `batchScheduler`: the
 * operator lists it (`--kube-scheduler-names`), and scheduler-plugins' kube-scheduler runs its
 * Coscheduling profile under it, so that the example runs as written.
 */
const KUBE_SCHEDULER = 'kube-scheduler';
/** The driver account upstream's examples name. */
const DRIVER_ACCOUNT = 'spark-operator-spark';
/** Short, so that a driver held in a queue would fail within the test if the wait counted. */
const PENDING_TIMEOUT_SECONDS = 5;
/** Executor memory as Spark requests it: 512m and the 384 MiB minimum overhead. */
const EXECUTOR_MEMORY = '896Mi';

interface Condition { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }
interface PodView {
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: { readonly nodeName?: string; readonly schedulerName?: string };
  readonly status: { readonly phase?: string; readonly conditions?: Condition[] };
}
interface AppView {
  readonly spec: { readonly suspend?: boolean };
  readonly status?: { readonly applicationState?: { readonly state?: string; readonly errorMessage?: string } };
}
interface List<T> { readonly items: T[] }

let operator: RunningOperator;

beforeAll(async () => {
  // Kueue's SparkApplication integration needs our CRD before it starts (the operator applies it too).
  await installSparkCrds(cluster);
  await cluster.createNamespace(GANG_NAMESPACE);
  await cluster.createNamespace(QUEUE_NAMESPACE);
  operator = await startController(cluster, {
    jobNamespaces: [GANG_NAMESPACE, QUEUE_NAMESPACE],
    namespace: uniqueName('spark-operator'),
    driverServiceAccountName: DRIVER_ACCOUNT,
    batchSchedulers: [OperatorBatchScheduler.kubeScheduler(KUBE_SCHEDULER)],
    controller: { driverPendingTimeout: Duration.seconds(PENDING_TIMEOUT_SECONDS) },
  });
}, 300_000);

afterAll(async () => {
  await operator?.stop();
  await cluster.deleteNamespace(GANG_NAMESPACE).catch(() => undefined);
  await cluster.deleteNamespace(QUEUE_NAMESPACE).catch(() => undefined);
});

// ---------------------------------------------------------------------------------------------
// Reading the cluster, and playing Spark's driver.

async function getApp(namespace: string, name: string): Promise<AppView> {
  return cluster.kubectlJson<AppView>(['get', 'sparkapplication', name, '-n', namespace]);
}

async function stateOf(namespace: string, name: string): Promise<string | undefined> {
  return (await getApp(namespace, name)).status?.applicationState?.state;
}

async function waitForState(namespace: string, name: string, state: string, timeoutMs = 90_000): Promise<AppView> {
  return waitFor(`${name} to be ${state}`, async () => {
    const app = await getApp(namespace, name);
    const now = app.status?.applicationState?.state;
    if (now === 'FAILED' && state !== 'FAILED') throw new Error(`${name} FAILED: ${app.status?.applicationState?.errorMessage}`);
    return now === state ? app : undefined;
  }, { timeoutMs, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`) });
}

async function pod(namespace: string, name: string): Promise<PodView | undefined> {
  const list = await cluster.kubectlJson<List<PodView>>(['get', 'pods', '-n', namespace, '--field-selector', `metadata.name=${name}`]);
  return list.items[0];
}

async function executorsOf(namespace: string, app: string): Promise<PodView[]> {
  return (await cluster.kubectlJson<List<PodView>>(['get', 'pods', '-n', namespace, '-l', `sparkoperator.k8s.io/app-name=${app},spark-role=executor`])).items;
}

const running = (p: PodView | undefined) => p?.status.phase === 'Running';
/** The scheduler tried the pod and did not bind it. */
const notScheduled = (p: PodView | undefined) => !p?.spec.nodeName && (p?.status.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') ?? false);

/** The driver pod of `app`, once Running. */
async function runningDriver(namespace: string, app: string): Promise<any> {
  return waitFor(`the driver of ${app} Running`, async () => {
    const driver = await pod(namespace, `${app}-driver`);
    return running(driver) ? driver : undefined;
  }, { timeoutMs: 120_000, intervalMs: 500 });
}

/**
 * Plays `app`'s driver creating its executors: `count` pods built from the executor pod template in
 * the driver's ConfigMap (scheduler name, pod-group label, node selector, tolerations as our
 * controller wrote them), each requesting `cpu` and {@link EXECUTOR_MEMORY}. Returns their names.
 */
async function createExecutors(namespace: string, app: string, count: number, cpu: string): Promise<string[]> {
  const driver = await runningDriver(namespace, app);
  const configMap = driver.spec.volumes.find((v: { name: string }) => v.name === SPARK_CONF_VOLUME).configMap.name;
  const data = (await cluster.kubectlJson<{ data: Record<string, string> }>(['get', 'configmap', configMap, '-n', namespace])).data;
  const template = parse(data[POD_TEMPLATE.key]) as ExecutorTemplate;
  const requests = { cpu, memory: EXECUTOR_MEMORY };
  const pods = Array.from({ length: count }, (_, i) => executorPodFromTemplate(driver, i + 1, template, { requests }));
  await cluster.kubectl(['create', '-f', '-'], { input: pods.map((p) => JSON.stringify(p)).join('\n') });
  return pods.map((p) => p.metadata.name);
}

/**
 * {@link createExecutors}, then waits until every one of them is Running, or (`'not scheduled'`)
 * tried by its scheduler and left unbound; returns them.
 */
async function startExecutors(namespace: string, app: string, count: number, cpu: string, outcome: 'Running' | 'not scheduled' = 'Running'): Promise<PodView[]> {
  await createExecutors(namespace, app, count, cpu);
  const is = outcome === 'Running' ? running : notScheduled;
  return waitFor(`the ${count} executors of ${app} ${outcome}`, async () => {
    const pods = await executorsOf(namespace, app);
    return pods.length === count && pods.every(is) ? pods : undefined;
  }, { timeoutMs: 90_000 });
}

/** Plays `app`'s driver ending well: its executors are deleted (Spark stops them), then the driver exits 0. */
async function finish(namespace: string, app: string): Promise<void> {
  await cluster.kubectl(['delete', 'pods', '-n', namespace, '-l', `sparkoperator.k8s.io/app-name=${app},spark-role=executor`, '--wait']);
  const outcome = podOutcomeAnnotations('Succeeded', { runFor: '1s' });
  await cluster.kubectl(['annotate', 'pod', `${app}-driver`, '-n', namespace, ...Object.entries(outcome).map(([k, v]) => `${k}=${v}`)]);
}

type SpecChange = (spec: Record<string, any>) => Record<string, any>;

/** Upstream's spark-pi-kube-scheduler.yaml as `name` in `namespace`, its spec changed by `change`. */
async function kubeSchedulerExample(namespace: string, name: string, change: SpecChange): Promise<KubeObject> {
  const app = await upstreamExample('spark-pi-kube-scheduler.yaml');
  return { apiVersion: app.apiVersion, kind: app.kind, metadata: { name, namespace }, spec: change(app.spec) };
}

/** `spec` placed on `nodes` only: the node selector, and the tolerations of their taint on both roles. */
function onNodes(spec: Record<string, any>, nodes: FakeNodes): Record<string, any> {
  const tolerations = [...nodes.tolerations];
  return {
    ...spec,
    nodeSelector: { ...nodes.nodeSelector },
    driver: { ...spec.driver, tolerations },
    executor: { ...spec.executor, tolerations },
  };
}

// ---------------------------------------------------------------------------------------------

describe('scheduler-plugins Coscheduling with our controller', () => {
  /** The dedicated node's cpu. */
  const NODE_CPU = 400;
  /** An executor's cpu in the gang tests: an application (a driver of 1 cpu, 2 executors) takes 301 of 400. */
  const EXECUTOR_CPU = 150;
  const APP_CPU = 1 + 2 * EXECUTOR_CPU;
  let scheduler: RunningScheduler;
  let nodes: FakeNodes;

  beforeAll(async () => {
    scheduler = await startSchedulerPlugins(cluster, { schedulerName: KUBE_SCHEDULER });
    nodes = await addFakeNodes(cluster, uniqueName('gang'), 1, { capacity: { cpu: String(NODE_CPU) } });
  }, 300_000);

  afterAll(async () => {
    await cluster.kubectl(['delete', 'sparkapplications', '--all', '-n', GANG_NAMESPACE, '--wait']).catch(() => undefined);
    await scheduler?.stop();
    await nodes?.remove();
  }, 120_000);

  /** A gang-test application: upstream's example on the dedicated node, each executor requesting {@link EXECUTOR_CPU}. */
  function gangApp(name: string, on: FakeNodes, batchScheduler?: string): Promise<KubeObject> {
    return kubeSchedulerExample(GANG_NAMESPACE, name, (spec) => {
      const { batchScheduler: _, ...rest } = onNodes(spec, on);
      return { ...rest, ...batchScheduler ? { batchScheduler } : {}, executor: { ...rest.executor, coreRequest: String(EXECUTOR_CPU) } };
    });
  }

  /** The allocatable cpu of every node but `own`: what Coscheduling's cluster-wide sum adds on top of the dedicated node. */
  async function otherNodesCpu(own: FakeNodes): Promise<number> {
    const list = await cluster.kubectlJson<List<{ metadata: { name: string }; status: { allocatable?: { cpu?: string } } }>>(['get', 'nodes']);
    return list.items.filter((n) => !own.names.includes(n.metadata.name))
      .reduce((sum, n) => sum + (milliCpuOf(n.status.allocatable?.cpu ?? '0') ?? 0) / 1000, 0);
  }

  test('upstream\'s spark-pi-kube-scheduler.yaml as written runs to COMPLETED, its driver and executors placed by Coscheduling in its PodGroup', async () => {
    // GIVEN upstream's example as written (its batchScheduler is the Coscheduling scheduler's name), placed on the dedicated node
    const app = await kubeSchedulerExample(GANG_NAMESPACE, 'spark-pi-kube-scheduler', (spec) => onNodes(spec, nodes));
    expect(app.spec).toMatchObject({ batchScheduler: KUBE_SCHEDULER });

    // WHEN it is created
    await cluster.applyManifests(app);

    // THEN our controller creates its PodGroup (minMember 1, the whole application's resources) and its driver,
    // which Coscheduling binds to the dedicated node
    const driver = await runningDriver(GANG_NAMESPACE, 'spark-pi-kube-scheduler');
    expect(driver.spec.schedulerName).toBe(KUBE_SCHEDULER);
    expect(driver.spec.nodeName).toBe(nodes.names[0]);
    expect(driver.metadata.labels[COSCHEDULING_POD_GROUP_LABEL]).toBe('spark-pi-kube-scheduler-pg');
    const group = await cluster.kubectlJson<any>(['get', 'podgroups.scheduling.x-k8s.io', 'spark-pi-kube-scheduler-pg', '-n', GANG_NAMESPACE]);
    expect(group.spec).toMatchObject({ minMember: 1, minResources: { cpu: '3', memory: '2688Mi' } });
    await waitForState(GANG_NAMESPACE, 'spark-pi-kube-scheduler', 'RUNNING');

    // WHEN the driver creates its 2 executors from the template our controller wrote
    const placed = await startExecutors(GANG_NAMESPACE, 'spark-pi-kube-scheduler', 2, '1');

    // THEN Coscheduling binds them in the same group, and scheduler-plugins' controller counts 3 running
    expect(placed.map((p) => [p.spec.schedulerName, p.spec.nodeName, p.metadata.labels?.[COSCHEDULING_POD_GROUP_LABEL]]))
      .toEqual([0, 1].map(() => [KUBE_SCHEDULER, nodes.names[0], 'spark-pi-kube-scheduler-pg']));
    await waitFor('PodGroup spark-pi-kube-scheduler-pg with 3 running', async () => {
      const pg = await cluster.kubectlJson<any>(['get', 'podgroups.scheduling.x-k8s.io', 'spark-pi-kube-scheduler-pg', '-n', GANG_NAMESPACE]);
      return pg.status?.running === 3 ? pg : undefined;
    }, { timeoutMs: 60_000 });

    // WHEN the driver ends well, THEN the application is COMPLETED
    await finish(GANG_NAMESPACE, 'spark-pi-kube-scheduler');
    await waitForState(GANG_NAMESPACE, 'spark-pi-kube-scheduler', 'COMPLETED');
  }, 300_000);

  test('a retried application (its driver failed, restartPolicy OnFailure) gets a new PodGroup, and Coscheduling places its new driver', async () => {
    // GIVEN upstream's example that may be retried once, its first driver running in its PodGroup
    const app = await kubeSchedulerExample(GANG_NAMESPACE, 'retried', (spec) => ({
      ...onNodes(spec, nodes),
      restartPolicy: { type: 'OnFailure', onFailureRetries: 1, onFailureRetryInterval: 1 },
    }));
    await cluster.applyManifests(app);
    const first = await runningDriver(GANG_NAMESPACE, 'retried');
    const firstGroup = await cluster.kubectlJson<any>(['get', 'podgroups.scheduling.x-k8s.io', 'retried-pg', '-n', GANG_NAMESPACE]);

    // WHEN that driver fails
    const failed = podOutcomeAnnotations('Failed', { runFor: '1s', exitCode: 1 });
    await cluster.kubectl(['annotate', 'pod', 'retried-driver', '-n', GANG_NAMESPACE, ...Object.entries(failed).map(([k, v]) => `${k}=${v}`)]);

    // THEN our controller submits it again: a new PodGroup of the same name, a new driver bound by Coscheduling
    const second = await waitFor('a second driver of retried Running', async () => {
      const driver = await pod(GANG_NAMESPACE, 'retried-driver') as any;
      return driver && driver.metadata.uid !== first.metadata.uid && running(driver) ? driver : undefined;
    }, { timeoutMs: 120_000 });
    expect(second.spec).toMatchObject({ schedulerName: KUBE_SCHEDULER, nodeName: nodes.names[0] });
    const secondGroup = await cluster.kubectlJson<any>(['get', 'podgroups.scheduling.x-k8s.io', 'retried-pg', '-n', GANG_NAMESPACE]);
    expect(secondGroup.metadata.uid).not.toBe(firstGroup.metadata.uid);
    // AND it runs to COMPLETED, its second attempt
    await waitForState(GANG_NAMESPACE, 'retried', 'RUNNING');
    await startExecutors(GANG_NAMESPACE, 'retried', 2, '1');
    await finish(GANG_NAMESPACE, 'retried');
    const done = await waitForState(GANG_NAMESPACE, 'retried', 'COMPLETED') as any;
    expect(done.status).toMatchObject({ executionAttempts: 2 });
  }, 300_000);

  test('of two applications that fit the node only one at a time, one runs whole while the other\'s driver waits unbound (not timed out), then runs when the first completes', async () => {
    // GIVEN applications of 301 cpu each (a driver of 1, 2 executors of 150) on the dedicated node of 400 cpu,
    // where the other nodes cannot make up the difference in Coscheduling's cluster-wide sum
    expect(await otherNodesCpu(nodes)).toBeLessThan(2 * APP_CPU - NODE_CPU);
    await cluster.applyManifests(await gangApp('gang-a', nodes, KUBE_SCHEDULER));
    const gangA = await startExecutors(GANG_NAMESPACE, 'gang-a', 2, String(EXECUTOR_CPU));
    expect(gangA.map((p) => p.spec.nodeName)).toEqual([nodes.names[0], nodes.names[0]]);
    await waitForState(GANG_NAMESPACE, 'gang-a', 'RUNNING');

    // WHEN a second such application is created
    await cluster.applyManifests(await gangApp('gang-b', nodes, KUBE_SCHEDULER));

    // THEN our controller creates its PodGroup and its driver, which Coscheduling tries and does not bind:
    // the cluster lacks the room for the whole of it
    const refused = await waitFor('the driver of gang-b tried and not scheduled', async () => {
      const driver = await pod(GANG_NAMESPACE, 'gang-b-driver');
      return notScheduled(driver) ? driver : undefined;
    }, { timeoutMs: 90_000 });
    expect(refused?.spec.schedulerName).toBe(KUBE_SCHEDULER);
    const unschedulable = refused?.status.conditions?.find((c) => c.type === 'PodScheduled');
    expect(unschedulable?.message).toContain(`PodGroup ${GANG_NAMESPACE}/gang-b-pg gets rejected`);
    // by PreFilter's check of the PodGroup's minResources against the cluster's free resources
    const log = fs.readFileSync(path.join(scheduler.runDir, 'kube-scheduler.log'), 'utf8');
    expect(log).toMatch(new RegExp(`"Failed to PreFilter" err="resource gap: [^"]*cpu[^"]*" pod="${GANG_NAMESPACE}/gang-b-driver" podGroup="${GANG_NAMESPACE}/gang-b-pg"`));
    // ... and it stays unbound, the application SUBMITTED (not failed by the pending timeout of 5 s), for 20 s
    const leak = await staysFor(20_000, async () => ({ driver: await pod(GANG_NAMESPACE, 'gang-b-driver'), state: await stateOf(GANG_NAMESPACE, 'gang-b') }),
      (s) => !s.driver?.spec.nodeName && s.state === 'SUBMITTED');
    expect(leak && { node: leak.driver?.spec.nodeName, state: leak.state }).toBeUndefined();

    // WHEN the first completes
    await finish(GANG_NAMESPACE, 'gang-a');
    await waitForState(GANG_NAMESPACE, 'gang-a', 'COMPLETED');

    // THEN the second's driver is bound (Coscheduling retries it within about 40 s), its executors too, and it completes
    await runningDriver(GANG_NAMESPACE, 'gang-b');
    await startExecutors(GANG_NAMESPACE, 'gang-b', 2, String(EXECUTOR_CPU));
    await finish(GANG_NAMESPACE, 'gang-b');
    await waitForState(GANG_NAMESPACE, 'gang-b', 'COMPLETED');
  }, 420_000);

  test('the limit of a PodGroup of minMember 1: a second application created before the first\'s executors exist starts its driver too, and its executors find no room', async () => {
    // GIVEN the first application's driver running, its executors not yet created
    expect(await otherNodesCpu(nodes)).toBeLessThan(2 * APP_CPU - NODE_CPU);
    await cluster.applyManifests(await gangApp('early-a', nodes, KUBE_SCHEDULER));
    await waitForState(GANG_NAMESPACE, 'early-a', 'RUNNING');
    try {
      // WHEN the second is created
      await cluster.applyManifests(await gangApp('early-b', nodes, KUBE_SCHEDULER));

      // THEN its driver is bound as well: the cluster-wide sum still had room for all of it
      const driver = await runningDriver(GANG_NAMESPACE, 'early-b');
      expect(driver.spec).toMatchObject({ schedulerName: KUBE_SCHEDULER, nodeName: nodes.names[0] });
      // AND once the first's executors take their room, none of the second's can be placed
      await startExecutors(GANG_NAMESPACE, 'early-a', 2, String(EXECUTOR_CPU));
      await startExecutors(GANG_NAMESPACE, 'early-b', 2, String(EXECUTOR_CPU), 'not scheduled');
    } finally {
      await cluster.kubectl(['delete', 'sparkapplications', 'early-a', 'early-b', '-n', GANG_NAMESPACE, '--ignore-not-found', '--wait']);
    }
  }, 300_000);

  test('without a batch scheduler, both drivers of the same two applications start and the second\'s executors find no room: the partial start the gang avoids when the second comes after the first\'s executors', async () => {
    // GIVEN a node of its own, of 400 cpu, and the first application running whole there (default scheduler)
    const own = await addFakeNodes(cluster, uniqueName('nogang'), 1, { capacity: { cpu: String(NODE_CPU) } });
    try {
      await cluster.applyManifests(await gangApp('plain-a', own));
      await startExecutors(GANG_NAMESPACE, 'plain-a', 2, String(EXECUTOR_CPU));

      // WHEN the second is created
      await cluster.applyManifests(await gangApp('plain-b', own));

      // THEN its driver starts at once (1 cpu is free) ...
      const driver = await runningDriver(GANG_NAMESPACE, 'plain-b');
      expect(driver.spec).toMatchObject({ schedulerName: 'default-scheduler', nodeName: own.names[0] });
      await waitForState(GANG_NAMESPACE, 'plain-b', 'RUNNING');
      // ... and neither of its executors can be placed: it holds a driver and runs no executor
      await startExecutors(GANG_NAMESPACE, 'plain-b', 2, String(EXECUTOR_CPU), 'not scheduled');
    } finally {
      await cluster.kubectl(['delete', 'sparkapplications', 'plain-a', 'plain-b', '-n', GANG_NAMESPACE, '--ignore-not-found', '--wait']);
      await own.remove();
    }
  }, 300_000);
});

// ---------------------------------------------------------------------------------------------

describe('Kueue with our controller', () => {
  let kueue: RunningScheduler;
  let queue: KueueQueue;

  beforeAll(async () => {
    kueue = await startKueue(cluster, {
      frameworks: ['batch/job', 'sparkoperator.k8s.io/sparkapplication'],
      featureGates: { SparkApplicationIntegration: true },
    });
    // A quota of 2 cpu: one application of a driver and 1 executor of 1 core each (Kueue charges `coreRequest`).
    queue = await createKueueQueue(cluster, { namespace: QUEUE_NAMESPACE, cpu: '2' });
  }, 300_000);

  afterAll(async () => {
    await cluster.kubectl(['delete', 'sparkapplications', '--all', '-n', QUEUE_NAMESPACE, '--wait']).catch(() => undefined);
    await cluster.kubectl(['delete', 'localqueues.kueue.x-k8s.io', '--all', '-n', QUEUE_NAMESPACE, '--wait=false']).catch(() => undefined);
    await queue?.remove();
    await sleep(1_000);
    await kueue?.stop();
  }, 120_000);

  interface WorkloadView {
    readonly metadata: { readonly name: string; readonly ownerReferences?: Array<{ kind: string; name: string }> };
    readonly status?: { readonly conditions?: Condition[] };
  }

  async function workloadOf(app: string): Promise<WorkloadView | undefined> {
    const list = await cluster.kubectlJson<List<WorkloadView>>(['get', 'workloads.kueue.x-k8s.io', '-n', QUEUE_NAMESPACE]);
    return list.items.find((w) => w.metadata.ownerReferences?.some((o) => o.kind === 'SparkApplication' && o.name === app));
  }

  /** Upstream's example without a batch scheduler, suspended in the LocalQueue, as Kueue's webhook would have made it: 2 cpu. */
  function queued(name: string): Promise<KubeObject> {
    return kubeSchedulerExample(QUEUE_NAMESPACE, name, (spec) => {
      const { batchScheduler: _, ...rest } = spec;
      return {
        ...rest,
        suspend: true,
        nodeSelector: { [FAKE_NODE_LABEL_KEY]: FAKE_NODE_LABEL_VALUE },
        driver: { ...rest.driver, coreRequest: '1' },
        executor: { ...rest.executor, instances: 1, coreRequest: '1' },
      };
    }).then((app) => ({ ...app, metadata: { ...app.metadata, labels: { [KUEUE_QUEUE_NAME_LABEL]: queue.localQueue } } }));
  }

  test('of two queued applications that each take the whole quota, Kueue admits one, our controller runs it to COMPLETED, then the other is admitted and completes', async () => {
    // WHEN two suspended applications are queued, the first before the second
    await cluster.applyManifests(await queued('first'));
    await waitFor('first unsuspended by Kueue', async () => (await getApp(QUEUE_NAMESPACE, 'first')).spec.suspend === false, { timeoutMs: 90_000 });
    await cluster.applyManifests(await queued('second'));

    // THEN our controller submits the first and its driver runs
    const driver = await runningDriver(QUEUE_NAMESPACE, 'first');
    // with the labels Kueue wrote for its driver pod set into spec.driver.labels, and not the application's
    // queue label (which would make the pod a workload of its own for Kueue's pod integration)
    expect(driver.metadata.labels).toMatchObject({ 'kueue.x-k8s.io/podset': 'driver', 'kueue.x-k8s.io/local-queue-name': queue.localQueue });
    expect(driver.metadata.labels[KUEUE_QUEUE_NAME_LABEL]).toBeUndefined();
    await waitForState(QUEUE_NAMESPACE, 'first', 'RUNNING');
    await startExecutors(QUEUE_NAMESPACE, 'first', 1, '1');

    // AND the second stays suspended, held SUSPENDED by our controller with no driver (not failed), for 15 s
    await waitForState(QUEUE_NAMESPACE, 'second', 'SUSPENDED');
    const leak = await staysFor(15_000, async () => ({
      suspend: (await getApp(QUEUE_NAMESPACE, 'second')).spec.suspend,
      state: await stateOf(QUEUE_NAMESPACE, 'second'),
      driver: (await pod(QUEUE_NAMESPACE, 'second-driver')) !== undefined,
    }), (s) => s.suspend === true && s.state === 'SUSPENDED' && !s.driver);
    expect(leak).toBeUndefined();

    // WHEN the first completes (its executor stopped, its driver exits 0)
    await finish(QUEUE_NAMESPACE, 'first');
    await waitForState(QUEUE_NAMESPACE, 'first', 'COMPLETED');

    // THEN Kueue finishes its Workload, which frees the quota, and admits the second, which our controller runs to COMPLETED
    await waitFor('second unsuspended by Kueue', async () => (await getApp(QUEUE_NAMESPACE, 'second')).spec.suspend === false, { timeoutMs: 120_000 });
    await runningDriver(QUEUE_NAMESPACE, 'second');
    await startExecutors(QUEUE_NAMESPACE, 'second', 1, '1');
    await waitForState(QUEUE_NAMESPACE, 'second', 'RUNNING');
    await finish(QUEUE_NAMESPACE, 'second');
    await waitForState(QUEUE_NAMESPACE, 'second', 'COMPLETED');
    // the first is still there, its Workload Finished: completing, not deleting, is what freed its quota
    expect(await stateOf(QUEUE_NAMESPACE, 'first')).toBe('COMPLETED');
    expect((await workloadOf('first'))?.status?.conditions?.find((c) => c.type === 'Finished')).toMatchObject({ status: 'True', reason: 'Succeeded' });
  }, 420_000);

  test('an application Kueue evicts while it runs (its Workload deactivated) is stopped by our controller, not failed, and runs to COMPLETED once admitted again', async () => {
    // GIVEN an admitted application whose driver runs
    await cluster.applyManifests(await queued('evicted'));
    const before = await runningDriver(QUEUE_NAMESPACE, 'evicted');
    await waitForState(QUEUE_NAMESPACE, 'evicted', 'RUNNING');

    // WHEN its Workload is deactivated: Kueue evicts it, suspending the application
    const workload = (await waitFor('the Workload of evicted', () => workloadOf('evicted'), { timeoutMs: 30_000 })).metadata.name;
    await cluster.kubectl(['patch', 'workloads.kueue.x-k8s.io', workload, '-n', QUEUE_NAMESPACE, '--type=merge', '-p', '{"spec":{"active":false}}']);

    // THEN our controller stops it: SUSPENDED, its driver deleted
    await waitFor('evicted suspended by Kueue', async () => (await getApp(QUEUE_NAMESPACE, 'evicted')).spec.suspend === true, { timeoutMs: 60_000 });
    await waitForState(QUEUE_NAMESPACE, 'evicted', 'SUSPENDED');
    await waitFor('the driver of evicted gone', async () => (await pod(QUEUE_NAMESPACE, 'evicted-driver')) === undefined, { timeoutMs: 60_000 });

    // WHEN it is activated again, THEN Kueue admits it again and our controller runs a new driver to COMPLETED
    await cluster.kubectl(['patch', 'workloads.kueue.x-k8s.io', workload, '-n', QUEUE_NAMESPACE, '--type=merge', '-p', '{"spec":{"active":true}}']);
    const after = await runningDriver(QUEUE_NAMESPACE, 'evicted');
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    await waitForState(QUEUE_NAMESPACE, 'evicted', 'RUNNING');
    await finish(QUEUE_NAMESPACE, 'evicted');
    await waitForState(QUEUE_NAMESPACE, 'evicted', 'COMPLETED');
  }, 300_000);
});
