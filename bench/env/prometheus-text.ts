/**
 * Reads histograms and counters out of a Prometheus text exposition
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), summed over the
 * series whose labels include the ones asked for. Pure.
 */
import { BucketedHistogram } from '../report/stats';

/** One sample line: metric name, labels, value. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function samples(text: string): Sample[] {
  const out: Sample[] = [];
  const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
  for (const l of text.split('\n')) {
    if (l.startsWith('#')) continue;
    const m = line.exec(l);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    out.push({ name: m[1], labels, value: parseSampleValue(m[3]) });
  }
  return out;
}

function parseSampleValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function matches(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/**
 * The histogram `name` summed over its series whose labels include `wanted`; a histogram without
 * observations (no bucket, sum or count) when no series matches.
 */
export function readHistogram(text: string, name: string, wanted: Readonly<Record<string, string>> = {}): BucketedHistogram {
  const byBound = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const s of samples(text)) {
    if (!matches(s.labels, wanted)) continue;
    if (s.name === `${name}_bucket`) {
      const le = parseSampleValue(s.labels.le);
      byBound.set(le, (byBound.get(le) ?? 0) + s.value);
    } else if (s.name === `${name}_sum`) {
      sum += s.value;
    } else if (s.name === `${name}_count`) {
      count += s.value;
    }
  }
  const buckets = [...byBound].sort(([a], [b]) => a - b).map(([le, n]) => ({ le, count: n }));
  return { buckets, sum, count };
}

/** The counter `name` (its sample name, `_total` included) summed over its series whose labels include `wanted`. */
export function readCounter(text: string, name: string, wanted: Readonly<Record<string, string>> = {}): number {
  return samples(text).filter((s) => s.name === name && matches(s.labels, wanted)).reduce((total, s) => total + s.value, 0);
}
