import { NOTHING, actionKinds, app, decideAt, driverPod, idOf, submittedStatus, time } from './fixtures';
import { RestartPolicy } from '../../../src/api';
import { shapeStatus } from '../../../src/runtime/controller/spark-application';

const spec = (restartPolicy: RestartPolicy) => ({ restartPolicy });
const onFailure = spec({ type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 10, onSubmissionFailureRetries: 1, onSubmissionFailureRetryInterval: 20 });

/** A status of attempt `attempt`, submitted at `at(submittedAt)`, in `state`, with the run's details set. */
function finishedRun(state: string, attempt: number, submittedAt: number, errorMessage?: string) {
  return shapeStatus({
    ...submittedStatus(state, attempt, submittedAt),
    sparkApplicationId: 'spark-1',
    terminationTime: time(submittedAt + 60),
    driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc', webUIAddress: '10.0.0.1:4040', webUIPort: 4040 },
    executorState: { 'spark-pi-5e1a-exec-1': 'COMPLETED' },
    applicationState: errorMessage ? { state: state as any, errorMessage } : { state: state as any },
  });
}

describe('decide: restart policies and retries', () => {
  describe('FAILING', () => {
    test('Never: FAILED, keeping the error', () => {
      const decision = decideAt(app(finishedRun('FAILING', 1, 0, 'driver container failed with ExitCode: 1, Reason: Error')), NOTHING, 100);
      expect(decision.status).toEqual(finishedRun('FAILED', 1, 0, 'driver container failed with ExitCode: 1, Reason: Error'));
      expect(decision.actions).toEqual([{
        type: 'event',
        eventType: 'Warning',
        reason: 'SparkApplicationFailed',
        message: 'SparkApplication spark-pi failed: driver container failed with ExitCode: 1, Reason: Error',
      }]);
    });

    test('OnFailure within the retries, when due: PENDING_RERUN, resources deleted, the run\'s details cleared, counters kept', () => {
      const decision = decideAt(app(finishedRun('FAILING', 1, 0, 'boom'), onFailure), NOTHING, 100);
      expect(decision.status).toEqual({
        submissionID: idOf(1),
        lastSubmissionAttemptTime: time(0),
        terminationTime: null,
        driverInfo: {},
        applicationState: { state: 'PENDING_RERUN' },
        executionAttempts: 1,
        submissionAttempts: 1,
      });
      expect(decision.actions).toEqual([
        { type: 'deleteResources' },
        { type: 'event', eventType: 'Normal', reason: 'SparkApplicationPendingRerun', message: 'SparkApplication spark-pi is pending rerun' },
      ]);
      expect(decision.requeueAfterMs).toBe(5_000);
    });

    test('OnFailure, not yet due: waits interval × submissionAttempts − (now − lastSubmissionAttemptTime)', () => {
      // GIVEN the second attempt, submitted at t=100, failed (interval 10: due at 100 + 10 × 2 = 120)
      const status = finishedRun('FAILING', 2, 100, 'boom');
      // WHEN deciding at t=105
      const decision = decideAt(app(status, onFailure), NOTHING, 105);
      // THEN nothing changes and the decision looks again when due
      expect(decision.status).toEqual(status);
      expect(decision.actions).toEqual([]);
      expect(decision.requeueAfterMs).toBe(15_000);
      // AND at t=120 the rerun is due
      expect(decideAt(app(status, onFailure), NOTHING, 120).status.applicationState?.state).toBe('PENDING_RERUN');
    });

    test('OnFailure: onFailureRetries N allows N + 1 runs', () => {
      expect(decideAt(app(finishedRun('FAILING', 2, 0, 'boom'), onFailure), NOTHING, 1000).status.applicationState?.state).toBe('PENDING_RERUN');
      expect(decideAt(app(finishedRun('FAILING', 3, 0, 'boom'), onFailure), NOTHING, 1000).status.applicationState?.state).toBe('FAILED');
    });

    test('OnFailure without onFailureRetries never retries (upstream)', () => {
      expect(decideAt(app(finishedRun('FAILING', 1, 0, 'boom'), spec({ type: 'OnFailure' })), NOTHING, 1000).status.applicationState?.state).toBe('FAILED');
    });

    test('Always: reruns without limit, after the default interval of 5 s × attempts', () => {
      const always = spec({ type: 'Always' });
      expect(decideAt(app(finishedRun('FAILING', 7, 0, 'boom'), always), NOTHING, 30).requeueAfterMs).toBe(5_000);
      expect(decideAt(app(finishedRun('FAILING', 7, 0, 'boom'), always), NOTHING, 35).status.applicationState?.state).toBe('PENDING_RERUN');
    });

    test('a status without a submission time is due at once (upstream errors out for ever)', () => {
      const status = { ...finishedRun('FAILING', 1, 0, 'boom'), lastSubmissionAttemptTime: null };
      expect(decideAt(app(status, onFailure), NOTHING, 0).status.applicationState?.state).toBe('PENDING_RERUN');
    });
  });

  describe('SUCCEEDING', () => {
    test('Never and OnFailure: COMPLETED', () => {
      for (const policy of [undefined, onFailure]) {
        const decision = decideAt(app(finishedRun('SUCCEEDING', 1, 0), policy ?? {}), NOTHING, 100);
        expect(decision.status).toEqual(finishedRun('COMPLETED', 1, 0));
        expect(decision.actions).toEqual([{ type: 'event', eventType: 'Normal', reason: 'SparkApplicationCompleted', message: 'SparkApplication spark-pi completed' }]);
      }
    });

    test('Always: PENDING_RERUN at once', () => {
      const decision = decideAt(app(finishedRun('SUCCEEDING', 1, 90), spec({ type: 'Always' })), NOTHING, 100);
      expect(decision.status.applicationState).toEqual({ state: 'PENDING_RERUN' });
      expect(actionKinds(decision)).toEqual(['deleteResources', 'event:SparkApplicationPendingRerun']);
    });
  });

  describe('SUBMISSION_FAILED', () => {
    const failed = (attempt: number, at: number) => shapeStatus({
      submissionID: idOf(attempt, onFailure),
      lastSubmissionAttemptTime: time(at),
      driverInfo: { podName: 'spark-pi-driver' },
      applicationState: { state: 'SUBMISSION_FAILED', errorMessage: 'quota exceeded' },
      submissionAttempts: attempt,
    });

    test('Never: FAILED, with the termination time', () => {
      const status = { ...failed(1, 0) };
      const decision = decideAt(app(status), NOTHING, 3);
      expect(decision.status).toEqual({ ...status, terminationTime: time(3), applicationState: { state: 'FAILED', errorMessage: 'quota exceeded' } });
      expect(actionKinds(decision)).toEqual(['event:SparkApplicationFailed']);
    });

    test('OnFailure, not yet due: waits onSubmissionFailureRetryInterval × submissionAttempts', () => {
      const decision = decideAt(app(failed(1, 0), onFailure), NOTHING, 5);
      expect(decision.actions).toEqual([]);
      expect(decision.requeueAfterMs).toBe(15_000);
    });

    test('OnFailure, due: submits the next attempt (a new id), the execution counter from 0 to 1', () => {
      const decision = decideAt(app(failed(1, 0), onFailure), NOTHING, 20);
      expect(decision.status).toEqual({
        submissionID: idOf(2, onFailure),
        lastSubmissionAttemptTime: time(20),
        terminationTime: null,
        driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc' },
        applicationState: { state: 'SUBMITTED' },
        executionAttempts: 1,
        submissionAttempts: 2,
      });
      expect(decision.actions[0]).toEqual({ type: 'submit', submissionId: idOf(2, onFailure) });
      expect(idOf(2, onFailure)).not.toBe(idOf(1, onFailure));
    });

    test('OnFailure, due, but a partial submission left objects: deleted first, then submitted', () => {
      const decision = decideAt(app(failed(1, 0), onFailure), { ...NOTHING, resourcesRemain: true }, 20);
      expect(decision.actions).toEqual([{ type: 'deleteResources' }]);
      expect(decision.status).toEqual(failed(1, 0));
      expect(decision.requeueAfterMs).toBe(5_000);
    });

    test('OnFailure: onSubmissionFailureRetries 1 allows two submissions', () => {
      expect(decideAt(app(failed(2, 0), onFailure), NOTHING, 100).status.applicationState).toEqual({ state: 'FAILED', errorMessage: 'quota exceeded' });
    });

    test('a retry that fails again counts another attempt', () => {
      const observed = { ...NOTHING, submitFailure: { submissionId: idOf(2, onFailure), message: 'quota exceeded again' } };
      const decision = decideAt(app(failed(1, 0), onFailure), observed, 20);
      // attempt 2 > onSubmissionFailureRetries 1: no further retry
      expect(decision.status).toMatchObject({ submissionAttempts: 2, applicationState: { state: 'FAILED', errorMessage: 'quota exceeded again' } });
      expect(actionKinds(decision)).toEqual(['event:SparkApplicationSubmissionFailed', 'event:SparkApplicationFailed']);
    });
  });

  describe('PENDING_RERUN', () => {
    const pending = shapeStatus({ ...submittedStatus('PENDING_RERUN', 1, 0), driverInfo: {} });

    test('waits while resources of the last run remain, deleting them', () => {
      const decision = decideAt(app(pending), { ...NOTHING, driverPod: driverPod('Succeeded'), resourcesRemain: true }, 30);
      expect(decision.actions).toEqual([{ type: 'deleteResources' }]);
      expect(decision.status).toEqual(pending);
      expect(decision.requeueAfterMs).toBe(5_000);
    });

    test('submits the next attempt once they are gone', () => {
      const decision = decideAt(app(pending), NOTHING, 30);
      expect(decision.status).toEqual({
        submissionID: idOf(2),
        lastSubmissionAttemptTime: time(30),
        terminationTime: null,
        driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc' },
        applicationState: { state: 'SUBMITTED' },
        executionAttempts: 2,
        submissionAttempts: 2,
      });
      expect(actionKinds(decision)).toEqual(['submit', 'ensureUiService', 'event:SparkApplicationSubmitted']);
    });

    test('finds the pod of its own next submission (the shell crashed before writing SUBMITTED)', () => {
      const decision = decideAt(app(pending), { ...NOTHING, driverPod: driverPod('Pending', { submissionId: idOf(2) }), resourcesRemain: true }, 31);
      expect(decision.actions[0]).toEqual({ type: 'submit', submissionId: idOf(2) });
    });

    test('a rerun whose status a crashed shell never wrote adopts the driver pod that shell created for it, instead of deleting it', () => {
      // GIVEN: the status still says attempt 1 FAILING, but the pod named for the driver is the one of
      // attempt 2, created by a shell killed before it wrote the rerun's SUBMITTED
      const observed = { ...NOTHING, driverPod: driverPod('Pending', { submissionId: idOf(2, onFailure) }), resourcesRemain: true };

      // WHEN
      const decision = decideAt(app(finishedRun('FAILING', 1, 0, 'boom'), onFailure), observed, 100);

      // THEN: attempt 2 is submitted (the create finds its own pod), nothing is deleted
      expect(actionKinds(decision)).toEqual(['event:SparkApplicationPendingRerun', 'submit', 'ensureUiService', 'event:SparkApplicationSubmitted']);
      expect(decision.actions.find((a) => a.type === 'submit')).toEqual({ type: 'submit', submissionId: idOf(2, onFailure) });
      expect(decision.status).toMatchObject({ submissionID: idOf(2, onFailure), submissionAttempts: 2, applicationState: { state: 'SUBMITTED' } });
    });

    test('a driver pod of another submission is still deleted before the rerun', () => {
      const observed = { ...NOTHING, driverPod: driverPod('Failed', { submissionId: idOf(1, onFailure) }), resourcesRemain: true };
      const decision = decideAt(app(finishedRun('FAILING', 1, 0, 'boom'), onFailure), observed, 100);
      expect(actionKinds(decision)).toEqual(['deleteResources', 'event:SparkApplicationPendingRerun']);
      expect(decision.status.applicationState?.state).toBe('PENDING_RERUN');
    });

    test('an application made invalid by a spec change fails instead of being submitted', () => {
      const decision = decideAt(app(pending, { executor: { instances: -1 } }), NOTHING, 30);
      expect(decision.status.applicationState?.state).toBe('FAILED');
      expect(decision.actions.some((a) => a.type === 'submit')).toBe(false);
    });
  });
});
