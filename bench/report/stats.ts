/**
 * The statistics of the benchmark: percentiles and summaries of latencies, and throughput. Pure
 * functions of plain numbers, unit-tested in test/bench.
 */

/** A summary of a sample of latencies, in milliseconds. */
export interface LatencySummary {
  /** How many values the sample holds. */
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The `p`-th percentile (0 to 100) of `values` by the nearest-rank method: the smallest value such
 * that at least `p` percent of the sample is at or below it. An empty sample has none (`NaN`).
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be from 0 to 100 (got ${p})`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Count, p50, p95, p99, max and mean of `values` (all `NaN` but the count for an empty sample). */
export function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: sum / values.length,
  };
}

/** Events per second: `count` events over `durationMs`; `NaN` when nothing happened or no time passed. */
export function ratePerSecond(count: number, durationMs: number): number {
  if (count === 0 || !(durationMs > 0)) return NaN;
  return count / (durationMs / 1000);
}

/**
 * The latency of each item that reached the second time: `end[k] - start[k]` for every key in both
 * maps, in the order of `start`. Items that never reached `end` are left out (count them apart).
 */
export function latencies(start: ReadonlyMap<string, number>, end: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const [key, t0] of start) {
    const t1 = end.get(key);
    if (t1 !== undefined) out.push(Math.max(0, t1 - t0));
  }
  return out;
}

/**
 * A histogram of `values` over `edges` (ascending upper bounds): `counts[i]` holds the values at or
 * below `edges[i]` and above `edges[i - 1]`; a last bucket holds everything above the last edge.
 */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let i = edges.findIndex((e) => v <= e);
    if (i < 0) i = edges.length;
    counts[i]++;
  }
  return counts;
}

/** `a / b`, or `NaN` when either is not a positive finite number. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0 ? a / b : NaN;
}
