import { Simulation, changes, decideAt, eventOf, eventReasons, run, runName, scheduled } from './fixtures';
import { SCHEDULED_EVENT_REASONS } from '../../../../src/runtime/controller/scheduled';

describe('decide: missed due times', () => {
  test('after ten days of downtime, one catch-up run for the latest due time, a Warning, and the next due time planned', () => {
    // GIVEN a daily schedule whose last run was on 12-01, the controller back on 12-11 at 10:00
    const s = scheduled({ schedule: '0 2 * * *' }, {
      lastRun: '2026-12-01T02:00:00Z', lastRunName: runName('2026-12-01T02:00:00Z'), nextRun: '2026-12-02T02:00:00Z', scheduleState: 'Scheduled',
    });

    // WHEN
    const decision = decideAt(s, [run('2026-12-01T02:00:00Z', 'COMPLETED')], '2026-12-11T10:00:00Z');

    // THEN exactly one run, for 12-11 02:00
    expect(changes(decision)).toEqual([`create:${runName('2026-12-11T02:00:00Z')}`]);
    expect(decision.status).toMatchObject({ lastRun: '2026-12-11T02:00:00Z', nextRun: '2026-12-12T02:00:00Z' });
    expect(eventOf(decision, SCHEDULED_EVENT_REASONS.missedRuns)).toEqual({
      type: 'event',
      eventType: 'Warning',
      reason: SCHEDULED_EVENT_REASONS.missedRuns,
      message: 'the due times from 2026-12-02T02:00:00Z to 2026-12-11T02:00:00Z passed without a run (the controller was not running, '
        + 'or the schedule was suspended): one run starts, for 2026-12-11T02:00:00Z, and none for the others',
    });
    expect(eventOf(decision, SCHEDULED_EVENT_REASONS.runStarted)?.message)
      .toBe(`started ${runName('2026-12-11T02:00:00Z')} for 2026-12-11T02:00:00Z (a catch-up, 28800 s after its due time)`);
  });

  test('the pass after the catch-up starts nothing more: never a burst', () => {
    const s = scheduled({ schedule: '0 2 * * *' }, { lastRun: '2026-12-01T02:00:00Z', nextRun: '2026-12-02T02:00:00Z', scheduleState: 'Scheduled' });
    const catchUp = decideAt(s, [], '2026-12-11T10:00:00Z');
    const created = catchUp.actions.flatMap((a) => (a.type === 'createRun' ? [run(a.dueTime, '')] : []));
    const after = decideAt(scheduled({ schedule: '0 2 * * *' }, catchUp.status), created, '2026-12-11T10:00:01Z');
    expect(changes(after)).toEqual([]);
    expect(eventReasons(after)).toEqual([]);
  });

  test('a single due time missed by a short outage is run late, without the Warning', () => {
    const s = scheduled({}, { lastRun: '2026-12-01T00:05:00Z', nextRun: '2026-12-01T00:10:00Z', scheduleState: 'Scheduled' });
    const decision = decideAt(s, [], '2026-12-01T00:12:00Z');
    expect(changes(decision)).toEqual([`create:${runName('2026-12-01T00:10:00Z')}`]);
    expect(eventReasons(decision)).toEqual([SCHEDULED_EVENT_REASONS.runStarted]);
  });

  test('a year of downtime of an every-minute schedule: one run, found in a few calls of the cron library', () => {
    const s = scheduled({ schedule: '* * * * *' }, { lastRun: '2025-12-01T00:00:00Z', scheduleState: 'Scheduled' });
    const started = Date.now();
    const decision = decideAt(s, [], '2026-12-01T12:34:56Z');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(changes(decision)).toEqual([`create:${runName('2026-12-01T12:34:00Z')}`]);
  });

  test('@every: the catch-up is on the grid of the last run, so the grid and the names stay the same afterwards', () => {
    // GIVEN @every 7m, last run at 00:07, down until 01:00 (grid 00:56, 01:03 ...)
    const s = scheduled({ schedule: '@every 7m' }, { lastRun: '2026-12-01T00:07:00Z', scheduleState: 'Scheduled' });
    const decision = decideAt(s, [], '2026-12-01T01:00:00Z');
    expect(changes(decision)).toEqual([`create:${runName('2026-12-01T00:56:00Z')}`]);
    expect(decision.status.nextRun).toBe('2026-12-01T01:03:00Z');
  });

  test('an upstream schedule that "silently stopped" (unset policy, a finished run, nextRun long past) runs again: one catch-up', () => {
    const s = scheduled({ schedule: '0 * * * *' }, {
      lastRun: '2026-11-20T10:00:00Z', lastRunName: 'nightly-1795687200000000000', nextRun: '2026-11-20T11:00:00Z', scheduleState: 'Scheduled',
    });
    const decision = decideAt(s, [run('2026-11-20T10:00:00Z', 'COMPLETED')], '2026-12-01T09:30:00Z');
    expect(changes(decision)).toEqual([`create:${runName('2026-12-01T09:00:00Z')}`]);
  });

  test('a controller that runs through every due time starts exactly one run per due time, on time', () => {
    const simulation = new Simulation(scheduled({ schedule: '@every 20s' }), '2026-12-01T00:00:01Z', 5_000);
    simulation.pass();
    simulation.runUntil('2026-12-01T00:10:00Z');
    expect(simulation.created).toEqual(Array.from({ length: 30 }, (_, i) => runName(new Date(Date.parse('2026-12-01T00:00:20Z') + i * 20_000).toISOString())));
  });

  test('down across several due times and back: the due times before the outage each ran, the outage gives one run', () => {
    const simulation = new Simulation(scheduled(), '2026-12-01T00:00:01Z', 30_000);
    simulation.pass();
    simulation.runUntil('2026-12-01T00:16:00Z'); // 00:05, 00:10, 00:15
    simulation.down('2026-12-01T00:47:00Z'); // 00:20 ... 00:45 missed
    simulation.pass();
    simulation.runUntil('2026-12-01T00:56:00Z'); // 00:50, 00:55
    expect(simulation.created).toEqual(['00:05', '00:10', '00:15', '00:45', '00:50', '00:55'].map((t) => runName(`2026-12-01T${t}:00Z`)));
  });
});

