/**
 * The ScheduledSparkApplication controller's shell: it reads the caches (the schedule, and its
 * runs among the cached SparkApplications, indexed by the `scheduled-app-name` label), asks the
 * pure core (`decide`) what to do, creates and deletes runs with idempotent calls, writes the status
 * through the status subresource, and queues the key again for the next due time. The runs are
 * SparkApplications: the SparkApplication controller takes them from there.
 */
import { ScheduledAction, ScheduledDecideOptions, SCHEDULED_EVENT_REASONS, decide, sameScheduledStatus } from './index';
import { SPARK_APPLICATION_TYPE_META, ScheduledSparkApplication, SparkApplication } from '../../../api';
import { timeZoneProblem } from '../../../core';
import { isFinalApiError } from '../../../kube/api-errors';
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';
import { RestClient } from '../../../kube/rest';
import { EventRecorder } from '../../kube/events';
import { KubeObject, keyOf } from '../../kube/informer';
import { ForeignObjectError, createOrAdopt, deleteIfOwned } from '../../kube/objects';
import { SCHEDULED_SPARK_APPLICATIONS } from '../../kube/resources';
import { ControllerCaches, RUNS_BY_SCHEDULE, scheduleOfRun } from '../caches';
import { CreatedObjects, createdKeyOf } from '../created-objects';
import { ReconcileResult, Reconciler } from '../shell/controller';
import { WrittenStatuses } from '../shell/written-statuses';
import { Cached, trimApplication, trimScheduledApplication } from '../trim';
import { withWholeSpec } from '../whole-spec';

type Scheduled = ScheduledSparkApplication & KubeObject;
type App = SparkApplication & KubeObject;

/** What the reconciler works with. */
export interface ScheduledReconcilerDependencies {
  readonly rest: RestClient;
  readonly caches: ControllerCaches;
  readonly events: EventRecorder;
  readonly log: Logger;
  readonly clock: Clock;
  readonly decideOptions: ScheduledDecideOptions;
}

/**
 * How long a run this controller created counts as existing although the cache does not show it
 * yet. The watch delivers it within moments; a run deleted before the cache ever saw it must not
 * block `Forbid` for ever.
 */
const CREATED_RUN_GRACE_MS = 60_000;

/**
 * The controller's local time zone, for schedules without `spec.timeZone`: the process's `TZ` as
 * the JavaScript runtime resolves it; undefined (croner's local time) when that is not a name the
 * operator accepts.
 */
export function localTimeZone(): string | undefined {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && timeZoneProblem(zone) === undefined ? zone : undefined;
}

export class ScheduledSparkApplicationReconciler implements Reconciler {
  /** Runs this controller created that the cache may not show yet. */
  private readonly created: CreatedObjects<App>;
  /** The schedules whose status this controller wrote and whose cache entry may not show it yet. */
  private readonly written: WrittenStatuses<Cached<ScheduledSparkApplication>>;
  /**
   * Per schedule, the last run whose refusal by the API server was reported as an Event (once per
   * run): one entry per schedule at most, dropped with the schedule.
   */
  private readonly reportedFailures = new Map<string, string>();

  constructor(private readonly deps: ScheduledReconcilerDependencies) {
    this.written = new WrittenStatuses(deps.rest, SCHEDULED_SPARK_APPLICATIONS, trimScheduledApplication);
    this.created = new CreatedObjects<App>(deps.clock, CREATED_RUN_GRACE_MS);
  }

  /** Connects the caches to `enqueue`: a schedule's key is queued on every change to it or to its runs. */
  public watch(enqueue: (key: string) => void): void {
    const { caches } = this.deps;
    for (const informer of caches.scheduledApplications.all) {
      informer.on({
        added: (scheduled) => enqueue(keyOf(scheduled)),
        updated: (_, scheduled) => enqueue(keyOf(scheduled)),
        deleted: (scheduled) => {
          this.written.forget(keyOf(scheduled));
          this.reportedFailures.delete(keyOf(scheduled));
        },
      });
    }
    // A run seen by the cache (or deleted) no longer needs to be remembered; its schedule looks again.
    const runChanged = (run: App) => {
      this.created.forget(createdKeyOf(SPARK_APPLICATION_TYPE_META.kind, run.metadata.namespace, run.metadata.name));
      const schedule = scheduleOfRun(run);
      if (schedule) enqueue(schedule);
    };
    for (const informer of caches.applications.all) {
      informer.on({
        added: runChanged,
        updated: (old, run) => {
          if (scheduleOfRun(old) !== scheduleOfRun(run)) runChanged(old);
          runChanged(run);
        },
        deleted: runChanged,
      });
    }
  }

