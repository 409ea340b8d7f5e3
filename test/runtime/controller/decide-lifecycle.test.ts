import { NOTHING, actionKinds, app, decideAt, driverPod, executorPod, idOf, submittedStatus, time } from './fixtures';
import { SparkApplicationStatus } from '../../../src/api';
import { sameStatus, shapeStatus } from '../../../src/runtime/controller/spark-application';

const running = driverPod('Running', { container: { running: {} } });
const live = { ...NOTHING, driverPod: running, resourcesRemain: true };

function finished(state: 'COMPLETED' | 'FAILED', terminatedAt: number, extra: Partial<SparkApplicationStatus> = {}): SparkApplicationStatus {
  return shapeStatus({ ...submittedStatus(state), terminationTime: time(terminatedAt), ...extra });
}

describe('decide: suspend and resume', () => {
  test('suspend on a running application: SUSPENDING, its resources deleted', () => {
    const decision = decideAt(app(submittedStatus('RUNNING'), { suspend: true }), live, 50);
    expect(decision.status).toEqual(submittedStatus('SUSPENDING'));
    expect(decision.actions).toEqual([
      { type: 'event', eventType: 'Normal', reason: 'SparkApplicationSuspending', message: 'SparkApplication spark-pi is suspending' },
      { type: 'deleteResources' },
    ]);
    expect(decision.requeueAfterMs).toBe(5_000);
  });

  test('SUSPENDING waits until the resources are gone, then SUSPENDED (run details cleared, counters kept)', () => {
    const suspending = app(submittedStatus('SUSPENDING'), { suspend: true });
    expect(actionKinds(decideAt(suspending, { ...NOTHING, resourcesRemain: true }, 51))).toEqual(['deleteResources']);
    const decision = decideAt(suspending, NOTHING, 52);
    expect(decision.status).toEqual({ ...submittedStatus('SUSPENDED'), driverInfo: {} });
    expect(actionKinds(decision)).toEqual(['event:SparkApplicationSuspended']);
  });

  test('SUSPENDED stays while suspend is true', () => {
    const status = { ...submittedStatus('SUSPENDED'), driverInfo: {} };
    const decision = decideAt(app(status, { suspend: true }), NOTHING, 60);
    expect(sameStatus(status, decision.status)).toBe(true);
    expect(decision.actions).toEqual([]);
  });

  test('suspend false: RESUMING, then the next attempt is submitted', () => {
    const status = { ...submittedStatus('SUSPENDED'), driverInfo: {} };
    const decision = decideAt(app(status, { suspend: false }), NOTHING, 60);
    expect(decision.status).toMatchObject({ submissionID: idOf(2), submissionAttempts: 2, executionAttempts: 2, applicationState: { state: 'SUBMITTED' } });
    expect(actionKinds(decision)).toEqual(['event:SparkApplicationResuming', 'submit', 'ensureUiService', 'event:SparkApplicationSubmitted']);
  });

  test('Kueue\'s admission (suspend false with its pod-set changes in the same update) submits a suspended application, and its preemption stops it', () => {
    // GIVEN an application created suspended, as Kueue wants it: New -> SUSPENDING -> SUSPENDED
    const created = decideAt(app(undefined, { suspend: true }), NOTHING, 0);
    expect(created.status.applicationState?.state).toBe('SUSPENDED');
    // WHEN Kueue admits it: suspend false, and the driver and executor templates, labels and node
    // selectors of the admission written into the spec in the same update (a spec change)
    const template = { spec: { containers: [{ name: 'spark-kubernetes-driver' }] } };
    const admitted = { suspend: false, driver: { ...app().spec.driver, template, nodeSelector: { flavor: 'on-demand' } } };
    let status = created.status;
    let decision = decideAt(app(status, admitted), { ...NOTHING, specChanged: true }, 10);
    for (let t = 11; decision.status.applicationState?.state !== 'SUBMITTED' && t < 20; t++) {
      status = decision.status;
      decision = decideAt(app(status, admitted), NOTHING, t);
    }
    // THEN it is submitted, with the admitted spec
    expect(decision.status.applicationState?.state).toBe('SUBMITTED');
    expect(actionKinds(decision)).toContain('submit');
    // AND when Kueue preempts it (suspend true again), its driver is deleted and it is SUSPENDED
    const preempted = decideAt(app(decision.status, { ...admitted, suspend: true }), live, 30);
    expect(preempted.status.applicationState?.state).toBe('SUSPENDING');
    expect(actionKinds(preempted)).toContain('deleteResources');
    expect(decideAt(app(preempted.status, { ...admitted, suspend: true }), NOTHING, 31).status.applicationState?.state).toBe('SUSPENDED');
  });

  test('suspend does not touch a finished application', () => {
    const status = finished('COMPLETED', 10);
    expect(decideAt(app(status, { suspend: true }), NOTHING, 20).status).toEqual(status);
  });

  test.each(['SUBMITTED', 'PENDING_RERUN', 'SUBMISSION_FAILED', 'FAILING', 'SUCCEEDING', 'UNKNOWN', 'RESUMING'])('suspend moves %s to SUSPENDING', (state) => {
    expect(decideAt(app(submittedStatus(state), { suspend: true }), live, 20).status.applicationState?.state).toBe('SUSPENDING');
  });
});

