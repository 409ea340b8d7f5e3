/*
 * The controller behind a proxy (harness/fault-proxy.ts) in front of the real API server, which
 * cuts its connections and writes lines of its own into its watches, and behind a TCP relay
 * (test/fixtures/tcp-relay.ts) that can silence its connections without closing them. The process
 * must stay up, say what it saw, and handle the next application within seconds.
 */
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { TcpRelay } from '../fixtures/tcp-relay';
import { FaultProxy } from './harness/fault-proxy';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';

const connection = readConnection();
const cluster = new Cluster(connection);
const NAMESPACE = uniqueName('faults-jobs');
/** What "within seconds" means here: a relist and a run of a 1 s driver, on a busy 2-core machine. */
const HANDLED_WITHIN_MS = 20_000;
/**
 * A silent connection is closed after one ping interval and timeout (10 s + 5 s) at worst; then the
 * watch is retried after 0.5 s and the application runs.
 */
const HANDLED_AFTER_SILENCE_WITHIN_MS = 30_000;
/**
 * The Lease's connection goes silent too: its renewal must outlive the 15 s a ping needs to close
 * it (the Deployment's 10 s renew deadline would not; a leader that cannot renew exits, and that
 * is not what this file tests).
 */
const LEASE_ARGS = ['--leader-election-lease-duration=60s', '--leader-election-renew-deadline=40s', '--leader-election-retry-period=2s'];
const APPLICATIONS_WATCH = `/namespaces/${NAMESPACE}/sparkapplications?`;
const PODS_WATCH = `/api/v1/namespaces/${NAMESPACE}/pods?`;

let proxy: FaultProxy;
let relay: TcpRelay;
let operator: RunningOperator;

const running = () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`);

/** Creates a SparkPi application and waits until it is COMPLETED. */
async function runApplication(name: string, withinMs = HANDLED_WITHIN_MS): Promise<void> {
  const app = {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, namespace: NAMESPACE },
    spec: sparkPiSpec({ annotations: podOutcomeAnnotations('Succeeded', { runFor: '1s' }) }),
  };
  await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(app) });
  await waitFor(`${name} to be COMPLETED`, async () => {
    const got = await cluster.kubectlJson<any>(['get', 'sparkapplication', name, '-n', NAMESPACE]);
    return got.status?.applicationState?.state === 'COMPLETED';
  }, { timeoutMs: withinMs, intervalMs: 250, abortIf: running });
}

/** Waits until the controller has a watch open through the proxy on a path with `pathPart`. */
async function watchOpen(pathPart: string): Promise<void> {
  await waitFor(`a watch on ${pathPart}`, () => proxy.openWatches().some((p) => p.includes(pathPart)), { timeoutMs: 10_000, intervalMs: 100, abortIf: running });
}

/** The controller's warnings with message `msg`. */
const warnings = (msg: string) => operator.logLines().filter((l) => l.level === 'warn' && l.msg === msg);

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  proxy = await FaultProxy.start(connection);
  relay = await TcpRelay.start(Number(new URL(proxy.url).port));
  operator = await startController(cluster, {
    jobNamespaces: [NAMESPACE],
    namespace: uniqueName('faults-operator'),
    server: `https://127.0.0.1:${relay.port}`,
    extraArgs: LEASE_ARGS,
  });
  await runApplication('pi-before');
});

afterAll(async () => {
  await operator?.stop();
  await relay?.close();
  await proxy?.close();
});

describe('the controller under faults of the API connection', () => {
  test('a watch line that is not JSON is logged and the next application is handled', async () => {
    // GIVEN the applications watch open
    await watchOpen(APPLICATIONS_WATCH);
    // WHEN a line that is not JSON arrives on it
    expect(proxy.inject(APPLICATIONS_WATCH, `this is not JSON ${'#'.repeat(300)}`)).toBe(1);
    // THEN the controller warns with the resource, the namespace and the line cut short
    const [warning] = await waitFor('the malformed line warning', () => {
      const found = warnings('malformed watch line, listing again');
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 5_000, intervalMs: 100, abortIf: running });
    expect(warning).toMatchObject({ resource: 'sparkapplications', namespace: NAMESPACE, problem: 'not JSON', line: `this is not JSON ${'#'.repeat(183)}... (117 more characters)` });
    // AND a new application is still handled
    await runApplication('pi-after-junk');
    expect(operator.process.running).toBe(true);
  });

  test('a pod event without metadata, and a pod whose conditions are not a list, are survived', async () => {
    // GIVEN the pods watch open
    await watchOpen(PODS_WATCH);
    const before = warnings('malformed watch line, listing again').length;
    const watchesBefore = proxy.watchesOpened(PODS_WATCH);
    // WHEN an event without metadata, then (on the watch opened after the list that follows) a pod with conditions of the wrong type arrive
    expect(proxy.inject(PODS_WATCH, '{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1"}}')).toBe(1);
    await waitFor('the warning about the object without metadata', () => warnings('malformed watch line, listing again').length > before, { timeoutMs: 5_000, intervalMs: 100, abortIf: running });
    await waitFor('a new pods watch', () => proxy.watchesOpened(PODS_WATCH) > watchesBefore && proxy.openWatches().some((p) => p.includes(PODS_WATCH)),
      { timeoutMs: 10_000, intervalMs: 100, abortIf: running });
    const odd = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'odd', namespace: NAMESPACE, resourceVersion: '1' }, status: { conditions: 'Ready', containerStatuses: 7 } };
    expect(proxy.inject(PODS_WATCH, JSON.stringify({ type: 'ADDED', object: odd }))).toBe(1);
    // THEN the first is named as such, and the process goes on to handle a new application
    expect(warnings('malformed watch line, listing again').slice(before)[0]).toMatchObject({
      resource: 'pods', namespace: NAMESPACE, problem: 'a ADDED event with an object without metadata',
    });
    await runApplication('pi-after-odd-pod');
    expect(operator.process.running).toBe(true);
  });

  test('every connection cut at once: the watches come back and the next application is handled within seconds', async () => {
    // GIVEN the controller connected through the proxy
    await watchOpen(APPLICATIONS_WATCH);
    const accepted = proxy.connectionsAccepted;
    // WHEN every connection of the controller is cut
    expect(proxy.cutClientConnections()).toBeGreaterThan(0);
    // THEN it connects again, and a new application is handled
    await runApplication('pi-after-cut');
    expect(proxy.connectionsAccepted).toBeGreaterThan(accepted);
    expect(operator.process.running).toBe(true);
  });

  test('a connection gone silent (no FIN, no RST) is closed by its pings; the watches come back and the next application is handled', async () => {
    // GIVEN the controller connected through the relay
    await watchOpen(APPLICATIONS_WATCH);
    const accepted = proxy.connectionsAccepted;
    // WHEN every connection it has goes silent
    expect(relay.freeze()).toBeGreaterThan(0);
    // THEN an unanswered ping closes them, it connects again, and a new application is handled
    await runApplication('pi-after-silence', HANDLED_AFTER_SILENCE_WITHIN_MS);
    expect(warnings('API server connection did not answer a ping, closing it').length).toBeGreaterThan(0);
    expect(proxy.connectionsAccepted).toBeGreaterThan(accepted);
    expect(operator.process.running).toBe(true);
  }, HANDLED_AFTER_SILENCE_WITHIN_MS + 15_000);

  test('nothing above a warning was logged, and no line of the process was lost to a crash', () => {
    expect(operator.logLines().filter((l) => l.level === 'error')).toEqual([]);
  });
});
