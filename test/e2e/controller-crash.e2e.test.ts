/*
 * The controller is SIGKILLed at random moments while 200 SparkApplications run, and
 * restarted each time. Nothing may be lost (every application reaches the state its driver's
 * annotations call for) and nothing may be done twice (no driver pod of one submission created a
 * second time, no AlreadyExists in a status). Two watches opened before the first application
 * record every event of the driver pods and of the applications, so what happened in between the
 * final states is judged too, not only the end.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adminKubeConfig } from './harness/client';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { sleep, waitFor } from './harness/wait';
import { WatchRecording, recordWatch } from './harness/watch';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('crash-jobs');
const OPERATOR_NAMESPACE = uniqueName('crash-operator');
const LAUNCHED_BY = 'sparkoperator.k8s.io/launched-by-spark-operator';
const APP_NAME = 'sparkoperator.k8s.io/app-name';
const SUBMISSION_ID = 'sparkoperator.k8s.io/submission-id';

/** The mix of applications. */
const SUCCEEDING = 150;
const RETRYING = 38;
const WITH_TTL = 12;
/**
 * The applications are created in as many waves as there are kills; each kill falls a random 0.2
 * to 4 s after a wave, or earlier once no more than {@link KILL_BEFORE_LAST} applications are
 * left in flight, so that it always finds work (on a fast machine a wave may be done in 4 s).
 */
const KILLS = 8;
const KILL_DELAY_MS = [200, 4_000] as const;
const KILL_BEFORE_LAST = 3;

/** Park and Miller's minimal standard generator: CRASH_TEST_SEED repeats a run's applications and kill delays. */
function prng(seed: number): () => number {
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}
const SEED = Number(process.env.CRASH_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const random = prng(SEED);
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** What the test expects of one application. */
interface Plan {
  readonly name: string;
  /** `succeeds`: COMPLETED at the first attempt; `retries`: fails every attempt, FAILED after 1 + retries; `ttl`: completes, then is deleted. */
  readonly kind: 'succeeds' | 'retries' | 'ttl';
  readonly retries: number;
  readonly exitCode: number;
  readonly manifest: Record<string, unknown>;
}

function plan(index: number, kind: Plan['kind']): Plan {
  const name = `app-${String(index).padStart(3, '0')}`;
  const runFor = `${between(1, 3)}s`;
  const retries = kind === 'retries' ? between(1, 2) : 0;
  const exitCode = kind === 'retries' ? between(2, 9) : 0;
  const annotations = kind === 'retries' ? podOutcomeAnnotations('Failed', { runFor, exitCode }) : podOutcomeAnnotations('Succeeded', { runFor });
  const restartPolicy = kind === 'retries'
    ? { type: 'OnFailure', onFailureRetries: retries, onFailureRetryInterval: 1, onSubmissionFailureRetries: 0, onSubmissionFailureRetryInterval: 1 }
    : { type: 'Never' };
  return {
    name,
    kind,
    retries,
    exitCode,
    manifest: {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name, namespace: NAMESPACE },
      // A tenth of a core each: 200 drivers fit on the two fake nodes.
      spec: sparkPiSpec({ coreRequest: '100m', annotations }, {
        restartPolicy,
        ...(kind === 'ttl' ? { timeToLiveSeconds: between(2, 5) } : {}),
      }),
    },
  };
}

