import * as fc from 'fast-check';
import { OPTIONS, UID, app, at } from './fixtures';
import { APPLICATION_STATES, LABELS, RestartPolicy, SparkApplication, SparkApplicationStatus } from '../../../src/api';
import { canonicalJson, specFingerprint } from '../../../src/core';
import {
  Action, DecideOptions, Decision, Observed, ObservedPod, decide, nextSubmissionId, shapeStatus,
} from '../../../src/runtime/controller/spark-application';

/**
 * A small cluster and a shell around `decide`: the shell reconciles after every change of the world,
 * carries out the actions, and writes the status (unless it "crashes" first, when it reconciles again
 * at once from the old status). The tests hold every decision to the invariants of the state machine.
 */

type WorldEvent =
  | { kind: 'tick'; seconds: number }
  | { kind: 'driver'; to: 'Running' | 'Succeeded' | 'Failed' | 'Unknown' | 'exit0' | 'exit1' | 'gone' | 'unschedulable' }
  | { kind: 'settle' }
  | { kind: 'executor'; to: 'add' | 'burst' | 'Running' | 'Succeeded' | 'Failed' | 'gone' }
  | { kind: 'edit' }
  | { kind: 'suspend'; value: boolean }
  | { kind: 'ttl'; seconds?: number }
  | { kind: 'failNextSubmit' }
  | { kind: 'crashNextWrite' }
  /** A few events in a row that random draws rarely line up (a suspension cycle, a complete run). */
  | { kind: 'sequence'; events: WorldEvent[] };

interface Pod { submissionId: string; phase: string; container?: NonNullable<ObservedPod['containerStatuses']>[number]['state']; deleting: boolean; created: number; unschedulable?: boolean }

interface Scenario { policy: RestartPolicy; options: DecideOptions; events: WorldEvent[] }

const worldEvent: fc.Arbitrary<WorldEvent> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('driver' as const), to: fc.constantFrom('Running', 'Succeeded', 'Failed', 'Unknown', 'exit0', 'exit1', 'gone', 'unschedulable') as fc.Arbitrary<any> }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'settle' as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('executor' as const), to: fc.constantFrom('add', 'burst', 'Running', 'Succeeded', 'Failed', 'gone') as fc.Arbitrary<any> }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'edit' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('suspend' as const), value: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ttl' as const), seconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'failNextSubmit' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crashNextWrite' as const }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<WorldEvent[]>(
      [{ kind: 'suspend', value: true }, { kind: 'settle' }, { kind: 'suspend', value: false }],
      [{ kind: 'driver', to: 'Running' }, { kind: 'executor', to: 'burst' }, { kind: 'driver', to: 'Succeeded' }, { kind: 'tick', seconds: 5 }],
      [{ kind: 'driver', to: 'Running' }, { kind: 'driver', to: 'Unknown' }, { kind: 'driver', to: 'Running' }],
    ).map((events): WorldEvent => ({ kind: 'sequence', events })),
  },
);

const policies: fc.Arbitrary<RestartPolicy> = fc.oneof(
  fc.constant<RestartPolicy>({ type: 'Never' }),
  fc.record<RestartPolicy>({
    type: fc.constant('OnFailure'),
    onFailureRetries: fc.integer({ min: 0, max: 3 }),
    onSubmissionFailureRetries: fc.integer({ min: 0, max: 3 }),
    onFailureRetryInterval: fc.integer({ min: 1, max: 60 }),
    onSubmissionFailureRetryInterval: fc.integer({ min: 1, max: 60 }),
  }),
  fc.record<RestartPolicy>({ type: fc.constant('Always'), onFailureRetryInterval: fc.integer({ min: 1, max: 60 }) }),
);

const decideOptions: fc.Arbitrary<DecideOptions> = fc.record({
  driverPodCreationGracePeriodSeconds: fc.integer({ min: 0, max: 30 }),
  driverPendingTimeoutSeconds: fc.option(fc.integer({ min: 30, max: 600 }), { nil: undefined }),
  maxTrackedExecutors: fc.integer({ min: 1, max: 4 }),
  defaultTimeToLiveSeconds: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
  uiIngress: fc.boolean(),
});

const scenario: fc.Arbitrary<Scenario> = fc.record({ policy: policies, options: decideOptions, events: fc.array(worldEvent, { maxLength: 80 }) });

