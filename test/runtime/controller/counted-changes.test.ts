import { NOTHING, app, decideAt, driverPod, executorPod, submittedStatus } from './fixtures';

describe('decide: the changes of state it reports (for the metrics)', () => {
  test('a new application that is submitted: New -> SUBMITTED', () => {
    // WHEN
    const decision = decideAt(app(), NOTHING, 0);
    // THEN
    expect(decision.changes).toEqual([{ kind: 'application', from: '', to: 'SUBMITTED' }]);
  });

  test('an invalid application: New -> FAILED, in one change', () => {
    // WHEN
    const decision = decideAt(app(undefined, { mainApplicationFile: '/no/scheme.jar' }), NOTHING, 0);
    // THEN
    expect(decision.changes).toEqual([{ kind: 'application', from: '', to: 'FAILED' }]);
  });

  test('a driver that failed, retried at once: every state on the way, and the executors before their states are cleared', () => {
    // GIVEN a run whose driver failed, with a retry due, and one executor that had been running
    const status = submittedStatus('RUNNING', 1, 0, { executorState: { 'spark-pi-5e1a-exec-1': 'RUNNING' } });
    const onFailure = { restartPolicy: { type: 'OnFailure' as const, onFailureRetries: 3, onFailureRetryInterval: 1 } };
    const observed = {
      ...NOTHING,
      driverPod: driverPod('Failed', { container: { terminated: { exitCode: 1 } } }),
      executorPods: [executorPod(1, 'Failed', { exit: 1 }), executorPod(2, 'Succeeded', { exit: 0 })],
    };
    // WHEN
    const decision = decideAt(app(status, onFailure), observed, 60);
    // THEN
    expect(decision.status.applicationState?.state).toBe('PENDING_RERUN');
    expect(decision.status.executorState).toBeUndefined();
    expect(decision.changes).toEqual([
      { kind: 'application', from: 'RUNNING', to: 'FAILING' },
      { kind: 'executor', pod: 'spark-pi-5e1a-exec-1', from: 'RUNNING', to: 'FAILED' },
      { kind: 'executor', pod: 'spark-pi-5e1a-exec-2', to: 'COMPLETED' },
      { kind: 'application', from: 'FAILING', to: 'PENDING_RERUN' },
    ]);
  });

  test('the same observation decided again from the written status: no change', () => {
    // GIVEN a RUNNING application whose driver and executor are as the status says
    const status = submittedStatus('RUNNING', 1, 0, { executorState: { 'spark-pi-5e1a-exec-1': 'RUNNING' } });
    const observed = { ...NOTHING, driverPod: driverPod('Running'), executorPods: [executorPod(1, 'Running')] };
    // WHEN (an informer relist, a restarted controller)
    const decision = decideAt(app(status), observed, 30);
    // THEN
    expect(decision.changes).toEqual([]);
  });
});
