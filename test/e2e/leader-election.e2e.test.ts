/*
 * The controller as a production process, on the real control plane with the RBAC that
 * `SparkOperator` synthesizes. Two replicas of one install elect a leader on their Lease; the
 * leader is SIGKILLed while 100 applications are in flight and the standby takes over within the
 * lease duration, with every application completed once and no driver pod created twice. A SIGTERM
 * releases the Lease, so the standby takes over at once. `/readyz` waits for the caches; `/healthz`
 * answers all along.
 */
import { adminKubeConfig } from './harness/client';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { httpGet } from './harness/http-probe';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startControllerOf, synthesizeOperator } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { WatchRecording, recordWatch } from './harness/watch';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('leader-jobs');
const OPERATOR_NAMESPACE = uniqueName('leader-operator');
const OPERATOR_NAME = uniqueName('spark-op');
const LEASE = `${OPERATOR_NAME}-controller-lock`;
const APP_NAME = 'sparkoperator.k8s.io/app-name';

/** Short durations, so that the test takes seconds: a 6 s lease, a 4 s renew deadline, a 1 s retry. */
const LEASE_SECONDS = 6;
const RETRY_SECONDS = 1;
const TIMING_ARGS = [`--leader-election-lease-duration=${LEASE_SECONDS}s`, '--leader-election-renew-deadline=4s', `--leader-election-retry-period=${RETRY_SECONDS}s`];
/** What a takeover may take beyond its rule: the standby's jittered retry, and this machine's scheduling. */
const SLACK_MS = RETRY_SECONDS * 1200 + 2_000;
const APPLICATIONS = 100;

const install = synthesizeOperator({ name: OPERATOR_NAME, namespace: OPERATOR_NAMESPACE, jobNamespaces: [NAMESPACE] });
const replicas: RunningOperator[] = [];
let pods: WatchRecording;

async function replica(waitUntil: 'leader' | 'synced', extraArgs: string[] = []): Promise<RunningOperator> {
  const started = await startControllerOf(cluster, install, { extraArgs: [...TIMING_ARGS, ...extraArgs], waitUntil });
  replicas.push(started);
  return started;
}

const probe = (r: RunningOperator, path: '/healthz' | '/readyz') => httpGet(`http://127.0.0.1:${r.healthProbePort}${path}`);
const ledAt = (r: RunningOperator) => r.logLines().find((l) => l.msg === 'became the leader');
const holder = async () => (await cluster.kubectlJson<any>(['get', 'lease', LEASE, '-n', OPERATOR_NAMESPACE])).spec;

function application(index: number): Record<string, unknown> {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: `app-${String(index).padStart(3, '0')}`, namespace: NAMESPACE },
    spec: sparkPiSpec({ coreRequest: '100m', annotations: podOutcomeAnnotations('Succeeded', { runFor: `${2 + (index % 3)}s` }) }),
  };
}

async function applications(): Promise<any[]> {
  return (await cluster.kubectlJson<any>(['get', 'sparkapplications', '-n', NAMESPACE])).items;
}

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  pods = await recordWatch(adminKubeConfig(), { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespace: NAMESPACE, labelSelector: 'spark-role=driver' });
}, 60_000);

afterAll(async () => {
  pods?.stop();
  for (const r of replicas) await r.stop();
  await cluster.deleteNamespace(NAMESPACE);
}, 60_000);

