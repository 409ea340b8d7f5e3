/**
 * The benchmark's command line and the sizes of its workloads. Pure.
 */
import { SubmitterKind } from './report/results';

/** The sizes of one run. */
export interface Sizes {
  /** Applications of the burst for the ceiling and ours. */
  readonly burst: number;
  /** Applications of the burst (and lifecycle) of the upstream operator. */
  readonly upstreamBurst: number;
  /** Seconds of each steady rate, per rate (applications per second). */
  readonly steady: ReadonlyArray<{ readonly perSecond: number; readonly seconds: number }>;
  /** The upstream steady phase: applications, one every `everySeconds`. */
  readonly upstreamSteady: { readonly apps: number; readonly everySeconds: number };
  /** Applications of our full-lifecycle phase. */
  readonly lifecycle: number;
  /** The counts of finished applications at which our controller's memory is read. */
  readonly held: readonly number[];
}

/** The workloads of our controller and the ceiling (the upstream operator's are chosen with `--only`). */
export const PHASES = ['burst', 'steady', 'lifecycle', 'held'] as const;
export type Phase = typeof PHASES[number];

/** What `npm run bench -- ...` asked for. */
export interface BenchOptions {
  readonly quick: boolean;
  /** The workloads to run (all by default). */
  readonly phases: readonly Phase[];
  /** The submitters to run (all by default). */
  readonly only: readonly SubmitterKind[];
  /** Where the results go. @default bench/results */
  readonly outDir?: string;
  /** Upstream's tuned `--controller-threads`. */
  readonly upstreamTunedWorkers: number;
  /**
   * Where to write a CPU profile of the API server for each steady rate of the ceiling and ours
   * (`apiserver-<submitter>-<rate>.pprof`, the middle 20 s of the phase). @default - none taken
   */
  readonly apiserverProfileDir?: string;
  readonly sizes: Sizes;
}

/** The sizes of a full run: the numbers of docs/benchmarks.md. */
export const FULL_SIZES: Sizes = {
  burst: 1000,
  upstreamBurst: 50,
  // A sweep: each rate long enough for a queue to settle, or to show that it grows.
  steady: [10, 25, 50, 75, 100].map((perSecond) => ({ perSecond, seconds: 30 })),
  upstreamSteady: { apps: 8, everySeconds: 10 },
  lifecycle: 1000,
  held: [1000, 10_000, 50_000],
};

/** The sizes of `--quick`: the same phases, small, for development. */
export const QUICK_SIZES: Sizes = {
  burst: 200,
  upstreamBurst: 6,
  steady: [{ perSecond: 10, seconds: 10 }, { perSecond: 50, seconds: 6 }],
  upstreamSteady: { apps: 3, everySeconds: 10 },
  lifecycle: 200,
  held: [1000, 5000],
};

/** The usage text. */
export const USAGE = `Usage: npm run bench -- [--quick] [--only=ceiling,ours,upstream] [--phases=burst,steady,lifecycle,held] [--rates=<n>,...] [--out=<dir>] [--upstream-tuned-workers=<n>]
       [--profile-apiserver=<dir>]

Starts the e2e control plane with kwok nodes and measures the ceiling client, our controller and the
upstream operator on the same workloads; prints a table, writes <dir>/latest.json (quick.json with
--quick), table.md and chart.svg. --profile-apiserver writes a CPU profile of the API server for
each steady rate of the ceiling and ours into <dir> (read it with \`go tool pprof -top\`).`;

/** Reads the arguments; throws with the usage on anything unknown. */
export function parseBenchArgs(args: readonly string[]): BenchOptions {
  let quick = false;
  let only: SubmitterKind[] = [SubmitterKind.CEILING, SubmitterKind.OURS, SubmitterKind.UPSTREAM];
  let outDir: string | undefined;
  let phases: Phase[] = [...PHASES];
  let upstreamTunedWorkers = 30;
  let rates: number[] | undefined;
  let apiserverProfileDir: string | undefined;
  const kinds = Object.values(SubmitterKind) as string[];
  for (const arg of args) {
    const [flag, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--quick' && value === undefined) {quick = true;} else if (flag === '--only' && value) {
      const names = value.split(',');
      const unknown = names.filter((n) => !kinds.includes(n));
      if (unknown.length > 0) throw new Error(`--only: unknown submitter ${unknown.join(', ')} (expected ${kinds.join(', ')})\n\n${USAGE}`);
      only = names as SubmitterKind[];
    } else if (flag === '--phases' && value) {
      const names = value.split(',');
      const unknown = names.filter((n) => !(PHASES as readonly string[]).includes(n));
      if (unknown.length > 0) throw new Error(`--phases: unknown phase ${unknown.join(', ')} (expected ${PHASES.join(', ')})\n\n${USAGE}`);
      phases = names as Phase[];
    } else if (flag === '--rates' && value) {
      rates = value.split(',').map(Number);
      const bad = value.split(',').filter((r) => !/^[1-9]\d*$/.test(r));
      if (bad.length > 0) throw new Error(`--rates: not a whole number of applications per second: ${bad.join(', ')}\n\n${USAGE}`);
    } else if (flag === '--profile-apiserver' && value) {apiserverProfileDir = value;} else if (flag === '--out' && value) {outDir = value;} else if (flag === '--upstream-tuned-workers' && value && /^\d+$/.test(value) && Number(value) >= 1) {upstreamTunedWorkers = Number(value);} else {throw new Error(`unknown argument ${JSON.stringify(arg)}\n\n${USAGE}`);}
  }
  const sizes = quick ? QUICK_SIZES : FULL_SIZES;
  return { quick, only, phases, outDir, upstreamTunedWorkers, apiserverProfileDir, sizes: rates ? withSteadyRates(sizes, rates) : sizes };
}

/** `sizes` with the steady sweep limited to `rates`, each as long as that size runs its rates. */
function withSteadyRates(sizes: Sizes, rates: readonly number[]): Sizes {
  const seconds = Math.max(...sizes.steady.map((s) => s.seconds));
  return { ...sizes, steady: rates.map((perSecond) => ({ perSecond, seconds })) };
}
