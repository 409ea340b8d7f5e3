/**
 * `npm run bench:synth`: how long `cdk8s synth` of many SparkApplications takes with our construct,
 * against the untyped classes `cdk8s import` generates from our own CRD, given the very spec ours
 * renders: the whole process each time (loading the modules, building, synthesizing, writing the
 * YAML), wall time, CPU time (user and system, all threads: what a busy machine's other work does
 * not add to) and peak resident set, rounds alternating so that a change in the machine's load
 * falls on both.
 *
 *   npm run bench:synth [-- --counts=1000,10000] [-- --rounds=3] [-- --decompose]
 *
 * `--decompose` also runs, in each round, the imported class with what ours adds one piece at a
 * time (cdk8s-plus-28 loaded, our library loaded, each object under a construct of its own: see
 * workload.ts), and prints their medians after the table: where the difference goes.
 *
 * Needs the compiled library (`lib/`, the task compiles it). Prints a table and writes
 * bench/results/synth.json and synth.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { percentile } from '../report/stats';

const ROOT = path.resolve(__dirname, '..', '..');

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
}

/** The `--decompose` steps from the imported class towards ours, in order. */
const DECOMPOSED = ['l1+plus', 'l1+plus+lib', 'l1+plus+lib+wrapped'] as const;

interface Row {
  readonly applications: number;
  readonly ours: Sample;
  readonly imported: Sample;
  readonly wallRatio: number;
  readonly cpuRatio: number;
  readonly rssRatio: number;
  readonly identicalSpec: boolean;
}

function option(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
}

function run(command: string, args: string[], cwd = ROOT): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** One synthesis in a fresh process: its wall time (spawn to exit), CPU time and peak resident set. */
function synthesize(workload: string, args: string[]): Sample {
  const started = process.hrtime.bigint();
  const out = run(process.execPath, [workload, ...args]);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const { maxRssKiB, cpuMs } = JSON.parse(out) as { maxRssKiB: number; cpuMs: number };
  return { wallMs, cpuMs, maxRssMiB: maxRssKiB / 1024 };
}