describe('decide: suspend', () => {
  const scheduledAt = { lastRun: '2026-12-01T00:05:00Z', lastRunName: runName('2026-12-01T00:05:00Z'), nextRun: '2026-12-01T00:10:00Z', scheduleState: 'Scheduled' as const };

  test('a suspended schedule starts no run at its due time, is not requeued, and keeps its status', () => {
    const decision = decideAt(scheduled({ suspend: true }, scheduledAt), [run('2026-12-01T00:05:00Z', 'COMPLETED')], '2026-12-01T00:10:00Z');
    expect(changes(decision)).toEqual([]);
    expect(decision.requeueAfterMs).toBeUndefined();
    expect(decision.status).toEqual({ ...scheduledAt, pastSuccessfulRunNames: [runName('2026-12-01T00:05:00Z')] });
  });

  test('a schedule created suspended is Scheduled, says so, and has no next run', () => {
    const decision = decideAt(scheduled({ suspend: true }), [], '2026-12-01T00:10:00Z');
    expect(decision.status).toEqual({ lastRun: null, nextRun: null, scheduleState: 'Scheduled' });
    expect(eventOf(decision, SCHEDULED_EVENT_REASONS.scheduled)?.message).toBe("schedule '*/5 * * * *' in UTC: suspended, no run starts");
  });

  test('resumed after an hour: one catch-up run for the latest missed due time, not the eleven others', () => {
    const decision = decideAt(scheduled({ suspend: false }, scheduledAt), [run('2026-12-01T00:05:00Z', 'COMPLETED')], '2026-12-01T01:07:00Z');
    expect(changes(decision)).toEqual([`create:${runName('2026-12-01T01:05:00Z')}`]);
    expect(eventReasons(decision)).toContain(SCHEDULED_EVENT_REASONS.missedRuns);
  });

  test('resumed before the next due time: nothing starts until it', () => {
    const decision = decideAt(scheduled({}, scheduledAt), [run('2026-12-01T00:05:00Z', 'COMPLETED')], '2026-12-01T00:08:00Z');
    expect(changes(decision)).toEqual([]);
    expect(decision.requeueAfterMs).toBe(120_000);
  });

  test('suspended, then resumed, in a running controller', () => {
    // GIVEN a running controller
    const simulation = new Simulation(scheduled(), '2026-12-01T00:00:01Z', 10_000);
    simulation.pass();
    simulation.runUntil('2026-12-01T00:11:00Z'); // 00:05, 00:10
    // WHEN suspended at 00:11 (an update: a pass) until 00:42
    simulation.object = scheduled({ suspend: true });
    simulation.pass();
    simulation.runUntil('2026-12-01T00:42:00Z');
    simulation.object = scheduled({ suspend: false });
    simulation.pass();
    simulation.runUntil('2026-12-01T00:51:00Z');
    // THEN 00:15 ... 00:40 gave one catch-up at 00:42 (for 00:40), then 00:45 and 00:50 on time
    expect(simulation.created).toEqual(['00:05', '00:10', '00:40', '00:45', '00:50'].map((t) => runName(`2026-12-01T${t}:00Z`)));
  });
});
