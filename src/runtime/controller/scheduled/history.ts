/**
 * Run history: the newest `successfulRunHistoryLimit` COMPLETED runs and the newest
 * `failedRunHistoryLimit` FAILED runs are kept and named in the status; older finished runs are
 * deleted (upstream's `checkAndUpdatePastRuns`, which we run on every pass rather than only when
 * a run starts, so the names in the status are always the runs that exist).
 */
import { ScheduledSparkApplicationSpec } from '../../../api';
import { DEFAULT_RUN_HISTORY_LIMIT, ScheduledRun } from '../../../core';

/** What history keeps and deletes. */
export interface History {
  /** `pastSuccessfulRunNames`: the kept COMPLETED runs, newest first. */
  readonly succeeded: string[];
  /** `pastFailedRunNames`: the kept FAILED runs, newest first. */
  readonly failed: string[];
  /** The runs to delete. */
  readonly deletions: string[];
}

/** A limit as the spec gives it: unset is the default (1); a value validation refuses prunes nothing. */
export function historyLimit(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_RUN_HISTORY_LIMIT;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : Infinity;
}

/**
 * The history of `runs` (newest first). A run newer than the `lastRun` the stored status records
 * is never deleted: with a limit of 0, a controller that crashed after deleting the run it just
 * started, and before writing the status, would no longer know that due time was served.
 */
export function history(spec: ScheduledSparkApplicationSpec, runs: readonly ScheduledRun[], recordedLastRun: number | undefined): History {
  const deletions: string[] = [];
  const keep = (state: 'COMPLETED' | 'FAILED', limit: number) => {
    const finished = runs.filter((r) => r.state === state);
    for (const run of finished.slice(limit)) {
      if (recordedLastRun !== undefined && run.dueTime <= recordedLastRun) deletions.push(run.name);
    }
    return finished.slice(0, limit).map((r) => r.name);
  };
  const succeeded = keep('COMPLETED', historyLimit(spec.successfulRunHistoryLimit));
  const failed = keep('FAILED', historyLimit(spec.failedRunHistoryLimit));
  return { succeeded, failed, deletions };
}
