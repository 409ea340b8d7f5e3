// The real batch schedulers on the e2e control plane, on their own, without our controller: they
// schedule kwok nodes, scheduler-plugins' Coscheduling binds a gang whole or not at all (where the
// default scheduler starts part of it), and Kueue admits Jobs by quota. Volcano and YuniKorn are
// not here: their Go modules cannot be had (test/e2e/README.md, "Batch schedulers").
import { KubeObject } from './harness/apply';
import { FAKE_NODE_LABEL_KEY, FAKE_NODE_LABEL_VALUE } from './harness/fake-nodes';
import {
  addFakeNodes,
  COSCHEDULING_POD_GROUP_LABEL,
  createKueueQueue,
  FakeNodes,
  KUEUE_QUEUE_NAME_LABEL,
  KueueQueue,
  RunningScheduler,
  startKueue,
  startSchedulerPlugins,
} from './harness/schedulers';
import { installSparkCrds } from './harness/spark-crds';
import { sparkPiSpec } from './harness/spark-pi';
import { e2eCluster, uniqueName } from './harness/suite';
import { testPod } from './harness/test-pods';
import { sleep, staysFor, waitFor } from './harness/wait';

const cluster = e2eCluster();

interface Condition { readonly type: string; readonly status: string; readonly reason?: string }
interface PodView {
  readonly metadata: { readonly name: string };
  readonly spec: { readonly nodeName?: string; readonly schedulerName?: string };
  readonly status: { readonly phase?: string; readonly conditions?: Condition[] };
}
interface List<T> { readonly items: T[] }

/** The pods of `namespace` that carry `label=value`. */
async function podsWith(namespace: string, label: string, value: string): Promise<PodView[]> {
  return (await cluster.kubectlJson<List<PodView>>(['get', 'pods', '-n', namespace, '-l', `${label}=${value}`])).items;
}

const bound = (pods: readonly PodView[]) => pods.filter((p) => p.spec.nodeName);
/** The scheduler tried the pod and did not bind it. */
const notScheduled = (p: PodView) => p.status.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') ?? false;