/** The plans in a shuffled order (kinds mixed over the waves), named in creation order. */
function plans(): Plan[] {
  const kinds: Array<Plan['kind']> = [
    ...Array<Plan['kind']>(SUCCEEDING).fill('succeeds'), ...Array<Plan['kind']>(RETRYING).fill('retries'), ...Array<Plan['kind']>(WITH_TTL).fill('ttl'),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  return kinds.map((kind, i) => plan(i, kind));
}

const PLANS = plans();
const FINAL_STATE: Record<Plan['kind'], string> = { succeeds: 'COMPLETED', retries: 'FAILED', ttl: 'COMPLETED' };
/** The states an application of each kind may pass through, whatever the kills. */
const ALLOWED_STATES: Record<Plan['kind'], string[]> = {
  succeeds: ['SUBMITTED', 'RUNNING', 'SUCCEEDING', 'COMPLETED'],
  ttl: ['SUBMITTED', 'RUNNING', 'SUCCEEDING', 'COMPLETED'],
  retries: ['SUBMITTED', 'RUNNING', 'FAILING', 'PENDING_RERUN', 'FAILED'],
};

let operator: RunningOperator | undefined;
/** Every controller process of the test, killed or stopped. */
const operators: RunningOperator[] = [];
let pods: WatchRecording;
let apps: WatchRecording;

async function startOperator(): Promise<RunningOperator> {
  operator = await startController(cluster, { jobNamespaces: [NAMESPACE], namespace: OPERATOR_NAMESPACE });
  operators.push(operator);
  return operator;
}

/** The last version of each application the watch saw, and whether it was deleted. */
function lastSeen(): Map<string, { object: any; deleted: boolean }> {
  const seen = new Map<string, { object: any; deleted: boolean }>();
  for (const e of apps.events) seen.set(e.object.metadata.name, { object: e.object, deleted: e.type === 'DELETED' });
  return seen;
}

/** The applications not yet where they end (final state, or deleted for the TTL ones); with `createdOnly`, of those created. */
function unfinished(createdOnly = false): Plan[] {
  const seen = lastSeen();
  return PLANS.filter((p) => {
    const last = seen.get(p.name);
    if (!last) return !createdOnly;
    if (p.kind === 'ttl') return !last.deleted;
    return last.object.status?.applicationState?.state !== FINAL_STATE[p.kind];
  });
}

async function createWave(wave: number): Promise<void> {
  const size = Math.ceil(PLANS.length / KILLS);
  const items = PLANS.slice(wave * size, (wave + 1) * size).map((p) => p.manifest);
  await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
  await waitFor(`the watch to see wave ${wave}`, () => items.every((i: any) => lastSeen().has(i.metadata.name)));
}

interface Kill {
  /** `Date.now()` of the kill. */
  readonly at: number;
  readonly pid: number | undefined;
  /** Applications created and not yet finished when it was killed. */
  readonly working: number;
  readonly signal: string | null;
}

/** Creates a wave, SIGKILLs the controller at a random moment after it, restarts it; `KILLS` times. */
async function createKillAndRestart(): Promise<Kill[]> {
  const kills: Kill[] = [];
  for (let k = 0; k < KILLS; k++) {
    await createWave(k);
    const killAt = Date.now() + between(...KILL_DELAY_MS);
    while (Date.now() < killAt && unfinished(true).length > KILL_BEFORE_LAST) await sleep(50);
    const victim = operator!;
    const at = Date.now();
    victim.process.killNow();
    const working = unfinished(true).length;
    const exit = await victim.process.exited;
    kills.push({ at, pid: victim.process.pid, working, signal: exit.signal });
    await startOperator();
  }
  return kills;
}

/**
 * How many submissions a kill cut between creating the driver pod and writing the status that
 * names it (the window the deterministic submission ids are for): told by when the two watches
 * received the pod and the first status with its id. For the log; which windows a run hits is luck.
 */
function interruptedSubmissions(kills: Kill[]): number {
  const firstStatusWith = new Map<string, number>();
  for (const e of apps.events) {
    const id = e.object.status?.submissionID;
    if (id && !firstStatusWith.has(id)) firstStatusWith.set(id, e.receivedAt);
  }
  return pods.events.filter((e) => e.type === 'ADDED').filter((e) => {
    const written = firstStatusWith.get(e.object.metadata.labels[SUBMISSION_ID]) ?? Infinity;
    return kills.some((k) => e.receivedAt < k.at && k.at < written);
  }).length;
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  // First: it installs the CRDs the application watch needs (nothing exists for it to work on yet).
  await startOperator();
  const kubeConfig = adminKubeConfig();
  pods = await recordWatch(kubeConfig, { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespace: NAMESPACE, labelSelector: `${LAUNCHED_BY}=true` });
  apps = await recordWatch(kubeConfig, {
    apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', plural: 'sparkapplications', namespace: NAMESPACE,
  });
}, 60_000);

afterAll(async () => {
  pods?.stop();
  apps?.stop();
  // For a post-mortem: the run folder is kept when a test failed.
  fs.writeFileSync(path.join(cluster.connection.runDir, `controller-crash-${NAMESPACE}.json`),
    JSON.stringify({ seed: SEED, plans: PLANS.map(({ manifest: _m, ...p }) => p), pods: pods?.events, apps: apps?.events }));
  for (const o of operators) await o.stop();
  await cluster.deleteNamespace(NAMESPACE);
}, 60_000);

