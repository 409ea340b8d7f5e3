/*
 * The runtime as its image runs it. No container engine runs here, so the harness lays
 * out the files of the Dockerfile's final stage (Node.js, its libraries, the very bundle the tests
 * run) as a read-only root with only /tmp writable, and runs the Dockerfile's entrypoint in it as
 * user 65532 with the ServiceAccount token where a pod has it (`harness/image-run.ts`). The
 * controller must find the API server as a pod does, take its Lease, run SparkPi to completion and
 * stop cleanly on SIGTERM.
 */
import * as fs from 'node:fs';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { httpGet } from './harness/http-probe';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RUNTIME_BUNDLE, RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { RUNTIME_USER_ID } from '../../src/core';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('image-jobs');
let operator: RunningOperator;

/** The real and effective user and group ids of a process, from /proc. */
function ids(pid: number): { uid: number[]; gid: number[] } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => /^\S+:\s+(.*)$/m.exec(status.split('\n').find((l) => l.startsWith(`${name}:`))!)![1].split(/\s+/).map(Number);
  return { uid: field('Uid'), gid: field('Gid') };
}

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  operator = await startController(cluster, { jobNamespaces: [NAMESPACE], namespace: uniqueName('image-operator'), asImage: true });
}, 60_000);

afterAll(async () => {
  await operator?.stop();
  await cluster.deleteNamespace(NAMESPACE);
}, 60_000);

describe('the controller as its image runs it', () => {
  test('the bundle the image holds stays under 5 MB', () => {
    expect(fs.statSync(RUNTIME_BUNDLE).size).toBeLessThan(5 * 1024 * 1024);
  });

  test('runs as user and group 65532, with the image\'s root read-only', async () => {
    expect(ids(operator.process.pid!)).toEqual({ uid: Array(4).fill(RUNTIME_USER_ID), gid: Array(4).fill(RUNTIME_USER_ID) });
    const root = fs.readlinkSync(`/proc/${operator.process.pid}/root`);
    // the root it sees holds the Dockerfile's files and no shell
    expect(fs.existsSync(`${root}/app/cdk8s-spark-operator.js`)).toBe(true);
    expect(fs.readFileSync(`${root}/app/cdk8s-spark-operator.js`)).toEqual(fs.readFileSync(RUNTIME_BUNDLE));
    expect(['/bin/sh', '/usr/bin/sh', '/bin/bash'].filter((shell) => fs.existsSync(`${root}${shell}`))).toEqual([]);
    // its mounts, as it sees them: the root read-only, /tmp a writable tmpfs
    const mounts = fs.readFileSync(`/proc/${operator.process.pid}/mountinfo`, 'utf8').split('\n').filter((l) => l !== '').map((l) => {
      const [, , , , mountPoint, options] = l.split(' ');
      return { mountPoint, options: options.split(',') };
    });
    // (paths relative to its root; the last mount on a path is the one it sees)
    const last = (at: string) => mounts.filter((m) => m.mountPoint === at).pop();
    expect(last('/')?.options).toContain('ro');
    expect(last('/tmp')?.options).toContain('rw');
    expect(await httpGet(`http://127.0.0.1:${operator.healthProbePort}/readyz`)).toEqual({ status: 200, body: 'ok\n' });
  });

  test('finds the API server as a pod does, and runs SparkPi to completion', async () => {
    // GIVEN
    await cluster.applyManifests([{
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'spark-pi', namespace: NAMESPACE },
      spec: sparkPiSpec({ annotations: podOutcomeAnnotations('Succeeded', { runFor: '1s' }) }),
    }]);
    // THEN
    await waitFor('SparkPi to complete', async () => {
      const app = await cluster.kubectlJson<any>(['get', 'sparkapplication', 'spark-pi', '-n', NAMESPACE]);
      return app.status?.applicationState?.state === 'COMPLETED';
    }, { timeoutMs: 60_000, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : operator.process.describeExit()) });
    // in a pod, spark.master is the API server as the pod reached it
    const configMaps = (await cluster.kubectlJson<any>(['get', 'configmaps', '-n', NAMESPACE])).items as any[];
    const properties = configMaps.map((c) => c.data?.['spark.properties']).find((p) => p !== undefined) as string;
    expect(properties).toContain(`spark.master=k8s\\://${cluster.connection.server.replace(/:/g, '\\:')}`);
  }, 90_000);

  test('SIGTERM: it stops, releases its Lease and exits 0, having logged no error', async () => {
    await operator.stop();
    expect(await operator.process.exited).toEqual({ code: 0, signal: null });
    const lines = operator.logLines();
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['became the leader', 'stopping', 'released the lease', 'stopped']));
    expect(lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
  });
});