describe('two controller replicas on one Lease', () => {
  let first: RunningOperator;
  let second: RunningOperator;

  test('one leads, the other stands by: both alive and ready, only the leader holds the Lease', async () => {
    // WHEN
    first = await replica('leader');
    second = await replica('synced');
    // THEN
    for (const r of [first, second]) {
      expect(await probe(r, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
      expect(await probe(r, '/readyz')).toEqual({ status: 200, body: 'ok\n' });
    }
    const identity = ledAt(first)!.identity as string;
    expect(await holder()).toMatchObject({ holderIdentity: identity, leaseDurationSeconds: LEASE_SECONDS });
    // the standby stays one for a few of its tries
    await new Promise((resolve) => setTimeout(resolve, 3 * RETRY_SECONDS * 1000));
    expect(ledAt(second)).toBeUndefined();
    expect((await holder()).holderIdentity).toBe(identity);
  }, 60_000);

  test('the leader SIGKILLed with 100 applications in flight: the standby takes over within the lease duration, every application completes once', async () => {
    // GIVEN 100 applications, some submitted and none finished
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: APPLICATIONS }, (_, i) => application(i)) }) });
    await waitFor('the leader to submit some of them', () => pods.events.filter((e) => e.type === 'ADDED').length >= 10, { intervalMs: 20 });
    const submittedBefore = new Set(pods.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.labels[APP_NAME]));
    expect(submittedBefore.size).toBeLessThan(APPLICATIONS);
    // WHEN the leader dies without a word
    const killedAt = Date.now();
    first.process.killNow();
    expect(await first.process.exited).toMatchObject({ signal: 'SIGKILL' });
    // THEN the standby leads within the lease duration (counted from its last sight of a renewal)
    await waitFor('the standby to lead', () => ledAt(second) !== undefined, { timeoutMs: (LEASE_SECONDS + 10) * 1000 });
    const tookOverMs = Date.parse(ledAt(second)!.time as string) - killedAt;
    process.stderr.write(`[leader-election] standby took over ${tookOverMs} ms after the SIGKILL (lease ${LEASE_SECONDS}s)\n`);
    expect(tookOverMs).toBeLessThanOrEqual(LEASE_SECONDS * 1000 + SLACK_MS);
    expect((await holder())).toMatchObject({ holderIdentity: ledAt(second)!.identity, leaseTransitions: 1 });
    // AND every application completes, at its first attempt
    const allCompleted = async () => (await applications()).every((a) => a.status?.applicationState?.state === 'COMPLETED');
    await waitFor('every application to complete', allCompleted, {
      timeoutMs: 150_000,
      intervalMs: 1_000,
      abortIf: () => pods.error ?? (second.process.running ? undefined : `the standby exited: ${second.process.describeExit()}`),
    });
    const finished = await applications();
    expect(finished).toHaveLength(APPLICATIONS);
    const attempts = finished.map((app) => [app.metadata.name, app.status.submissionAttempts]);
    expect(attempts).toEqual(finished.map((app) => [app.metadata.name, 1]));
    // AND no driver pod was created twice
    const creations = new Map<string, number>();
    for (const e of pods.events.filter((x) => x.type === 'ADDED')) creations.set(e.object.metadata.name, (creations.get(e.object.metadata.name) ?? 0) + 1);
    expect(creations.size).toBe(APPLICATIONS);
    expect([...creations.values()].filter((n) => n !== 1)).toEqual([]);
  }, 240_000);

  let third: RunningOperator;

  test('SIGTERM: the leader releases the Lease and exits 0; a standby takes over at its next try, long before the lease would expire', async () => {
    // GIVEN the new leader and a fresh standby
    const standby = await replica('synced');
    third = standby;
    // WHEN the leader is asked to stop
    await second.process.stop();
    const stoppedAt = Date.now();
    // THEN it stopped cleanly and handed the Lease over
    expect(await second.process.exited).toEqual({ code: 0, signal: null });
    expect(second.logLines().map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'released the lease', 'stopped']));
    await waitFor('the standby to lead', () => ledAt(standby) !== undefined, { timeoutMs: (LEASE_SECONDS + 10) * 1000 });
    const tookOverMs = Date.parse(ledAt(standby)!.time as string) - stoppedAt;
    process.stderr.write(`[leader-election] standby took over ${tookOverMs} ms after the SIGTERMed leader exited\n`);
    expect(tookOverMs).toBeLessThan(SLACK_MS);
    expect(tookOverMs).toBeLessThan(LEASE_SECONDS * 1000);
    // AND the new leader reconciles: one more application completes
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(application(APPLICATIONS)) });
    await waitFor('the new leader to complete it', async () => (await applications()).filter((a) => a.status?.applicationState?.state === 'COMPLETED').length === APPLICATIONS + 1, {
      timeoutMs: 60_000, intervalMs: 500,
    });
    // no replica logged an error, but for the one a SIGKILL cut short (it logged nothing)
    expect(replicas.flatMap((r) => r.logLines()).filter((l) => l.level === 'error')).toEqual([]);
  }, 120_000);

  test('a leader frozen past its lease (as a partition would) is replaced; thawed, it writes nothing and exits', async () => {
    // GIVEN the leader and a standby
    const fourth = await replica('synced');
    // WHEN the leader stops getting CPU: it can neither renew nor act
    process.kill(third.process.pid!, 'SIGSTOP');
    try {
      await waitFor('the standby to lead', () => ledAt(fourth) !== undefined, { timeoutMs: (LEASE_SECONDS + 10) * 1000 });
      // work arrives while the old leader is frozen, and the new one does it
      const more = [APPLICATIONS + 1, APPLICATIONS + 2, APPLICATIONS + 3].map(application);
      await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: more }) });
      await waitFor('the new leader to complete them', async () => (await applications()).every((a) => a.status?.applicationState?.state === 'COMPLETED'), {
        timeoutMs: 60_000, intervalMs: 500,
      });
    } finally {
      process.kill(third.process.pid!, 'SIGCONT');
    }
    // THEN the thawed leader sees its deadline passed, stops before writing, and exits to restart as a standby
    const exit = await third.process.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(third.logLines().filter((l) => l.level === 'error').map((l) => [l.msg, l.reason])).toEqual([
      ['stopped leading', 'the lease was not renewed within 4s'],
    ]);
    expect(third.logLines().filter((l) => l.msg === 'reconcile failed, retrying')).toEqual([]);
    expect((await holder()).holderIdentity).toBe(ledAt(fourth)!.identity);
    // AND still no driver pod was created twice
    const names = pods.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
    expect(names.length).toBe(new Set(names).size);
    expect(names.length).toBe(APPLICATIONS + 4);
  }, 120_000);
});