describe('the controller, SIGKILLed and restarted while 200 applications run', () => {
  let kills: Kill[] = [];

  test('every application reaches its final state (the TTL ones are deleted) although the controller was killed at random moments', async () => {
    // GIVEN the mix, created in waves
    process.stderr.write(`[crash-test] seed ${SEED} (CRASH_TEST_SEED=${SEED} repeats its applications and kill delays)\n`);
    const start = Date.now();
    // WHEN the controller is SIGKILLed and restarted after each wave
    kills = await createKillAndRestart();
    // THEN
    await waitFor('every application to reach its final state', () => unfinished().length === 0, {
      timeoutMs: 150_000,
      intervalMs: 500,
      abortIf: () => pods.error ?? apps.error ?? (operator!.process.running ? undefined : `the controller exited: ${operator!.process.describeExit()}`),
    });
    process.stderr.write(`[crash-test] all final after ${Date.now() - start} ms; ${kills.length} kills at `
      + `${kills.map((k) => `${k.at - start} ms (${k.working} working)`).join(', ')}; `
      + `${interruptedSubmissions(kills)} submissions cut between the driver pod and the status\n`);
    expect(kills).toHaveLength(KILLS);
    // each kill was a SIGKILL that hit the controller while applications were being worked on
    for (const kill of kills) {
      expect(kill.signal).toBe('SIGKILL');
      expect(kill.working).toBeGreaterThan(0);
    }
    const list = await cluster.kubectlJson<any>(['get', 'sparkapplications', '-n', NAMESPACE]);
    const finalApps = new Map<string, any>(list.items.map((a: any) => [a.metadata.name, a]));
    const ttl = PLANS.filter((p) => p.kind === 'ttl').map((p) => p.name);
    expect(ttl.filter((name) => finalApps.has(name))).toEqual([]);
    expect([...finalApps.keys()].sort()).toEqual(PLANS.filter((p) => p.kind !== 'ttl').map((p) => p.name).sort());
    for (const p of PLANS.filter((x) => x.kind !== 'ttl')) {
      const status = finalApps.get(p.name).status;
      const attempts = p.retries + 1;
      expect({ name: p.name, ...status }).toMatchObject({
        name: p.name,
        applicationState: p.kind === 'succeeds' ? { state: 'COMPLETED' }
          : { state: 'FAILED', errorMessage: `driver container failed with ExitCode: ${p.exitCode}, Reason: Error` },
        submissionAttempts: attempts,
        executionAttempts: attempts,
        driverInfo: expect.objectContaining({ podName: `${p.name}-driver` }),
      });
      if (p.kind === 'succeeds') expect(status.applicationState.errorMessage).toBeUndefined();
      expect(Date.parse(status.terminationTime)).toBeGreaterThanOrEqual(Date.parse(status.lastSubmissionAttemptTime));
    }
    // the TTL ones completed at the first attempt before they went
    const seen = lastSeen();
    for (const name of ttl) {
      const deleted = seen.get(name)!;
      expect({ name, deleted: deleted.deleted, ...deleted.object.status }).toMatchObject({
        name, deleted: true, applicationState: { state: 'COMPLETED' }, submissionAttempts: 1, executionAttempts: 1,
      });
    }
  }, 240_000);

  test('no driver pod was created twice: one creation per submission attempt, each with its own submission id', () => {
    expect(pods.error).toBeUndefined();
    const created = new Map<string, Map<string, number>>();
    for (const e of pods.events.filter((x) => x.type === 'ADDED')) {
      const labels = e.object.metadata.labels;
      expect(labels['spark-role']).toBe('driver');
      const ids = created.get(labels[APP_NAME]) ?? new Map<string, number>();
      ids.set(labels[SUBMISSION_ID], (ids.get(labels[SUBMISSION_ID]) ?? 0) + 1);
      created.set(labels[APP_NAME], ids);
    }
    const seen = lastSeen();
    for (const p of PLANS) {
      const status = seen.get(p.name)!.object.status;
      const ids = created.get(p.name) ?? new Map<string, number>();
      expect({ name: p.name, ids: ids.size, creations: [...ids.values()] })
        .toEqual({ name: p.name, ids: status.submissionAttempts, creations: Array(status.submissionAttempts).fill(1) });
      // the last pod created is the one of the status's submission
      expect([...ids.keys()].pop()).toBe(status.submissionID);
    }
  });

  test('every remaining driver pod has the ConfigMap and the Service of its submission, owned by it', async () => {
    // GIVEN a kill may fall between creating the driver pod and its ConfigMap and Service (a kubelet
    // would keep such a pod waiting for its ConfigMap; kwok does not look)
    const list = async (kind: string) => (await cluster.kubectlJson<any>(['get', kind, '-n', NAMESPACE])).items as any[];
    const configMaps = new Map((await list('configmaps')).map((c) => [c.metadata.name, c]));
    const services = new Map((await list('services')).map((c) => [c.metadata.name, c]));
    const drivers = (await list('pods')).filter((p) => p.metadata.labels?.[LAUNCHED_BY] === 'true');
    expect(drivers.length).toBeGreaterThan(0);
    for (const pod of drivers) {
      const ownedByPod = expect.arrayContaining([expect.objectContaining({ kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid })]);
      // THEN
      const configMapName = pod.spec.volumes.find((v: any) => v.name === 'spark-conf-volume-driver').configMap.name;
      const configMap = configMaps.get(configMapName);
      expect({ pod: pod.metadata.name, owners: configMap?.metadata.ownerReferences }).toEqual({ pod: pod.metadata.name, owners: ownedByPod });
      const host = /^spark\.driver\.host=(.*)$/m.exec(configMap.data['spark.properties'])![1];
      const service = services.get(host.split('.')[0]);
      expect({ pod: pod.metadata.name, owners: service?.metadata.ownerReferences }).toEqual({ pod: pod.metadata.name, owners: ownedByPod });
      expect(configMap.data['spark.properties']).toContain(`spark.kubernetes.driver.label.sparkoperator.k8s.io/submission-id=${pod.metadata.labels[SUBMISSION_ID]}`);
    }
  });

  test('no status ever held AlreadyExists, nor any state or error its plan does not call for', () => {
    // GIVEN every version of every application the watch saw
    expect(apps.error).toBeUndefined();
    const byName = new Map(PLANS.map((p) => [p.name, p]));
    const states = apps.events
      .filter((e) => e.object.status?.applicationState !== undefined)
      .map((e) => {
        const { state, errorMessage } = e.object.status.applicationState;
        return { name: e.object.metadata.name as string, state, error: errorMessage as string | undefined };
      });
    // THEN
    expect(states.filter((s) => /already ?exists/i.test(s.error ?? ''))).toEqual([]);
    expect(states.filter((s) => !ALLOWED_STATES[byName.get(s.name)!.kind].includes(s.state))).toEqual([]);
    // the only error a status ever held is the failed driver's own
    const expectedError = (p: Plan) => (p.kind === 'retries' ? `driver container failed with ExitCode: ${p.exitCode}, Reason: Error` : undefined);
    expect(states.filter((s) => s.error !== undefined && s.error !== expectedError(byName.get(s.name)!))).toEqual([]);
  });

  test('nothing is left running: every driver pod ended, the last controller stops on SIGTERM, no controller process remains', async () => {
    // GIVEN the run above; THEN
    const left = await cluster.kubectlJson<any>(['get', 'pods', '-n', NAMESPACE, '-l', `${LAUNCHED_BY}=true`]);
    expect(left.items.filter((p: any) => !['Succeeded', 'Failed'].includes(p.status.phase)).map((p: any) => p.metadata.name)).toEqual([]);
    // one driver pod per remaining application: earlier attempts' pods were deleted before the next,
    // and the garbage collector takes those of the deleted (TTL) applications
    const remaining = PLANS.filter((p) => p.kind !== 'ttl').map((p) => `${p.name}-driver`).sort();
    const ttlPods = new Set(PLANS.filter((p) => p.kind === 'ttl').map((p) => `${p.name}-driver`));
    await waitFor('the garbage collector to delete the TTL applications\' driver pods', async () => {
      const list = await cluster.kubectlJson<any>(['get', 'pods', '-n', NAMESPACE, '-l', `${LAUNCHED_BY}=true`]);
      return !list.items.some((p: any) => ttlPods.has(p.metadata.name));
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    const after = await cluster.kubectlJson<any>(['get', 'pods', '-n', NAMESPACE, '-l', `${LAUNCHED_BY}=true`]);
    expect(after.items.map((p: any) => p.metadata.name).sort()).toEqual(remaining);
    await operator!.stop();
    expect(await operator!.process.exited).toMatchObject({ code: 0 });
    expect(operators).toHaveLength(KILLS + 1);
    expect(operators.filter((o) => isAlive(o.process.pid)).map((o) => o.process.pid)).toEqual([]);
    // and none of them logged an error
    expect(operators.flatMap((o) => o.logLines()).filter((l) => l.level === 'error')).toEqual([]);
  });
});
