/**
 * The shape of bench/results/latest.json: every figure of one run. The table and the chart are
 * rendered from it alone (bench/report/table.ts, chart.ts).
 */
import { LatencySummary } from './stats';

/** Which submitter did the work. */
export enum SubmitterKind {
  /** A plain client creating exactly our controller's objects plus one status write. */
  CEILING = 'ceiling',
  /** Our controller (the runtime bundle). */
  OURS = 'ours',
  /** The upstream Kubeflow operator (Go, spark-submit per application). */
  UPSTREAM = 'upstream',
}

/** One submitter configuration: a row of the table. */
export interface SubmitterInfo {
  readonly kind: SubmitterKind;
  /** `ceiling`, `ours`, `upstream (10 workers)` ... */
  readonly label: string;
  /** Concurrent submissions (our `--workers`, upstream's `--controller-threads`, the ceiling's workers). */
  readonly workers: number;
}

/** What one process cost during a phase. */
export interface ProcessCostResult {
  /** CPU seconds of the process and its waited-for children (spark-submit JVMs for upstream). */
  readonly cpuSeconds: number;
  readonly cpuSecondsPerApp: number;
  /** VmHWM at the end of the phase: the process's peak resident set since it started, MiB. */
  readonly peakRssMiB: number;
  /** The peak summed resident set of its process group (the JVMs included), MiB. */
  readonly peakGroupRssMiB: number;
}

/** Where the time went on the control plane during a phase. */
export interface ControlPlaneProfile {
  readonly apiserverCpuSeconds: number;
  readonly etcdCpuSeconds: number;
  /** Requests per application by `VERB resource[/subresource]` (all clients; reads and writes, no watches). */
  readonly requestsPerApp: Readonly<Record<string, number>>;
  /** The API server's mean time per request of each kind, ms. */
  readonly meanRequestMs: Readonly<Record<string, number>>;
}

/** Fields every phase has. */
export interface PhaseCommon {
  readonly submitter: SubmitterInfo;
  readonly namespace: string;
  /** Applications created. */
  readonly n: number;
  /** Seconds from the first create to the end of the measurement. */
  readonly durationSeconds: number;
  /** The phase stopped at its time limit before every application got where it should. */
  readonly timedOut: boolean;
  /** The submitter's process; absent for the ceiling's `controller` of phases it does not run. */
  readonly cost: ProcessCostResult;
  readonly controlPlane: ControlPlaneProfile;
}

/** Burst: N created at once. */
export interface BurstResult extends PhaseCommon {
  readonly driverPods: number;
  readonly submitted: number;
  readonly failed: number;
  /** Seconds from the first create until the last driver pod / the last SUBMITTED status appeared. */
  readonly secondsToAllPods: number;
  readonly secondsToAllSubmitted: number;
  /** Driver pods / SUBMITTED statuses per second over those spans. */
  readonly podsPerSecond: number;
  readonly submittedPerSecond: number;
  readonly createToPodMs: LatencySummary;
  readonly createToSubmittedMs: LatencySummary;
  /** Create -> the UI Service in the watch (ceiling and ours; ours makes it without a worker waiting). */
  readonly createToUiServiceMs?: LatencySummary;
  /** Seconds the creates themselves took (the bench's client). */
  readonly secondsToCreateAll: number;
  /** The first three failure messages, each its last 600 characters (where spark-submit's exception is). */
  readonly failures: string[];
  /** Each application's create -> driver pod, ms, in creation order (for the chart). */
  readonly createToPodSamplesMs: number[];
}

/** Steady: created at a fixed rate. */
export interface SteadyResult extends PhaseCommon {
  readonly ratePerSecond: number;
  readonly createToPodMs: LatencySummary;
  readonly createToSubmittedMs: LatencySummary;
  /** Create -> the UI Service in the watch (ceiling and ours; ours makes it without a worker waiting). */
  readonly createToUiServiceMs?: LatencySummary;
  /** p50 create -> SUBMITTED of the first and of the last quarter: a growing queue shows as last >> first. */
  readonly firstQuarterP50Ms: number;
  readonly lastQuarterP50Ms: number;
  readonly failed: number;
  readonly createToPodSamplesMs: number[];
}

/** Full lifecycle: every driver runs and succeeds, every application is deleted by its time to live. */
export interface LifecycleResult extends PhaseCommon {
  readonly runForSeconds: number;
  readonly ttlSeconds: number;
  readonly completed: number;
  readonly deleted: number;
  readonly driverPodsDeleted: number;
  readonly secondsToAllCompleted: number;
  readonly secondsToAllDeleted: number;
  readonly secondsToAllDriverPodsDeleted: number;
  readonly createToCompletedMs: LatencySummary;
}

/** Our controller's memory with N finished applications held in the cluster. */
export interface HeldResult {
  readonly applications: number;
  /** VmRSS once it has taken them all in and gone quiet, MiB. */
  readonly rssMiB: number;
  /** VmHWM: its peak so far, MiB. */
  readonly peakRssMiB: number;
  /** Status writes it made for them (0: it decided that nothing was to be done). */
  readonly statusWrites: number;
  /** How it was measured: `running` (the controller took the applications in as they came) or `restarted` (a fresh start listed them all). */
  readonly mode: 'running' | 'restarted';
  /** For `restarted`: seconds from start to caches synced. */
  readonly startSeconds?: number;
}

/** The machine and the versions of one run. */
export interface RunEnvironment {
  readonly cores: number;
  readonly memoryGiB: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly go: string;
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly upstreamOperator: string;
  readonly spark: string;
  readonly cdk8sSpark: string;
  readonly kwokNodes: number;
}

/** Everything one run measured. */
export interface BenchResults {
  readonly startedAt: string;
  readonly durationSeconds: number;
  /** `--quick`: smaller N, for development; the numbers in docs/benchmarks.md come from a full run. */
  readonly quick: boolean;
  readonly environment: RunEnvironment;
  readonly bursts: BurstResult[];
  readonly steady: SteadyResult[];
  readonly lifecycles: LifecycleResult[];
  readonly held: HeldResult[];
  /** Sections that failed (the run went on without them), with their errors. */
  readonly errors: string[];
}
