/**
 * The benchmark's tables as Markdown (printed, written to table.md, pasted into docs/benchmarks.md), from
 * the results alone. Pure.
 */
import { BenchResults, BurstResult, SteadyResult, SubmitterKind } from './results';
import { ratio } from './stats';

/** A number for a table cell: `—` for none, `n` significant-looking digits otherwise. */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(Math.max(0, digits - 1));
  if (value !== 0 && Math.abs(value) < 0.01) return value.toPrecision(2);
  return value.toFixed(digits);
}

/** Milliseconds as `850 ms`, `12.3 s` or `5.2 min`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A Markdown table of `header` and `rows`. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const burstOf = (r: BenchResults, kind: SubmitterKind) => r.bursts.find((b) => b.submitter.kind === kind);

/** p99 create -> driver pod below which a steady rate counts as sustained. */
export const SUSTAINED_P99_MS = 1_000;

/**
 * Whether a steady phase was sustained: every application submitted, p99 create -> driver pod under
 * {@link SUSTAINED_P99_MS}, and no growing queue (the last quarter's p50 at most twice the first
 * quarter's, plus 50 ms for the noise of small numbers).
 */
export function isSustained(s: SteadyResult): boolean {
  return !s.timedOut && s.failed === 0 && s.createToPodMs.p99 < SUSTAINED_P99_MS && s.lastQuarterP50Ms <= 2 * s.firstQuarterP50Ms + 50;
}

/** The highest steady rate a submitter sustained in `results` (0 when none). */
export function highestSustainedRate(results: BenchResults, kind: SubmitterKind): number {
  return Math.max(0, ...results.steady.filter((s) => s.submitter.kind === kind && isSustained(s)).map((s) => s.ratePerSecond));
}

/** Ours against the ceiling and the upstream defaults: the ratios the targets are about. */
export function targetLines(results: BenchResults): string[] {
  const ceiling = burstOf(results, SubmitterKind.CEILING);
  const ours = burstOf(results, SubmitterKind.OURS);
  const upstream = burstOf(results, SubmitterKind.UPSTREAM);
  const steady10 = results.steady.find((s) => s.submitter.kind === SubmitterKind.OURS && s.ratePerSecond === 10);
  const held10k = results.held.find((h) => h.applications === 10_000 && h.mode === 'running');
  const lines: string[] = [];
  const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—');
  const times = (x: number) => (Number.isFinite(x) ? `${formatNumber(x, 0)}×` : '—');
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED');
  const defined = (x: number) => (Number.isFinite(x) ? x : undefined);
  if (ours && ceiling) {
    const r = ratio(ours.submittedPerSecond, ceiling.submittedPerSecond);
    lines.push(`- burst, ours vs ceiling (SUBMITTED per second): ${pct(r)} (target >= 50%: ${verdict(defined(r) === undefined ? undefined : r >= 0.5)})`);
  }
  if (ours && upstream) {
    const r = ratio(ours.submittedPerSecond, upstream.submittedPerSecond);
    lines.push(`- burst, ours vs upstream (SUBMITTED per second): ${times(r)} (target >= 100×: ${verdict(defined(r) === undefined ? undefined : r >= 100)})`);
    const c = ratio(upstream.cost.cpuSecondsPerApp, ours.cost.cpuSecondsPerApp);
    lines.push(`- CPU per submission, upstream / ours: ${times(c)} (target >= 100×: ${verdict(defined(c) === undefined ? undefined : c >= 100)})`);
  }
  if (steady10) {
    const p99 = steady10.createToPodMs.p99;
    lines.push(`- p99 create -> driver pod at 10/s: ${formatMs(p99)} (target < 250 ms: ${verdict(Number.isFinite(p99) ? p99 < 250 : undefined)})`);
  }
  const ceilingSteady = results.steady.some((s) => s.submitter.kind === SubmitterKind.CEILING);
  const oursSteady = results.steady.some((s) => s.submitter.kind === SubmitterKind.OURS);
  if (ceilingSteady && oursSteady) {
    const oursRate = highestSustainedRate(results, SubmitterKind.OURS);
    const ceilingRate = highestSustainedRate(results, SubmitterKind.CEILING);
    const r = ceilingRate > 0 ? oursRate / ceilingRate : NaN;
    lines.push(`- sustained rate, ours vs ceiling: ${pct(r)} (${oursRate}/s against ${ceilingRate}/s; target >= 90%: ${verdict(defined(r) === undefined ? undefined : r >= 0.9)})`);
  }
  if (held10k) {
    lines.push(`- RSS with 10,000 finished applications: ${formatNumber(held10k.rssMiB, 0)} MiB (target < 200 MB: ${verdict(held10k.rssMiB * 1.048576 < 200)})`);
  }
  return lines;
}

function burstRow(b: BurstResult): string[] {
  return [
    b.submitter.label, String(b.submitter.workers), String(b.n),
    `${b.submitted}${b.failed > 0 ? ` (${b.failed} failed)` : ''}`,
    formatNumber(b.podsPerSecond), formatNumber(b.submittedPerSecond),
    Number.isFinite(b.secondsToAllSubmitted) ? `${formatNumber(b.secondsToAllSubmitted, 1)} s` : b.timedOut ? 'timed out' : '—',
    formatMs(b.createToPodMs.p50), formatMs(b.createToPodMs.p99), formatMs(b.createToSubmittedMs.p50), formatMs(b.createToSubmittedMs.p99),
    formatNumber(b.cost.cpuSecondsPerApp, 3), formatNumber(b.cost.peakRssMiB, 0), formatNumber(b.cost.peakGroupRssMiB, 0),
    formatNumber(b.controlPlane.apiserverCpuSeconds / b.n, 3),
  ];
}

