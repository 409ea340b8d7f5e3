/*
 * The API server killed in the middle of a burst and started again (by the harness, with the same
 * flags), with etcd compacted while it comes back: every
 * watch of the controller is cut, and the versions it would watch from are gone, so the restarted
 * server answers them with 410 Gone and the controller lists again. Nothing may be lost (every
 * application completes) and nothing done twice (one submission and one run each).
 */
import * as fs from 'node:fs';
import { stringify } from 'yaml';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';

const connection = readConnection();
const cluster = new Cluster(connection);
const NAMESPACE = uniqueName('restart-jobs');
const APPLICATIONS = 40;
/** The burst's 2 s drivers on a 2-core machine, plus the API server's restart (about 3 s) and the relists. */
const ALL_COMPLETED_WITHIN_MS = 120_000;
/** Renewals must outlast the restart: a leader that cannot renew exits, and that is not what this file tests. */
const LEASE_ARGS = ['--leader-election-lease-duration=60s', '--leader-election-renew-deadline=40s', '--leader-election-retry-period=2s'];

let operator: RunningOperator;

const running = () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`);

/** etcd's JSON gateway: the store's current revision, then a compaction up to it. */
async function compactEtcd(): Promise<number> {
  const post = async (path: string, body: unknown) => {
    const answer = await fetch(`${connection.etcdServer}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!answer.ok) throw new Error(`etcd ${path}: HTTP ${answer.status} ${await answer.text()}`);
    return answer.json() as Promise<any>;
  };
  const revision = Number((await post('/v3/kv/range', { key: Buffer.from('/').toString('base64') })).header.revision);
  await post('/v3/kv/compaction', { revision, physical: true });
  return revision;
}

const apiserverPid = () => Number(fs.readFileSync(connection.apiserverPidFile, 'utf8'));
/** Whether `pid` runs (an exited process its parent has not reaped yet is a zombie, state Z). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  operator = await startController(cluster, { jobNamespaces: [NAMESPACE], namespace: uniqueName('restart-operator'), extraArgs: LEASE_ARGS });
}, 60_000);

afterAll(async () => {
  await operator?.stop();
});

test('a burst survives an API server restart and a compaction: every application completes, each submitted once', async () => {
  // GIVEN a burst of applications, created at once
  const apps = Array.from({ length: APPLICATIONS }, (_, i) => ({
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: `burst-${String(i).padStart(2, '0')}`, namespace: NAMESPACE },
    spec: sparkPiSpec({ annotations: podOutcomeAnnotations('Succeeded', { runFor: '2s' }) }),
  }));
  await cluster.kubectl(['create', '-f', '-'], { input: stringify({ apiVersion: 'v1', kind: 'List', items: apps }) });
  // WHEN, once the first is submitted, the API server stops, etcd is compacted, and the server starts again
  await waitFor('a first submission', async () => {
    const list = await cluster.kubectlJson<any>(['get', 'sparkapplications', '-n', NAMESPACE]);
    return list.items.some((a: any) => a.status?.submissionID);
  }, { timeoutMs: 30_000, intervalMs: 200, abortIf: running });
  const stopped = apiserverPid();
  // A crash, not a graceful stop: every connection is cut at once, and nothing is answered meanwhile.
  process.kill(stopped, 'SIGKILL');
  await waitFor('the API server to exit', () => !alive(stopped), { timeoutMs: 10_000, intervalMs: 100 });
  await waitFor('etcd to compact', () => compactEtcd().then(() => true), { timeoutMs: 10_000 });
  await waitFor('the API server to be ready again', async () => {
    if (apiserverPid() === stopped) return false;
    return (await cluster.kubectl(['get', '--raw', '/readyz']).catch(() => '')).trim() === 'ok';
  }, { timeoutMs: 60_000, intervalMs: 500 });
  // THEN every application completes, with one submission and one run
  let finished: any[] = [];
  await waitFor(`${APPLICATIONS} applications to be COMPLETED`, async () => {
    finished = (await cluster.kubectlJson<any>(['get', 'sparkapplications', '-n', NAMESPACE])).items;
    return finished.length === APPLICATIONS && finished.every((a: any) => a.status?.applicationState?.state === 'COMPLETED');
  }, { timeoutMs: ALL_COMPLETED_WITHIN_MS, intervalMs: 1_000, abortIf: running });
  expect(finished.map((a: any) => [a.metadata.name, a.status.submissionAttempts, a.status.executionAttempts]))
    .toEqual(apps.map((a) => [a.metadata.name, 1, 1]));
  // AND the controller saw its watches expire and listed again, and stayed up
  const expired = operator.logLines().filter((l) => l.msg === 'watch expired (410 Gone), listing again');
  expect(expired.length).toBeGreaterThan(0);
  expect(operator.process.running).toBe(true);
}, ALL_COMPLETED_WITHIN_MS + 120_000);
