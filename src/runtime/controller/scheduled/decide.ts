/**
 * The pure core of the ScheduledSparkApplication controller: the object as read from the cluster,
 * its runs, the time and the options in; the status, the actions and when to look again out. See
 * `docs/controller.md` ("Scheduled runs") for the rules and where they differ from upstream.
 */
import { concurrency } from './concurrency';
import { dueTimes } from './due-times';
import { SCHEDULED_EVENT_REASONS, normal, warning } from './events';
import { history } from './history';
import { shapeScheduledStatus, statusTime } from './status';
import { ScheduledAction, ScheduledDecideOptions, ScheduledDecision, ShapedScheduledStatus } from './types';
import { ScheduledSparkApplication, SparkApplication } from '../../../api';
import {
  Schedule, ScheduledRun, buildScheduledRun, describeProblem, parseSchedule, scheduledRunsOf, validateScheduledSparkApplication,
} from '../../../core';
import { parseTime } from '../spark-application/status';

/**
 * The longest delay of a requeue, in ms. Node's timers hold at most about 24.8 days, and a step of
 * the wall clock (NTP, a resumed VM) is noticed within this long; it is a safety net, not the
 * schedule: every run is started by the requeue that ends at its due time.
 */
export const MAX_REQUEUE_MS = 3_600_000;

/** How many problems `reason` lists. */
const MAX_PROBLEMS_IN_REASON = 10;

/** A run this late after its due time is called a catch-up in its Event. */
const LATE_MS = 60_000;

/** The schedule, or why there is none: every rule of the webhook (`validateScheduledSparkApplication`), then the zone. */
function readSchedule(scheduled: ScheduledSparkApplication, options: ScheduledDecideOptions): { schedule?: Schedule; reason?: string } {
  const problems = validateScheduledSparkApplication(scheduled);
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_PROBLEMS_IN_REASON).map((p) => describeProblem(p)).join('; ');
    const more = problems.length > MAX_PROBLEMS_IN_REASON ? ` (and ${problems.length - MAX_PROBLEMS_IN_REASON} more)` : '';
    return { reason: `invalid ScheduledSparkApplication: ${listed}${more}` };
  }
  const { spec } = scheduled;
  const parsed = parseSchedule(spec.schedule, spec.timeZone || options.localTimeZone);
  if (parsed.problem !== undefined) return { reason: `schedule '${spec.schedule}' in the controller's local time zone: ${parsed.problem}` };
  return { schedule: parsed.schedule };
}

/** The last run: the newest run's due time, unless the status records a later one (a run since deleted). */
function lastRunOf(status: ShapedScheduledStatus, runs: readonly ScheduledRun[]): { time?: number; name?: string } {
  const recorded = parseTime(status.lastRun);
  const newest = runs[0];
  if (newest && (recorded === undefined || newest.dueTime > recorded)) return { time: newest.dueTime, name: newest.name };
  return { time: recorded, name: status.lastRunName };
}

