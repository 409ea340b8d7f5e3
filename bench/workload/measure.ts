/**
 * One measured phase: open the watches, start the meters (the submitter's process, kube-apiserver,
 * etcd, the API server's request counters), create the applications, wait until `done` holds or the
 * time limit passes, let the submitter settle, and read everything back.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createBurst, createSteady } from './creator';
import { Observer } from './observer';
import { RestClient } from '../../src/kube/rest';
import { scrapeRequestCounts } from '../env/apiserver-metrics';
import { CostMeter, MeasuredCost, cpuTimes } from '../env/proc';
import { RequestCounts, diffRequestCounts } from '../env/request-counts';
import { ControlPlaneProfile } from '../report/results';

/** The control plane's processes and credentials, for the meters. */
export interface MeterTargets {
  readonly adminKubeconfig: string;
  readonly apiserverPid: number;
  readonly etcdPid: number;
}

/** How the applications of a phase are created. */
export type Arrival = { readonly kind: 'burst' } | { readonly kind: 'steady'; readonly perSecond: number };

/** Options of {@link measurePhase}. */
export interface PhaseOptions {
  readonly kubeConfig: KubeConfig;
  readonly rest: RestClient;
  readonly targets: MeterTargets;
  readonly namespace: string;
  readonly apps: readonly Record<string, any>[];
  readonly arrival: Arrival;
  /** The submitter's process id. */
  readonly pid: number;
  /** Called with each stored application (the ceiling is fed from here). */
  readonly onCreated?: (stored: Record<string, any>) => void;
  /** True once the phase's goal is reached. */
  readonly done: (observer: Observer) => boolean;
  /**
   * The phase also waits (within `timeoutMs`) until every submitted application's UI Service exists:
   * for the submitters that make it with the submission (ours makes it without a worker waiting).
   */
  readonly untilUiServices?: boolean;
  readonly timeoutMs: number;
  /** A progress line now and then. */
  readonly progress: (observer: Observer, elapsedSeconds: number) => string;
  readonly log: (message: string) => void;
}

/** What {@link measurePhase} gives back. */
export interface MeasuredPhase {
  readonly observer: Observer;
  /** ms since the epoch of the first create. */
  readonly startedAt: number;
  readonly createsEndedAt: number;
  readonly endedAt: number;
  readonly timedOut: boolean;
  readonly cost: MeasuredCost;
  readonly controlPlane: ControlPlaneProfile;
}

/**
 * Waits until the process uses less than `idleFraction` of a core over `windowMs`, at most `maxMs`:
 * the work that follows a submission (Events, the UI Service, later status writes) counts too.
 */
export async function settle(pid: number, windowMs = 2_000, maxMs = 30_000, idleFraction = 0.05): Promise<void> {
  const deadline = Date.now() + maxMs;
  const cpu = () => {
    const t = cpuTimes(pid);
    return t ? t.self + t.children : NaN;
  };
  while (Date.now() < deadline) {
    const before = cpu();
    await new Promise((r) => setTimeout(r, windowMs));
    const used = cpu() - before;
    if (!(used > (idleFraction * windowMs) / 1000)) return;
  }
}

/** Runs one phase; see the file comment. */
export async function measurePhase(options: PhaseOptions): Promise<MeasuredPhase> {
  const { targets, log } = options;
  const observer = await Observer.start(options.kubeConfig, options.namespace);
  const requestsBefore: RequestCounts = await scrapeRequestCounts(targets.adminKubeconfig);
  const meter = new CostMeter(options.pid);
  const apiserver = new CostMeter(targets.apiserverPid, 60_000);
  const etcd = new CostMeter(targets.etcdPid, 60_000);
  const startedAt = Date.now();
  const onCreated = (stored: Record<string, any>, at: number) => {
    observer.created(stored.metadata.name, at);
    options.onCreated?.(stored);
  };
  const creating = options.arrival.kind === 'burst'
    ? createBurst(options.rest, options.apps, onCreated)
    : createSteady(options.rest, options.apps, options.arrival.perSecond, onCreated);
  let createsEndedAt = 0;
  void creating.then(() => (createsEndedAt = Date.now()), () => undefined);
  let timedOut = false;
  let lastProgress = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    observer.update();
    const uiServicesDone = !options.untilUiServices || observer.count('uiService') >= observer.count('submitted');
    if (createsEndedAt > 0 && options.done(observer) && uiServicesDone) break;
    if (Date.now() - startedAt > options.timeoutMs) {
      timedOut = true;
      break;
    }
    if (Date.now() - lastProgress > 10_000) {
      lastProgress = Date.now();
      log(`  ${options.progress(observer, Math.round((Date.now() - startedAt) / 1000))}`);
    }
  }
  await creating;
  const endedAt = Date.now();
  await settle(options.pid);
  const cost = meter.stop();
  const apiserverCost = apiserver.stop();
  const etcdCost = etcd.stop();
  const requests = diffRequestCounts(requestsBefore, await scrapeRequestCounts(targets.adminKubeconfig));
  observer.stop();
  const n = options.apps.length;
  const requestsPerApp: Record<string, number> = {};
  const meanRequestMs: Record<string, number> = {};
  for (const [key, r] of Object.entries(requests)) {
    requestsPerApp[key] = r.count / n;
    meanRequestMs[key] = (r.seconds / r.count) * 1000;
  }
  return {
    observer,
    startedAt,
    createsEndedAt,
    endedAt,
    timedOut,
    cost,
    controlPlane: { apiserverCpuSeconds: apiserverCost.cpuSeconds, etcdCpuSeconds: etcdCost.cpuSeconds, requestsPerApp, meanRequestMs },
  };
}
