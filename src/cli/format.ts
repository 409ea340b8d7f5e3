/**
 * How sparkctl prints: kubectl-like tables (columns padded, three spaces apart), ages as kubectl
 * shows them, states in colour in a terminal and plain when piped. Pure.
 */
import { stringify } from 'yaml';

/** Colour codes for states; the empty style is plain. */
type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'plain';

const CODES: Record<Style, string> = { green: '32', red: '31', yellow: '33', cyan: '36', plain: '' };

/** The colour of a state: green done (or a SparkConnect ready), red failed, cyan running (or scheduled), yellow on the way. */
export function stateStyle(state: string): Style {
  if (state === 'COMPLETED' || state === 'Ready') return 'green';
  if (state === 'FAILED' || state === 'SUBMISSION_FAILED' || state === 'FailedValidation' || state === 'Failed' || state === 'Warning') return 'red';
  if (state === 'RUNNING' || state === 'Scheduled') return 'cyan';
  if (state === '' || state === 'Normal') return 'plain';
  return 'yellow';
}

/** `text` in `style` when `color`; the text alone otherwise. */
export function paint(text: string, style: Style, color: boolean): string {
  if (!color || style === 'plain' || text === '') return text;
  return `\u001b[${CODES[style]}m${text}\u001b[0m`;
}

/** A cell: its text, and how to paint it. */
export interface Cell {
  readonly text: string;
  readonly style?: Style;
}

/** The widths of a table's columns: each as wide as its widest cell. */
export function columnWidths(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | Cell>>): number[] {
  return header.map((h, i) => Math.max(h.length, ...rows.map((row) => cellOf(row[i] ?? '').text.length)));
}

function cellOf(cell: string | Cell): Cell {
  return typeof cell === 'string' ? { text: cell } : cell;
}

/** One line of a table: each cell padded to its column's width (a longer cell pushes the rest right), three spaces apart. */
export function tableLine(row: ReadonlyArray<string | Cell>, widths: readonly number[], color = false): string {
  return row
    .map((c, i) => {
      const cell = cellOf(c);
      const padding = i === row.length - 1 ? '' : ' '.repeat(Math.max(0, (widths[i] ?? 0) - cell.text.length));
      return paint(cell.text, cell.style ?? 'plain', color) + padding;
    })
    .join('   ')
    .trimEnd();
}

/** Rows under a header, each column as wide as its widest cell, three spaces apart (kubectl's layout). */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | Cell>>, color = false): string {
  const widths = columnWidths(header, rows);
  return [tableLine(header, widths), ...rows.map((row) => tableLine(row, widths, color))].join('\n') + '\n';
}

/**
 * A duration as kubectl prints ages: `45s`, `5m30s` under ten minutes, `42m`, `5h30m` under eight
 * hours, `20h`, `3d4h` under eight days, `120d`, then years.
 */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (d < 2) return `${h}h`;
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  return d % 365 === 0 || y >= 8 ? `${y}y` : `${y}y${d % 365}d`;
}

/** The age of a timestamp at `now`; `<none>` when there is none. */
export function ageOf(timestamp: string | null | undefined, now: number): string {
  if (!timestamp) return '<none>';
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '<none>' : age(now - at);
}

/** A timestamp as printed in tables: as the API wrote it (UTC, whole seconds), or `<none>`. */
export function timeOf(timestamp: string | null | undefined): string {
  return timestamp ? timestamp : '<none>';
}

/** An object (or list) as `-o yaml` prints it. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** An object (or list) as `-o json` prints it: indented like kubectl. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
