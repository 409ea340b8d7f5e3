/**
 * The benchmark's workloads, each turning one measured phase into its figures: burst, steady, full
 * lifecycle. The submitter is started and stopped by the caller (bench/main.ts).
 */
import { MeasuredPhase, PhaseOptions, measurePhase } from './measure';
import { Observer } from './observer';
import { BurstResult, LifecycleResult, PhaseCommon, SteadyResult, SubmitterInfo } from '../report/results';
import { LatencySummary, latencies, percentile, ratePerSecond, summarize } from '../report/stats';

/** What every phase needs besides its own settings. */
export type PhaseBase = Omit<PhaseOptions, 'arrival' | 'done' | 'progress' | 'apps' | 'timeoutMs'> & { readonly submitter: SubmitterInfo };

const seconds = (ms: number) => Math.round(ms) / 1000;
const latest = (times: Map<string, number>) => Math.max(...times.values());

function common(base: PhaseBase, m: MeasuredPhase, n: number): PhaseCommon {
  return {
    submitter: base.submitter,
    namespace: base.namespace,
    n,
    durationSeconds: seconds(m.endedAt - m.startedAt),
    timedOut: m.timedOut,
    cost: {
      cpuSeconds: m.cost.cpuSeconds,
      cpuSecondsPerApp: m.cost.cpuSeconds / n,
      peakRssMiB: m.cost.peakRssMiB,
      peakGroupRssMiB: m.cost.peakGroupRssMiB,
    },
    controlPlane: m.controlPlane,
  };
}

/** The create -> driver pod of each application in creation order, ms. */
function podSamples(o: Observer): number[] {
  const created = [...o.timesOf('created')].sort((a, b) => a[1] - b[1]);
  const pods = o.timesOf('driverPod');
  return created.filter(([name]) => pods.has(name)).map(([name, t]) => pods.get(name)! - t);
}

/** A settled application: submitted, or failed for good. */
const settledCount = (o: Observer) => {
  let n = 0;
  for (const t of o.apps.values()) {
    if (t.created !== undefined && ((t.submitted !== undefined && t.driverPod !== undefined) || t.failed !== undefined)) n++;
  }
  return n;
};

/** Burst: `apps` created at once; ends when each has its driver pod and SUBMITTED (or failed), or after `timeoutMs`. */
export async function runBurst(base: PhaseBase, apps: Record<string, any>[], timeoutMs: number): Promise<BurstResult> {
  const n = apps.length;
  const m = await measurePhase({
    ...base,
    apps,
    arrival: { kind: 'burst' },
    timeoutMs,
    done: (o) => settledCount(o) >= n,
    progress: (o, s) => `${s}s: ${o.count('created')}/${n} created, ${o.count('driverPod')} driver pods, ${o.count('submitted')} submitted, ${o.count('failed')} failed`,
  });
  return burstFigures(base, m, n);
}

/** Create -> UI Service, for the submitters the phase waited for them of. */
function uiServiceLatencies(base: PhaseBase, o: Observer, created: Map<string, number>): { createToUiServiceMs?: LatencySummary } {
  return base.untilUiServices ? { createToUiServiceMs: summarize(latencies(created, o.timesOf('uiService'))) } : {};
}

/** The burst figures of a measured phase whose applications were created at once. */
function burstFigures(base: PhaseBase, m: MeasuredPhase, n: number): BurstResult {
  const o = m.observer;
  const created = o.timesOf('created');
  const pods = o.timesOf('driverPod');
  const submitted = o.timesOf('submitted');
  const failed = o.timesOf('failed');
  const toPods = pods.size > 0 ? latest(pods) - m.startedAt : NaN;
  const toSubmitted = submitted.size > 0 ? latest(submitted) - m.startedAt : NaN;
  return {
    ...common(base, m, n),
    driverPods: pods.size,
    submitted: submitted.size,
    failed: failed.size,
    secondsToAllPods: pods.size === n ? seconds(toPods) : NaN,
    secondsToAllSubmitted: submitted.size === n ? seconds(toSubmitted) : NaN,
    podsPerSecond: ratePerSecond(pods.size, toPods),
    submittedPerSecond: ratePerSecond(submitted.size, toSubmitted),
    createToPodMs: summarize(latencies(created, pods)),
    createToSubmittedMs: summarize(latencies(created, submitted)),
    ...uiServiceLatencies(base, o, created),
    secondsToCreateAll: seconds(m.createsEndedAt - m.startedAt),
    failures: [...o.apps.values()].map((t) => t.error).filter((e): e is string => !!e).slice(0, 3).map((e) => e.slice(-600)),
    createToPodSamplesMs: podSamples(o),
  };
}