/** Decides what to do for `scheduled`, given every SparkApplication that may be one of its runs. */
export function decide(scheduled: ScheduledSparkApplication, applications: readonly SparkApplication[], now: Date,
  options: ScheduledDecideOptions = {}): ScheduledDecision {
  const stored = shapeScheduledStatus(scheduled.status);
  // Being deleted: the garbage collector takes the runs (no finalizers, ever).
  if (scheduled.metadata.deletionTimestamp) return { status: stored, actions: [] };
  const { spec } = scheduled;
  const nowMs = now.getTime();
  const runs = scheduledRunsOf(scheduled, applications);
  const kept = history(spec, runs, parseTime(stored.lastRun));
  const actions: ScheduledAction[] = kept.deletions.map((name) => ({ type: 'deleteRun', name, why: 'history' }));
  const last = lastRunOf(stored, runs);
  const base: ShapedScheduledStatus = {
    ...stored,
    lastRun: last.time !== undefined ? statusTime(last.time) : null,
    lastRunName: last.name,
    pastSuccessfulRunNames: kept.succeeded,
    pastFailedRunNames: kept.failed,
  };

  const { schedule, reason } = readSchedule(scheduled, options);
  if (!schedule) {
    if (stored.scheduleState !== 'FailedValidation' || stored.reason !== reason) {
      actions.push(warning(SCHEDULED_EVENT_REASONS.failedValidation, reason!));
    }
    // No next run: nothing starts until the object is edited (which is an event).
    return { status: shapeScheduledStatus({ ...base, scheduleState: 'FailedValidation', reason, nextRun: null }), actions };
  }
  const zone = schedule.timeZone ?? 'the controller\'s local time';
  const scheduledEvent = (detail: string) => (stored.scheduleState === 'Scheduled' ? []
    : [normal(SCHEDULED_EVENT_REASONS.scheduled, `schedule '${spec.schedule}' in ${zone}: ${detail}`)]);

  if (spec.suspend === true) {
    // No run and no requeue: resuming is an edit, and an edit is an event. The stored nextRun stays.
    actions.push(...scheduledEvent('suspended, no run starts'));
    return { status: shapeScheduledStatus({ ...base, scheduleState: 'Scheduled', reason: undefined }), actions };
  }

  // Due times are counted from the last run (else the creation): a restart counts the same ones.
  const anchor = last.time ?? parseTime(scheduled.metadata.creationTimestamp) ?? nowMs;
  const due = dueTimes(schedule, anchor);
  // Every due time up to `served` has had its run, or was skipped (Forbid). A stored nextRun that
  // is a due time of this schedule, no later than the next one from now, says that due times
  // before it were dealt with; one written for another schedule (an edit) is later than that, or
  // not a due time at all, and is ignored.
  let served = anchor;
  const planned = parseTime(stored.nextRun);
  if (planned !== undefined && planned - 1 > served && due.isDue(planned) && planned <= due.after(nowMs)) served = planned - 1;

  const latest = due.latestIn(served, nowMs);
  if (latest === undefined) {
    const nextRun = due.after(served);
    actions.push(...scheduledEvent(`next run at ${statusTime(nextRun)}`));
    return {
      status: shapeScheduledStatus({ ...base, scheduleState: 'Scheduled', reason: undefined, nextRun: statusTime(nextRun) }),
      actions,
      requeueAfterMs: requeueAfter(nextRun, nowMs),
    };
  }

  // At most one run however many due times passed: the latest.
  const nextRun = due.after(latest);
  const latestText = statusTime(latest);
  const firstMissed = due.after(served);
  const events = [...scheduledEvent(`next run at ${statusTime(nextRun)}`)];
  if (firstMissed < latest) {
    events.push(warning(SCHEDULED_EVENT_REASONS.missedRuns, `the due times from ${statusTime(firstMissed)} to ${latestText} passed without a run `
      + `(the controller was not running, or the schedule was suspended): one run starts, for ${latestText}, and none for the others`));
  }
  const outcome = concurrency(spec.concurrencyPolicy, runs, latestText);
  events.push(...outcome.events);
  const status: ShapedScheduledStatus = { ...base, scheduleState: 'Scheduled', reason: undefined, nextRun: statusTime(nextRun) };
  if (outcome.start) {
    const run = buildScheduledRun(scheduled, latest);
    actions.push(...outcome.deletions.map((name): ScheduledAction => ({ type: 'deleteRun', name, why: 'replaced' })));
    actions.push({ type: 'createRun', run, dueTime: latestText });
    const late = nowMs - latest >= LATE_MS ? ` (a catch-up, ${Math.round((nowMs - latest) / 1000)} s after its due time)` : '';
    events.push(normal(SCHEDULED_EVENT_REASONS.runStarted, `started ${run.metadata.name} for ${latestText}${late}`));
    status.lastRun = latestText;
    status.lastRunName = run.metadata.name;
  }
  actions.push(...events);
  return { status: shapeScheduledStatus(status), actions, requeueAfterMs: requeueAfter(nextRun, nowMs) };
}

function requeueAfter(dueTime: number, nowMs: number): number {
  return Math.min(MAX_REQUEUE_MS, Math.max(1, dueTime - nowMs));
}
