/**
 * `npm run bench:webhook`: the admission webhook's latency on this machine, end to end through the
 * real API server. The e2e control plane, the operator install `SparkOperator` synthesizes, and the
 * runtime bundle's `webhook` sub-command run as the e2e tests run them (test/e2e/harness/webhook.ts:
 * the Deployment's arguments, TLS from files for 127.0.0.1, the webhook configurations registered
 * with `url:`). Open-loop dry-run creates of a valid SparkApplication, as impersonated users who may
 * create pods, are timed with and without the webhook configurations at each rate; then the
 * SubjectAccessReview cache is compared: one cached user against a never-seen user per request.
 *
 *   npm run bench:webhook [-- --rates=10,100 --seconds=25 --cache-rate=10 --cache-seconds=20 --users=4]
 *
 * Prints progress and a table; writes bench/results/webhook.json and webhook.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DryRunCreator, Requester, runOpenLoop } from './load';
import { openLoopSchedule } from './schedule';
import { pinnedVersions } from '../../test/e2e/harness/binaries';
import { Cluster } from '../../test/e2e/harness/cluster';
import { startControlPlane } from '../../test/e2e/harness/control-plane';
import { httpGet } from '../../test/e2e/harness/http-probe';
import { synthesizeOperator } from '../../test/e2e/harness/operator';
import { sparkPiSpec } from '../../test/e2e/harness/spark-pi';
import { waitFor } from '../../test/e2e/harness/wait';
import { RunningWebhook, startWebhookOf } from '../../test/e2e/harness/webhook';
import { scrapeApiServerMetrics } from '../env/apiserver-metrics';
import { ConnectionSampler, CostMeter, cpuModel, findProcess, machineCpu } from '../env/proc';
import { readCounter, readHistogram } from '../env/prometheus-text';
import { histogramDelta, ratePerSecond, summarize, summarizeSecondsHistogram } from '../report/stats';
import { WebhookBenchResults, WebhookPhaseResult, WebhookRateComparison, renderWebhookTables } from '../report/webhook';

const RESULTS_DIR = path.join(__dirname, '..', 'results');
const OPERATOR = 'bench-webhook';
const JOBS = 'bench-webhook-jobs';
/** The group the benchmark's users are in; a Role bound to it lets them create SparkApplications and pods. */
const USERS_GROUP = 'bench-webhook:spark-users';
/** Each phase starts with this much load at its rate, not measured (connections opened, caches warm). */
const WARM_UP_SECONDS = 3;

const log = (message: string) => process.stderr.write(`[bench:webhook ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

interface Options {
  readonly rates: number[];
  readonly seconds: number;
  readonly cacheRate: number;
  readonly cacheSeconds: number;
  readonly users: number;
}

function parseOptions(args: readonly string[]): Options {
  const value = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const positive = (name: string, fallback: number, max: number): number => {
    const text = value(name);
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max} (got ${JSON.stringify(text)})`);
    return n;
  };
  const unknown = args.filter((a) => !/^--(rates|seconds|cache-rate|cache-seconds|users)=/.test(a));
  if (unknown.length > 0) throw new Error(`unknown arguments: ${unknown.join(' ')}`);
  const rates = (value('rates') ?? '10,100').split(',').map(Number);
  if (rates.some((r) => !Number.isInteger(r) || r < 1 || r > 500)) throw new Error(`--rates must be whole numbers from 1 to 500 (got ${JSON.stringify(value('rates'))})`);
  return {
    rates,
    seconds: positive('seconds', 25, 120),
    cacheRate: positive('cache-rate', 10, 500),
    cacheSeconds: positive('cache-seconds', 20, 120),
    users: positive('users', 4, 100),
  };
}

/** The webhooks of the install, by path, for SparkApplications. */
function sparkApplicationWebhookNames(install: any[]): { mutate: string; validate: string } {
  const nameIn = (kind: string) => install.find((o) => o.kind === kind).webhooks
    .find((w: any) => w.rules.some((r: any) => r.resources.includes('sparkapplications'))).name as string;
  return { mutate: nameIn('MutatingWebhookConfiguration'), validate: nameIn('ValidatingWebhookConfiguration') };
}

/** What the webhook and the API server have counted so far. */
interface Scrape {
  readonly webhook: string;
  readonly apiServer: string;
}

