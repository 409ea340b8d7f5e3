/**
 * The inputs and outputs of the ScheduledSparkApplication controller's pure core ({@link decide}):
 * the options it runs with and the decision the shell carries out. No I/O lives here.
 */
import { ScheduleState, SparkApplication } from '../../../api';

/** The controller options that scheduling decisions depend on. */
export interface ScheduledDecideOptions {
  /**
   * The IANA time zone of schedules that set no `spec.timeZone` (and no `CRON_TZ=` prefix): the
   * controller's local zone, from the process's `TZ`, as upstream's `Local`.
   * @default - the process's local time as croner reads it
   */
  readonly localTimeZone?: string;
}

/** A Kubernetes Event on the ScheduledSparkApplication. */
export interface ScheduledEventAction {
  readonly type: 'event';
  readonly eventType: 'Normal' | 'Warning';
  /** `ScheduledSparkApplication*`, see `events.ts`. */
  readonly reason: string;
  readonly message: string;
}

/** Something the shell does for a decision; every action is idempotent. */
export type ScheduledAction =
  /**
   * Create the run `run` (its name is derived from its due time, so creating it again answers
   * `AlreadyExists` and the run that is there, ours by its owner reference, is taken).
   */
  | { readonly type: 'createRun'; readonly run: SparkApplication; readonly dueTime: string }
  /** Delete the run `name` (gone already is fine): beyond the history limits, or replaced (`concurrencyPolicy: Replace`). */
  | { readonly type: 'deleteRun'; readonly name: string; readonly why: 'history' | 'replaced' }
  | ScheduledEventAction;

/** What `decide` concluded for one ScheduledSparkApplication. */
export interface ScheduledDecision {
  /** The status to write (only when it differs from the current one: `sameScheduledStatus`). */
  readonly status: ShapedScheduledStatus;
  /** What to do, in order, BEFORE the status is written (a crash in between repeats them idempotently). */
  readonly actions: readonly ScheduledAction[];
  /** When to look again without an event (the next due time), in milliseconds >= 1; undefined: only on events. */
  readonly requeueAfterMs?: number;
}

/** A status in upstream's shape: both times always present (`null` when unset), empty strings and lists left out. */
export interface ShapedScheduledStatus {
  lastRun: string | null;
  nextRun: string | null;
  lastRunName?: string;
  pastSuccessfulRunNames?: string[];
  pastFailedRunNames?: string[];
  scheduleState?: Exclude<ScheduleState, ''>;
  reason?: string;
}
