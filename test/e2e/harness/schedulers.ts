// The batch schedulers of the end-to-end tests: third-party components built from their Go modules
// by test/e2e/schedulers/build.sh, started here as processes against the e2e control plane.
// They run with the admin kubeconfig (system:masters): they are not part of what cdk8s-spark
// renders, so their RBAC is not under test; only our runtime runs with the RBAC we synthesize.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { KubeObject, parseApplyOutput } from './apply';
import { Cluster } from './cluster';
import { fakeNodeManifests, NodeCapacity } from './fake-nodes';
import { httpGet, ProbeTls } from './http-probe';
import { createServingPki } from './pki';
import { freeLoopbackPorts } from './ports';
import { ManagedProcess, tailFile } from './process-group';
import { Reaper } from './reaper';
import { waitFor } from './wait';

const run = promisify(execFile);

/** The batch schedulers test/e2e/schedulers/build.sh builds (Volcano and YuniKorn cannot be: see its README). */
export const BATCH_SCHEDULERS = ['scheduler-plugins', 'kueue'] as const;

/** One of {@link BATCH_SCHEDULERS}. */
export type BatchScheduler = (typeof BATCH_SCHEDULERS)[number];

/** The directory of test/e2e/schedulers (build.sh, versions.env, one Go module per scheduler). */
export const SCHEDULERS_MODULE_DIR = path.resolve(__dirname, '..', 'schedulers');

/** The programs each scheduler's folder holds in bin/. */
const PROGRAMS: Record<BatchScheduler, readonly string[]> = {
  'scheduler-plugins': ['kube-scheduler', 'controller'],
  'kueue': ['kueue'],
};

/** The `schedulerName` of pods for the scheduler-plugins scheduler. */
export const COSCHEDULING_SCHEDULER_NAME = 'scheduler-plugins-scheduler';

/** The pod label that puts a pod in a scheduler-plugins PodGroup (`scheduling.x-k8s.io/v1alpha1`). */
export const COSCHEDULING_POD_GROUP_LABEL = 'scheduling.x-k8s.io/pod-group';

/** The label that puts a Job (or, with its integration, a SparkApplication) in a Kueue LocalQueue. */
export const KUEUE_QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';

/**
 * The folder of a built scheduler: `bin/` with its programs and `crds/` with the CRDs taken from
 * its module. `CDK8S_SPARK_SCHEDULER_PLUGINS_DIR` / `CDK8S_SPARK_KUEUE_DIR` win when set;
 * otherwise build.sh prints it (in a second when cached; it builds on a miss, which is slow, so
 * the npm task runs build.sh before jest).
 */
export async function resolveSchedulerDir(name: BatchScheduler): Promise<string> {
  const variable = `CDK8S_SPARK_${name.toUpperCase().replace(/-/g, '_')}_DIR`;
  const fromEnv = process.env[variable];
  let dir: string;
  if (fromEnv) {
    dir = path.resolve(fromEnv);
  } else {
    const script = path.join(SCHEDULERS_MODULE_DIR, 'build.sh');
    const child = run('bash', [script, name], { maxBuffer: 1_048_576, timeout: 60 * 60 * 1000 });
    child.child.stderr?.pipe(process.stderr);
    dir = (await child).stdout.trim().split('\n').pop() ?? '';
  }
  const missing = PROGRAMS[name].filter((p) => !fs.existsSync(path.join(dir, 'bin', p)));
  if (!dir || missing.length > 0 || !fs.existsSync(path.join(dir, 'crds'))) {
    throw new Error(`${name} is not built in '${dir}' (missing: ${[...missing, 'crds'].join(', ')})` + (fromEnv ? ` (from ${variable})` : ''));
  }
  return dir;
}

/** The versions in test/e2e/schedulers/versions.env. */
export function schedulerVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(SCHEDULERS_MODULE_DIR, 'versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) {
      versions[m[1]] = m[2];
    }
  }
  return versions;
}

/** Options shared by {@link startSchedulerPlugins} and {@link startKueue}. */
export interface SchedulerStartOptions {
  /** Time to become ready. @default 120_000 */
  readonly readyTimeoutMs?: number;
  /** Progress messages. @default - written to stderr */
  readonly log?: (message: string) => void;
}

