/**
 * What a due time does when runs are unfinished, by `spec.concurrencyPolicy` (upstream's
 * `shouldStartNextRun`, with an unset policy as `Allow`, the default upstream documents, instead of
 * "never once a run exists"; and all unfinished runs looked at, as a CronJob does, not only the
 * newest).
 */
import { SCHEDULED_EVENT_REASONS, normal } from './events';
import { ScheduledEventAction } from './types';
import { ConcurrencyPolicy } from '../../../api';
import { DEFAULT_CONCURRENCY_POLICY, ScheduledRun, isRunFinished } from '../../../core';

/** What the due time leads to. */
export interface ConcurrencyOutcome {
  /** Start the run. */
  readonly start: boolean;
  /** Runs to delete first (`Replace`). */
  readonly deletions: readonly string[];
  readonly events: readonly ScheduledEventAction[];
}

function listed(runs: readonly ScheduledRun[]): string {
  return runs.map((r) => `${r.name} (${r.state || 'new'})`).join(', ');
}

function notFinished(runs: readonly ScheduledRun[]): string {
  return `${listed(runs)} ${runs.length === 1 ? 'has' : 'have'} not finished`;
}

/**
 * - `Allow` (and unset): start, whatever runs.
 * - `Forbid`: skip the due time while any run is unfinished (not COMPLETED or FAILED).
 * - `Replace`: delete every unfinished run, then start (upstream deletes and creates in one pass,
 *   as a CronJob does; the old driver goes with its SparkApplication, by garbage collection).
 */
export function concurrency(policy: ConcurrencyPolicy | undefined, runs: readonly ScheduledRun[], dueTime: string): ConcurrencyOutcome {
  const unfinished = runs.filter((r) => !isRunFinished(r));
  const effective = policy ?? DEFAULT_CONCURRENCY_POLICY;
  if (unfinished.length === 0 || effective === 'Allow') return { start: true, deletions: [], events: [] };
  if (effective === 'Forbid') {
    return {
      start: false,
      deletions: [],
      events: [normal(SCHEDULED_EVENT_REASONS.runSkipped,
        `no run for ${dueTime}: concurrencyPolicy is Forbid and ${notFinished(unfinished)}`)],
    };
  }
  return {
    start: true,
    deletions: unfinished.map((r) => r.name),
    events: [normal(SCHEDULED_EVENT_REASONS.runReplaced,
      `deleted ${listed(unfinished)} for the run of ${dueTime}: concurrencyPolicy is Replace`)],
  };
}
