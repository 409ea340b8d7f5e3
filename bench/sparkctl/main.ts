/**
 * `npm run bench:sparkctl`: how long the `sparkctl` bundle takes to start, against a bare Node
 * (`node -e 0`) measured in the same run, and kubectl's own `--help` beside it:
 *
 * - `sparkctl --help`: the command line read, the help printed (goal: under 300 ms);
 * - `sparkctl lint` of a small file (SparkPi): the YAML parser and the shared rules loaded and run;
 * - `sparkctl list` against an API server address that refuses the connection: the kubeconfig and
 *   the API client loaded, up to the first request (no cluster is needed, the answer is the error line);
 * - `kubectl --help`, with the kubectl the e2e control plane is built with, when it is there.
 *
 * Each sample is a fresh process, timed from spawn to exit; the commands take turns run after run,
 * so that a change of the machine's load falls on all of them alike. The first runs warm the file
 * cache and are not counted.
 *
 *   npm run bench:sparkctl [-- --runs=30]
 *
 * Prints a table and writes bench/results/sparkctl.json and sparkctl.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { sparkPiSpec } from '../../test/fixtures/spark-pi-spec';
import { percentile } from '../report/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const SPARKCTL = path.join(ROOT, 'bin', 'sparkctl.js');
const RESULTS = path.join(ROOT, 'bench', 'results');
const WARMUP_RUNS = 3;
/** The goal of `sparkctl --help`, in milliseconds at the median. */
const HELP_GOAL_MS = 300;

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg === undefined ? fallback : Number(arg.split('=')[1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1 (got ${JSON.stringify(arg)})`);
  return value;
}

interface Command {
  readonly name: string;
  readonly argv: readonly string[];
  /** The exit code it must end with, so that a broken bundle is not timed as a fast one. */
  readonly exitCode: number;
  readonly env?: Record<string, string>;
}

/** The kubectl of the e2e control plane, if built (bash test/e2e/controlplane/build.sh prints its folder). */
function kubectlPath(): string | undefined {
  const fromEnv = process.env.CDK8S_SPARK_CONTROLPLANE_BIN;
  const dir = fromEnv ?? spawnSync('bash', [path.join(ROOT, 'test', 'e2e', 'controlplane', 'build.sh')], { encoding: 'utf8' }).stdout?.trim().split('\n').pop();
  const file = dir ? path.join(dir, 'kubectl') : undefined;
  return file && fs.existsSync(file) ? file : undefined;
}

/** One run of `command`, in milliseconds from spawn to exit. */
function time(command: Command): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command.argv[0], command.argv.slice(1), {
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...command.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== command.exitCode) {
    throw new Error(`${command.name} exited ${result.status} (expected ${command.exitCode}): ${result.stderr?.trim() ?? ''}`);
  }
  return ms;
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

function main(): void {
  if (!fs.existsSync(SPARKCTL)) throw new Error(`${SPARKCTL} is missing: run 'npx projen bundle:cli' (npm run bench:sparkctl does)`);
  const runs = option('runs', 30);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sparkctl-'));
  const app = path.join(work, 'spark-pi.yaml');
  fs.writeFileSync(app, stringify({ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'spark-pi' }, spec: sparkPiSpec() }));
  // A kubeconfig whose API server refuses at once (port 1 of loopback): `list` fails on its first request.
  const refused = path.join(work, 'kubeconfig.yaml');
  fs.writeFileSync(refused, stringify({
    'apiVersion': 'v1',
    'kind': 'Config',
    'current-context': 'c',
    'clusters': [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
    'contexts': [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
    'users': [{ name: 'u', user: { token: 't' } }],
  }));
  const node = process.execPath;
  const kubectl = kubectlPath();
  const commands: Command[] = [
    { name: 'node -e 0', argv: [node, '-e', '0'], exitCode: 0 },
    { name: 'sparkctl --help', argv: [node, SPARKCTL, '--help'], exitCode: 0 },
    { name: 'sparkctl lint spark-pi.yaml', argv: [node, SPARKCTL, 'lint', app], exitCode: 0 },
    { name: 'sparkctl list (connection refused)', argv: [node, SPARKCTL, 'list'], exitCode: 1, env: { KUBECONFIG: refused } },
    ...kubectl ? [{ name: 'kubectl --help', argv: [kubectl, '--help'], exitCode: 0 }] : [],
  ];
  const loadBefore = loadAverage();
  const samples = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  try {
    for (let run = 1; run <= WARMUP_RUNS + runs; run++) {
      for (const command of commands) {
        const ms = time(command);
        if (run > WARMUP_RUNS) samples.get(command.name)!.push(ms);
      }
      if (run > WARMUP_RUNS && (run - WARMUP_RUNS) % 10 === 0) process.stderr.write(`[bench:sparkctl] ${run - WARMUP_RUNS}/${runs} runs\n`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const baseline = percentile(samples.get('node -e 0')!, 50);
  const rows = commands.map((c) => {
    const values = samples.get(c.name)!;
    const p50 = percentile(values, 50);
    return { command: c.name, p50, p90: percentile(values, 90), min: Math.min(...values), max: Math.max(...values), ratioToNode: p50 / baseline };
  });
  const help = rows.find((r) => r.command === 'sparkctl --help')!;
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    loadAverage: { before: loadBefore, after: loadAverage() },
    node: process.version,
    bundleBytes: fs.statSync(SPARKCTL).size,
    runs,
    helpGoalMs: HELP_GOAL_MS,
    helpWithinGoal: help.p50 < HELP_GOAL_MS,
    rows,
    samples: Object.fromEntries(samples),
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'sparkctl.json'), `${JSON.stringify(result, null, 2)}\n`);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const table = [
    '| command | p50 | p90 | min | max | p50 / `node -e 0` |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| \`${r.command}\` | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.min)} | ${ms(r.max)} | ${r.ratioToNode.toFixed(2)}x |`),
  ];
  const report = [
    `# sparkctl start-up (${result.date.slice(0, 10)})`,
    '',
    `\`npm run bench:sparkctl -- --runs=${runs}\`: ${runs} runs of each command (after ${WARMUP_RUNS} not counted), taking turns, each a fresh `
      + `process timed from spawn to exit. ${result.machine}, Node ${result.node}, load average ${result.loadAverage.before} before and `
      + `${result.loadAverage.after} after (1, 5, 15 min). The bundle is ${(result.bundleBytes / 2 ** 20).toFixed(2)} MiB.`,
    '',
    ...table,
    '',
    `\`sparkctl --help\`: ${ms(help.p50)} at the median, ${help.p50 < HELP_GOAL_MS ? 'under' : 'OVER'} the ${HELP_GOAL_MS} ms goal.`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(RESULTS, 'sparkctl.md'), report);
  process.stdout.write(report);
}

main();