/** Options of {@link startSchedulerPlugins}. */
export interface SchedulerPluginsOptions extends SchedulerStartOptions {
  /** The profile's `schedulerName`: pods that name it are scheduled with Coscheduling. @default COSCHEDULING_SCHEDULER_NAME */
  readonly schedulerName?: string;
  /** Coscheduling's `permitWaitingTimeSeconds`: how long bound-to-be pods of a gang wait for the rest. @default 10 */
  readonly permitWaitingTimeSeconds?: number;
  /** Coscheduling's `podGroupBackoffSeconds`: the pause before a rejected gang is tried again. @default 1 */
  readonly podGroupBackoffSeconds?: number;
  /**
   * kube-scheduler's `--pod-max-in-unschedulable-pods-duration`: how long an unschedulable pod waits
   * before it is tried again without an event that could help it. Coscheduling registers only Pod
   * adds and PodGroup changes as such events, so a gang it rejected is not retried when other pods
   * are deleted and room frees up; upstream's 5 minutes would stall a test. @default 10
   */
  readonly unschedulableRetrySeconds?: number;
  /** Also run scheduler-plugins' controller, which writes PodGroup status (phase, scheduled, running). @default true */
  readonly controller?: boolean;
}

/** Options of {@link startKueue}. */
export interface KueueOptions extends SchedulerStartOptions {
  /**
   * Kueue's `integrations.frameworks`. A framework's CRD must exist for it to start:
   * `sparkoperator.k8s.io/sparkapplication` also needs the feature gate `SparkApplicationIntegration`.
   * @default ['batch/job']
   */
  readonly frameworks?: readonly string[];
  /** Kueue feature gates, over `{ VisibilityOnDemand: false }` (the visibility API server is not needed). @default {} */
  readonly featureGates?: Readonly<Record<string, boolean>>;
  /** Kueue's `manageJobsWithoutQueueName`. @default false */
  readonly manageJobsWithoutQueueName?: boolean;
}

/**
 * A batch scheduler started by {@link startSchedulerPlugins} or {@link startKueue}; {@link stop} it
 * when done (exit handlers and a watchdog stop it too if the test process dies).
 */
export class RunningScheduler {
  private readonly processes: ManagedProcess[] = [];
  private readonly reaper: Reaper;

  /** @internal */
  public constructor(
    /** Which scheduler. */
    public readonly name: BatchScheduler,
    /** Its build folder (bin/, crds/). */
    public readonly dir: string,
    /** Logs, config and certificates of this run: inside the control plane's run folder, kept or removed with it. */
    public readonly runDir: string,
    /** The `schedulerName` pods use for it; undefined for Kueue, which admits workloads and leaves scheduling to kube-scheduler. */
    public readonly schedulerName: string | undefined,
    private readonly log: (m: string) => void,
  ) {
    this.reaper = new Reaper(runDir);
  }

  /** The names of its processes, in start order. */
  public get processNames(): string[] {
    return this.processes.map((p) => p.name);
  }

  /** The process ids (which are also process group ids), to check none is left after {@link stop}. */
  public get pids(): number[] {
    return this.processes.flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
  }

  /** The end of each process's log, for failure messages. */
  public logTails(lines = 40): string {
    return this.processes
      .map((p) => `--- ${p.name} (${p.describeExit() ?? 'running'}): ${p.logFile}\n${tailFile(p.logFile, lines)}`)
      .join('\n');
  }

  /**
   * Stops every process (newest first; SIGTERM, SIGKILL after 10 s). The run folder stays: the
   * global teardown keeps or removes it with the control plane's (kept when a test failed).
   */
  public async stop(): Promise<void> {
    for (const p of [...this.processes].reverse()) {
      await p.stop(10_000);
    }
    await this.reaper.release();
    this.log(`${this.name} stopped; its logs are in ${this.runDir}`);
  }

  /** @internal */
  public spawn(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): ManagedProcess {
    const p = ManagedProcess.start({ name, command, args, env, cwd: this.runDir, logFile: path.join(this.runDir, `${name}.log`) });
    this.processes.push(p);
    this.reaper.add(p);
    return p;
  }