/** Every `from -> to` of a decision the simulations made, and every Event reason: to check that the worlds reach every state. */
const reached = new Set<string>();

const isTerminal = (state: string | undefined) => state === 'COMPLETED' || state === 'FAILED';
const hasEvent = (d: Decision, reason: string) => d.actions.some((a) => a.type === 'event' && a.reason === reason);

class Simulation {
  public now = 0;
  public application: SparkApplication | undefined;
  public driver: Pod | undefined;
  public uiService = false;
  public readonly executors = new Map<number, { submissionId: string; phase: string }>();
  public specChanged = false;
  public failNextSubmit = false;
  public crashNextWrite = false;
  /** Every id submitted, by `<spec fingerprint>/<attempt>`: one id per attempt of a spec. */
  public readonly ids = new Map<string, string>();
  private nextExecutorId = 1;
  private edits = 0;

  constructor(private readonly options: DecideOptions, policy: RestartPolicy) {
    this.application = app(undefined, { restartPolicy: policy });
  }

  public observed(status: SparkApplicationStatus | undefined): Observed {
    const submission = status?.submissionID;
    const driverPod: ObservedPod | undefined = this.driver && {
      name: 'spark-pi-driver',
      labels: { [LABELS.appName]: 'spark-pi', [LABELS.submissionId]: this.driver.submissionId, [LABELS.sparkAppSelector]: 'spark-app-1' },
      phase: this.driver.phase,
      creationTimestamp: at(this.driver.created).toISOString(),
      ...this.driver.deleting ? { deletionTimestamp: at(this.now).toISOString() } : {},
      ...this.driver.container ? { containerStatuses: [{ name: 'spark-kubernetes-driver', state: this.driver.container }] } : {},
      ...this.driver.unschedulable ? { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } : {},
    };
    const executorPods = [...this.executors.entries()]
      .filter(([, e]) => e.submissionId === submission)
      .map(([id, e]): ObservedPod => ({
        name: `spark-pi-5e1a-exec-${id}`,
        labels: { [LABELS.sparkRole]: 'executor', [LABELS.submissionId]: e.submissionId, 'spark-exec-id': String(id) },
        phase: e.phase,
      }));
    return {
      ...driverPod ? { driverPod } : {},
      executorPods,
      resourcesRemain: this.driver !== undefined || this.uiService,
      ...this.specChanged ? { specChanged: true } : {},
      ...this.uiService ? { uiService: { clusterIP: '10.0.0.1', port: 4040 } } : {},
    };
  }

  /** Changes the world; returns false once the application is gone. */
  public apply(event: WorldEvent): void {
    const a = this.application!;
    switch (event.kind) {
      case 'tick': this.now += event.seconds; break;
      case 'settle':
        if (this.driver?.deleting) this.driver = undefined;
        if (this.driver === undefined) this.executors.clear();
        break;
      case 'driver': this.driverEvent(event.to); break;
      case 'executor': this.executorEvent(event.to, a.status?.submissionID); break;
      case 'edit':
        a.spec = { ...a.spec, arguments: [`edit-${++this.edits}`] };
        this.specChanged = true;
        break;
      case 'suspend': a.spec = { ...a.spec, suspend: event.value }; break;
      case 'ttl': a.spec = { ...a.spec, timeToLiveSeconds: event.seconds }; break;
      case 'failNextSubmit': this.failNextSubmit = true; break;
      case 'crashNextWrite': this.crashNextWrite = true; break;
      case 'sequence': break;
    }
  }

  /** One reconcile: decide, check, act, write (or crash and reconcile again). */
  public reconcile(): void {
    const a = this.application;
    if (a === undefined) return;
    const decision = this.decideChecked(a);
    const crashed = this.crashNextWrite;
    this.crashNextWrite = false;
    const final = this.act(a, decision);
    if (this.application === undefined) return;
    if (crashed) {
      // The shell died after acting: the next reconcile starts from the old status and must repeat, not redo.
      const again = this.decideChecked(a);
      const submitted = final.actions.find((x) => x.type === 'submit');
      if (submitted) {
        const repeated = again.actions.some((x) => canonicalJson(x) === canonicalJson(submitted));
        must(repeated && !again.actions.some((x) => x.type === 'deleteResources'), 'a crashed shell repeats its submission and deletes nothing', again);
      }
      this.write(a, this.act(a, again));
    } else {
      this.write(a, final);
    }
  }