describe('scheduler-plugins Coscheduling: gang scheduling on kwok nodes', () => {
  // One node of 4 cpu; every pod asks for 1 cpu: a gang of 3 fits alone, two gangs do not fit together.
  const GROUP_LABEL = 'e2e.cdk8s-spark.dev/group';
  let namespace: string;
  let nodes: FakeNodes;
  let scheduler: RunningScheduler;

  beforeAll(async () => {
    namespace = await cluster.createNamespace(uniqueName('e2e-gang'));
    nodes = await addFakeNodes(cluster, uniqueName('gang'), 1, { capacity: { cpu: '4' } });
    scheduler = await startSchedulerPlugins(cluster);
  }, 300_000);

  afterAll(async () => {
    await scheduler?.stop();
    await cluster.deleteNamespace(namespace);
    await nodes?.remove();
  });

  /** A pod of 1 cpu for the dedicated node, in PodGroup `group` when a scheduler name is given. */
  function memberPod(name: string, group: string, schedulerName?: string): KubeObject {
    const labels: Record<string, string> = { [GROUP_LABEL]: group, ...(schedulerName ? { [COSCHEDULING_POD_GROUP_LABEL]: group } : {}) };
    const pod = testPod(name, { namespace, labels });
    const spec = pod.spec as { containers: Record<string, unknown>[] };
    return {
      ...pod,
      spec: {
        ...spec,
        ...(schedulerName ? { schedulerName } : {}),
        nodeSelector: nodes.nodeSelector,
        tolerations: nodes.tolerations,
        containers: [{ ...spec.containers[0], resources: { requests: { cpu: '1', memory: '64Mi' } } }],
      },
    };
  }

  function gang(group: string, minMember: number, schedulerName: string): KubeObject[] {
    const podGroup = { apiVersion: 'scheduling.x-k8s.io/v1alpha1', kind: 'PodGroup', metadata: { name: group, namespace }, spec: { minMember } };
    return [podGroup, ...Array.from({ length: minMember }, (_, i) => memberPod(`${group}-${i}`, group, schedulerName))];
  }

  test('a gang of 3 binds whole; a second gang that fits only alone waits whole, then binds whole once the first is gone', async () => {
    const schedulerName = scheduler.schedulerName!;
    // GIVEN gang A (PodGroup minMember 3 and its 3 pods) for the Coscheduling scheduler
    await cluster.applyManifests(gang('gang-a', 3, schedulerName));

    // WHEN it is scheduled
    // THEN all 3 pods are bound to the dedicated kwok node and run, and the PodGroup controller says Running
    const a = await waitFor('the 3 pods of gang-a Running', async () => {
      const pods = await podsWith(namespace, GROUP_LABEL, 'gang-a');
      return pods.length === 3 && pods.every((p) => p.status.phase === 'Running') ? pods : undefined;
    }, { timeoutMs: 60_000 });
    expect(a.map((p) => p.spec.nodeName)).toEqual([nodes.names[0], nodes.names[0], nodes.names[0]]);
    expect(a.every((p) => p.spec.schedulerName === schedulerName)).toBe(true);
    await waitFor('PodGroup gang-a Running with 3 running', async () => {
      const pg = await cluster.kubectlJson<{ status?: { phase?: string; running?: number } }>(['get', 'podgroups.scheduling.x-k8s.io', 'gang-a', '-n', namespace]);
      return pg.status?.phase === 'Running' && pg.status.running === 3;
    }, { timeoutMs: 30_000 });

    // WHEN gang B, which needs 3 cpu where 1 is left, is created
    await cluster.applyManifests(gang('gang-b', 3, schedulerName));

    // THEN the scheduler tries each of its pods and binds none ...
    await waitFor('every pod of gang-b tried and not scheduled', async () => {
      const pods = await podsWith(namespace, GROUP_LABEL, 'gang-b');
      return pods.length === 3 && pods.every(notScheduled);
    }, { timeoutMs: 60_000 });
    // ... and for longer than Coscheduling's permit wait (10 s), not one of them is bound
    // (the default scheduler would bind the one that fits: see the next test)
    const partial = await staysFor(15_000, () => podsWith(namespace, GROUP_LABEL, 'gang-b'), (pods) => bound(pods).length === 0);
    expect(partial && bound(partial).map((p) => p.metadata.name)).toBeUndefined();

    // WHEN gang A's pods are deleted
    await cluster.kubectl(['delete', 'pods', '-n', namespace, '-l', `${GROUP_LABEL}=gang-a`, '--grace-period=0', '--force', '--wait']);

    // THEN all 3 pods of gang B bind and run (Coscheduling retries a rejected gang on Pod adds and
    // PodGroup changes only: here after the harness's 10 s in the unschedulable queue, flushed every 30 s)
    const b = await waitFor('the 3 pods of gang-b Running', async () => {
      const pods = await podsWith(namespace, GROUP_LABEL, 'gang-b');
      return pods.length === 3 && pods.every((p) => p.status.phase === 'Running') ? pods : undefined;
    }, { timeoutMs: 90_000 });
    expect(b.map((p) => p.spec.nodeName)).toEqual([nodes.names[0], nodes.names[0], nodes.names[0]]);
  }, 240_000);

  test('without a gang, the default scheduler starts part of the second group: the partial start Coscheduling avoids', async () => {
    // GIVEN a node of its own with 4 cpu, and group C (3 pods of 1 cpu) bound and running there
    const own = await addFakeNodes(cluster, uniqueName('nogang'), 1, { capacity: { cpu: '4' } });
    const saved = nodes;
    nodes = own;
    try {
      await cluster.applyManifests([0, 1, 2].map((i) => memberPod(`plain-c-${i}`, 'plain-c')));
      await waitFor('the 3 pods of plain-c Running', async () => {
        const pods = await podsWith(namespace, GROUP_LABEL, 'plain-c');
        return pods.length === 3 && pods.every((p) => p.status.phase === 'Running');
      }, { timeoutMs: 60_000 });

      // WHEN group D, 3 more pods of 1 cpu, is created for the default scheduler
      await cluster.applyManifests([0, 1, 2].map((i) => memberPod(`plain-d-${i}`, 'plain-d')));

      // THEN one of its pods is bound (the cpu that was left) and the other two are not scheduled
      const d = await waitFor('plain-d: 1 bound, 2 not scheduled', async () => {
        const pods = await podsWith(namespace, GROUP_LABEL, 'plain-d');
        return pods.length === 3 && bound(pods).length === 1 && pods.filter(notScheduled).length === 2 ? pods : undefined;
      }, { timeoutMs: 60_000 });
      expect(d.every((p) => p.spec.schedulerName === 'default-scheduler')).toBe(true);
      expect(bound(d)[0].spec.nodeName).toBe(own.names[0]);
    } finally {
      nodes = saved;
      await cluster.kubectl(['delete', 'pods', '-n', namespace, '-l', GROUP_LABEL + ' in (plain-c,plain-d)', '--grace-period=0', '--force']);
      await own.remove();
    }
  }, 180_000);
});

