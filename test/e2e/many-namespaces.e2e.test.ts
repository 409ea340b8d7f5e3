/*
 * A hundred job namespaces, six informers each: 600 watches open for the controller's life. Every
 * watch must leave room for the creates, status writes and deletes: one SparkApplication per
 * namespace, all at once, must all complete within a bound. (A client that gives each watch a
 * socket of a bounded pool stalls here from 13 namespaces on, while it keeps its Lease and says
 * it is ready.)
 */
import { stringify } from 'yaml';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';

/** SparkApplications, ScheduledSparkApplications, SparkConnects, and the operator's pods, Services and Ingresses. */
const INFORMERS_PER_NAMESPACE = 6;
const cluster = new Cluster(readConnection());
/** Far past the 13 namespaces from which a pool of 64 sockets is all watches. */
const NAMESPACES = Array.from({ length: 100 }, (_, i) => uniqueName(`many-${String(i).padStart(3, '0')}`));
/** Each driver runs 1 s; creating 100 and running them on a 2-core machine takes about 30 s. */
const ALL_COMPLETED_WITHIN_MS = 120_000;

let operator: RunningOperator;

beforeAll(async () => {
  const list = { apiVersion: 'v1', kind: 'List', items: NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) };
  await cluster.kubectl(['create', '-f', '-'], { input: stringify(list) });
  operator = await startController(cluster, { jobNamespaces: NAMESPACES, namespace: uniqueName('many-operator') });
}, 180_000);

afterAll(async () => {
  await operator?.stop();
  await cluster.kubectl(['delete', 'namespace', ...NAMESPACES, '--wait=false', '--ignore-not-found']);
});

test('one application in each of 100 job namespaces: all COMPLETED', async () => {
  // GIVEN a controller leading with 600 watches open
  // WHEN one SparkApplication is created in each namespace at once
  const apps = NAMESPACES.map((namespace) => ({
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'pi', namespace },
    spec: sparkPiSpec({ annotations: podOutcomeAnnotations('Succeeded', { runFor: '1s' }) }),
  }));
  const started = Date.now();
  await cluster.kubectl(['create', '-f', '-'], { input: stringify({ apiVersion: 'v1', kind: 'List', items: apps }) });
  // THEN every one of them reaches COMPLETED within the bound
  let states: string[] = [];
  try {
    await waitFor('100 applications to be COMPLETED', async () => {
      const list = await cluster.kubectlJson<any>(['get', 'sparkapplications', '--all-namespaces']);
      states = list.items.filter((a: any) => NAMESPACES.includes(a.metadata.namespace)).map((a: any) => a.status?.applicationState?.state ?? 'NEW');
      return states.length === NAMESPACES.length && states.every((s) => s === 'COMPLETED');
    }, { timeoutMs: ALL_COMPLETED_WITHIN_MS, intervalMs: 1_000, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`) });
  } finally {
    const completed = states.filter((s) => s === 'COMPLETED').length;
    process.stdout.write(`many-namespaces: ${completed} of ${NAMESPACES.length} COMPLETED after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  // AND the 600 watches and the writes shared a few HTTP/2 connections, as many as the API server's
  // stream limit per connection calls for, and the controller logged no error
  const opened = operator.logLines().filter((l) => l.msg === 'API server connection opened' && l.client === 'controller');
  const streamsPerConnection = opened[0].maxConcurrentStreams as number;
  expect(opened.length).toBeGreaterThanOrEqual(Math.ceil((NAMESPACES.length * INFORMERS_PER_NAMESPACE) / streamsPerConnection));
  expect(opened.length).toBeLessThanOrEqual(Math.ceil((NAMESPACES.length * INFORMERS_PER_NAMESPACE) / streamsPerConnection) + 1);
  process.stdout.write(`many-namespaces: ${opened.length} connections of ${streamsPerConnection} streams each\n`);
  expect(operator.logLines().filter((l) => l.level === 'error')).toEqual([]);
}, ALL_COMPLETED_WITHIN_MS + 30_000);