/** The benchmark's phases against one running webhook: each measured on the client, in the webhook and in the API server. */
class WebhookBench {
  /** AdmissionReviews the webhook has answered for SparkApplications, by path. */
  public static calls(scrape: Scrape): { mutate: number; validate: number } {
    const of = (webhook: string) => readCounter(scrape.webhook, 'webhook_admission_requests_total', { kind: 'SparkApplication', webhook });
    return { mutate: of('mutate'), validate: of('validate') };
  }

  private nextName = 0;
  private nextNeverSeenUser = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly webhook: RunningWebhook,
    private readonly creator: DryRunCreator,
    private readonly webhookNames: { mutate: string; validate: string },
    private readonly pids: { apiServer: number; etcd: number },
  ) {}

  /** A valid SparkApplication with a name of its own (nothing is stored: every create is a dry run). */
  public application(): Record<string, unknown> {
    return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: `bench-pi-${this.nextName++}`, namespace: JOBS }, spec: sparkPiSpec() };
  }

  /** A user never seen before, in the users' group. */
  public neverSeenUser(): Requester {
    return { user: `user-${this.nextNeverSeenUser++}`, groups: [USERS_GROUP] };
  }

  /** The webhook's and the API server's metrics now. */
  public async scrape(): Promise<Scrape> {
    const [webhook, apiServer] = await Promise.all([
      httpGet(`http://127.0.0.1:${this.webhook.metricsPort}/metrics`).then((r) => r.body),
      scrapeApiServerMetrics(this.cluster.connection.adminKubeconfig),
    ]);
    return { webhook, apiServer };
  }

  /** Registers or removes the webhook configurations and waits until the API server acts on the change. */
  public async setRegistered(registered: boolean): Promise<void> {
    await (registered ? this.webhook.register() : this.webhook.unregister());
    let agreeing = 0;
    await waitFor(`the API server to ${registered ? 'call' : 'stop calling'} the webhook`, async () => {
      const before = WebhookBench.calls(await this.scrape());
      const answer = await this.creator.create(this.application(), { user: 'probe', groups: [USERS_GROUP] });
      if (answer.status !== 201) throw new Error(`a probe was answered HTTP ${answer.status}: ${answer.message}`);
      const after = WebhookBench.calls(await this.scrape());
      const called = after.mutate > before.mutate && after.validate > before.validate;
      const notCalled = after.mutate === before.mutate && after.validate === before.validate;
      // Three probes in a row, so that a change half taken up (one configuration of two) is not taken for the end.
      agreeing = (registered ? called : notCalled) ? agreeing + 1 : 0;
      return agreeing >= 3;
    }, { timeoutMs: 60_000, intervalMs: 200 });
  }

  /** One open-loop phase: a warm-up, then `seconds` at `perSecond`, measured on both sides. */
  public async phase(label: string, webhook: boolean, perSecond: number, seconds: number, users: number, requester: (i: number) => Requester):
  Promise<WebhookPhaseResult> {
    log(`${label} at ${perSecond}/s: ${WARM_UP_SECONDS}s warm-up, then ${seconds}s (${perSecond * seconds} dry-run creates)`);
    // The warm-up's requests are numbered below 0, so that a user list indexed by request starts the measured part at its start.
    const warmUp = openLoopSchedule(perSecond, WARM_UP_SECONDS);
    await runOpenLoop(this.creator, warmUp, (i) => ({ application: this.application(), requester: requester(i - warmUp.length) }));
    const before = await this.scrape();
    // CPU only: the meters' memory samples (a scan of /proc each) would be the load generator's own cost.
    const meters = {
      apiServer: new CostMeter(this.pids.apiServer, 3_600_000),
      etcd: new CostMeter(this.pids.etcd, 3_600_000),
      webhook: new CostMeter(this.webhook.process.pid!, 3_600_000),
    };
    const connections = new ConnectionSampler(this.webhook.port);
    const [machineBefore, clientBefore] = [machineCpu(), process.cpuUsage()];
    const schedule = openLoopSchedule(perSecond, seconds);
    const outcome = await runOpenLoop(this.creator, schedule, (i) => ({ application: this.application(), requester: requester(i) }));
    const [machineAfter, client] = [machineCpu(), process.cpuUsage(clientBefore)];
    const webhookConnections = connections.stop();
    const cpu = { apiServer: meters.apiServer.stop().cpuSeconds, etcd: meters.etcd.stop().cpuSeconds, webhook: meters.webhook.stop().cpuSeconds };
    const after = await this.scrape();

    const webhookHistogram = (webhookPath: string) => {
      const metric = 'webhook_admission_duration_seconds';
      const labels = { kind: 'SparkApplication', webhook: webhookPath };
      return summarizeSecondsHistogram(histogramDelta(readHistogram(before.webhook, metric, labels), readHistogram(after.webhook, metric, labels)));
    };
    const apiServerHistogram = (name: string) => {
      const metric = 'apiserver_admission_webhook_admission_duration_seconds';
      const labels = { name, operation: 'CREATE' };
      const [earlier, later] = [readHistogram(before.apiServer, metric, labels), readHistogram(after.apiServer, metric, labels)];
      return summarizeSecondsHistogram(histogramDelta(earlier, later));
    };
    const lookups = (result: string) => readCounter(after.webhook, 'webhook_authorization_cache_lookups_total', { result })
      - readCounter(before.webhook, 'webhook_authorization_cache_lookups_total', { result });
    const callsBefore = WebhookBench.calls(before);
    const callsAfter = WebhookBench.calls(after);
    const failed = outcome.sent - outcome.latenciesMs.length;
    const result: WebhookPhaseResult = {
      label,
      webhook,
      ratePerSecond: perSecond,
      seconds,
      users,
      sent: outcome.sent,
      failed,
      statuses: outcome.statuses,
      firstError: outcome.firstError,
      achievedPerSecond: ratePerSecond(outcome.latenciesMs.length, outcome.durationMs),
      maxSendLagMs: outcome.maxSendLagMs,
      clientMs: summarize(outcome.latenciesMs),
      webhookCalls: { mutate: callsAfter.mutate - callsBefore.mutate, validate: callsAfter.validate - callsBefore.validate },
      webhookMs: { mutate: webhookHistogram('mutate'), validate: webhookHistogram('validate') },
      apiServerWebhookCallMs: { mutate: apiServerHistogram(this.webhookNames.mutate), validate: apiServerHistogram(this.webhookNames.validate) },
      authorizationCache: { hit: lookups('hit'), miss: lookups('miss') },
      cpuSeconds: {
        ...cpu,
        client: (client.user + client.system) / 1e6,
        machineBusy: machineAfter.busySeconds - machineBefore.busySeconds,
        machineCapacity: machineAfter.totalSeconds - machineBefore.totalSeconds,
      },
      webhookConnections: { peakEstablished: webhookConnections.peakEstablished, distinctSeen: webhookConnections.distinctSeen },
    };
    const c = result.clientMs;
    log(`  => ${result.sent} sent, ${failed} failed${outcome.firstError ? ` (first: ${outcome.firstError.slice(0, 300)})` : ''}; ` +
      `client p50 ${c.p50.toFixed(1)} ms p99 ${c.p99.toFixed(1)} ms max ${c.max.toFixed(1)} ms; send lag max ${outcome.maxSendLagMs.toFixed(1)} ms; ` +
      `webhook calls mutate ${result.webhookCalls.mutate} validate ${result.webhookCalls.validate}; ` +
      `webhook validate mean ${result.webhookMs.validate.mean.toFixed(2)} ms; cache ${result.authorizationCache.hit} hits ${result.authorizationCache.miss} misses; ` +
      `CPU s: apiserver ${cpu.apiServer.toFixed(1)} webhook ${cpu.webhook.toFixed(1)} client ${result.cpuSeconds.client.toFixed(1)} ` +
      `machine ${result.cpuSeconds.machineBusy.toFixed(1)}/${result.cpuSeconds.machineCapacity.toFixed(1)}; ` +
      `connections to the webhook: peak ${webhookConnections.peakEstablished}, at least ${webhookConnections.distinctSeen} opened`);
    if (webhook && (result.webhookCalls.mutate !== result.sent || result.webhookCalls.validate !== result.sent)) {
      log(`  !! the webhook answered ${result.webhookCalls.mutate} mutate and ${result.webhookCalls.validate} validate reviews for ${result.sent} requests`);
    }
    if (!webhook && (result.webhookCalls.mutate !== 0 || result.webhookCalls.validate !== 0)) {
      log(`  !! the webhook was called ${result.webhookCalls.mutate + result.webhookCalls.validate} times while unregistered`);
    }
    return result;
  }
}

