import { CREATED, NAME, NAMESPACE, TEMPLATE, UID, changes, decideAt, eventOf, eventReasons, run, runName, scheduled } from './fixtures';
import { MAX_REQUEUE_MS, SCHEDULED_EVENT_REASONS } from '../../../../src/runtime/controller/scheduled';

describe('decide: scheduling runs', () => {
  test('a new schedule is Scheduled with its first due time after the creation, and requeued for it; no run yet', () => {
    // GIVEN a schedule every 5 minutes created at 00:00:00, seen at 00:01:30
    // WHEN
    const decision = decideAt(scheduled(), [], '2026-12-01T00:01:30Z');

    // THEN
    expect(decision.status).toEqual({ lastRun: null, nextRun: '2026-12-01T00:05:00Z', scheduleState: 'Scheduled' });
    expect(changes(decision)).toEqual([]);
    expect(decision.actions).toEqual([{
      type: 'event', eventType: 'Normal', reason: SCHEDULED_EVENT_REASONS.scheduled, message: "schedule '*/5 * * * *' in UTC: next run at 2026-12-01T00:05:00Z",
    }]);
    expect(decision.requeueAfterMs).toBe(210_000);
  });

  test('at its due time a run is created: <name>-<UnixNano of the due time>, the template, the labels plus scheduled-app-name, a non-controller owner reference', () => {
    // GIVEN a scheduled schedule whose next run is 00:05
    const s = scheduled({}, { nextRun: '2026-12-01T00:05:00Z', scheduleState: 'Scheduled' });

    // WHEN the requeue fires at 00:05:00.003
    const decision = decideAt(s, [], '2026-12-01T00:05:00.003Z');

    // THEN
    const create = decision.actions.find((a) => a.type === 'createRun');
    expect(create).toEqual({
      type: 'createRun',
      dueTime: '2026-12-01T00:05:00Z',
      run: {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: {
          name: 'nightly-1796083500000000000',
          namespace: NAMESPACE,
          labels: { 'team': 'data', 'sparkoperator.k8s.io/scheduled-app-name': NAME },
          ownerReferences: [{ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'ScheduledSparkApplication', name: NAME, uid: UID, blockOwnerDeletion: true }],
        },
        spec: TEMPLATE,
      },
    });
    expect(decision.status).toEqual({
      lastRun: '2026-12-01T00:05:00Z', lastRunName: 'nightly-1796083500000000000', nextRun: '2026-12-01T00:10:00Z', scheduleState: 'Scheduled',
    });
    expect(eventOf(decision, SCHEDULED_EVENT_REASONS.runStarted)?.message).toBe('started nightly-1796083500000000000 for 2026-12-01T00:05:00Z');
    expect(decision.requeueAfterMs).toBe(299_997);
  });

  test('the run name fits in 63 characters for the longest name validation allows, and so does its driver pod', () => {
    const longest = 'n'.repeat(36);
    const decision = decideAt(scheduled({}, undefined, { name: longest }), [], '2026-12-01T00:05:00Z');
    const create = decision.actions.find((a) => a.type === 'createRun');
    expect(create?.type === 'createRun' && `${create.run.metadata.name}-driver`.length).toBe(63);
  });

  test('a parent label named scheduled-app-name does not override the run\'s own', () => {
    const s = scheduled({}, undefined, { labels: { 'sparkoperator.k8s.io/scheduled-app-name': 'other' } });
    const decision = decideAt(s, [], '2026-12-01T00:05:00Z');
    const create = decision.actions.find((a) => a.type === 'createRun');
    expect(create?.type === 'createRun' && create.run.metadata.labels).toEqual({ 'sparkoperator.k8s.io/scheduled-app-name': NAME });
  });

  test('the same inputs give the same decision: the same name, so a retry creates the same run', () => {
    const s = scheduled({}, { nextRun: '2026-12-01T00:05:00Z', scheduleState: 'Scheduled' });
    expect(decideAt(s, [], '2026-12-01T00:05:01Z')).toEqual(decideAt(s, [], '2026-12-01T00:05:01Z'));
  });

  test('a crash after creating the run and before writing the status: the run is seen, not created again, and the status records it', () => {
    // GIVEN the status still from before 00:05, and the run of 00:05 in the cache
    const s = scheduled({}, { lastRun: null, nextRun: '2026-12-01T00:05:00Z', scheduleState: 'Scheduled' });

    // WHEN deciding again at 00:05:02
    const decision = decideAt(s, [run('2026-12-01T00:05:00Z', '')], '2026-12-01T00:05:02Z');

    // THEN
    expect(changes(decision)).toEqual([]);
    expect(decision.status).toEqual({
      lastRun: '2026-12-01T00:05:00Z', lastRunName: runName('2026-12-01T00:05:00Z'), nextRun: '2026-12-01T00:10:00Z', scheduleState: 'Scheduled',
    });
  });

  test('a status that records the run while the cache does not show it yet: not created again', () => {
    const s = scheduled({}, { lastRun: '2026-12-01T00:05:00Z', lastRunName: runName('2026-12-01T00:05:00Z'), nextRun: '2026-12-01T00:10:00Z', scheduleState: 'Scheduled' });
    expect(changes(decideAt(s, [], '2026-12-01T00:05:00.500Z'))).toEqual([]);
  });

  test('runs of another schedule, and of a namesake deleted and created again (another uid), are not its runs', () => {
    // GIVEN a running run of another owner with the same label, under Forbid
    const s = scheduled({ concurrencyPolicy: 'Forbid' }, { nextRun: '2026-12-01T00:05:00Z', scheduleState: 'Scheduled' });
    const foreign = [run('2026-12-01T00:00:00Z', 'RUNNING', { owner: 'another-uid' }), run('2026-12-01T00:00:00Z', 'RUNNING', { scheduledName: 'other' })];

    // WHEN
    const decision = decideAt(s, foreign, '2026-12-01T00:05:00Z');

    // THEN they neither block the run nor show in the status
    expect(changes(decision)).toEqual([`create:${runName('2026-12-01T00:05:00Z')}`]);
  });

  test('an object being deleted gets nothing: the garbage collector takes its runs', () => {
    const s = scheduled({}, { nextRun: '2026-12-01T00:05:00Z', scheduleState: 'Scheduled' }, { deletionTimestamp: '2026-12-01T00:04:00Z' });
    expect(decideAt(s, [], '2026-12-01T00:05:00Z')).toEqual({ status: { lastRun: null, nextRun: '2026-12-01T00:05:00Z', scheduleState: 'Scheduled' }, actions: [] });
  });

  test('a schedule due in a year is requeued after at most an hour (Node timers hold 24.8 days at most)', () => {
    const decision = decideAt(scheduled({ schedule: '@yearly' }), [], '2026-12-01T00:00:10Z');
    expect(decision.status.nextRun).toBe('2027-01-01T00:00:00Z');
    expect(decision.requeueAfterMs).toBe(MAX_REQUEUE_MS);
    // The wake-up an hour later changes nothing and asks for the next hour.
    const later = decideAt(scheduled({ schedule: '@yearly' }, decision.status), [], '2026-12-01T01:00:10Z');
    expect(later.status).toEqual(decision.status);
    expect(later.actions).toEqual([]);
  });

  test('a run upstream created (named after its start, nanoseconds not whole seconds) counts as the last run', () => {
    // GIVEN upstream's run started 0.123456789 s after 00:05 and upstream's status
    const upstreamRun = run('2026-12-01T00:05:00Z', 'COMPLETED');
    upstreamRun.metadata.name = `${NAME}-1796083500123456789`;
    const s = scheduled({}, { lastRun: '2026-12-01T00:05:00Z', lastRunName: upstreamRun.metadata.name, nextRun: '2026-12-01T00:10:00Z', scheduleState: 'Scheduled' });

    // WHEN
    const decision = decideAt(s, [upstreamRun], '2026-12-01T00:07:00Z');

    // THEN nothing is due, and the status is stable
    expect(changes(decision)).toEqual([]);
    expect(decision.status).toEqual({ ...s.status, pastSuccessfulRunNames: [upstreamRun.metadata.name] });
  });

  test('the creation time anchors a new schedule: a due time between creation and the first pass is a catch-up run', () => {
    // GIVEN a schedule created at 00:00 and first seen at 00:06 (the controller was down)
    const decision = decideAt(scheduled(), [], '2026-12-01T00:06:00Z');
    expect(changes(decision)).toEqual([`create:${runName('2026-12-01T00:05:00Z')}`]);
    expect(eventReasons(decision)).toEqual([SCHEDULED_EVENT_REASONS.scheduled, SCHEDULED_EVENT_REASONS.runStarted]);
  });

  test('a due time exactly at the creation second is not run (it was before the object existed)', () => {
    const decision = decideAt(scheduled(), [], CREATED);
    expect(changes(decision)).toEqual([]);
    expect(decision.status.nextRun).toBe('2026-12-01T00:05:00Z');
  });
});
