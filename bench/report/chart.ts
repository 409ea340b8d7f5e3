/**
 * The benchmark's chart as a self-contained SVG, from the results alone: the distribution of
 * create -> driver pod per submitter and workload (cumulative, log time axis), and the burst
 * throughput per submitter (log axis). Pure.
 */
import { BenchResults } from './results';

/** One cumulative distribution to draw. */
export interface CdfSeries {
  readonly label: string;
  readonly samplesMs: readonly number[];
  readonly colour: string;
  readonly dashed?: boolean;
}

const COLOURS: Record<string, string> = { ceiling: '#7f7f7f', ours: '#1f77b4', upstream: '#d62728' };

/** Escapes text for SVG. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The points (sorted value, fraction at or below) of a sample's empirical CDF. */
export function cdfPoints(samples: readonly number[]): Array<[number, number]> {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.map((v, i) => [v, (i + 1) / sorted.length]);
}

/** Powers of ten from the one at or below `min` to the one at or above `max`. */
export function decades(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
  const hi = Math.ceil(Math.log10(Math.max(max, min * 10, 1e-9)));
  return Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
}

function tickLabelMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** The chart for `results` as SVG text. */
export function renderChart(results: BenchResults): string {
  const series: CdfSeries[] = [
    ...results.bursts.map((b) => ({ label: `burst ${b.n}: ${b.submitter.label}`, samplesMs: b.createToPodSamplesMs, colour: COLOURS[b.submitter.kind], dashed: false })),
    ...results.steady.map((s) => ({
      label: `steady ${s.ratePerSecond >= 1 ? `${s.ratePerSecond}/s` : `1/${Math.round(1 / s.ratePerSecond)}s`}: ${s.submitter.label}`,
      samplesMs: s.createToPodSamplesMs,
      colour: COLOURS[s.submitter.kind],
      dashed: true,
    })),
  ].filter((s) => s.samplesMs.length > 0);
  const W = 980;
  const H = 460;
  const cdf = { x: 70, y: 50, w: 520, h: 330 };
  const bars = { x: 700, y: 50, w: 250, h: 330 };
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 18 * Math.max(0, series.length - 8)}" viewBox="0 0 ${W} ${H + 18 * Math.max(0, series.length - 8)}" font-family="sans-serif" font-size="12">`);
  parts.push('<rect width="100%" height="100%" fill="white"/>');
  parts.push(`<text x="${cdf.x}" y="28" font-size="15" font-weight="bold">create → driver pod, cumulative (${results.quick ? 'quick run' : 'full run'})</text>`);
  // CDF panel, log x.
  const all = series.flatMap((s) => s.samplesMs).filter((v) => v > 0);
  const ticks = decades(all.length ? Math.min(...all) : 1, all.length ? Math.max(...all) : 1000);
  const logFraction = (v: number, axis: number[]) => (Math.log10(v) - Math.log10(axis[0])) / (Math.log10(axis.at(-1)!) - Math.log10(axis[0]));
  const lx = (v: number) => cdf.x + logFraction(Math.max(v, ticks[0]), ticks) * cdf.w;
  const ly = (f: number) => cdf.y + cdf.h - f * cdf.h;
  parts.push(`<rect x="${cdf.x}" y="${cdf.y}" width="${cdf.w}" height="${cdf.h}" fill="none" stroke="#333"/>`);
  for (const t of ticks) {
    parts.push(`<line x1="${lx(t)}" y1="${cdf.y}" x2="${lx(t)}" y2="${cdf.y + cdf.h}" stroke="#ddd"/>`);
    parts.push(`<text x="${lx(t)}" y="${cdf.y + cdf.h + 16}" text-anchor="middle">${tickLabelMs(t)}</text>`);
  }
  for (const f of [0, 0.25, 0.5, 0.75, 0.95, 0.99, 1]) {
    parts.push(`<line x1="${cdf.x}" y1="${ly(f)}" x2="${cdf.x + cdf.w}" y2="${ly(f)}" stroke="#eee"/>`);
    parts.push(`<text x="${cdf.x - 6}" y="${ly(f) + 4}" text-anchor="end">${Math.round(f * 100)}%</text>`);
  }
  series.forEach((s, i) => {
    const pts = cdfPoints(s.samplesMs).map(([v, f]) => `${lx(v).toFixed(1)},${ly(f).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="${s.dashed ? 1.5 : 2.2}"${s.dashed ? ' stroke-dasharray="5,3"' : ''} points="${pts.join(' ')}"/>`);
    const ly0 = cdf.y + cdf.h + 40 + i * 18;
    parts.push(`<line x1="${cdf.x}" y1="${ly0 - 4}" x2="${cdf.x + 24}" y2="${ly0 - 4}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`);
    parts.push(`<text x="${cdf.x + 30}" y="${ly0}">${escapeXml(s.label)} (n=${s.samplesMs.length})</text>`);
  });
  // Throughput bars, log y.
  parts.push(`<text x="${bars.x - 40}" y="28" font-size="15" font-weight="bold">burst: SUBMITTED per second</text>`);
  const rates = results.bursts.map((b) => ({ label: b.submitter.label, value: b.submittedPerSecond, colour: COLOURS[b.submitter.kind] }));
  const finite = rates.map((r) => r.value).filter((v) => Number.isFinite(v) && v > 0);
  const yTicks = decades(finite.length ? Math.min(...finite) : 0.1, finite.length ? Math.max(...finite) : 100);
  const by = (v: number) => bars.y + bars.h - logFraction(v, yTicks) * bars.h;
  parts.push(`<rect x="${bars.x}" y="${bars.y}" width="${bars.w}" height="${bars.h}" fill="none" stroke="#333"/>`);
  for (const t of yTicks) {
    parts.push(`<line x1="${bars.x}" y1="${by(t)}" x2="${bars.x + bars.w}" y2="${by(t)}" stroke="#ddd"/>`);
    parts.push(`<text x="${bars.x - 6}" y="${by(t) + 4}" text-anchor="end">${t >= 1 ? t : t.toPrecision(1)}</text>`);
  }
  const slot = bars.w / Math.max(1, rates.length);
  rates.forEach((r, i) => {
    const x = bars.x + i * slot + slot * 0.15;
    if (Number.isFinite(r.value) && r.value > 0) {
      parts.push(`<rect x="${x}" y="${by(r.value)}" width="${slot * 0.7}" height="${bars.y + bars.h - by(r.value)}" fill="${r.colour}"/>`);
      parts.push(`<text x="${x + slot * 0.35}" y="${by(r.value) - 4}" text-anchor="middle">${r.value >= 10 ? Math.round(r.value) : r.value.toPrecision(2)}</text>`);
    }
    parts.push(`<text transform="translate(${x + slot * 0.35},${bars.y + bars.h + 12}) rotate(30)" font-size="11">${escapeXml(r.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