  private write(a: SparkApplication, decision: Decision): void {
    a.status = decision.status;
    this.specChanged = false;
  }

  private decideChecked(a: SparkApplication): Decision {
    const observed = this.observed(a.status);
    const decision = decide(a, observed, at(this.now), this.options);
    checkDecision(a, observed, decision, this.options);
    must(JSON.stringify(decide(a, observed, at(this.now), this.options)) === JSON.stringify(decision), 'the same inputs give the same decision');
    this.record(a, decision);
    return decision;
  }

  private record(a: SparkApplication, decision: Decision): void {
    reached.add(`${a.status?.applicationState?.state ?? ''} -> ${decision.status.applicationState?.state}`);
    for (const action of decision.actions) reached.add(action.type === 'event' ? action.reason : action.type);
  }

  /** Carries out the actions; a failing submit gets the decision with `submitFailure` instead. */
  private act(a: SparkApplication, decision: Decision): Decision {
    for (const action of decision.actions) {
      if (action.type === 'submit') {
        // THE invariant: never a submission while another driver of the application exists.
        must(this.driver === undefined || (!this.driver.deleting && this.driver.submissionId === action.submissionId),
          'never a submission while another driver of the application exists', { driver: this.driver, action });
        // One id per attempt of a spec, whichever decision submits it.
        const key = `${specFingerprint(a.spec)}/${decision.status.submissionAttempts}`;
        must((this.ids.get(key) ?? action.submissionId) === action.submissionId, 'one submission id per attempt', { key, ids: [...this.ids] });
        this.ids.set(key, action.submissionId);
        if (this.failNextSubmit) {
          this.failNextSubmit = false;
          const retry = decide(a, { ...this.observed(a.status), submitFailure: { submissionId: action.submissionId, message: 'refused' } }, at(this.now), this.options);
          checkDecision(a, this.observed(a.status), retry, this.options);
          this.record(a, retry);
          must(!retry.actions.some((x) => x.type === 'submit') && ['SUBMISSION_FAILED', 'FAILED'].includes(retry.status.applicationState?.state ?? ''),
            'a failed submission is SUBMISSION_FAILED (or FAILED), not submitted again', retry);
          return this.act(a, retry);
        }
        if (this.driver === undefined) this.driver = { submissionId: action.submissionId, phase: 'Pending', deleting: false, created: this.now };
      }
      this.carryOut(action);
      if (this.application === undefined) break;
    }
    return decision;
  }

  private carryOut(action: Action): void {
    switch (action.type) {
      case 'deleteResources':
        if (this.driver) this.driver.deleting = true;
        this.uiService = false;
        break;
      case 'ensureUiService': this.uiService = true; break;
      case 'deleteApplication': this.application = undefined; break;
      default: break;
    }
  }

  private driverEvent(to: Extract<WorldEvent, { kind: 'driver' }>['to']): void {
    const d = this.driver;
    if (d === undefined) return;
    switch (to) {
      case 'gone': this.driver = undefined; break;
      case 'Running': if (d.phase === 'Pending' || d.phase === 'Unknown') Object.assign(d, { phase: 'Running', container: { running: {} }, unschedulable: false }); break;
      case 'unschedulable': if (d.phase === 'Pending') d.unschedulable = true; break;
      case 'Succeeded': if (d.phase === 'Running') Object.assign(d, { phase: 'Succeeded', container: { terminated: { exitCode: 0, reason: 'Completed' } } }); break;
      case 'Failed': if (d.phase !== 'Succeeded') Object.assign(d, { phase: 'Failed', container: { terminated: { exitCode: 1, reason: 'Error' } } }); break;
      case 'exit0': if (d.phase === 'Running') d.container = { terminated: { exitCode: 0, reason: 'Completed' } }; break;
      case 'exit1': if (d.phase === 'Running') d.container = { terminated: { exitCode: 1, reason: 'Error' } }; break;
      case 'Unknown': if (d.phase === 'Running') d.phase = 'Unknown'; break;
    }
  }