async function main(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const started = new Date();
  const controlPlane = await startControlPlane({ log: (m) => log(m) });
  let webhook: RunningWebhook | undefined;
  let creator: DryRunCreator | undefined;
  try {
    const cluster = controlPlane.cluster;
    await cluster.createNamespace(JOBS);
    const install = synthesizeOperator({ name: OPERATOR, namespace: OPERATOR, jobNamespaces: [JOBS] });
    log('starting the webhook as its Deployment runs it (TLS from files, configurations registered with url: on 127.0.0.1)');
    webhook = await startWebhookOf(cluster, install);
    log(`webhook on 127.0.0.1:${webhook.port}, metrics on :${webhook.metricsPort}; args ${webhook.args.join(' ')}`);
    const spark = { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['create'] };
    const pods = { apiGroups: [''], resources: ['pods'], verbs: ['create'] };
    await cluster.applyManifests([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'bench-spark-users', namespace: JOBS }, rules: [spark, pods] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'bench-spark-users', namespace: JOBS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bench-spark-users' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: USERS_GROUP }],
      },
    ]);
    const registered = await cluster.kubectlJson<{ items: any[] }>(['get', 'validatingwebhookconfigurations,mutatingwebhookconfigurations', '-l', `app.kubernetes.io/name=${OPERATOR}`]);
    const sideEffectsNone = registered.items.length === 2 && registered.items.every((c) => c.webhooks.every((w: any) => w.sideEffects === 'None'));
    log(`registered webhooks say sideEffects: None: ${sideEffectsNone} (dry-run requests are sent only to such webhooks)`);

    creator = await DryRunCreator.fromKubeconfig(cluster.connection.adminKubeconfig, JOBS);
    const { binDir, runDir } = cluster.connection;
    const pids = { apiServer: findProcess(path.join(binDir, 'kube-apiserver'), runDir)!, etcd: findProcess(path.join(binDir, 'etcd'), runDir)! };
    const bench = new WebhookBench(cluster, webhook, creator, sparkApplicationWebhookNames(install), pids);
    await bench.setRegistered(true);

    const fewUsers = (i: number): Requester => ({ user: `spark-user-${((i % options.users) + options.users) % options.users}`, groups: [USERS_GROUP] });
    const rates: WebhookRateComparison[] = [];
    for (const rate of options.rates) {
      // Without first, then with: each phase warms up in its own configuration.
      await bench.setRegistered(false);
      const without = await bench.phase('without webhook', false, rate, options.seconds, options.users, fewUsers);
      await bench.setRegistered(true);
      const withIt = await bench.phase('with webhook', true, rate, options.seconds, options.users, fewUsers);
      rates.push({ ratePerSecond: rate, without, with: withIt });
    }

    const cachedUser: Requester = { user: 'cached-user', groups: [USERS_GROUP] };
    const hit = await bench.phase('cached user', true, options.cacheRate, options.cacheSeconds, 1, () => cachedUser);
    const miss = await bench.phase('never-seen users', true, options.cacheRate, options.cacheSeconds, options.cacheRate * options.cacheSeconds, () => bench.neverSeenUser());

    const versions = pinnedVersions();
    const results: WebhookBenchResults = {
      startedAt: started.toISOString(),
      durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
      environment: {
        cpuModel: cpuModel(),
        cores: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        kubernetes: versions.KUBERNETES_VERSION,
        etcd: versions.ETCD_VERSION,
      },
      sideEffectsNone,
      rates,
      cache: { hit, miss },
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'webhook.json'), `${JSON.stringify(results, null, 1)}\n`);
    const tables = renderWebhookTables(results);
    fs.writeFileSync(path.join(RESULTS_DIR, 'webhook.md'), tables);
    process.stdout.write(`\n${tables}`);
    log(`results in bench/results/webhook.json and webhook.md; took ${results.durationSeconds}s`);
  } finally {
    creator?.close();
    await webhook?.stop().catch((error: unknown) => log(`stopping the webhook: ${String(error)}`));
    await controlPlane.stop();
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`[bench:webhook] error: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