describe('decide: a spec change (observed.specChanged)', () => {
  test('invalidates a running application: INVALIDATING, then PENDING_RERUN with everything reset', () => {
    const status = shapeStatus({ ...submittedStatus('RUNNING', 2, 0), sparkApplicationId: 'spark-1', executorState: { 'spark-pi-5e1a-exec-1': 'RUNNING' } });
    const decision = decideAt(app(status, { arguments: ['new'] }), { ...live, specChanged: true }, 30);
    expect(decision.status).toEqual({
      submissionID: idOf(2),
      lastSubmissionAttemptTime: null,
      terminationTime: null,
      driverInfo: {},
      applicationState: { state: 'PENDING_RERUN' },
    });
    expect(decision.actions).toEqual([
      {
        type: 'event',
        eventType: 'Normal',
        reason: 'SparkApplicationInvalidating',
        message: 'SparkApplication spark-pi spec changed: its current run is invalidated and it will run again',
      },
      { type: 'deleteResources' },
      { type: 'event', eventType: 'Normal', reason: 'SparkApplicationPendingRerun', message: 'SparkApplication spark-pi is pending rerun' },
    ]);
  });

  test('the changed spec is then submitted as attempt 1, under an id the old spec never had', () => {
    const pending = shapeStatus({ submissionID: idOf(1), driverInfo: {}, applicationState: { state: 'PENDING_RERUN' } });
    const decision = decideAt(app(pending, { arguments: ['new'] }), NOTHING, 31);
    const id = idOf(1, { arguments: ['new'] });
    expect(decision.status).toMatchObject({ submissionID: id, submissionAttempts: 1, executionAttempts: 1 });
    expect(id).not.toBe(idOf(1));
  });

  test.each(['COMPLETED', 'FAILED', 'SUBMISSION_FAILED', 'SUBMITTED', 'PENDING_RERUN', 'SUSPENDED'])('reruns a %s application', (state) => {
    const decision = decideAt(app(submittedStatus(state)), { ...NOTHING, specChanged: true }, 30);
    expect(decision.status.applicationState?.state).toBe('PENDING_RERUN');
    expect(decision.status.submissionAttempts).toBeUndefined();
  });

  test('a suspended application whose spec changed has its counters reset and stays suspended', () => {
    const status = { ...submittedStatus('SUSPENDED', 3), driverInfo: {} };
    const first = decideAt(app(status, { suspend: true }), { ...NOTHING, specChanged: true }, 30);
    expect(first.status).toMatchObject({ applicationState: { state: 'PENDING_RERUN' } });
    const second = decideAt(app(first.status, { suspend: true }), NOTHING, 31);
    expect(second.status).toEqual({ submissionID: idOf(3), lastSubmissionAttemptTime: null, terminationTime: null, driverInfo: {}, applicationState: { state: 'SUSPENDED' } });
  });

  test('INVALIDATING itself (written by someone else) is handled: PENDING_RERUN', () => {
    const decision = decideAt(app(submittedStatus('INVALIDATING')), NOTHING, 30);
    expect(decision.status.applicationState).toEqual({ state: 'PENDING_RERUN' });
    expect(actionKinds(decision)).toEqual(['deleteResources', 'event:SparkApplicationPendingRerun']);
  });
});

