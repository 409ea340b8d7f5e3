/**
 * How fast this control plane's API server creates Services with a ClusterIP, against headless ones
 * (`clusterIP: None`), with 10 and with 40 requests in flight: kube-apiserver allocates ClusterIPs
 * one at a time (its `MetaAllocator` holds one lock across the `IPAddress` object it writes), so the
 * ClusterIP rate stays where it is however many wait. Every submission of ours with a UI Service
 * (upstream's default) needs one, which bounds how many submissions per second any operator can
 * sustain with UI Services on one API server.
 *
 *   npm run bench:clusterip [-- --count=400]
 *
 * Starts the e2e control plane (one kwok node), prints a table and writes
 * bench/results/clusterip.json and clusterip.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RestClient } from '../../src/kube/rest';
import { kubeConfigFromFile } from '../../test/e2e/harness/client';
import { startControlPlane } from '../../test/e2e/harness/control-plane';
import { cpuModel } from '../env/proc';
import { summarize } from '../report/stats';

/** One measured round: `count` Services of one kind, `inFlight` requests at a time. */
interface Round {
  readonly kind: 'ClusterIP' | 'headless';
  readonly inFlight: number;
  readonly count: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * The rounds, in order: 1 and 4 in flight (4 is what our controller sends at once), 10 (its
 * workers) and 40; the first ClusterIP round is repeated last to show the rate did not drift.
 */
const ROUNDS: ReadonlyArray<Pick<Round, 'kind' | 'inFlight'>> = [
  { kind: 'ClusterIP', inFlight: 1 }, { kind: 'headless', inFlight: 1 },
  { kind: 'ClusterIP', inFlight: 4 }, { kind: 'headless', inFlight: 4 },
  { kind: 'ClusterIP', inFlight: 10 }, { kind: 'headless', inFlight: 10 },
  { kind: 'ClusterIP', inFlight: 40 }, { kind: 'headless', inFlight: 40 },
  { kind: 'ClusterIP', inFlight: 1 },
];

async function createServices(rest: RestClient, namespace: string, round: Pick<Round, 'kind' | 'inFlight'>, count: number, prefix: string): Promise<Round> {
  let next = 0;
  const latencies: number[] = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: round.inFlight }, async () => {
    for (let i = next++; i < count; i = next++) {
      const sent = Date.now();
      await rest.request('POST', `/api/v1/namespaces/${namespace}/services`, {
        body: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `${prefix}-${i}` },
          spec: { ...round.kind === 'headless' ? { clusterIP: 'None' } : {}, selector: { app: `${prefix}-${i}` }, ports: [{ port: 4040 }] },
        },
        timeoutMs: 60_000,
      });
      latencies.push(Date.now() - sent);
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  const summary = summarize(latencies);
  return { ...round, count, perSecond: count / seconds, p50Ms: summary.p50, p99Ms: summary.p99 };
}

async function main(): Promise<void> {
  const countArg = process.argv.find((a) => a.startsWith('--count='));
  const count = countArg ? Number(countArg.slice('--count='.length)) : 400;
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count: not a whole number above 0: ${countArg}`);
  const controlPlane = await startControlPlane({ nodes: 1, log: (m) => process.stderr.write(`[clusterip] ${m}\n`) });
  const rounds: Round[] = [];
  try {
    const rest = RestClient.fromKubeConfig(kubeConfigFromFile(controlPlane.cluster.connection.adminKubeconfig));
    await controlPlane.cluster.createNamespace('clusterip-bench');
    for (const [i, round] of ROUNDS.entries()) {
      const result = await createServices(rest, 'clusterip-bench', round, count, `r${i}`);
      process.stderr.write(`[clusterip] ${result.kind}, ${result.inFlight} in flight: ${result.perSecond.toFixed(1)}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms\n`);
      rounds.push(result);
    }
  } finally {
    await controlPlane.stop();
  }
  const table = [
    '| Service | in flight | created | per second | p50 | p99 |',
    '|---|---|---|---|---|---|',
    ...rounds.map((r) => `| ${r.kind} | ${r.inFlight} | ${r.count} | ${r.perSecond.toFixed(1)} | ${r.p50Ms} ms | ${r.p99Ms} ms |`),
  ].join('\n');
  const outDir = path.join(__dirname, '..', 'results');
  fs.writeFileSync(path.join(outDir, 'clusterip.json'), `${JSON.stringify({ date: new Date().toISOString(), cpu: cpuModel(), rounds }, null, 1)}\n`);
  fs.writeFileSync(path.join(outDir, 'clusterip.md'), `${table}\n`);
  process.stdout.write(`${table}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