/** Steady: `apps` created at `perSecond`; ends when each is submitted (or failed), or after `timeoutMs`. */
export async function runSteady(base: PhaseBase, apps: Record<string, any>[], perSecond: number, timeoutMs: number): Promise<SteadyResult> {
  const n = apps.length;
  const m = await measurePhase({
    ...base,
    apps,
    arrival: { kind: 'steady', perSecond },
    timeoutMs,
    done: (o) => settledCount(o) >= n,
    progress: (o, s) => `${s}s: ${o.count('created')}/${n} created at ${perSecond}/s, ${o.count('submitted')} submitted, ${o.count('failed')} failed`,
  });
  const o = m.observer;
  const created = o.timesOf('created');
  const submitted = o.timesOf('submitted');
  const ordered = [...created].sort((a, b) => a[1] - b[1]);
  const quarter = Math.max(1, Math.floor(ordered.length / 4));
  const p50Of = (part: Array<[string, number]>) => percentile(latencies(new Map(part), submitted), 50);
  return {
    ...common(base, m, n),
    ratePerSecond: perSecond,
    createToPodMs: summarize(latencies(created, o.timesOf('driverPod'))),
    createToSubmittedMs: summarize(latencies(created, submitted)),
    ...uiServiceLatencies(base, o, created),
    firstQuarterP50Ms: p50Of(ordered.slice(0, quarter)),
    lastQuarterP50Ms: p50Of(ordered.slice(-quarter)),
    failed: o.count('failed'),
    createToPodSamplesMs: podSamples(o),
  };
}

/**
 * Full lifecycle: `apps` (drivers that run `runForSeconds` and succeed, time to live `ttlSeconds`)
 * created at once; ends when every application is deleted and its driver pod gone (or failed), or
 * after `timeoutMs`. Gives the burst figures of the same applications too (for the upstream
 * operator, whose burst is too slow to run twice).
 */
export async function runLifecycle(base: PhaseBase, apps: Record<string, any>[], runForSeconds: number, ttlSeconds: number, timeoutMs: number):
Promise<{ lifecycle: LifecycleResult; burst: BurstResult }> {
  const n = apps.length;
  const finished = (o: Observer) => {
    let k = 0;
    for (const t of o.apps.values()) {
      if (t.created !== undefined && ((t.deleted !== undefined && t.driverPodDeleted !== undefined) || t.failed !== undefined)) k++;
    }
    return k;
  };
  const m = await measurePhase({
    ...base,
    apps,
    arrival: { kind: 'burst' },
    timeoutMs,
    done: (o) => finished(o) >= n,
    progress: (o, s) => `${s}s: ${o.count('driverPod')}/${n} driver pods, ${o.count('submitted')} submitted, ${o.count('completed')} completed, ` +
      `${o.count('deleted')} deleted, ${o.count('driverPodDeleted')} driver pods gone, ${o.count('failed')} failed`,
  });
  const o = m.observer;
  const span = (times: Map<string, number>) => (times.size === n ? seconds(latest(times) - m.startedAt) : NaN);
  const lifecycle: LifecycleResult = {
    ...common(base, m, n),
    runForSeconds,
    ttlSeconds,
    completed: o.count('completed'),
    deleted: o.count('deleted'),
    driverPodsDeleted: o.count('driverPodDeleted'),
    secondsToAllCompleted: span(o.timesOf('completed')),
    secondsToAllDeleted: span(o.timesOf('deleted')),
    secondsToAllDriverPodsDeleted: span(o.timesOf('driverPodDeleted')),
    createToCompletedMs: summarize(latencies(o.timesOf('created'), o.timesOf('completed'))),
  };
  return { lifecycle, burst: burstFigures(base, m, n) };
}
