/**
 * The ScheduledSparkApplication status as upstream's Go types write it: `lastRun` and `nextRun` are
 * `metav1.Time` (always there, `null` when zero), the rest `omitempty`. Every status `decide`
 * returns has that shape, so two statuses that mean the same are equal as JSON.
 */
import { ShapedScheduledStatus } from './types';
import { ScheduledSparkApplicationStatus } from '../../../api';
import { canonicalJson, formatTime } from '../../../core';
import { parseTime } from '../spark-application/status';

/** The states upstream writes (`Validating` is declared there and never used). */
const SCHEDULE_STATES: readonly string[] = ['Validating', 'Scheduled', 'FailedValidation'];

function nonEmpty(text: unknown): string | undefined {
  return typeof text === 'string' && text !== '' ? text : undefined;
}

function time(text: unknown): string | null {
  const ms = parseTime(typeof text === 'string' ? text : undefined);
  return ms === undefined ? null : formatTime(new Date(ms));
}

function names(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const kept = list.filter((n): n is string => typeof n === 'string' && n !== '');
  return kept.length > 0 ? kept : undefined;
}

/** `status` (possibly absent or malformed, as on a new object) in upstream's shape. */
export function shapeScheduledStatus(status: ScheduledSparkApplicationStatus | undefined): ShapedScheduledStatus {
  const source = (typeof status === 'object' && status !== null ? status : {}) as Record<string, unknown>;
  const shaped: ShapedScheduledStatus = { lastRun: time(source.lastRun), nextRun: time(source.nextRun) };
  const lastRunName = nonEmpty(source.lastRunName);
  const pastSuccessfulRunNames = names(source.pastSuccessfulRunNames);
  const pastFailedRunNames = names(source.pastFailedRunNames);
  const state = nonEmpty(source.scheduleState);
  const reason = nonEmpty(source.reason);
  if (lastRunName !== undefined) shaped.lastRunName = lastRunName;
  if (pastSuccessfulRunNames !== undefined) shaped.pastSuccessfulRunNames = pastSuccessfulRunNames;
  if (pastFailedRunNames !== undefined) shaped.pastFailedRunNames = pastFailedRunNames;
  if (state !== undefined && SCHEDULE_STATES.includes(state)) shaped.scheduleState = state as ShapedScheduledStatus['scheduleState'];
  if (reason !== undefined) shaped.reason = reason;
  return shaped;
}

/** Whether two statuses mean the same; the shell writes the status only when they do not. */
export function sameScheduledStatus(a: ScheduledSparkApplicationStatus | undefined, b: ScheduledSparkApplicationStatus | undefined): boolean {
  return canonicalJson(shapeScheduledStatus(a)) === canonicalJson(shapeScheduledStatus(b));
}

/** `ms` since the epoch as a status time. */
export function statusTime(ms: number): string {
  return formatTime(new Date(ms));
}
