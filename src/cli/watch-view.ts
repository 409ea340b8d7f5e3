/**
 * What `list --watch` prints, from the list and the watch events the API server sends. Pure: the
 * events and the time in, text out.
 *
 * In a terminal the whole table is drawn again in place at each change (the cursor moved up over
 * the last drawing, which is then cleared). When piped, each change is one more line, so that the
 * output can be tailed or grepped: `kubectl get -w --output-watch-events`'s layout, an EVENT column
 * (ADDED, MODIFIED, DELETED) before the row, the header once.
 */
import { Cell, columnWidths, table, tableLine } from './format';

/** The change types of a watch event that carry an object (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes). */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What the view reads of an object: its name, namespace and resourceVersion. */
export interface Watched {
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly resourceVersion?: string };
}

/** How a table shows objects: its header and one object's row at a time. */
export interface RowRenderer<T> {
  readonly header: readonly string[];
  /**
   * The widest a column of a closed set or a fixed format can be (every state name, a timestamp), by
   * header: piped lines are padded to it, so that a later state does not push the line out of step.
   */
  readonly widths?: Readonly<Record<string, number>>;
  row(object: T, now: number): Array<string | Cell>;
}

/** A change that shows: what happened, and the object's row as it is now (as it was, for a deletion). */
export interface ShownChange<T> {
  readonly type: ChangeType;
  readonly object: T;
}

function keyOf(object: Watched): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/**
 * The objects of a watched list, by namespace and name, and which changes show in the table: a
 * MODIFIED event that changes no printed column (a resourceVersion, a field not shown) shows
 * nothing. Rows are compared without the AGE column, which changes with the clock alone.
 */
export class WatchedList<T extends Watched> {
  private readonly items = new Map<string, T>();

  constructor(private readonly renderer: RowRenderer<T>, initial: readonly T[] = []) {
    for (const item of initial) this.items.set(keyOf(item), item);
  }

  /** The objects, by namespace then name. */
  public sorted(): T[] {
    return [...this.items.values()].sort((a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  /** How many objects there are. */
  public get size(): number {
    return this.items.size;
  }

  /** Applies one event; returns the change when it shows, else undefined. */
  public apply(type: ChangeType, object: T): ShownChange<T> | undefined {
    const key = keyOf(object);
    const before = this.items.get(key);
    if (type === 'DELETED') {
      if (!before) return undefined;
      this.items.delete(key);
      return { type, object };
    }
    this.items.set(key, object);
    if (before && this.identity(before) === this.identity(object)) return undefined;
    return { type: before ? 'MODIFIED' : 'ADDED', object };
  }

  /**
   * Replaces every object with a fresh list (after the watch's resourceVersion expired, 410 Gone):
   * the changes between what was seen and the list, as the events that were missed would have shown.
   */
  public replace(items: readonly T[]): Array<ShownChange<T>> {
    const changes: Array<ShownChange<T>> = [];
    const fresh = new Set(items.map(keyOf));
    for (const old of this.sorted()) {
      if (!fresh.has(keyOf(old))) changes.push(this.apply('DELETED', old)!);
    }
    for (const item of items) {
      const change = this.apply('MODIFIED', item);
      if (change) changes.push(change);
    }
    return changes;
  }

  private identity(object: T): string {
    // Rendered at a fixed time, so that AGE (or any column of the clock) never counts as a change.
    return JSON.stringify(this.renderer.row(object, 0));
  }
}

/** The piped layout: the header with its EVENT column, and the widths later lines are padded to. */
export interface PipedLayout {
  readonly header: readonly string[];
  readonly widths: readonly number[];
}

/** The piped layout for the objects there are at the start (its widths fit them). */
export function pipedLayout<T>(renderer: RowRenderer<T>, initial: readonly T[], now: number): PipedLayout {
  const header = ['EVENT', ...renderer.header];
  const rows = initial.map((item) => ['MODIFIED', ...renderer.row(item, now)]);
  const widths = columnWidths(header, rows).map((width, i) => Math.max(width, renderer.widths?.[header[i]] ?? 0));
  return { header, widths };
}

/** The piped header line. */
export function pipedHeaderLine(layout: PipedLayout): string {
  return `${tableLine(layout.header, layout.widths)}\n`;
}

/** One piped line: the event, then the object's row. */
export function pipedLine<T>(layout: PipedLayout, renderer: RowRenderer<T>, change: ShownChange<T>, now: number, color = false): string {
  return `${tableLine([change.type, ...renderer.row(change.object, now)], layout.widths, color)}\n`;
}

/** The table a terminal shows: every object, or the line that says there is none. */
export function watchTable<T extends Watched>(renderer: RowRenderer<T>, list: WatchedList<T>, now: number, color: boolean, none: string): string {
  if (list.size === 0) return `${none}\n`;
  return table(renderer.header, list.sorted().map((item) => renderer.row(item, now)), color);
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** How many terminal lines `text` takes in a terminal `columns` wide (long lines wrap). */
export function screenLines(text: string, columns: number | undefined): number {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const width = columns && columns > 0 ? columns : Infinity;
  return lines.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.replace(ANSI, '').length / width)), 0);
}

/**
 * What to write to a terminal to replace the last drawing (`previousLines` lines tall, 0 for the
 * first) with `text`: the cursor up to where it began, the screen cleared below, then the text.
 */
export function redraw(previousLines: number, text: string): string {
  return previousLines > 0 ? `\u001b[${previousLines}A\r\u001b[J${text}` : text;
}
