/**
 * `npm run bench:memory`: what our controller holds for SparkApplications at the API server's size
 * limit. It stores `--apps` finished applications (500 by default) whose spec is about 1.3 MB of
 * `sparkConf` each, then starts the controller fresh (the moment that lists them all at once, as
 * after a crash or a rollout) with the RBAC `SparkOperator` synthesizes, and reads its resident
 * memory until it is idle: after it synced and led, the peak (VmHWM), and whether both fit in the
 * controller Deployment's 512 MiB limit. It also counts the status writes it made (none are due).
 *
 *   npm run bench:memory [-- --apps=500] [-- --compare=<an older build of the runtime bundle>]
 *
 * With `--compare`, the older bundle runs first on the same applications, in the same run. Prints a
 * table and writes bench/results/memory.json and memory.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RestClient } from '../../src/kube/rest';
import { SPARK_APPLICATIONS, pathOf } from '../../src/runtime/kube/resources';
import { kubeConfigFromFile } from '../../test/e2e/harness/client';
import { startControlPlane } from '../../test/e2e/harness/control-plane';
import { RUNTIME_BUNDLE, startControllerOf, synthesizeOperator } from '../../test/e2e/harness/operator';
import { statusMiB } from '../env/proc';
import { benchApplication } from '../workload/apps';
import { createHeld, rewrittenCount } from '../workload/held';
import { settle } from '../workload/measure';

const RESULTS_DIR = path.join(__dirname, '..', 'results');
const NAMESPACE = 'bench-memory';
/** The controller Deployment's memory limit (`SparkOperator`'s default). */
const LIMIT_MIB = 512;
/** `sparkConf` entries of 1,000 characters: a spec of about 1.3 MB, under etcd's 1.5 MiB request limit with metadata and status. */
const CONF_ENTRIES = 1_300;
/** How long a start may take to sync and lead before it counts as failed. */
const START_TIMEOUT_MS = 180_000;

interface Sample {
  readonly bundle: string;
  readonly applications: number;
  readonly objectMiB: number;
  readonly synced: boolean;
  readonly secondsToLead?: number;
  readonly rssMiB: number;
  readonly peakRssMiB: number;
  readonly statusWrites: number;
  readonly error?: string;
}

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
}