  /** @internal */
  public async waitHealthy(p: ManagedProcess, url: string, tls: ProbeTls, timeoutMs: number): Promise<void> {
    const t0 = Date.now();
    await waitFor(`${p.name} at ${url}`, async () => {
      const res = await httpGet(url, tls);
      if (res.status !== 200) {
        throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
      }
      return true;
    }, { timeoutMs, intervalMs: 250, abortIf: () => p.describeExit() });
    this.log(`${p.name} ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
}

/**
 * Starts scheduler-plugins' kube-scheduler with one profile, {@link SchedulerPluginsOptions.schedulerName},
 * whose QueueSort and the rest of its extension points include Coscheduling (upstream's
 * manifests/coscheduling/scheduler-config.yaml, under its own name so the control plane's
 * kube-scheduler keeps `default-scheduler`), and its PodGroup controller; applies the PodGroup and
 * ElasticQuota CRDs first. Pods opt in with `spec.schedulerName` and the label
 * {@link COSCHEDULING_POD_GROUP_LABEL}.
 */
export async function startSchedulerPlugins(cluster: Cluster, options: SchedulerPluginsOptions = {}): Promise<RunningScheduler> {
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  const schedulerName = options.schedulerName ?? COSCHEDULING_SCHEDULER_NAME;
  return start(cluster, 'scheduler-plugins', schedulerName, options, async (s, env) => {
    const [schedulerPort, probePort] = await freeLoopbackPorts(2);
    const config = path.join(s.runDir, 'scheduler-config.yaml');
    fs.writeFileSync(config, stringify({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      leaderElection: { leaderElect: false },
      clientConnection: { kubeconfig: cluster.connection.adminKubeconfig },
      profiles: [{
        schedulerName,
        plugins: {
          multiPoint: { enabled: [{ name: 'Coscheduling' }] },
          queueSort: { enabled: [{ name: 'Coscheduling' }], disabled: [{ name: '*' }] },
        },
        pluginConfig: [{
          name: 'Coscheduling',
          args: {
            permitWaitingTimeSeconds: options.permitWaitingTimeSeconds ?? 10,
            podGroupBackoffSeconds: options.podGroupBackoffSeconds ?? 1,
          },
        }],
      }],
    }));
    const scheduler = s.spawn('kube-scheduler', path.join(s.dir, 'bin', 'kube-scheduler'), [
      `--config=${config}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
      `--cert-dir=${path.join(s.runDir, 'kube-scheduler')}`,
      `--pod-max-in-unschedulable-pods-duration=${options.unschedulableRetrySeconds ?? 10}s`,
      '--v=2',
    ], env);
    const waits = [s.waitHealthy(scheduler, `https://127.0.0.1:${schedulerPort}/healthz`, {}, timeoutMs)];
    if (options.controller ?? true) {
      const controller = s.spawn('controller', path.join(s.dir, 'bin', 'controller'), [
        `--kubeconfig=${cluster.connection.adminKubeconfig}`,
        '--metricsAddr=0',
        `--probeAddr=127.0.0.1:${probePort}`,
      ], env);
      waits.push(s.waitHealthy(controller, `http://127.0.0.1:${probePort}/readyz`, {}, timeoutMs));
    }
    await Promise.all(waits);
  });
}

/**
 * Starts Kueue's controller manager (no leader election, the frameworks of
 * {@link KueueOptions.frameworks}) after applying its CRDs. Its admission webhooks are served, with a
 * certificate from a throw-away CA, but not registered with the API server: tests create Jobs with
 * `spec.suspend: true` and the label {@link KUEUE_QUEUE_NAME_LABEL}, which is what Kueue's mutating
 * webhook would have made of them.
 *
 * Kueue v0.17, without its internal certificate management, reads its metrics certificate from the
 * fixed path /etc/kueue/metrics/certs. So that nothing is written outside the run folder, Kueue runs
 * in a mount namespace of its own (`unshare --mount`, root only) in which /etc is an overlay whose
 * upper layer, in the run folder, holds that certificate.
 */