  /** Decides and acts for the schedule `key`, writes its status, and asks to look again at its next due time. */
  public async reconcile(key: string): Promise<ReconcileResult> {
    const scheduled = await this.current(key);
    if (!scheduled || scheduled.metadata.deletionTimestamp) return {};
    const decision = decide(scheduled, this.runs(key), this.deps.clock.now(), this.deps.decideOptions);
    for (const action of decision.actions) await this.act(scheduled, action);
    if (!sameScheduledStatus(scheduled.status, decision.status)) {
      await this.written.write(key, scheduled, decision.status);
      const before = scheduled.status?.scheduleState ?? '';
      const after = decision.status.scheduleState ?? '';
      if (before !== after) {
        this.deps.log.info('schedule state changed', {
          namespace: scheduled.metadata.namespace,
          name: scheduled.metadata.name,
          from: before,
          state: after,
          nextRun: decision.status.nextRun,
          reason: decision.status.reason,
        });
      }
    }
    return { requeueAfterMs: decision.requeueAfterMs };
  }

  /**
   * The schedule as it is now, with its whole spec: the cache, unless it still shows the version our
   * last status write replaced; read from the API server when the cache left its spec out.
   */
  private async current(key: string): Promise<Scheduled | undefined> {
    const latest = this.written.latest(key, this.deps.caches.scheduledApplications.get(key));
    return latest && withWholeSpec(this.deps.rest, SCHEDULED_SPARK_APPLICATIONS, latest);
  }

  /** The cached runs of `key`, and those this controller created that the cache does not show yet. */
  private runs(key: string): App[] {
    const { applications } = this.deps.caches;
    const notCachedYet = this.created.list().filter((run) => scheduleOfRun(run) === key && !applications.get(keyOf(run)));
    return [...applications.byIndex(RUNS_BY_SCHEDULE, key), ...notCachedYet];
  }

  private async act(scheduled: Scheduled, action: ScheduledAction): Promise<void> {
    const { rest, log } = this.deps;
    const namespace = scheduled.metadata.namespace!;
    switch (action.type) {
      case 'createRun':
        return this.createRun(scheduled, action.run, action.dueTime);
      case 'deleteRun':
        log.info(action.why === 'history' ? 'deleting a run beyond the history limit' : 'deleting an unfinished run (concurrencyPolicy Replace)',
          { namespace, name: scheduled.metadata.name, run: action.name });
        // Only a run of this schedule: a SparkApplication that merely has the run's name is left alone.
        if (await deleteIfOwned(rest, { ...SPARK_APPLICATION_TYPE_META, metadata: { namespace, name: action.name } }, scheduled.metadata.uid!) === 'foreign') {
          log.warn('not deleting a SparkApplication the schedule does not own', { namespace, name: scheduled.metadata.name, run: action.name });
        }
        return;
      case 'event':
        this.deps.events.record(scheduled, action.eventType, action.reason, action.message);
        return;
    }
  }

  private async createRun(scheduled: Scheduled, run: SparkApplication, dueTime: string): Promise<void> {
    const key = `${run.metadata.namespace}/${run.metadata.name}`;
    try {
      const stored = await createOrAdopt(this.deps.rest, run as unknown as KubeObject);
      if (!this.deps.caches.applications.get(key)) this.created.remember(SPARK_APPLICATION_TYPE_META.kind, trimApplication(stored));
      this.reportedFailures.delete(keyOf(scheduled));
      this.deps.log.info('run started', { namespace: run.metadata.namespace, name: scheduled.metadata.name, run: run.metadata.name, dueTime });
    } catch (error) {
      // Refusals no retry changes are told once on the object; every failure is retried with backoff.
      const refused = error instanceof ForeignObjectError || isFinalApiError(error);
      if (refused && this.reportedFailures.get(keyOf(scheduled)) !== key) {
        this.reportedFailures.set(keyOf(scheduled), key);
        this.deps.events.record(scheduled, 'Warning', SCHEDULED_EVENT_REASONS.runFailed,
          `could not create ${run.metadata.name} for ${dueTime}: ${(error as Error).message}`);
      }
      throw error;
    }
  }
}
