/**
 * The results of `npm run bench:webhook` and their Markdown tables, from the results alone. Pure.
 */
import { HistogramSummary, LatencySummary, ratio } from './stats';
import { formatNumber, markdownTable } from './table';

/** The machine and the versions of a webhook benchmark run. */
export interface WebhookBenchEnvironment {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly kubernetes: string;
  readonly etcd: string;
}

/** One open-loop phase: dry-run creates at a fixed rate, with or without the webhook registered. */
export interface WebhookPhaseResult {
  /** What the phase is for (`with webhook`, `without webhook`, `cached user`, `never-seen users`). */
  readonly label: string;
  /** Whether the webhook configurations were registered. */
  readonly webhook: boolean;
  readonly ratePerSecond: number;
  readonly seconds: number;
  /** How many distinct users sent the requests. */
  readonly users: number;
  readonly sent: number;
  /** Answers that were not 2xx (a dry-run create that was admitted answers 201). */
  readonly failed: number;
  readonly statuses: Record<string, number>;
  readonly firstError?: string;
  /** Answered requests a second over the phase. */
  readonly achievedPerSecond: number;
  /** The latest a request left after its scheduled time (the load generator's own lag), ms. */
  readonly maxSendLagMs: number;
  /** Client-side latency of the admitted requests, from the scheduled start to the answer's end, ms. */
  readonly clientMs: LatencySummary;
  /** AdmissionReviews the webhook answered during the phase, by path (from its own request counter). */
  readonly webhookCalls: { readonly mutate: number; readonly validate: number };
  /** The webhook's own latency by path (its `webhook_admission_duration_seconds`), ms. */
  readonly webhookMs: { readonly mutate: HistogramSummary; readonly validate: HistogramSummary };
  /** The API server's time for each call to the webhook, TLS and HTTP included (`apiserver_admission_webhook_admission_duration_seconds`), ms. */
  readonly apiServerWebhookCallMs: { readonly mutate: HistogramSummary; readonly validate: HistogramSummary };
  /** Pod-creation authorization lookups during the phase (`webhook_authorization_cache_lookups_total`). */
  readonly authorizationCache: { readonly hit: number; readonly miss: number };
  /** CPU seconds over the measured part: of each process of ours, and of the whole machine (others' work included). */
  readonly cpuSeconds: {
    readonly apiServer: number;
    readonly etcd: number;
    readonly webhook: number;
    /** This benchmark's own process: the load generator. */
    readonly client: number;
    /** Everything the machine did, ours and others'. */
    readonly machineBusy: number;
    /** Cores × seconds: what the machine could have done. */
    readonly machineCapacity: number;
  };
  /** The API server's connections to the webhook, sampled every 100 ms from /proc/net/tcp and tcp6. */
  readonly webhookConnections: { readonly peakEstablished: number; readonly distinctSeen: number };
}

/** The webhook's added latency at one rate: the same requests with and without it, in one run. */
export interface WebhookRateComparison {
  readonly ratePerSecond: number;
  readonly without: WebhookPhaseResult;
  readonly with: WebhookPhaseResult;
}

/** Everything one run of `npm run bench:webhook` measured. */
export interface WebhookBenchResults {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly environment: WebhookBenchEnvironment;
  /** Whether every registered webhook says `sideEffects: None` (so dry-run requests are sent to it). */
  readonly sideEffectsNone: boolean;
  readonly rates: readonly WebhookRateComparison[];
  /** The SubjectAccessReview cache: one user whose answer is cached, then a never-seen user per request. */
  readonly cache: { readonly hit: WebhookPhaseResult; readonly miss: WebhookPhaseResult };
}

/** Milliseconds with a unit, to two significant-looking digits. */
export function formatMillis(ms: number): string {
  return Number.isFinite(ms) ? `${formatNumber(ms)} ms` : '—';
}

/** `with / without` as `×1.23`. */
export function formatRatio(withWebhook: number, without: number): string {
  const r = ratio(withWebhook, without);
  return Number.isFinite(r) ? `×${r.toFixed(2)}` : '—';
}

/** A histogram's p50 and p99 as the bucket bounds they are at most, and its exact mean: `≤1 ms / ≤5 ms (mean 0.12 ms)`. */
export function formatHistogram(h: HistogramSummary): string {
  if (h.count === 0) return '—';
  const bound = (ms: number) => (ms === Infinity ? '> last bucket' : `≤${formatMillis(ms)}`);
  return `${bound(h.p50AtMost)} / ${bound(h.p99AtMost)} (mean ${formatMillis(h.mean)})`;
}

const pair = (a: number, b: number) => `${formatMillis(a)} / ${formatMillis(b)}`;