describe('Kueue: Jobs admitted by quota', () => {
  let namespace: string;
  let kueue: RunningScheduler;
  let queue: KueueQueue;

  beforeAll(async () => {
    // Kueue's SparkApplication integration needs our CRD before it starts.
    await installSparkCrds(cluster);
    kueue = await startKueue(cluster, {
      frameworks: ['batch/job', 'sparkoperator.k8s.io/sparkapplication'],
      featureGates: { SparkApplicationIntegration: true },
    });
    namespace = await cluster.createNamespace(uniqueName('e2e-kueue'));
    // GIVEN a ClusterQueue with a quota of 2 cpu (and 8Gi, which no Job here runs short of) and a LocalQueue pointing at it
    queue = await createKueueQueue(cluster, { namespace, cpu: '2' });
  }, 300_000);

  afterAll(async () => {
    await cluster.deleteNamespace(namespace);
    // Kueue removes its finalizers from these: delete them while it runs.
    await queue?.remove();
    await sleep(1_000);
    await kueue?.stop();
  });

  /** A Job of one pod of 2 cpu in the LocalQueue, suspended as Kueue's webhook would have made it. */
  function queuedJob(name: string): KubeObject {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace, labels: { [KUEUE_QUEUE_NAME_LABEL]: queue.localQueue } },
      spec: {
        suspend: true,
        parallelism: 1,
        completions: 1,
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            nodeSelector: { [FAKE_NODE_LABEL_KEY]: FAKE_NODE_LABEL_VALUE },
            containers: [{ name: 'main', image: 'cdk8s-spark-e2e/fake:1', resources: { requests: { cpu: '2', memory: '64Mi' } } }],
          },
        },
      },
    };
  }

  interface WorkloadView {
    readonly metadata: { readonly ownerReferences?: { kind: string; name: string }[] };
    readonly spec?: { readonly podSets?: { name: string; count: number }[] };
    readonly status?: {
      readonly conditions?: Condition[];
      readonly admission?: { clusterQueue?: string; podSetAssignments?: { name: string; resourceUsage?: Record<string, string> }[] };
    };
  }

  async function workloadOf(owner: string, kind = 'Job'): Promise<WorkloadView | undefined> {
    const list = await cluster.kubectlJson<List<WorkloadView>>(['get', 'workloads.kueue.x-k8s.io', '-n', namespace]);
    return list.items.find((w) => w.metadata.ownerReferences?.some((o) => o.kind === kind && o.name === owner));
  }
  const condition = (w: WorkloadView | undefined, type: string) => w?.status?.conditions?.find((c) => c.type === type)?.status;
  const suspended = async (job: string) =>
    (await cluster.kubectlJson<{ spec: { suspend?: boolean } }>(['get', 'job', job, '-n', namespace])).spec.suspend === true;

  test('of two Jobs that each take the whole quota, one is admitted and runs; the other waits suspended until the first is gone', async () => {
    // WHEN two suspended Jobs of 2 cpu each are queued
    await cluster.applyManifests(queuedJob('first'));
    const first = await waitFor('Workload of Job first Admitted', async () => {
      const w = await workloadOf('first');
      return condition(w, 'Admitted') === 'True' ? w : undefined;
    }, { timeoutMs: 60_000 });
    await cluster.applyManifests(queuedJob('second'));

    // THEN the first is admitted to the ClusterQueue, unsuspended, and its pod runs on a kwok node
    expect(condition(first, 'QuotaReserved')).toBe('True');
    expect(first?.status?.admission?.clusterQueue).toBe(queue.clusterQueue);
    await waitFor('the pod of Job first Running on a kwok node', async () => {
      const pods = await podsWith(namespace, 'job-name', 'first');
      return pods.length === 1 && pods[0].status.phase === 'Running' && cluster.connection.nodes.includes(pods[0].spec.nodeName ?? '');
    }, { timeoutMs: 60_000 });
    expect(await suspended('first')).toBe(false);

    // AND the second gets a Workload that reserves no quota, and stays suspended with no pod
    await waitFor('Workload of Job second without quota', async () => condition(await workloadOf('second'), 'QuotaReserved') === 'False', { timeoutMs: 60_000 });
    const leak = await staysFor(10_000, async () => ({
      suspended: await suspended('second'),
      pods: (await podsWith(namespace, 'job-name', 'second')).length,
      admitted: condition(await workloadOf('second'), 'Admitted') ?? 'False',
    }), (s) => s.suspended && s.pods === 0 && s.admitted === 'False');
    expect(leak).toBeUndefined();

    // WHEN the first Job is deleted
    await cluster.kubectl(['delete', 'job', 'first', '-n', namespace, '--cascade=background']);

    // THEN the second is admitted, unsuspended, and its pod runs
    await waitFor('Workload of Job second Admitted', async () => condition(await workloadOf('second'), 'Admitted') === 'True', { timeoutMs: 60_000 });
    await waitFor('the pod of Job second Running', async () => {
      const pods = await podsWith(namespace, 'job-name', 'second');
      return pods.length === 1 && pods[0].status.phase === 'Running';
    }, { timeoutMs: 60_000 });
    expect(await suspended('second')).toBe(false);
  }, 240_000);

  test('its built-in SparkApplication integration queues our SparkApplications: one admitted and unsuspended, one held suspended', async () => {
    // GIVEN two suspended SparkApplications in the LocalQueue, each asking for 2 cpu (a driver and
    // 1 executor of 1 core), where the quota is 2 cpu; no controller of ours runs. Kueue v0.17 counts
    // a SparkApplication's cpu from `coreRequest` only (not `cores`), its memory from `memory`
    // (without the overhead Spark adds to the pod)
    const app = (name: string): KubeObject => {
      const spec = sparkPiSpec({ coreRequest: '1' });
      return {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name, namespace, labels: { [KUEUE_QUEUE_NAME_LABEL]: queue.localQueue } },
        spec: { ...spec, executor: { ...spec.executor, coreRequest: '1' }, suspend: true },
      };
    };
    // (and no Job of the test before holds quota)
    await cluster.kubectl(['delete', 'jobs', '--all', '-n', namespace, '--cascade=background']);
    await waitFor('no Workload left in the namespace', async () =>
      (await cluster.kubectlJson<List<WorkloadView>>(['get', 'workloads.kueue.x-k8s.io', '-n', namespace])).items.length === 0, { timeoutMs: 60_000 });

    // WHEN the first is queued, then the second
    await cluster.applyManifests(app('pi-first'));
    const first = await waitFor('Workload of SparkApplication pi-first Admitted', async () => {
      const w = await workloadOf('pi-first', 'SparkApplication');
      return condition(w, 'Admitted') === 'True' ? w : undefined;
    }, { timeoutMs: 60_000 });
    await cluster.applyManifests(app('pi-second'));

    // THEN Kueue made a Workload of a driver pod set and an executor pod set, admitted it with 1 cpu
    // for each, and unsuspended the application
    expect(first?.spec?.podSets?.map((p) => [p.name, p.count])).toEqual([['driver', 1], ['executor', 1]]);
    expect(first?.status?.admission?.podSetAssignments?.map((a) => [a.name, a.resourceUsage?.cpu])).toEqual([['driver', '1'], ['executor', '1']]);
    const suspendedApp = async (name: string) =>
      (await cluster.kubectlJson<{ spec: { suspend?: boolean } }>(['get', 'sparkapplications.sparkoperator.k8s.io', name, '-n', namespace])).spec.suspend;
    await waitFor('SparkApplication pi-first unsuspended', async () => (await suspendedApp('pi-first')) === false, { timeoutMs: 30_000 });

    // AND the second reserves no quota and stays suspended
    await waitFor('Workload of SparkApplication pi-second without quota', async () =>
      condition(await workloadOf('pi-second', 'SparkApplication'), 'QuotaReserved') === 'False', { timeoutMs: 60_000 });
    expect(await suspendedApp('pi-second')).toBe(true);

    // WHEN the first is deleted
    await cluster.kubectl(['delete', 'sparkapplications.sparkoperator.k8s.io', 'pi-first', '-n', namespace]);

    // THEN the second is admitted and unsuspended
    await waitFor('SparkApplication pi-second unsuspended', async () => (await suspendedApp('pi-second')) === false, { timeoutMs: 60_000 });
  }, 180_000);
});

describe('the harness stops a batch scheduler', () => {
  test('stop() leaves none of its processes (or their process groups) behind', async () => {
    // GIVEN scheduler-plugins running (kube-scheduler and its controller)
    const s = await startSchedulerPlugins(cluster);
    const pids = s.pids;
    expect(s.processNames).toEqual(['kube-scheduler', 'controller']);
    expect(pids.every((pid) => groupAlive(pid))).toBe(true);

    // WHEN it is stopped
    await s.stop();

    // THEN no process of either process group is left
    expect(pids.filter((pid) => groupAlive(pid))).toEqual([]);
  }, 180_000);
});

/** True while any process of process group `pgid` exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
