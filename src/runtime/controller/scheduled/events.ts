/**
 * The Kubernetes Events of the ScheduledSparkApplication controller. Upstream's scheduled controller
 * records none, so these are ours, named in the style of the SparkApplication ones.
 */
import { ScheduledEventAction } from './types';

/** Every reason this controller records. */
export const SCHEDULED_EVENT_REASONS = {
  /** The schedule is valid (first seen, or valid again after an edit). */
  scheduled: 'ScheduledSparkApplicationScheduled',
  /** The schedule, its time zone or another field is invalid: no run starts (Warning). */
  failedValidation: 'ScheduledSparkApplicationFailedValidation',
  /** A run was created for a due time. */
  runStarted: 'ScheduledSparkApplicationRunStarted',
  /** `Forbid`: a due time passed while a run was unfinished; no run for it. */
  runSkipped: 'ScheduledSparkApplicationRunSkipped',
  /** `Replace`: unfinished runs were deleted for the new one. */
  runReplaced: 'ScheduledSparkApplicationRunReplaced',
  /** More than one due time passed unserved (the controller was down, or the schedule suspended): one catch-up run (Warning). */
  missedRuns: 'ScheduledSparkApplicationMissedRuns',
  /** The API server refused a run (Warning); it is retried. */
  runFailed: 'ScheduledSparkApplicationRunFailed',
} as const;

export function normal(reason: string, message: string): ScheduledEventAction {
  return { type: 'event', eventType: 'Normal', reason, message };
}

export function warning(reason: string, message: string): ScheduledEventAction {
  return { type: 'event', eventType: 'Warning', reason, message };
}