/** The requests whose count per application the steady table shows, in this order; the rest are summed. */
export const SHOWN_REQUESTS = [
  'POST pods', 'POST configmaps', 'POST services', 'POST ipaddresses', 'PUT sparkapplications/status', 'POST events', 'GET sparkapplications',
] as const;

/** Requests per application and API-server CPU per application of each steady phase, as Markdown. */
export function requestsTable(steady: readonly SteadyResult[]): string {
  return markdownTable(
    ['submitter', 'rate', 'apiserver CPU s/app', ...SHOWN_REQUESTS, 'other requests'],
    steady.map((s) => {
      const perApp = s.controlPlane.requestsPerApp;
      const shown = new Set<string>(SHOWN_REQUESTS);
      const other = Object.entries(perApp).filter(([key]) => !shown.has(key)).reduce((sum, [, n]) => sum + n, 0);
      return [
        s.submitter.label, s.ratePerSecond >= 1 ? `${s.ratePerSecond}/s` : `1 per ${Math.round(1 / s.ratePerSecond)} s`,
        formatNumber(s.controlPlane.apiserverCpuSeconds / s.n, 3),
        ...SHOWN_REQUESTS.map((key) => formatNumber(perApp[key] ?? 0, 2)),
        formatNumber(other, 2),
      ];
    }));
}

/** Every table of a run, with headings, as Markdown. */
export function renderTables(results: BenchResults): string {
  const out: string[] = [];
  out.push('**Burst** (N created at once; rates from the first create to the last driver pod / SUBMITTED status)', '');
  out.push(markdownTable(
    ['submitter', 'workers', 'N', 'submitted', 'driver pods/s', 'SUBMITTED/s', 'all submitted', 'create→pod p50', 'p99', 'create→SUBMITTED p50', 'p99',
      'CPU s/app', 'peak RSS MiB', 'peak RSS with children MiB', 'apiserver CPU s/app'],
    results.bursts.map(burstRow)));
  out.push('', '**Steady** (created at a fixed rate)', '');
  out.push(markdownTable(
    ['submitter', 'rate', 'N', 'create→pod p50', 'p95', 'p99', 'create→SUBMITTED p50', 'p95', 'p99', 'first/last quarter p50', 'CPU s/app'],
    results.steady.map((s) => [
      s.submitter.label, s.ratePerSecond >= 1 ? `${s.ratePerSecond}/s` : `1 per ${Math.round(1 / s.ratePerSecond)} s`, String(s.n),
      formatMs(s.createToPodMs.p50), formatMs(s.createToPodMs.p95), formatMs(s.createToPodMs.p99),
      formatMs(s.createToSubmittedMs.p50), formatMs(s.createToSubmittedMs.p95), formatMs(s.createToSubmittedMs.p99),
      `${formatMs(s.firstQuarterP50Ms)} / ${formatMs(s.lastQuarterP50Ms)}`, formatNumber(s.cost.cpuSecondsPerApp, 3),
    ])));
  if (results.steady.some((s) => Object.keys(s.controlPlane.requestsPerApp).length > 0)) {
    out.push('', '**The API server\'s work per application** (steady; every client\'s requests, from its `apiserver_request_total`)', '');
    out.push(requestsTable(results.steady));
  }
  out.push('', '**Full lifecycle** (N created at once; each driver runs, succeeds, and its application is deleted by its time to live)', '');
  out.push(markdownTable(
    ['submitter', 'N', 'driver runs', 'TTL', 'all COMPLETED', 'all deleted', 'all driver pods gone', 'create→COMPLETED p50', 'p99', 'CPU s/app'],
    results.lifecycles.map((l) => [
      l.submitter.label, String(l.n), `${l.runForSeconds} s`, `${l.ttlSeconds} s`,
      Number.isFinite(l.secondsToAllCompleted) ? `${formatNumber(l.secondsToAllCompleted, 1)} s` : `${l.completed}/${l.n}`,
      Number.isFinite(l.secondsToAllDeleted) ? `${formatNumber(l.secondsToAllDeleted, 1)} s` : `${l.deleted}/${l.n}`,
      Number.isFinite(l.secondsToAllDriverPodsDeleted) ? `${formatNumber(l.secondsToAllDriverPodsDeleted, 1)} s` : `${l.driverPodsDeleted}/${l.n}`,
      formatMs(l.createToCompletedMs.p50), formatMs(l.createToCompletedMs.p99), formatNumber(l.cost.cpuSecondsPerApp, 3),
    ])));
  if (results.held.length > 0) {
    out.push('', '**Memory of our controller with finished applications held in the cluster**', '');
    out.push(markdownTable(
      ['finished applications', 'how', 'RSS MiB', 'peak RSS MiB', 'status writes'],
      results.held.map((h) => [
        h.applications.toLocaleString('en-US'), h.mode === 'running' ? 'grown while running' : `fresh start (synced in ${formatNumber(h.startSeconds ?? NaN, 1)} s)`,
        formatNumber(h.rssMiB, 0), formatNumber(h.peakRssMiB, 0), String(h.statusWrites),
      ])));
  }
  const targets = targetLines(results);
  if (targets.length > 0) out.push('', '**Targets**', '', ...targets);
  return `${out.join('\n')}\n`;
}
