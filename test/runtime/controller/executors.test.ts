import { NOTHING, app, decideAt, driverPod, executorPod, submittedStatus } from './fixtures';
import { PodState } from '../../../src/api';
import { executorStateOf, shapeStatus, untrackedExecutorCount } from '../../../src/runtime/controller/spark-application';
import { updateExecutors, vanishedExecutorState } from '../../../src/runtime/controller/spark-application/executors';

const name = (id: number) => `spark-pi-5e1a-exec-${id}`;
const states = (entries: Array<[number, PodState]>) => Object.fromEntries(entries.map(([id, s]) => [name(id), s]));

describe('executor states', () => {
  test.each([
    ['Pending', 'PENDING'], ['Running', 'RUNNING'], ['Succeeded', 'COMPLETED'], ['Failed', 'FAILED'], ['Unknown', 'UNKNOWN'], [undefined, 'UNKNOWN'],
  ])('phase %s is %s', (phase, state) => {
    expect(executorStateOf({ name: 'x', labels: {}, ...phase ? { phase } : {} })).toBe(state);
  });

  test('new and changed executors get upstream\'s Events, naming the pod', () => {
    const update = updateExecutors(states([[1, 'PENDING']]), [
      executorPod(1, 'Running'),
      executorPod(2, 'Pending'),
      executorPod(3, 'Failed', { exit: 143, reason: 'Error', message: 'killed' }),
      executorPod(4, 'Failed'),
    ], 'RUNNING', undefined, 1000);
    expect(update.executorState).toEqual(states([[1, 'RUNNING'], [2, 'PENDING'], [3, 'FAILED'], [4, 'FAILED']]));
    expect(update.events).toEqual([
      { type: 'event', eventType: 'Normal', reason: 'SparkExecutorRunning', message: `Executor ${name(1)} is running` },
      { type: 'event', eventType: 'Normal', reason: 'SparkExecutorPending', message: `Executor ${name(2)} is pending` },
      { type: 'event', eventType: 'Warning', reason: 'SparkExecutorFailed', message: `Executor ${name(3)} failed with ExitCode: 143, Reason: Error, Pod Message: killed` },
      { type: 'event', eventType: 'Warning', reason: 'SparkExecutorFailed', message: `Executor ${name(4)} failed with ExitCode: -1, Reason: Unknown (Container not Found), Pod Message: ` },
    ]);
  });

  test('unchanged executors raise no Event', () => {
    expect(updateExecutors(states([[1, 'RUNNING']]), [executorPod(1, 'Running')], 'RUNNING', undefined, 1000).events).toEqual([]);
  });

  test('pods of another submission are not this run\'s executors', () => {
    const update = updateExecutors(undefined, [executorPod(1, 'Running', { submissionId: 'other' })], 'RUNNING', 'current', 1000);
    expect(update.executorState).toBeUndefined();
  });

  test.each([
    ['RUNNING', 'UNKNOWN'], ['UNKNOWN', 'UNKNOWN'], ['COMPLETED', 'COMPLETED'], ['SUCCEEDING', 'COMPLETED'],
    ['FAILING', 'FAILED'], ['FAILED', 'FAILED'], ['SUBMITTED', 'FAILED'],
  ])('a vanished executor of a %s application is %s', (appState, state) => {
    expect(vanishedExecutorState(appState as any)).toBe(state);
    const update = updateExecutors(states([[1, 'RUNNING'], [2, 'COMPLETED']]), [], appState as any, undefined, 1000);
    // finished executors keep their state
    expect(update.executorState).toEqual(states([[1, state as PodState], [2, 'COMPLETED']]));
    expect(update.events).toEqual([]);
  });

  test('an UNKNOWN executor is settled once the application ends', () => {
    expect(updateExecutors(states([[1, 'UNKNOWN']]), [], 'FAILED', undefined, 1000).executorState).toEqual(states([[1, 'FAILED']]));
  });

  describe('the bound (maxTrackedExecutors)', () => {
    test('keeps the highest id, then live executors, newest first, and tells once with a Warning', () => {
      // GIVEN 3 finished and 3 live executors, and room for 4
      const pods = [
        executorPod(1, 'Succeeded'), executorPod(2, 'Failed'), executorPod(3, 'Running'),
        executorPod(4, 'Running'), executorPod(5, 'Pending'), executorPod(6, 'Succeeded'),
      ];
      // WHEN updating an empty map
      const update = updateExecutors(undefined, pods, 'RUNNING', undefined, 4);
      // THEN 6 (highest id), 5, 4, 3 (live) are kept
      expect(update.executorState).toEqual(states([[3, 'RUNNING'], [4, 'RUNNING'], [5, 'PENDING'], [6, 'COMPLETED']]));
      expect(update.events.map((e) => e.reason)).toEqual([
        'SparkExecutorRunning', 'SparkExecutorRunning', 'SparkExecutorPending', 'SparkExecutorCompleted', 'SparkExecutorsUntracked',
      ]);
      expect(update.events[4]).toEqual({
        type: 'event',
        eventType: 'Warning',
        reason: 'SparkExecutorsUntracked',
        message: 'status.executorState lists 4 of 6 executors (maxTrackedExecutors 4): live and newest first, '
          + 'and always the highest executor id, which is how many executors this run started',
      });
      // AND the count of the rest is kept by the highest id
      expect(untrackedExecutorCount(update.executorState)).toBe(2);
    });

    test('is stable: the same pods again change nothing and raise no Event', () => {
      const pods = Array.from({ length: 10 }, (_, i) => executorPod(i + 1, 'Running'));
      const first = updateExecutors(undefined, pods, 'RUNNING', undefined, 3);
      const second = updateExecutors(first.executorState, pods, 'RUNNING', undefined, 3);
      expect(second.executorState).toEqual(first.executorState);
      expect(second.events).toEqual([]);
      expect(Object.keys(first.executorState ?? {})).toEqual([name(8), name(9), name(10)]);
    });

    test('drops finished executors for new ones as a dynamic allocation run goes on', () => {
      const before = states([[1, 'COMPLETED'], [2, 'RUNNING'], [3, 'RUNNING']]);
      const update = updateExecutors(before, [executorPod(2, 'Running'), executorPod(3, 'Running'), executorPod(4, 'Pending')], 'RUNNING', undefined, 3);
      expect(update.executorState).toEqual(states([[2, 'RUNNING'], [3, 'RUNNING'], [4, 'PENDING']]));
      expect(update.events.map((e) => e.reason)).toEqual(['SparkExecutorPending', 'SparkExecutorsUntracked']);
      // AND once the cut status is written, the next cut raises no Event
      const next = updateExecutors(update.executorState, [executorPod(3, 'Running'), executorPod(4, 'Running'), executorPod(5, 'Pending')], 'RUNNING', undefined, 3);
      expect(next.executorState).toEqual(states([[3, 'RUNNING'], [4, 'RUNNING'], [5, 'PENDING']]));
      expect(next.events.map((e) => e.reason)).toEqual(['SparkExecutorRunning', 'SparkExecutorPending']);
    });

    test('0 or less means no bound (upstream)', () => {
      const pods = Array.from({ length: 5 }, (_, i) => executorPod(i + 1, 'Running'));
      expect(Object.keys(updateExecutors(undefined, pods, 'RUNNING', undefined, 0).executorState ?? {})).toHaveLength(5);
    });

    test('decide applies the option', () => {
      const observed = { ...NOTHING, driverPod: driverPod('Running'), resourcesRemain: true, executorPods: Array.from({ length: 20 }, (_, i) => executorPod(i + 1, 'Running')) };
      const decision = decideAt(app(submittedStatus('RUNNING')), observed, 5, { maxTrackedExecutors: 5 });
      expect(Object.keys(decision.status.executorState ?? {})).toHaveLength(5);
      expect(untrackedExecutorCount(decision.status.executorState)).toBe(15);
    });
  });

  test('untrackedExecutorCount: none for a complete map or one without ids', () => {
    expect(untrackedExecutorCount(undefined)).toBe(0);
    expect(untrackedExecutorCount(states([[1, 'RUNNING'], [2, 'RUNNING']]))).toBe(0);
    expect(untrackedExecutorCount({ 'custom-name': 'RUNNING' })).toBe(0);
  });

  test('the map is written in executor order', () => {
    const status = shapeStatus({ driverInfo: {}, executorState: states([[10, 'RUNNING'], [9, 'RUNNING'], [2, 'RUNNING']]) });
    expect(Object.keys(status.executorState ?? {})).toEqual([name(2), name(9), name(10)]);
  });
});