describe('decide: finished applications (COMPLETED, FAILED)', () => {
  test('without a time to live: left alone', () => {
    const status = finished('COMPLETED', 10);
    const decision = decideAt(app(status), NOTHING, 1_000_000);
    expect(decision).toEqual({ status, actions: [], changes: [] });
  });

  test('timeToLiveSeconds: looked at again when it ends, deleted after', () => {
    const status = finished('FAILED', 10, { applicationState: { state: 'FAILED', errorMessage: 'boom' } });
    expect(decideAt(app(status, { timeToLiveSeconds: 3600 }), NOTHING, 100).requeueAfterMs).toBe(3_510_000);
    expect(decideAt(app(status, { timeToLiveSeconds: 3600 }), NOTHING, 3610).requeueAfterMs).toBe(1_000);
    const expired = decideAt(app(status, { timeToLiveSeconds: 3600 }), NOTHING, 3611);
    expect(expired).toEqual({ status, actions: [{ type: 'deleteApplication' }], changes: [] });
  });

  test('the operator default applies when the application sets none, and the application\'s own wins', () => {
    const status = finished('COMPLETED', 0);
    expect(actionKinds(decideAt(app(status), NOTHING, 61, { defaultTimeToLiveSeconds: 60 }))).toEqual(['deleteApplication']);
    expect(decideAt(app(status, { timeToLiveSeconds: 120 }), NOTHING, 61, { defaultTimeToLiveSeconds: 60 }).requeueAfterMs).toBe(59_000);
    expect(actionKinds(decideAt(app(status, { timeToLiveSeconds: 0 }), NOTHING, 1, { defaultTimeToLiveSeconds: 60 }))).toEqual(['deleteApplication']);
  });

  test('an application that only now finished has its final status written before it is deleted', () => {
    // GIVEN a run that failed an hour ago, unseen (the controller was down), with a time to live of a minute
    const status = shapeStatus({ ...submittedStatus('FAILING'), terminationTime: time(0), applicationState: { state: 'FAILING', errorMessage: 'boom' } });
    // WHEN deciding
    const decision = decideAt(app(status, { timeToLiveSeconds: 60 }), NOTHING, 3600);
    // THEN FAILED is written now, and the deletion follows in a second
    expect(decision.status.applicationState).toEqual({ state: 'FAILED', errorMessage: 'boom' });
    expect(actionKinds(decision)).toEqual(['event:SparkApplicationFailed']);
    expect(decision.requeueAfterMs).toBe(1_000);
    expect(actionKinds(decideAt(app(decision.status, { timeToLiveSeconds: 60 }), NOTHING, 3601))).toEqual(['deleteApplication']);
  });

  test('no termination time: never expires (upstream)', () => {
    const status = shapeStatus({ ...submittedStatus('COMPLETED'), terminationTime: null });
    expect(decideAt(app(status, { timeToLiveSeconds: 1 }), NOTHING, 100)).toEqual({ status, actions: [], changes: [] });
  });

  test('the driver PDB is dropped on every pass of a finished application that asked for one', () => {
    expect(actionKinds(decideAt(app(finished('COMPLETED', 0), { driverPodDisruptionBudget: true }), NOTHING, 5))).toEqual(['deleteDriverPdb']);
  });

  test('executor states stay current: executors ending after the driver are recorded', () => {
    const status = finished('COMPLETED', 0, { executorState: { 'spark-pi-5e1a-exec-1': 'RUNNING', 'spark-pi-5e1a-exec-2': 'RUNNING' } });
    const decision = decideAt(app(status), { ...NOTHING, executorPods: [executorPod(1, 'Succeeded')] }, 5);
    expect(decision.status.executorState).toEqual({ 'spark-pi-5e1a-exec-1': 'COMPLETED', 'spark-pi-5e1a-exec-2': 'COMPLETED' });
    expect(actionKinds(decision)).toEqual(['event:SparkExecutorCompleted']);
  });

  test('a state this controller does not know is left alone', () => {
    const status = shapeStatus({ driverInfo: {}, applicationState: { state: 'FROM_THE_FUTURE' as any } });
    expect(decideAt(app(status), live, 5)).toEqual({ status, actions: [], changes: [] });
  });
});