/** A phase's row in the CPU table. */
function cpuRow(p: WebhookPhaseResult): string[] {
  const c = p.cpuSeconds;
  const ours = c.apiServer + c.etcd + c.webhook + c.client;
  const perThousand = (seconds: number) => formatNumber((seconds / p.sent) * 1000);
  return [
    `${p.label}, ${p.ratePerSecond}/s`,
    `${perThousand(c.apiServer)} / ${perThousand(c.webhook)} / ${perThousand(c.client)}`,
    `${formatNumber(c.machineBusy)} of ${formatNumber(c.machineCapacity)} (${Math.round((100 * c.machineBusy) / c.machineCapacity)} %)`,
    formatNumber(Math.max(0, c.machineBusy - ours)),
    p.webhook ? `${p.webhookConnections.peakEstablished} / ≥${p.webhookConnections.distinctSeen}` : '—',
  ];
}

/** The Markdown report: the machine, the added latency per rate, the webhook's own view, the cache, the CPU. */
export function renderWebhookTables(results: WebhookBenchResults): string {
  const env = results.environment;
  const added = markdownTable(
    ['rate', 'without webhook p50 / p99', 'with webhook p50 / p99', 'added p50 / p99', 'with ÷ without p50 / p99', 'requests with + without (failed)'],
    results.rates.map(({ ratePerSecond, without, with: withIt }) => [
      `${ratePerSecond}/s`,
      pair(without.clientMs.p50, without.clientMs.p99),
      pair(withIt.clientMs.p50, withIt.clientMs.p99),
      pair(withIt.clientMs.p50 - without.clientMs.p50, withIt.clientMs.p99 - without.clientMs.p99),
      `${formatRatio(withIt.clientMs.p50, without.clientMs.p50)} / ${formatRatio(withIt.clientMs.p99, without.clientMs.p99)}`,
      `${withIt.sent} + ${without.sent} (${withIt.failed + without.failed})`,
    ]),
  );
  const own = markdownTable(
    ['rate', 'webhook mutate p50 / p99', 'webhook validate p50 / p99', 'API server\'s call, mutate / validate p50 / p99 (mean)', 'reviews answered mutate / validate', 'cache hits / misses'],
    results.rates.map(({ ratePerSecond, with: w }) => [
      `${ratePerSecond}/s`,
      formatHistogram(w.webhookMs.mutate),
      formatHistogram(w.webhookMs.validate),
      `${formatHistogram(w.apiServerWebhookCallMs.mutate)}; ${formatHistogram(w.apiServerWebhookCallMs.validate)}`,
      `${w.webhookCalls.mutate} / ${w.webhookCalls.validate} of ${w.sent}`,
      `${w.authorizationCache.hit} / ${w.authorizationCache.miss}`,
    ]),
  );
  const cachePhases = [results.cache.hit, results.cache.miss];
  const cache = markdownTable(
    ['requests', 'users', 'cache hits / misses', 'webhook validate p50 / p99', 'API server\'s validate call p50 / p99', 'client p50 / p99'],
    cachePhases.map((p) => [
      `${p.label}: ${p.sent} at ${p.ratePerSecond}/s`,
      String(p.users),
      `${p.authorizationCache.hit} / ${p.authorizationCache.miss}`,
      formatHistogram(p.webhookMs.validate),
      formatHistogram(p.apiServerWebhookCallMs.validate),
      pair(p.clientMs.p50, p.clientMs.p99),
    ]),
  );
  const phases = [...results.rates.flatMap((r) => [r.without, r.with]), results.cache.hit, results.cache.miss];
  const cpu = markdownTable(
    ['phase', 'CPU s per 1000 requests: API server / webhook / client', 'machine busy, CPU s', 'others\' CPU s (not ours)', 'connections to the webhook: peak / opened'],
    phases.map(cpuRow),
  );
  return [
    '# Admission webhook benchmark',
    '',
    `${results.startedAt}: ${env.cpuModel}, ${env.cores} cores, ${env.memoryGiB} GiB; Node ${env.node}; Kubernetes ${env.kubernetes}, etcd ${env.etcd}. ` +
      'Open-loop dry-run creates of a valid SparkApplication through the API server on loopback, as impersonated users who may create pods; ' +
      'client latency from each request\'s scheduled start to the end of its answer.',
    '',
    '## Added latency, end to end',
    '',
    added,
    '',
    '## The webhook\'s own latency (its /metrics) and the API server\'s view of each call to it',
    '',
    'p50 and p99 as the histogram bucket they fall in (the webhook\'s first bucket is 1 ms), the mean exact.',
    '',
    own,
    '',
    '## SubjectAccessReview cache: one cached user, then a never-seen user per request',
    '',
    cache,
    '',
    '## Where the CPU went',
    '',
    cpu,
    '',
  ].join('\n');
}