/** The objects of every YAML file in `dir`. */
function synthesized(dir: string): any[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

function main(): void {
  const counts = option('counts', '1000,10000').split(',').map(Number);
  const rounds = Number(option('rounds', '3'));
  const decompose = process.argv.includes('--decompose');
  const lib = path.join(ROOT, 'lib', 'index.js');
  if (!fs.existsSync(lib)) throw new Error(`${lib} is missing: run 'npx projen compile' (the bench:synth task does)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-synth-'));
  const log = (m: string) => process.stderr.write(`[synth] ${m}\n`);
  try {
    // The workload, compiled to JavaScript with its packages left to `require` (resolved from the repository).
    const workload = path.join(ROOT, 'build', 'bench-synth-workload.js');
    run(path.join(ROOT, 'node_modules', '.bin', 'esbuild'), ['bench/synth/workload.ts', '--bundle', '--platform=node', '--packages=external', `--outfile=${workload}`]);
    // Our CRD, and the classes `cdk8s import` generates from it, compiled the same way.
    const crdDir = path.join(work, 'crd');
    synthesizeCrd(crdDir);
    run(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', path.join(crdDir, 'crd.yaml'), '--language', 'typescript', '--output', path.join(work, 'imports'), '--no-check-upgrade'], work);
    const importedTs = path.join(work, 'imports', 'sparkoperator.k8s.io.ts');
    const imported = path.join(ROOT, 'build', 'bench-synth-imported.js');
    run(path.join(ROOT, 'node_modules', '.bin', 'esbuild'), [importedTs, '--bundle', '--platform=node', '--packages=external', `--outfile=${imported}`]);
    // The spec ours renders, for the imported class to render the same.
    const one = path.join(work, 'one');
    synthesize(workload, ['ours', '1', one, lib]);
    const ourApp = synthesized(one).find((o) => o.kind === 'SparkApplication');
    const specFile = path.join(work, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(ourApp.spec));
    const rows: Row[] = [];
    const steps: string[] = [];
    for (const count of counts) {
      const ours: Sample[] = [];
      const l1: Sample[] = [];
      const decomposed = new Map<string, Sample[]>(DECOMPOSED.map((mode) => [mode, []]));
      for (let round = 1; round <= rounds; round++) {
        ours.push(synthesize(workload, ['ours', String(count), path.join(work, `ours-${count}`), lib]));
        l1.push(synthesize(workload, ['l1', String(count), path.join(work, `l1-${count}`), imported, specFile]));
        if (decompose) {
          for (const [mode, samples] of decomposed) samples.push(synthesize(workload, [mode, String(count), path.join(work, `${mode}-${count}`), imported, specFile, lib]));
        }
        const shown = (s: Sample) => `${s.wallMs.toFixed(0)} ms (CPU ${s.cpuMs.toFixed(0)} ms) ${s.maxRssMiB.toFixed(0)} MiB`;
        log(`${count} applications, round ${round}/${rounds}: ours ${shown(ours.at(-1)!)}, imported ${shown(l1.at(-1)!)} (load average ${os.loadavg()[0].toFixed(1)})`);
      }
      const median = (xs: Sample[], key: keyof Sample) => percentile(xs.map((x) => x[key]), 50);
      const medians = (xs: Sample[]): Sample => ({ wallMs: median(xs, 'wallMs'), cpuMs: median(xs, 'cpuMs'), maxRssMiB: median(xs, 'maxRssMiB') });
      const oursSpecs = synthesized(path.join(work, `ours-${count}`)).filter((o) => o.kind === 'SparkApplication').map((o) => JSON.stringify(o.spec));
      const l1Specs = synthesized(path.join(work, `l1-${count}`)).filter((o) => o.kind === 'SparkApplication').map((o) => JSON.stringify(o.spec));
      if (decompose) {
        const step = (name: string, xs: Sample[]) => `| ${count.toLocaleString('en-US')} | ${name} | ${median(xs, 'cpuMs').toFixed(0)} ms | ${median(xs, 'maxRssMiB').toFixed(0)} MiB |`;
        steps.push(step('imported L1', l1), ...[...decomposed].map(([mode, xs]) => step(mode.replace(/^l1/, 'imported L1'), xs)), step('ours', ours));
      }
      rows.push({
        applications: count,
        ours: medians(ours),
        imported: medians(l1),
        wallRatio: median(ours, 'wallMs') / median(l1, 'wallMs'),
        cpuRatio: median(ours, 'cpuMs') / median(l1, 'cpuMs'),
        rssRatio: median(ours, 'maxRssMiB') / median(l1, 'maxRssMiB'),
        identicalSpec: oursSpecs.length === count && JSON.stringify(oursSpecs) === JSON.stringify(l1Specs),
      });
    }
    const table = [
      '| SparkApplications | ours: wall | imported L1: wall | ratio | ours: CPU | imported L1: CPU | ratio '
        + '| ours: peak RSS | imported L1: peak RSS | ratio | same spec |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.applications.toLocaleString('en-US')} | ${r.ours.wallMs.toFixed(0)} ms | ${r.imported.wallMs.toFixed(0)} ms | ${r.wallRatio.toFixed(2)}x `
        + `| ${r.ours.cpuMs.toFixed(0)} ms | ${r.imported.cpuMs.toFixed(0)} ms | ${r.cpuRatio.toFixed(2)}x `
        + `| ${r.ours.maxRssMiB.toFixed(0)} MiB | ${r.imported.maxRssMiB.toFixed(0)} MiB | ${r.rssRatio.toFixed(2)}x | ${r.identicalSpec ? 'yes' : 'NO'} |`),
      '',
    ].join('\n');
    process.stdout.write(`\n${table}`);
    if (decompose) process.stdout.write(`\n| SparkApplications | run | CPU | peak RSS |\n|---|---|---|---|\n${steps.join('\n')}\n`);
    const results = path.join(ROOT, 'bench', 'results');
    const environment = {
      cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, rounds, loadAverageAtEnd: os.loadavg()[0],
    };
    fs.writeFileSync(path.join(results, 'synth.json'), `${JSON.stringify({ startedAt: new Date().toISOString(), environment, rows }, null, 1)}\n`);
    fs.writeFileSync(path.join(results, 'synth.md'), table);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Writes our SparkApplication CRD, as `SparkCrds` renders it, to `dir/crd.yaml`. */
function synthesizeCrd(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const script = `
    const { SparkCrds } = require(${JSON.stringify(path.join(ROOT, 'lib', 'index.js'))});
    const { App, Chart, Testing } = require('cdk8s');
    const chart = new Chart(new App(), 'crds');
    new SparkCrds(chart, 'crds');
    const crd = Testing.synth(chart).find((o) => o.spec && o.spec.names && o.spec.names.kind === 'SparkApplication');
    require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'crd.yaml'))}, require('yaml').stringify(crd));`;
  run(process.execPath, ['-e', script]);
}

main();
