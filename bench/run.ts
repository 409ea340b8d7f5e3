/**
 * One benchmark run, start to end: the control plane with kwok nodes, then each submitter on its
 * phases (the ceiling, ours, upstream with its own CRDs, then ours' memory with finished
 * applications held), each in its own namespace; everything it started is stopped before it returns.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { fetchApiServerCpuProfile } from './env/apiserver-metrics';
import { CeilingProcess } from './env/ceiling';
import { controllerServiceAccount, oursInstall, startOurs } from './env/ours';
import { cpuModel, findProcess, statusMiB } from './env/proc';
import {
  UPSTREAM_DEFAULT_WORKERS, UPSTREAM_NAMESPACE, UpstreamBuild, buildUpstream, installCrdsFrom, prepareUpstreamIdentity, startUpstream,
  upstreamCrdFiles,
} from './env/upstream';
import { BenchOptions, Phase } from './options';
import { BenchResults, BurstResult, HeldResult, LifecycleResult, SteadyResult, SubmitterInfo, SubmitterKind } from './report/results';
import { DriverBehaviour, benchApplication, benchName } from './workload/apps';
import { createHeld, rewrittenCount } from './workload/held';
import { MeterTargets, settle } from './workload/measure';
import { PhaseBase, runBurst, runLifecycle, runSteady } from './workload/phases';
import { DEFAULT_WORKERS } from '../src/core/contract/constants';
import { RestClient } from '../src/kube/rest';
import { pinnedVersions } from '../test/e2e/harness/binaries';
import { kubeConfigFromFile } from '../test/e2e/harness/client';
import { Cluster } from '../test/e2e/harness/cluster';
import { startControlPlane } from '../test/e2e/harness/control-plane';
import { sparkHomes } from '../test/parity/pyspark';

/** The Spark whose spark-submit the upstream operator runs: its image's major version (4.0). */
const UPSTREAM_SPARK_VERSION = '4.0.5';
/** kwok nodes, and what each holds: room for every driver the lifecycle phase runs at once. */
const NODES = 8;
const NODE_CAPACITY = { cpu: '1000', memory: '4000Gi', pods: '250' };
/** The lifecycle's drivers run this long, and their applications live this long after they end. */
const RUN_FOR_SECONDS = 2;
const TTL_SECONDS = 5;

/**
 * Writes a CPU profile of the API server over the middle of a steady phase of `phaseSeconds` (its
 * first quarter left out, so the submitter has started) to `file`; a failure is logged, never thrown.
 */
