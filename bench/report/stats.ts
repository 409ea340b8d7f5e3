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

/**
 * A Prometheus histogram as its exposition gives it: cumulative bucket counts by upper bound (the
 * last bound `Infinity`), the sum and the count of the observations.
 */
export interface BucketedHistogram {
  /** Ascending upper bounds with the number of observations at or below each. */
  readonly buckets: ReadonlyArray<{ readonly le: number; readonly count: number }>;
  readonly sum: number;
  readonly count: number;
}

/**
 * The `q`-quantile (0 to 1) of a histogram, estimated as Prometheus's `histogram_quantile()` does
 * (https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile): linear
 * interpolation inside the bucket the rank falls in, the first bucket starting at 0; a rank in the
 * `+Inf` bucket gives the highest finite bound. `NaN` for a histogram without observations.
 */
export function bucketQuantile(observed: BucketedHistogram, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile must be from 0 to 1 (got ${q})`);
  const buckets = observed.buckets;
  const total = buckets.length > 0 ? buckets[buckets.length - 1].count : 0;
  if (total === 0) return NaN;
  const rank = q * total;
  const i = buckets.findIndex((b) => b.count >= rank);
  const bucket = buckets[i];
  if (bucket.le === Infinity) return i > 0 ? buckets[i - 1].le : NaN;
  const lower = i > 0 ? buckets[i - 1] : { le: 0, count: 0 };
  const inBucket = bucket.count - lower.count;
  if (inBucket === 0) return lower.le;
  return lower.le + (bucket.le - lower.le) * ((rank - lower.count) / inBucket);
}

/**
 * The upper bound of the bucket the `q`-quantile (0 to 1) falls in: what the buckets say for sure
 * (`p99 <= 5 ms`), where {@link bucketQuantile} interpolates. `Infinity` for a rank in the `+Inf`
 * bucket, `NaN` for a histogram without observations.
 */
export function bucketUpperBound(observed: BucketedHistogram, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile must be from 0 to 1 (got ${q})`);
  const buckets = observed.buckets;
  const total = buckets.length > 0 ? buckets[buckets.length - 1].count : 0;
  if (total === 0) return NaN;
  return buckets.find((b) => b.count >= q * total)!.le;
}

/** `after - before` of the same histogram scraped twice: the observations made in between. */
export function histogramDelta(before: BucketedHistogram, after: BucketedHistogram): BucketedHistogram {
  const earlier = new Map(before.buckets.map((b) => [b.le, b.count]));
  return {
    buckets: after.buckets.map((b) => ({ le: b.le, count: b.count - (earlier.get(b.le) ?? 0) })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/** What a histogram of seconds says, in milliseconds: count, estimated p50 and p99, exact mean. */
export interface HistogramSummary {
  readonly count: number;
  /** Estimated from the buckets ({@link bucketQuantile}). */
  readonly p50: number;
  /** Estimated from the buckets ({@link bucketQuantile}). */
  readonly p99: number;
  /** The upper bound of p50's bucket ({@link bucketUpperBound}). */
  readonly p50AtMost: number;
  /** The upper bound of p99's bucket ({@link bucketUpperBound}). */
  readonly p99AtMost: number;
  /** Exact: the sum over the count. */
  readonly mean: number;
}

/** Count, p50, p99 and mean of a histogram of seconds, in milliseconds. */
export function summarizeSecondsHistogram(observed: BucketedHistogram): HistogramSummary {
  return {
    count: observed.count,
    p50: bucketQuantile(observed, 0.5) * 1000,
    p99: bucketQuantile(observed, 0.99) * 1000,
    p50AtMost: bucketUpperBound(observed, 0.5) * 1000,
    p99AtMost: bucketUpperBound(observed, 0.99) * 1000,
    mean: observed.count > 0 ? (observed.sum / observed.count) * 1000 : NaN,
  };
}
