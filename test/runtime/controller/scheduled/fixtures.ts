import {
  ApplicationStateType, LABELS, ScheduledSparkApplication, ScheduledSparkApplicationSpec, ScheduledSparkApplicationStatus, SparkApplication,
} from '../../../../src/api';
import { scheduledRunName } from '../../../../src/core';
import {
  ScheduledAction, ScheduledDecideOptions, ScheduledDecision, decide,
} from '../../../../src/runtime/controller/scheduled';
import { sparkPiSpec } from '../../../fixtures/spark-pi-spec';

export const UID = '5b1e0c7a-0000-4000-8000-00000000000a';
export const NAME = 'nightly';
export const NAMESPACE = 'spark-jobs';
/** When the fixture's ScheduledSparkApplication was created. */
export const CREATED = '2026-12-01T00:00:00Z';

/** The template of every fixture. */
export const TEMPLATE: ScheduledSparkApplicationSpec['template'] = { ...sparkPiSpec(), executor: { cores: 1, memory: '1g', instances: 1 } };

/** A valid ScheduledSparkApplication (every 5 minutes, UTC, no policy) with `spec` and `status` changes. */
export function scheduled(spec: Partial<ScheduledSparkApplicationSpec> = {}, status?: ScheduledSparkApplicationStatus,
  metadata: Partial<ScheduledSparkApplication['metadata']> = {}): ScheduledSparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'ScheduledSparkApplication',
    metadata: { name: NAME, namespace: NAMESPACE, uid: UID, creationTimestamp: CREATED, labels: { team: 'data' }, ...metadata },
    spec: { schedule: '*/5 * * * *', timeZone: 'UTC', template: TEMPLATE, ...spec },
    ...status ? { status } : {},
  };
}

/** The run of `due` (an ISO time) as the cluster holds it, in `state`. */
export function run(due: string, state: ApplicationStateType = 'RUNNING',
  extra: { owner?: string; created?: string; scheduledName?: string } = {}): SparkApplication {
  const scheduledName = extra.scheduledName ?? NAME;
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: {
      name: scheduledRunName(scheduledName, new Date(due)),
      namespace: NAMESPACE,
      labels: { team: 'data', [LABELS.scheduledAppName]: scheduledName },
      creationTimestamp: extra.created ?? due,
      ownerReferences: [{
        apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'ScheduledSparkApplication', name: scheduledName, uid: extra.owner ?? UID, blockOwnerDeletion: true,
      }],
    },
    spec: TEMPLATE,
    ...state !== '' ? { status: { driverInfo: {}, applicationState: { state } } } : {},
  };
}

/** The name of the run of `due`. */
export function runName(due: string): string {
  return scheduledRunName(NAME, new Date(due));
}

/** decide() at the ISO time `now`. */
export function decideAt(s: ScheduledSparkApplication, runs: SparkApplication[], now: string,
  options: ScheduledDecideOptions = {}): ScheduledDecision {
  return decide(s, runs, new Date(now), options);
}

/** The actions without Events, as `type:name`. */
export function changes(decision: ScheduledDecision): string[] {
  return decision.actions.filter((a) => a.type !== 'event').map((a) => {
    if (a.type === 'createRun') return `create:${a.run.metadata.name}`;
    if (a.type === 'deleteRun') return `delete:${a.name}`;
    return (a as { type: string }).type;
  });
}

/** The Events, as `reason`. */
export function eventReasons(decision: ScheduledDecision): string[] {
  return decision.actions.filter((a): a is Extract<ScheduledAction, { type: 'event' }> => a.type === 'event').map((a) => a.reason);
}

/** The Event of `reason`. */
export function eventOf(decision: ScheduledDecision, reason: string): Extract<ScheduledAction, { type: 'event' }> | undefined {
  return decision.actions.find((a): a is Extract<ScheduledAction, { type: 'event' }> => a.type === 'event' && a.reason === reason);
}

/**
 * A simulated cluster and controller: decide, carry out the actions (created runs start with no
 * status), write the status, sleep until the requeue; runs finish `runForMs` after creation (and
 * wake the controller, as the runs' informer does).
 */
export class Simulation {
  public readonly runs = new Map<string, SparkApplication & { finishAt: number }>();
  public readonly created: string[] = [];
  /** The decisions whose status was written (not those of a crash). */
  public readonly decisions: ScheduledDecision[] = [];
  public status: ScheduledSparkApplicationStatus | undefined;
  public now: number;
  private wakeAt: number | undefined;

  constructor(public object: ScheduledSparkApplication, start: string, private readonly runForMs = 60_000,
    private readonly options: ScheduledDecideOptions = {}, private readonly outcome: ApplicationStateType = 'COMPLETED') {
    this.now = Date.parse(start);
    this.status = object.status;
  }

  /** One pass at the current time; `crash`: the actions are carried out, the status is not written. */
  public pass(crash = false): ScheduledDecision {
    this.settleRuns();
    const decision = decide({ ...this.object, status: this.status }, [...this.runs.values()], new Date(this.now), this.options);
    for (const action of decision.actions) {
      if (action.type === 'createRun') {
        const name = action.run.metadata.name!;
        if (this.created.includes(name)) throw new Error(`${name} was created twice`);
        this.created.push(name);
        const metadata = { ...action.run.metadata, creationTimestamp: new Date(this.now).toISOString() };
        this.runs.set(name, { ...action.run, metadata, finishAt: this.now + this.runForMs });
      } else if (action.type === 'deleteRun') {
        this.runs.delete(action.name);
      }
    }
    if (!crash) {
      this.status = decision.status;
      this.decisions.push(decision);
    }
    this.wakeAt = decision.requeueAfterMs !== undefined ? this.now + decision.requeueAfterMs : undefined;
    return decision;
  }

  /** Runs the controller until `until` (ISO), waking at every requeue and every run that finishes. */
  public runUntil(until: string): void {
    const end = Date.parse(until);
    for (let guard = 0; guard < 100_000; guard++) {
      const finishes = [...this.runs.values()].filter((r) => r.status?.applicationState?.state !== this.outcome).map((r) => r.finishAt);
      const next = Math.min(this.wakeAt ?? Infinity, ...finishes);
      if (next > end) {
        this.now = end;
        return;
      }
      this.now = Math.max(this.now, next);
      this.pass();
    }
    throw new Error('the simulation did not end');
  }

  /** Moves time on without a controller (downtime). */
  public down(until: string): void {
    this.now = Date.parse(until);
    this.wakeAt = undefined;
  }

  private settleRuns(): void {
    for (const r of this.runs.values()) {
      if (r.finishAt <= this.now) r.status = { driverInfo: {}, applicationState: { state: this.outcome } };
    }
  }
}