  private executorEvent(to: Extract<WorldEvent, { kind: 'executor' }>['to'], submission: string | undefined): void {
    if (to === 'add' || to === 'burst') {
      if (this.driver?.phase === 'Running' && this.driver.submissionId === submission) {
        for (let i = 0; i < (to === 'burst' ? 5 : 1); i++) this.executors.set(this.nextExecutorId++, { submissionId: this.driver.submissionId, phase: 'Pending' });
      }
      return;
    }
    const first = [...this.executors.keys()][0];
    if (first === undefined) return;
    if (to === 'gone') this.executors.delete(first);
    else this.executors.get(first)!.phase = to;
  }
}

/**
 * Fails the property with `what` and the decision at hand. A plain throw: jest's expect() per check
 * and reconcile costs more than the decisions themselves.
 */
function must(condition: boolean, what: string, details?: unknown): asserts condition {
  if (!condition) throw new Error(`${what}${details === undefined ? '' : `: ${JSON.stringify(details)}`}`);
}

/** The invariants every single decision keeps. */
function checkDecision(a: SparkApplication, observed: Observed, d: Decision, options: DecideOptions): void {
  const before = shapeStatus(a.status);
  const from = before.applicationState.state;
  const to = d.status.applicationState?.state;
  const context = { from, status: d.status, actions: d.actions, observed };
  // Upstream's shape, a known state, and INVALIDATING never left behind (it is handled in the same decision).
  must(canonicalJson(shapeStatus(d.status)) === canonicalJson(d.status), 'the status has upstream\'s shape', context);
  must(to !== undefined && APPLICATION_STATES.includes(to), 'a known state', context);
  must(to !== 'INVALIDATING', 'INVALIDATING is handled in the decision that enters it', context);
  // Counters never go down, except when a spec change reset them.
  if (!hasEvent(d, 'SparkApplicationInvalidating') && from !== 'INVALIDATING') {
    must((d.status.submissionAttempts ?? 0) >= (before.submissionAttempts ?? 0), 'submissionAttempts never decreases', context);
    must((d.status.executionAttempts ?? 0) >= (before.executionAttempts ?? 0), 'executionAttempts never decreases', context);
  }
  // A submission: one at most, never while suspended, and it is what the status records.
  const submits = d.actions.filter((x): x is Extract<Action, { type: 'submit' }> => x.type === 'submit');
  must(submits.length <= 1, 'one submission at most', context);
  if (submits.length === 1) {
    must(to === 'SUBMITTED' && submits[0].submissionId === d.status.submissionID, 'a submission is recorded as SUBMITTED with its id', context);
    must(a.spec.suspend !== true, 'no submission while suspended', context);
  }
  // Terminal states are left only by a spec change (a rerun); the application is deleted only when finished, and alone.
  if (isTerminal(from) && to !== from) must(observed.specChanged === true, 'COMPLETED and FAILED are left only by a spec change', context);
  if (d.actions.some((x) => x.type === 'deleteApplication')) {
    must(isTerminal(from) && d.actions.length === 1 && canonicalJson(d.status) === canonicalJson(before), 'deleted only when finished, as it is', context);
  }
  // Waiting never hangs: a wait for a driver or for deletions has a time to look again.
  if (to === 'SUBMITTED' && observed.driverPod === undefined && submits.length === 0) must(d.requeueAfterMs !== undefined, 'the grace period is timed', context);
  if (d.actions.some((x) => x.type === 'deleteResources')) must(d.requeueAfterMs !== undefined, 'deletions are looked after', context);
  if (d.requeueAfterMs !== undefined) must(Number.isInteger(d.requeueAfterMs / 1000) && d.requeueAfterMs >= 1000, 'whole seconds >= 1', context);
  // The executor map stays bounded; every Event has one of our reasons.
  must(Object.keys(d.status.executorState ?? {}).length <= options.maxTrackedExecutors, 'executorState is bounded', context);
  for (const action of d.actions) {
    if (action.type === 'event') must(/^Spark(Application|Driver|Executor)[A-Za-z]+$/.test(action.reason), 'an Event reason', action);
  }
}

/** Runs a scenario: a reconcile after the creation and after every change of the world. */
function run({ policy: p, options: o, events }: Scenario): Simulation {
  const sim = new Simulation(o, p);
  sim.reconcile();
  const flat = events.flatMap((e) => (e.kind === 'sequence' ? e.events : [e]));
  for (const event of flat) {
    if (sim.application === undefined) break;
    sim.apply(event);
    sim.reconcile();
  }
  return sim;
}