export async function startKueue(cluster: Cluster, options: KueueOptions = {}): Promise<RunningScheduler> {
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  if (process.getuid?.() !== 0) {
    throw new Error('startKueue needs root: Kueue runs in a mount namespace of its own (see its TSDoc)');
  }
  return start(cluster, 'kueue', undefined, options, async (s, env) => {
    const [webhookPort, probePort, metricsPort] = await freeLoopbackPorts(3);
    const pki = await createServingPki(path.join(s.runDir, 'pki'), ['127.0.0.1']);
    const certDir = path.join(s.runDir, 'webhook-certs');
    const upper = path.join(s.runDir, 'etc-upper');
    const metricsCerts = path.join(upper, 'kueue', 'metrics', 'certs');
    for (const dir of [certDir, metricsCerts]) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.copyFileSync(pki.server.cert, path.join(dir, 'tls.crt'));
      fs.copyFileSync(pki.server.key, path.join(dir, 'tls.key'));
    }
    const work = path.join(s.runDir, 'etc-work');
    fs.mkdirSync(work, { mode: 0o700 });
    const namespace = 'kueue-system';
    await cluster.applyManifests({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const config = path.join(s.runDir, 'kueue-config.yaml');
    fs.writeFileSync(config, stringify({
      apiVersion: 'config.kueue.x-k8s.io/v1beta2',
      kind: 'Configuration',
      namespace,
      health: { healthProbeBindAddress: `127.0.0.1:${probePort}` },
      metrics: { bindAddress: `127.0.0.1:${metricsPort}` },
      webhook: { host: '127.0.0.1', port: webhookPort, certDir },
      leaderElection: { leaderElect: false },
      internalCertManagement: { enable: false },
      manageJobsWithoutQueueName: options.manageJobsWithoutQueueName ?? false,
      integrations: { frameworks: [...(options.frameworks ?? ['batch/job'])] },
      featureGates: { VisibilityOnDemand: false, ...options.featureGates },
      clientConnection: { qps: 50, burst: 100 },
    }));
    const overlayThenExec = 'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc && shift 2 && exec "$@"';
    const kueue = s.spawn('kueue', 'unshare', [
      '--mount', '--propagation', 'private', '--', 'bash', '-c', overlayThenExec, 'kueue-etc', upper, work,
      path.join(s.dir, 'bin', 'kueue'),
      `--config=${config}`,
      `--kubeconfig=${cluster.connection.adminKubeconfig}`,
      '--zap-log-level=2',
    ], env);
    await s.waitHealthy(kueue, `http://127.0.0.1:${probePort}/readyz`, {}, timeoutMs);
  });
}

async function start(
  cluster: Cluster,
  name: BatchScheduler,
  schedulerName: string | undefined,
  options: SchedulerStartOptions,
  launch: (s: RunningScheduler, env: NodeJS.ProcessEnv) => Promise<void>,
): Promise<RunningScheduler> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[e2e] ${m}\n`));
  const t0 = Date.now();
  const dir = await resolveSchedulerDir(name);
  const runDir = path.join(cluster.connection.runDir, 'schedulers', `${name}-${randomBytes(3).toString('hex')}`);
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const s = new RunningScheduler(name, dir, runDir, schedulerName, log);
  try {
    await applySchedulerCrds(cluster, dir);
    const home = path.join(runDir, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    // No developer config and no KUBECONFIG may leak in; temporary files stay in the run folder.
    await launch(s, { ...process.env, HOME: home, KUBECONFIG: undefined, TMPDIR: runDir });
  } catch (err) {
    const tails = s.logTails(30);
    await s.stop();
    throw new Error(`${name} did not start: ${(err as Error).message}\n\nlogs are in ${runDir}\n${tails}`);
  }
  log(`${name} ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return s;
}

/**
 * Applies the CRDs in `<dir>/crds` and waits until they are Established: server-side (Kueue's
 * Workload CRD is far larger than the annotation client-side apply keeps), taking over the fields
 * of another writer (a test that installed a PodGroup CRD of its own): the scheduler needs its own.
 */
async function applySchedulerCrds(cluster: Cluster, dir: string): Promise<void> {
  const out = await cluster.kubectl(['apply', '-o', 'json', '--server-side', '--force-conflicts',
    '--field-manager=cdk8s-spark-e2e-schedulers', '-f', path.join(dir, 'crds')]);
  const names = parseApplyOutput(out).map((o: KubeObject) => `crd/${o.metadata?.name}`);
  await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names]);
}

/** Options of {@link addFakeNodes}. */
export interface FakeNodesOptions {
  /** Allocatable resources of each node. @default - those of fakeNodeManifests (32 cpu, 128Gi, 110 pods) */
  readonly capacity?: NodeCapacity;
  /** Wait this long for kwok to make them Ready. @default 60_000 */
  readonly readyTimeoutMs?: number;
}

/** Nodes added by {@link addFakeNodes}, and how a pod gets onto them (and only them). */
export interface FakeNodes {
  readonly names: readonly string[];
  /** `spec.nodeSelector` for pods meant for these nodes. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** `spec.tolerations` for pods meant for these nodes (other pods stay off them). */
  readonly tolerations: readonly Record<string, string>[];
  /** Deletes the nodes. */
  remove(): Promise<void>;
}

/**
 * Adds `count` kwok nodes of their own, named `<prefix>-<i>`, tainted and labeled with `prefix`: a
 * test that counts capacity (a gang that fits only alone) gets nodes no other test's pod lands on.
 */