async function profileApiServer(adminKubeconfig: string, file: string, phaseSeconds: number, log: (message: string) => void): Promise<void> {
  const seconds = Math.max(1, Math.floor(phaseSeconds * 2 / 3));
  await new Promise((r) => setTimeout(r, (phaseSeconds / 4) * 1000));
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await fetchApiServerCpuProfile(adminKubeconfig, seconds));
    log(`API server CPU profile (${seconds} s) in ${file}`);
  } catch (error) {
    log(`API server CPU profile not taken: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs the benchmark; `log` gets progress lines. */
export async function runBench(options: BenchOptions, log: (message: string) => void): Promise<BenchResults> {
  const started = new Date();
  const wants = (k: SubmitterKind) => options.only.includes(k);
  const runs = (phase: Phase) => options.phases.includes(phase);
  const sizes = options.sizes;
  const upstream: UpstreamBuild | undefined = wants(SubmitterKind.UPSTREAM) ? await buildUpstream() : undefined;
  const sparkHome = upstream ? (await sparkHomes([UPSTREAM_SPARK_VERSION])).get(UPSTREAM_SPARK_VERSION)! : undefined;

  const controlPlane = await startControlPlane({
    nodes: NODES, nodeCapacity: NODE_CAPACITY, log: (m) => log(m), profiling: options.apiserverProfileDir !== undefined,
  });
  const errors: string[] = [];
  const results = { bursts: [] as BurstResult[], steady: [] as SteadyResult[], lifecycles: [] as LifecycleResult[], held: [] as HeldResult[] };
  try {
    const cluster = controlPlane.cluster;
    const { binDir, runDir, adminKubeconfig } = cluster.connection;
    const targets: MeterTargets = {
      adminKubeconfig,
      apiserverPid: findProcess(path.join(binDir, 'kube-apiserver'), runDir)!,
      etcdPid: findProcess(path.join(binDir, 'etcd'), runDir)!,
    };
    const kubeConfig = kubeConfigFromFile(adminKubeconfig);
    const rest = RestClient.fromKubeConfig(kubeConfig);
    const ns = (name: string) => `bench-${name}`;
    const namespaces = [
      'ceiling-burst', ...sizes.steady.map((s) => `ceiling-steady-${s.perSecond}`),
      'ours-burst', ...sizes.steady.map((s) => `ours-steady-${s.perSecond}`), 'ours-lifecycle', 'held',
      'upstream-burst', 'upstream-steady', 'upstream-tuned',
    ].map(ns);
    log(`creating ${namespaces.length} namespaces and our operator install`);
    await Promise.all(namespaces.map((n) => cluster.createNamespace(n)));
    const install = oursInstall(namespaces);
    const appliedKinds = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
    await cluster.applyManifests(install.filter((o) => appliedKinds.includes(o.kind)), { serverSide: true });

    const baseFor = (submitter: SubmitterInfo, namespace: string, pid: number, onCreated?: (a: Record<string, any>) => void): PhaseBase =>
      ({ kubeConfig, rest, targets, namespace, pid, onCreated, submitter, log, untilUiServices: submitter.kind !== SubmitterKind.UPSTREAM });
    const apps = (namespace: string, prefix: string, n: number, driver = DriverBehaviour.PENDING) =>
      Array.from({ length: n }, (_, i) => benchApplication({ namespace, name: benchName(prefix, i), driver, runFor: `${RUN_FOR_SECONDS}s`, ttlSeconds: TTL_SECONDS }));
    const burstTimeoutMs = 300_000;

    // The ceiling and ours take turns on each workload, so that a change in the machine's load (other
    // work on it) falls on both rather than on one.
    const sa = controllerServiceAccount(install);
    const ceilingKubeconfig = wants(SubmitterKind.CEILING) ? await cluster.kubeconfigFor(sa.namespace, sa.name, { durationSeconds: 7200 }) : '';
    const ceiling: SubmitterInfo = { kind: SubmitterKind.CEILING, label: 'ceiling', workers: DEFAULT_WORKERS };
    const ours: SubmitterInfo = { kind: SubmitterKind.OURS, label: 'ours', workers: DEFAULT_WORKERS };
    /** Runs `body` against a fresh ceiling process fed by the creates of namespace `n`. */
    const withCeiling = async <T>(n: string, body: (base: PhaseBase) => Promise<T>): Promise<T> => {
      const proc = CeilingProcess.start(ceilingKubeconfig, DEFAULT_WORKERS, path.join(runDir, `ceiling-${n}.log`));
      try {
        return await body(baseFor(ceiling, n, proc.pid, (a) => proc.submit(a)));
      } finally {
        proc.end();
        await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 10_000))]);
        proc.kill();
      }
    };
    /** Runs `body` against a fresh controller of ours watching namespace `n`. */
    const withOurs = async <T>(n: string, body: (base: PhaseBase) => Promise<T>): Promise<T> => {
      const op = await startOurs(cluster, install, n);
      try {
        return await body(baseFor(ours, n, op.process.pid!));
      } finally {
        await op.stop();
      }
    };
    const both: Array<[SubmitterKind, string, typeof withOurs]> = [
      [SubmitterKind.CEILING, 'ceiling', withCeiling],
      [SubmitterKind.OURS, 'ours', withOurs],
    ];
    for (const [kind, name, run] of both) {
      if (!wants(kind) || !runs('burst')) continue;
      log(`${name}: burst of ${sizes.burst}`);
      const n = ns(`${name}-burst`);
      results.bursts.push(await run(n, (base) => runBurst(base, apps(n, name[0], sizes.burst), burstTimeoutMs)));
      report(log, results.bursts.at(-1)!);
    }
    for (const s of sizes.steady) {
      for (const [kind, name, run] of both) {
        if (!wants(kind) || !runs('steady')) continue;
        log(`${name}: steady ${s.perSecond}/s for ${s.seconds}s`);
        const n = ns(`${name}-steady-${s.perSecond}`);
        const profile = options.apiserverProfileDir === undefined ? undefined
          : profileApiServer(adminKubeconfig, path.join(options.apiserverProfileDir, `apiserver-${name}-${s.perSecond}.pprof`), s.seconds, log);
        results.steady.push(await run(n, (base) =>
          runSteady(base, apps(n, name[0], s.perSecond * s.seconds), s.perSecond, s.seconds * 1000 + 120_000)));
        await profile;
        report(log, results.steady.at(-1)!);
      }
    }
    if (wants(SubmitterKind.OURS) && runs('lifecycle')) {
      log(`ours: full lifecycle of ${sizes.lifecycle} (drivers run ${RUN_FOR_SECONDS}s, time to live ${TTL_SECONDS}s)`);
      const n = ns('ours-lifecycle');
      results.lifecycles.push((await withOurs(n, (base) =>
        runLifecycle(base, apps(n, 'o', sizes.lifecycle, DriverBehaviour.SUCCEEDS), RUN_FOR_SECONDS, TTL_SECONDS, 600_000))).lifecycle);
      report(log, results.lifecycles.at(-1)!);
    }

    if (upstream && sparkHome) {
      await guarded('upstream', errors, log, async () => {
        log(`upstream: its ${upstream.version} CRDs replace ours`);
        await installCrdsFrom(cluster, upstreamCrdFiles(upstream));
        const kubeconfig = await prepareUpstreamIdentity(cluster);
        const withUpstream = async <T>(namespace: string, workers: number, body: (pid: number) => Promise<T>): Promise<T> => {
        // A stopped controller keeps its lease until it expires; the next one must not wait for it.
          await cluster.kubectl(['delete', 'lease', 'spark-operator-controller-lock', '-n', UPSTREAM_NAMESPACE, '--ignore-not-found']);
          const proc = await startUpstream(cluster, { build: upstream, kubeconfig, namespace, workers, sparkHome, logFile: path.join(runDir, `upstream-${namespace}.log`) });
          try {
            return await body(proc.pid!);
          } finally {
            await proc.stop();
          }
        };
        const rows: Array<[string, number, string]> = [
          ['upstream-burst', UPSTREAM_DEFAULT_WORKERS, `upstream (${UPSTREAM_DEFAULT_WORKERS} workers, chart default)`],
          ['upstream-tuned', options.upstreamTunedWorkers, `upstream (${options.upstreamTunedWorkers} workers, tuned)`],
        ];
        for (const [name, workers, label] of rows) {
          const info: SubmitterInfo = { kind: SubmitterKind.UPSTREAM, label, workers };
          log(`${label}: burst of ${sizes.upstreamBurst} through their full lifecycle`);
          const r = await withUpstream(ns(name), workers, (pid) =>
            runLifecycle(baseFor(info, ns(name), pid), apps(ns(name), 'u', sizes.upstreamBurst, DriverBehaviour.SUCCEEDS), RUN_FOR_SECONDS, TTL_SECONDS, 900_000));
          results.bursts.push(r.burst);
          results.lifecycles.push(r.lifecycle);
          report(log, r.burst);
          report(log, r.lifecycle);
          if (name === 'upstream-burst') {
            const { apps: n, everySeconds } = sizes.upstreamSteady;
            const steadyInfo: SubmitterInfo = { kind: SubmitterKind.UPSTREAM, label: `upstream (${UPSTREAM_DEFAULT_WORKERS} workers, chart default)`, workers };
            log(`upstream: steady, one every ${everySeconds}s, ${n} applications`);
            results.steady.push(await withUpstream(ns('upstream-steady'), UPSTREAM_DEFAULT_WORKERS, (pid) =>
              runSteady(baseFor(steadyInfo, ns('upstream-steady'), pid), apps(ns('upstream-steady'), 'u', n, DriverBehaviour.SUCCEEDS), 1 / everySeconds,
                n * everySeconds * 1000 + 180_000)));
            report(log, results.steady.at(-1)!);
          }
        }
        log('upstream: our CRDs back');
        const crdFile = path.join(runDir, 'our-crds.yaml');
        fs.writeFileSync(crdFile, install.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => stringify(o)).join('---\n'));
        await installCrdsFrom(cluster, [crdFile]);
      });
    }

    if (wants(SubmitterKind.OURS) && runs('held')) {
      await guarded('held', errors, log, async () => {
        await measureHeld(cluster, install, rest, ns('held'), sizes.held, log, results.held);
      });
    }
  } catch (error) {
    controlPlane.markFailed();
    throw error;
  } finally {
    log('stopping the control plane');
    await controlPlane.stop();
  }
  return {
    startedAt: started.toISOString(),
    durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    quick: options.quick,
    environment: environment(upstream),
    ...results,
    errors,
  };
}

/** Runs one section of the run; a failure is logged and recorded, and the run goes on with the next. */
async function guarded(section: string, errors: string[], log: (m: string) => void, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    // The results keep the message (they are committed); the log gets the stack too.
    errors.push(`${section}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    log(`FAILED ${section}: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

/**
 * Grows the held namespace to each count in `marks` and reads our controller's memory: up to the
 * last mark with the controller running (it takes the applications in as they come); the last mark
 * is grown with it stopped (which is faster) and read from a fresh start, which lists them all at once.
 */
async function measureHeld(cluster: Cluster, install: any[], rest: RestClient, namespace: string, marks: readonly number[],
  log: (m: string) => void, out: HeldResult[]): Promise<HeldResult[]> {
  const versions = new Map<string, string>();
  let have = 0;
  const grow = async (mark: number) => {
    log(`ours: growing to ${mark.toLocaleString('en-US')} finished applications`);
    const t0 = Date.now();
    const made = await createHeld(rest, namespace, have, mark, (done) => log(`  ${have + done}/${mark} (${Math.round((Date.now() - t0) / 1000)}s)`));
    for (const [k, v] of made) versions.set(k, v);
    have = mark;
    log(`  created in ${Math.round((Date.now() - t0) / 1000)}s`);
  };
  const read = async (pid: number, mark: number, mode: HeldResult['mode'], startSeconds?: number) => {
    await settle(pid, 3_000, 120_000);
    const statusWrites = await rewrittenCount(rest, namespace, versions);
    out.push({ applications: mark, rssMiB: statusMiB(pid, 'VmRSS') ?? NaN, peakRssMiB: statusMiB(pid, 'VmHWM') ?? NaN, statusWrites, mode, startSeconds });
    log(`  ${mark} held (${mode}): RSS ${out.at(-1)!.rssMiB.toFixed(0)} MiB, peak ${out.at(-1)!.peakRssMiB.toFixed(0)} MiB, status writes ${statusWrites}`);
  };
  const op = await startOurs(cluster, install, namespace);
  try {
    for (const mark of marks.slice(0, -1)) {
      await grow(mark);
      await read(op.process.pid!, mark, 'running');
    }
  } finally {
    await op.stop();
  }
  const last = marks.at(-1)!;
  await grow(last);
  const t0 = Date.now();
  const fresh = await startOurs(cluster, install, namespace);
  try {
    await read(fresh.process.pid!, last, 'restarted', (Date.now() - t0) / 1000);
  } finally {
    await fresh.stop();
  }
  return out;
}

function report(log: (m: string) => void, r: BurstResult | SteadyResult | LifecycleResult): void {
  const c = r.cost;
  const extra = 'podsPerSecond' in r
    ? `${r.submitted}/${r.n} submitted (${r.failed} failed) in ${r.secondsToAllSubmitted}s, ${r.submittedPerSecond.toFixed(2)}/s; create->pod p50 ${r.createToPodMs.p50} ms p99 ${r.createToPodMs.p99} ms`
    : 'ratePerSecond' in r
      ? `create->pod p50 ${r.createToPodMs.p50} p95 ${r.createToPodMs.p95} p99 ${r.createToPodMs.p99} ms; ->SUBMITTED p99 ${r.createToSubmittedMs.p99} ms`
      : `${r.completed}/${r.n} completed in ${r.secondsToAllCompleted}s, deleted in ${r.secondsToAllDeleted}s, driver pods gone in ${r.secondsToAllDriverPodsDeleted}s`;
  log(`  => ${r.submitter.label}: ${extra}; CPU ${c.cpuSecondsPerApp.toFixed(4)} s/app, peak RSS ${c.peakRssMiB.toFixed(0)} MiB (group ${c.peakGroupRssMiB.toFixed(0)}); ` +
    `apiserver ${r.controlPlane.apiserverCpuSeconds.toFixed(1)} s${r.timedOut ? ' (TIMED OUT)' : ''}`);
}

function environment(upstream: UpstreamBuild | undefined): BenchResults['environment'] {
  const versions = pinnedVersions();
  let go = 'unknown';
  try {
    go = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    // no Go on PATH: the binaries came from elsewhere
  }
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
  return {
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    cpuModel: cpuModel(),
    node: process.version,
    go,
    kubernetes: versions.KUBERNETES_VERSION,
    etcd: versions.ETCD_VERSION,
    kwok: versions.KWOK_VERSION,
    upstreamOperator: upstream?.version ?? 'not run',
    spark: upstream ? UPSTREAM_SPARK_VERSION : 'not run',
    cdk8sSpark: pkg.version,
    kwokNodes: NODES,
  };
}
