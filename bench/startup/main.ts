/**
 * `npm run bench:startup`: the runtime bundle's size, and how long the controller takes from exec to
 * ready (`/readyz` 200, caches synced) and to leading (its Lease taken), run as its image runs it
 * (test/e2e/harness/image-run.ts) on the end-to-end control plane with the RBAC `SparkOperator`
 * synthesizes. Each start is stopped with SIGTERM, which releases the Lease for the next one.
 *
 *   npm run bench:startup [-- --runs=10]
 *
 * Prints a table and writes bench/results/startup.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startControlPlane } from '../../test/e2e/harness/control-plane';
import { httpGet } from '../../test/e2e/harness/http-probe';
import { RUNTIME_BUNDLE, startControllerOf, synthesizeOperator } from '../../test/e2e/harness/operator';
import { startedAtMs, statusMiB } from '../env/proc';
import { percentile } from '../report/stats';

const RESULTS = path.join(__dirname, '..', 'results', 'startup.json');

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg === undefined ? fallback : Number(arg.split('=')[1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1 (got ${JSON.stringify(arg)})`);
  return value;
}

async function main(): Promise<void> {
  const runs = option('runs', 10);
  const bundle = fs.readFileSync(RUNTIME_BUNDLE);
  const controlPlane = await startControlPlane();
  const samples: Array<{ readyMs: number; leadingMs: number; rssAtReadyMiB: number }> = [];
  try {
    const cluster = controlPlane.cluster;
    await cluster.createNamespace('bench-startup-jobs');
    const install = synthesizeOperator({ name: 'bench-startup', namespace: 'bench-startup', jobNamespaces: ['bench-startup-jobs'] });
    for (let run = 1; run <= runs; run++) {
      const operator = await startControllerOf(cluster, install, { asImage: true, waitUntil: 'none' });
      // Timed from the exec: the harness's own work before it (laying out the image, the token) is left out.
      const startedAt = startedAtMs(operator.process.pid!)!;
      let readyMs: number | undefined;
      while (readyMs === undefined) {
        const answer = await httpGet(`http://127.0.0.1:${operator.healthProbePort}/readyz`, {}, 1_000).catch(() => undefined);
        if (answer?.status === 200) readyMs = Date.now() - startedAt;
        else if (!operator.process.running) throw new Error(`the controller exited: ${operator.process.describeExit()}`);
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const rssAtReadyMiB = statusMiB(operator.process.pid!, 'VmRSS')!;
      let led: Record<string, unknown> | undefined;
      while (!(led = operator.logLines().find((l) => l.msg === 'became the leader'))) await new Promise((resolve) => setTimeout(resolve, 5));
      const leadingMs = Date.parse(led.time as string) - startedAt;
      samples.push({ readyMs, leadingMs, rssAtReadyMiB });
      process.stderr.write(`[startup] run ${run}/${runs}: ready after ${readyMs} ms, leading after ${leadingMs} ms, ${rssAtReadyMiB.toFixed(1)} MiB resident\n`);
      await operator.stop();
    }
  } finally {
    await controlPlane.stop();
  }
  const summary = (key: 'readyMs' | 'leadingMs' | 'rssAtReadyMiB') => {
    const values = samples.map((s) => s[key]);
    return { p50: percentile(values, 50), p90: percentile(values, 90), max: Math.max(...values) };
  };
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    bundleBytes: bundle.length,
    bundleGzipBytes: zlib.gzipSync(bundle, { level: 9 }).length,
    runs,
    readyMs: summary('readyMs'),
    leadingMs: summary('leadingMs'),
    rssAtReadyMiB: summary('rssAtReadyMiB'),
    samples,
  };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  process.stdout.write([
    `bundle: ${mb(result.bundleBytes)} (${mb(result.bundleGzipBytes)} gzipped)`,
    '| from exec, as the image runs it | p50 | p90 | max |',
    '|---|---|---|---|',
    `| ready (/readyz 200) | ${result.readyMs.p50} ms | ${result.readyMs.p90} ms | ${result.readyMs.max} ms |`,
    `| leading (Lease taken) | ${result.leadingMs.p50} ms | ${result.leadingMs.p90} ms | ${result.leadingMs.max} ms |`,
    `| resident memory at ready | ${result.rssAtReadyMiB.p50.toFixed(1)} MiB | ${result.rssAtReadyMiB.p90.toFixed(1)} MiB | ${result.rssAtReadyMiB.max.toFixed(1)} MiB |`,
    `(${runs} runs; written to bench/results/startup.json)`,
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