describe('decide: property tests over random worlds', () => {
  test('random pod events, clock advances, spec edits, failures and crashes never break an invariant', () => {
    fc.assert(fc.property(scenario, (s) => {
      run(s);
    }), { numRuns: 1000 });
  });

  test('the random worlds reach every state, every action and the main transitions', () => {
    // A fixed sample, so that this check of the generators does not depend on the run's seed.
    reached.clear();
    for (const s of fc.sample(scenario, { numRuns: 600, seed: 20260101 })) run(s);
    // INVALIDATING, SUCCEEDING and RESUMING are handled in the decision that enters them: their Events tell.
    const passedThrough = ['INVALIDATING', 'SUCCEEDING', 'RESUMING'];
    const states = new Set([...reached].flatMap((r) => r.split(' -> ')));
    const missing = APPLICATION_STATES.filter((s) => !passedThrough.includes(s) && !states.has(s));
    expect(missing).toEqual([]);
    const missingSeen: string[] = [];
    for (const seen of [
      'SparkApplicationInvalidating', 'SparkDriverCompleted', 'SparkApplicationResuming', 'submit', 'deleteResources', 'ensureUiService', 'deleteApplication', 'SparkDriverPendingTimeout',
      'SparkDriverNotFound', 'SparkExecutorsUntracked', 'SparkApplicationSubmissionFailed',
      ' -> SUBMITTED', 'SUBMITTED -> RUNNING', 'RUNNING -> FAILED', 'RUNNING -> COMPLETED', 'RUNNING -> PENDING_RERUN', 'RUNNING -> UNKNOWN',
      'UNKNOWN -> RUNNING', 'PENDING_RERUN -> SUBMITTED', 'SUBMISSION_FAILED -> SUBMITTED', 'SUSPENDED -> SUBMITTED', 'SUSPENDING -> SUSPENDED',
      'COMPLETED -> PENDING_RERUN', 'FAILED -> PENDING_RERUN', 'FAILING -> PENDING_RERUN', 'FAILING -> FAILED',
    ]) if (!reached.has(seen)) missingSeen.push(seen);
    expect(missingSeen).toEqual([]);
  });

  test('a settled world always moves on: PENDING_RERUN, RESUMING and SUSPENDING never wait once nothing remains', () => {
    fc.assert(fc.property(scenario, (s) => {
      const sim = run(s);
      if (sim.application === undefined) return;
      // WHEN every deletion completes and the shell looks again
      sim.apply({ kind: 'settle' });
      sim.reconcile();
      sim.reconcile();
      // THEN no state that waits for deletions is left
      const state = sim.application?.status?.applicationState?.state;
      expect(['PENDING_RERUN', 'RESUMING', 'SUSPENDING', 'INVALIDATING']).not.toContain(state);
    }), { numRuns: 200 });
  });

  test('the id submitted is a pure function of the status and spec it is decided from', () => {
    fc.assert(fc.property(fc.nat({ max: 20 }), fc.array(fc.string(), { maxLength: 3 }), (attempts, args) => {
      const a = app(undefined, { arguments: args });
      const status = shapeStatus({ driverInfo: {}, submissionAttempts: attempts, applicationState: { state: 'PENDING_RERUN' } });
      const d = decide({ ...a, status }, { executorPods: [], resourcesRemain: false }, at(0), OPTIONS);
      expect(d.actions[0]).toEqual({ type: 'submit', submissionId: nextSubmissionId({ ...a, metadata: { ...a.metadata, uid: UID } }, status) });
    }), { numRuns: 200 });
  });

  test('decide never throws, whatever the status and observation', () => {
    const anyPod = fc.record({
      name: fc.string(), labels: fc.dictionary(fc.string(), fc.string()), phase: fc.option(fc.string(), { nil: undefined }),
    });
    fc.assert(fc.property(fc.anything(), fc.anything(), fc.option(anyPod, { nil: undefined }), fc.boolean(), (status, spec, pod, remain) => {
      const a = { ...app(), spec, status } as any;
      const d = decide(a, { executorPods: [], resourcesRemain: remain, ...pod ? { driverPod: pod } : {} }, at(0),
        { driverPodCreationGracePeriodSeconds: 10, maxTrackedExecutors: 10, uiIngress: false, driverPendingTimeoutSeconds: 5 });
      expect(Array.isArray(d.actions)).toBe(true);
    }), { numRuns: 500 });
  });
});
