import { Simulation, changes, decideAt, eventOf, eventReasons, run, runName, scheduled } from './fixtures';
import { ConcurrencyPolicy } from '../../../../src/api';
import { SCHEDULED_EVENT_REASONS } from '../../../../src/runtime/controller/scheduled';

const PREVIOUS = '2026-12-01T00:05:00Z';
const DUE = '2026-12-01T00:10:00Z';

/** The schedule with `policy`, last run at 00:05, next due at 00:10. */
function at0010(policy: ConcurrencyPolicy | undefined) {
  return scheduled({ concurrencyPolicy: policy }, {
    lastRun: PREVIOUS, lastRunName: runName(PREVIOUS), nextRun: DUE, scheduleState: 'Scheduled',
  });
}

describe('decide: concurrency policies', () => {
  test.each([
    ['unset (Allow, as upstream documents)', undefined],
    ['Allow', 'Allow' as const],
  ])('%s: a run starts while the last one is still running', (_, policy) => {
    const decision = decideAt(at0010(policy), [run(PREVIOUS, 'RUNNING')], DUE);
    expect(changes(decision)).toEqual([`create:${runName(DUE)}`]);
  });

  test('unset: a finished last run does not stop the schedule either (upstream\'s "never runs again")', () => {
    const decision = decideAt(at0010(undefined), [run(PREVIOUS, 'COMPLETED')], DUE);
    expect(changes(decision)).toEqual([`create:${runName(DUE)}`]);
  });

  test.each(['', 'SUBMITTED', 'RUNNING', 'SUSPENDED', 'PENDING_RERUN', 'FAILING'] as const)(
    'Forbid: no run while the last run is %s; the due time is skipped, with an Event, and the next one is planned', (state) => {
      // WHEN
      const decision = decideAt(at0010('Forbid'), [run(PREVIOUS, state)], DUE);

      // THEN
      expect(changes(decision)).toEqual([]);
      expect(decision.status).toEqual({
        lastRun: PREVIOUS, lastRunName: runName(PREVIOUS), nextRun: '2026-12-01T00:15:00Z', scheduleState: 'Scheduled',
      });
      expect(eventOf(decision, SCHEDULED_EVENT_REASONS.runSkipped)?.message)
        .toBe(`no run for ${DUE}: concurrencyPolicy is Forbid and ${runName(PREVIOUS)} (${state || 'new'}) has not finished`);
      expect(decision.requeueAfterMs).toBe(300_000);
    });

  test.each(['COMPLETED', 'FAILED'] as const)('Forbid: a run starts once the last run is %s', (state) => {
    const decision = decideAt(at0010('Forbid'), [run(PREVIOUS, state)], DUE);
    expect(changes(decision)).toEqual([`create:${runName(DUE)}`]);
  });

  test('Forbid skips: the skipped due time is not run late when the last run finishes before the next one', () => {
    // GIVEN the decision that skipped 00:10, written
    const skipped = decideAt(at0010('Forbid'), [run(PREVIOUS, 'RUNNING')], DUE);
    const s = scheduled({ concurrencyPolicy: 'Forbid' }, skipped.status);

    // WHEN the last run completes at 00:12 (its update wakes the controller)
    const decision = decideAt(s, [run(PREVIOUS, 'COMPLETED')], '2026-12-01T00:12:00Z');

    // THEN no run for 00:10, and 00:15 is planned
    expect(changes(decision)).toEqual([]);
    expect(decision.status.nextRun).toBe('2026-12-01T00:15:00Z');
    // AND at 00:15 the next run starts
    expect(changes(decideAt(s, [run(PREVIOUS, 'COMPLETED')], '2026-12-01T00:15:00Z'))).toEqual([`create:${runName('2026-12-01T00:15:00Z')}`]);
  });

  test('Forbid looks at every unfinished run, not only the newest (a policy changed from Allow)', () => {
    const decision = decideAt(at0010('Forbid'), [run(PREVIOUS, 'COMPLETED'), run('2026-12-01T00:00:00Z', 'RUNNING')], DUE);
    expect(changes(decision)).toEqual([]);
    expect(eventReasons(decision)).toEqual([SCHEDULED_EVENT_REASONS.runSkipped]);
  });

  test('Replace: the unfinished runs are deleted, then the new run is created, with an Event', () => {
    // GIVEN two unfinished runs (from Allow) and a finished one
    const runs = [run(PREVIOUS, 'RUNNING'), run('2026-12-01T00:00:00Z', 'SUBMITTED'), run('2026-12-01T00:00:00Z', 'COMPLETED', { created: '2026-11-30T23:55:00Z' })];
    runs[2].metadata.name = runName('2026-11-30T23:55:00Z');

    // WHEN
    const decision = decideAt(at0010('Replace'), runs, DUE);

    // THEN
    expect(changes(decision)).toEqual([`delete:${runName(PREVIOUS)}`, `delete:${runName('2026-12-01T00:00:00Z')}`, `create:${runName(DUE)}`]);
    expect(decision.actions.filter((a) => a.type === 'deleteRun').map((a) => a.type === 'deleteRun' && a.why)).toEqual(['replaced', 'replaced']);
    expect(eventOf(decision, SCHEDULED_EVENT_REASONS.runReplaced)?.message).toBe(`deleted ${runName(PREVIOUS)} (RUNNING), `
      + `${runName('2026-12-01T00:00:00Z')} (SUBMITTED) for the run of ${DUE}: concurrencyPolicy is Replace`);
    expect(decision.status.lastRunName).toBe(runName(DUE));
  });

  test('Replace: a finished last run is left alone', () => {
    const decision = decideAt(at0010('Replace'), [run(PREVIOUS, 'FAILED')], DUE);
    expect(changes(decision)).toEqual([`create:${runName(DUE)}`]);
  });

  test.each([
    ['Allow', 12],
    ['Forbid', 6],
    ['Replace', 12],
  ] as const)('over an hour of 5-minute due times and 7-minute runs, %s starts %i runs', (policy, count) => {
    // GIVEN runs that take 7 minutes: every second due time finds the last run still going
    const simulation = new Simulation(scheduled({ concurrencyPolicy: policy }), '2026-12-01T00:00:30Z', 7 * 60_000);
    // WHEN the controller runs for an hour
    simulation.pass();
    simulation.runUntil('2026-12-01T01:00:30Z');
    // THEN
    expect(simulation.created).toHaveLength(count);
    if (policy === 'Replace') expect(simulation.runs.size).toBeLessThanOrEqual(2);
  });
});