function wholeNumber(name: string, fallback: number): number {
  const text = option(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1 (got ${JSON.stringify(text)})`);
  return value;
}

/** A finished application whose spec is at the size limit. */
function largeApplication(name: string): Record<string, any> {
  const app = benchApplication({ namespace: NAMESPACE, name });
  const sparkConf: Record<string, string> = {};
  for (let i = 0; i < CONF_ENTRIES; i++) sparkConf[`spark.bench.padding${i}`] = `${name}-${i}-`.padEnd(1_000, 'x');
  return { ...app, spec: { ...app.spec, sparkConf: { ...app.spec.sparkConf, ...sparkConf } } };
}

async function main(): Promise<void> {
  const apps = wholeNumber('apps', 500);
  const compare = option('compare');
  const bundles = [...compare ? [path.resolve(compare)] : [], RUNTIME_BUNDLE];
  for (const b of bundles) if (!fs.existsSync(b)) throw new Error(`${b} does not exist`);
  const log = (m: string) => process.stderr.write(`[memory ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const controlPlane = await startControlPlane({ nodes: 1, log });
  const samples: Sample[] = [];
  try {
    const cluster = controlPlane.cluster;
    await cluster.createNamespace(NAMESPACE);
    const install = synthesizeOperator({ name: 'bench-memory', namespace: 'bench-memory-operator', jobNamespaces: [NAMESPACE] });
    await cluster.applyManifests(install.filter((o) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace'), { serverSide: true });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the CRDs established
    const rest = RestClient.fromKubeConfig(kubeConfigFromFile(cluster.connection.adminKubeconfig));
    log(`storing ${apps} finished applications with a spec of ${CONF_ENTRIES} x 1,000-character sparkConf entries`);
    const t0 = Date.now();
    const versions = await createHeld(rest, NAMESPACE, 0, apps, (done) => log(`  ${done}/${apps} (${Math.round((Date.now() - t0) / 1000)} s)`), 8, 50, largeApplication);
    const one = await rest.request<unknown>('GET', pathOf(SPARK_APPLICATIONS, NAMESPACE, [...versions.keys()][0]));
    const objectMiB = JSON.stringify(one).length / 2 ** 20;
    log(`  stored in ${Math.round((Date.now() - t0) / 1000)} s; one object is ${objectMiB.toFixed(2)} MiB as JSON`);
    for (const bundle of bundles) {
      const label = bundle === RUNTIME_BUNDLE ? 'this build' : path.basename(bundle);
      log(`${label}: starting fresh with ${apps} applications`);
      samples.push(await measureStart(cluster, install, bundle, label, apps, objectMiB, rest, versions, log));
      const s = samples.at(-1)!;
      log(`  ${s.synced ? `led after ${s.secondsToLead} s` : `FAILED: ${s.error}`}; RSS ${s.rssMiB.toFixed(0)} MiB, peak ${s.peakRssMiB.toFixed(0)} MiB, status writes ${s.statusWrites}`);
    }
    rest.close();
  } finally {
    await controlPlane.stop();
  }
  const table = renderTable(samples);
  process.stdout.write(`\n${table}`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const environment = { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  fs.writeFileSync(path.join(RESULTS_DIR, 'memory.json'), `${JSON.stringify({ startedAt: new Date().toISOString(), environment, samples }, null, 1)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'memory.md'), table);
}

/** Starts the controller from `bundle`, waits until it leads and is idle (or fails), and reads its memory. */
async function measureStart(cluster: any, install: any[], bundle: string, label: string, apps: number, objectMiB: number, rest: RestClient,
  versions: Map<string, string>, log: (m: string) => void): Promise<Sample> {
  const started = Date.now();
  const operator = await startControllerOf(cluster, install, { bundle, waitUntil: 'none' });
  const pid = operator.process.pid!;
  let peak = 0;
  let rss = 0;
  const read = () => {
    rss = statusMiB(pid, 'VmRSS') ?? rss;
    peak = Math.max(peak, statusMiB(pid, 'VmHWM') ?? 0);
  };
  try {
    let led: number | undefined;
    let error: string | undefined;
    while (led === undefined && error === undefined) {
      read();
      if (operator.logLines().some((l) => l.msg === 'became the leader')) led = Date.now();
      else if (!operator.process.running) error = `exited: ${operator.process.describeExit()}`;
      else if (Date.now() - started > START_TIMEOUT_MS) error = `did not lead within ${START_TIMEOUT_MS / 1000} s`;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (led !== undefined) {
      // Every application is reconciled once after the start: wait until that is done.
      await settle(pid, 3_000, 120_000);
      read();
    }
    const failures = operator.logLines().filter((l) => l.level === 'warn' || l.level === 'error').map((l) => `${l.msg}: ${String(l.error ?? '').slice(0, 200)}`);
    if (failures.length > 0) log(`  ${label} warned ${failures.length} times, first: ${failures[0]}`);
    return {
      bundle: label,
      applications: apps,
      objectMiB: Number(objectMiB.toFixed(2)),
      synced: led !== undefined,
      secondsToLead: led === undefined ? undefined : Number(((led - started) / 1000).toFixed(1)),
      rssMiB: Number(rss.toFixed(1)),
      peakRssMiB: Number(peak.toFixed(1)),
      statusWrites: await rewrittenCount(rest, NAMESPACE, versions),
      error: error ?? (failures.length > 0 ? failures[0] : undefined),
    };
  } finally {
    await operator.stop();
  }
}

function renderTable(samples: readonly Sample[]): string {
  const rows = samples.map((s) => `| ${s.bundle} | ${s.applications} x ${s.objectMiB} MiB | ${s.synced ? `${s.secondsToLead} s` : `no: ${s.error}`} | ` +
    `${s.rssMiB.toFixed(0)} MiB | ${s.peakRssMiB.toFixed(0)} MiB | ${s.peakRssMiB <= LIMIT_MIB ? 'yes' : 'no'} | ${s.statusWrites} |`);
  return [
    `| controller | applications held | led after | RSS idle | peak RSS | peak within ${LIMIT_MIB} MiB | status writes |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

main().catch((error: Error) => {
  process.stderr.write(`[memory] error: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
