/**
 * Reads one line of a watch stream (`{"type": ..., "object": ...}`) without trusting it: a line that
 * is not JSON, an event of no known type or an object without the metadata an informer keys and
 * resumes by is a problem to report, never an exception.
 */
import { KubeObject } from './informer';

/** The event types of a watch (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes). */
export const WATCH_EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const;
/** One watch event type. */
export type WatchEventType = typeof WATCH_EVENT_TYPES[number];

/** The `Status` an `ERROR` event carries (`410 Gone` when the version is too old). */
export interface WatchErrorStatus {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

/** A watch line read: an event, or what is wrong with the line. */
export type DecodedWatchLine =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: KubeObject }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string }
  | { readonly type: 'ERROR'; readonly status: WatchErrorStatus }
  | { readonly type: 'MALFORMED'; readonly problem: string };

/** How much of a bad line goes into a log line. */
export const MAX_LOGGED_LINE_CHARS = 200;

/** `line` cut to `max` characters, saying how much was left out. */
export function cutLine(line: string, max = MAX_LOGGED_LINE_CHARS): string {
  return line.length <= max ? line : `${line.slice(0, max)}... (${line.length - max} more characters)`;
}

/** Reads one watch line; never throws. */
export function decodeWatchLine(line: string): DecodedWatchLine {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return malformed('not JSON');
  }
  if (!isRecord(event)) return malformed('not a JSON object');
  const type = event.type;
  if (typeof type !== 'string' || !(WATCH_EVENT_TYPES as readonly string[]).includes(type)) {
    return malformed(`unknown event type ${cutLine(JSON.stringify(type) ?? 'undefined', 40)}`);
  }
  const object = event.object;
  if (!isRecord(object)) return malformed(`a ${type} event without an object`);
  if (type === 'ERROR') {
    return {
      type,
      status: {
        code: typeof object.code === 'number' ? object.code : undefined,
        reason: typeof object.reason === 'string' ? object.reason : undefined,
        message: typeof object.message === 'string' ? object.message : undefined,
      },
    };
  }
  if (type === 'BOOKMARK') {
    const version = isRecord(object.metadata) ? object.metadata.resourceVersion : undefined;
    return typeof version === 'string' && version !== '' ? { type, resourceVersion: version } : malformed('a BOOKMARK event without metadata.resourceVersion');
  }
  const problem = objectProblem(object);
  if (problem) return malformed(`a ${type} event with ${problem}`);
  return { type: type as 'ADDED' | 'MODIFIED' | 'DELETED', object: object as KubeObject };
}

/**
 * What makes `value` unusable as an object of a cache (an object without metadata, a name or a
 * resourceVersion), or undefined when it is usable.
 */
export function objectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'an object that is not a JSON object';
  const metadata = value.metadata;
  if (!isRecord(metadata)) return 'an object without metadata';
  if (typeof metadata.name !== 'string' || metadata.name === '') return 'an object without metadata.name';
  if (typeof metadata.resourceVersion !== 'string' || metadata.resourceVersion === '') return 'an object without metadata.resourceVersion';
  return undefined;
}

function malformed(problem: string): DecodedWatchLine {
  return { type: 'MALFORMED', problem };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