export async function addFakeNodes(cluster: Cluster, prefix: string, count: number, options: FakeNodesOptions = {}): Promise<FakeNodes> {
  const key = 'e2e.cdk8s-spark.dev/dedicated';
  // Pod CIDRs outside those of the control plane's nodes (10.244.<i>.0/24), one /24 each.
  const cidrBase = 100 + (parseInt(randomBytes(1).toString('hex'), 16) % 100);
  const nodes = fakeNodeManifests(count, options.capacity).map((node, i) => {
    const name = `${prefix}-${i}`;
    const metadata = node.metadata as { labels: Record<string, string> };
    const cidr = `10.${cidrBase}.${i}.0/24`;
    return {
      ...node,
      metadata: { ...metadata, name, labels: { ...metadata.labels, 'kubernetes.io/hostname': name, [key]: prefix } },
      spec: { podCIDR: cidr, podCIDRs: [cidr], taints: [{ key, value: prefix, effect: 'NoSchedule' }] },
    };
  });
  const names = nodes.map((n) => n.metadata.name);
  await cluster.kubectl(['create', '-f', '-'], { input: nodes.map((n) => stringify(n)).join('---\n') });
  await waitFor(`nodes ${names.join(', ')} Ready`, async () => {
    const out = await cluster.kubectl(['get', 'nodes', '-l', `${key}=${prefix}`,
      '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    return out.split('\n').filter((l) => l === 'True').length === names.length;
  }, { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 500 });
  return {
    names,
    nodeSelector: { [key]: prefix },
    tolerations: [{ key, operator: 'Equal', value: prefix, effect: 'NoSchedule' }],
    remove: async () => {
      await cluster.kubectl(['delete', 'node', ...names, '--ignore-not-found', '--wait=false']);
    },
  };
}

/** Options of {@link createKueueQueue}. */
export interface KueueQueueOptions {
  /** The namespace of the LocalQueue. */
  readonly namespace: string;
  /** The ClusterQueue's nominal cpu quota. */
  readonly cpu: string;
  /** Its nominal memory quota. @default "8Gi" */
  readonly memory?: string;
}

/** A ResourceFlavor, a ClusterQueue of it and a LocalQueue made by {@link createKueueQueue}. */
export interface KueueQueue {
  readonly flavor: string;
  readonly clusterQueue: string;
  /** The LocalQueue, for the label {@link KUEUE_QUEUE_NAME_LABEL}. */
  readonly localQueue: string;
  /** Deletes the cluster-scoped objects (the LocalQueue goes with its namespace); call it while Kueue runs, which removes their finalizers. */
  remove(): Promise<void>;
}

/**
 * Creates a ResourceFlavor, a ClusterQueue (every namespace, `cpu` and `memory` of that flavor) and a
 * LocalQueue `lq` in `options.namespace` pointing at it, and waits until the ClusterQueue is Active.
 */
export async function createKueueQueue(cluster: Cluster, options: KueueQueueOptions): Promise<KueueQueue> {
  const suffix = randomBytes(3).toString('hex');
  const flavor = `flavor-${suffix}`;
  const clusterQueue = `cq-${suffix}`;
  const localQueue = 'lq';
  await cluster.applyManifests([
    { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ResourceFlavor', metadata: { name: flavor } },
    {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name: clusterQueue },
      spec: {
        namespaceSelector: {},
        resourceGroups: [{
          coveredResources: ['cpu', 'memory'],
          flavors: [{ name: flavor, resources: [{ name: 'cpu', nominalQuota: options.cpu }, { name: 'memory', nominalQuota: options.memory ?? '8Gi' }] }],
        }],
      },
    },
    { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: localQueue, namespace: options.namespace }, spec: { clusterQueue } },
  ]);
  await waitFor(`ClusterQueue ${clusterQueue} Active`, async () => {
    const cq = await cluster.kubectlJson<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(['get', 'clusterqueues.kueue.x-k8s.io', clusterQueue]);
    return cq.status?.conditions?.some((c) => c.type === 'Active' && c.status === 'True');
  }, { timeoutMs: 60_000 });
  return {
    flavor,
    clusterQueue,
    localQueue,
    remove: async () => {
      await cluster.kubectl(['delete', 'clusterqueues.kueue.x-k8s.io', clusterQueue, '--ignore-not-found', '--wait=false']).catch(() => undefined);
      await cluster.kubectl(['delete', 'resourceflavors.kueue.x-k8s.io', flavor, '--ignore-not-found', '--wait=false']).catch(() => undefined);
    },
  };
}