describe('health endpoints', () => {
  test('/readyz is not ready until the caches sync, and ready after; /healthz answers all along', async () => {
    // GIVEN a job namespace whose RBAC is not applied yet: the caches cannot list it
    const late = uniqueName('late-jobs');
    await cluster.createNamespace(late);
    const waiting = await startControllerOf(cluster, install, { extraArgs: [...TIMING_ARGS, `--namespaces=${NAMESPACE},${late}`], waitUntil: 'none' });
    replicas.push(waiting);
    await waitFor('the health endpoints to listen', async () => (await probe(waiting, '/healthz').catch(() => undefined))?.status === 200);
    // THEN
    expect(await probe(waiting, '/readyz')).toEqual({ status: 503, body: 'not ready: the caches are not synced yet\n' });
    expect(await probe(waiting, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    // WHEN the install gains that namespace's RBAC
    const widened = synthesizeOperator({ name: OPERATOR_NAME, namespace: OPERATOR_NAMESPACE, jobNamespaces: [NAMESPACE, late] });
    await cluster.applyManifests(widened.filter((o) => ['Role', 'RoleBinding'].includes(o.kind) && o.metadata.namespace === late), { serverSide: true });
    // THEN it becomes ready (the informers retry with a backoff of up to 30 s)
    await waitFor('/readyz to answer 200', async () => (await probe(waiting, '/readyz')).status === 200, { timeoutMs: 60_000, intervalMs: 500 });
    expect(await probe(waiting, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await probe(waiting, '/nothing' as '/healthz')).toEqual({ status: 404, body: 'no endpoint /nothing\n' });
    await waiting.stop();
    await cluster.deleteNamespace(late);
  }, 120_000);

  test('a replica that can never lead says why: a warning with the API server\'s words, and /readyz', async () => {
    // GIVEN a Lease in a namespace that does not exist, where the controller has no RBAC either
    const missing = uniqueName('no-such-namespace');
    const lost = await startControllerOf(cluster, install, { extraArgs: [...TIMING_ARGS, `--leader-election-lock-namespace=${missing}`], waitUntil: 'synced' });
    replicas.push(lost);
    // WHEN it has tried for a few retry periods
    const reason = `cannot read the lease ${missing}/${LEASE}: leases.coordination.k8s.io "${LEASE}" is forbidden: User `
      + `"system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_NAME}-controller" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "${missing}"`;
    const readyz = await waitFor('/readyz to say why', async () => {
      const answer = await probe(lost, '/readyz');
      return answer.status === 503 ? answer : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    // THEN
    expect(readyz.body).toBe(`not ready: cannot take part in leader election: ${reason}\n`);
    const warning = lost.logLines().find((l) => l.msg === 'lease try failed');
    expect(warning).toMatchObject({ level: 'warn', lease: `${missing}/${LEASE}`, code: 403 });
    expect(lost.logLines().some((l) => l.msg === 'became the leader')).toBe(false);
    await lost.stop();
  }, 60_000);
});

