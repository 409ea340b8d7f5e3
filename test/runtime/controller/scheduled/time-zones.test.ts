import { Simulation, changes, decideAt, runName, scheduled } from './fixtures';

/** The due times (ISO) of the runs a simulation created. */
function dueTimesOf(simulation: Simulation): string[] {
  return simulation.created.map((name) => new Date(Number(BigInt(name.split('-').pop()!) / 1_000_000n)).toISOString());
}

/**
 * A controller that runs from `start` to `end` and is also woken every `everyMs` (other events:
 * run updates, resyncs, restarts), so that a pass lands inside every hour of the night.
 */
function simulateNight(schedule: string, zone: string, start: string, end: string, everyMs = 5 * 60_000): string[] {
  const simulation = new Simulation(scheduled({ schedule, timeZone: zone }, undefined, { creationTimestamp: start }), start, 60_000);
  for (let t = Date.parse(start); t <= Date.parse(end); t += everyMs) {
    simulation.runUntil(new Date(t).toISOString());
    simulation.pass();
  }
  return dueTimesOf(simulation);
}

describe('decide: time zones', () => {
  test('02:30 Europe/Berlin on the spring-forward day (02:00 -> 03:00, 2026-03-29) runs exactly once, at 03:00 CEST', () => {
    expect(simulateNight('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 does not exist that night
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  test('02:30 Europe/Berlin on the fall-back day (03:00 -> 02:00, 2026-10-25) runs exactly once, at the first 02:30', () => {
    expect(simulateNight('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z')).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; not again at 02:30 CET (01:30Z)
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
  });

  test('a controller woken inside the repeated hour of the fall-back night, after the first 02:30, starts nothing', () => {
    const s = scheduled({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' }, {
      lastRun: '2026-10-25T00:30:00Z', lastRunName: runName('2026-10-25T00:30:00Z'), nextRun: '2026-10-26T01:30:00Z', scheduleState: 'Scheduled',
    });
    for (const now of ['2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z', '2026-10-25T01:45:00Z']) {
      expect(changes(decideAt(s, [], now))).toEqual([]);
    }
  });

  test('a controller down over the spring-forward night catches up the 03:00 run once', () => {
    const s = scheduled({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' }, { lastRun: '2026-03-28T01:30:00Z', scheduleState: 'Scheduled' });
    expect(changes(decideAt(s, [], '2026-03-29T06:00:00Z'))).toEqual([`create:${runName('2026-03-29T01:00:00Z')}`]);
  });

  test('every 15 minutes through the fall-back night runs in real time: eight runs in the two hours that read 02:00-02:59', () => {
    const due = simulateNight('*/15 * * * *', 'Europe/Berlin', '2026-10-24T23:50:00Z', '2026-10-25T02:05:00Z', 60_000);
    expect(due.filter((t) => t >= '2026-10-25T00:00' && t < '2026-10-25T02:00')).toHaveLength(8);
    expect(new Set(due).size).toBe(due.length);
  });

  test('without spec.timeZone the controller\'s local zone (its TZ) is used', () => {
    const s = scheduled({ schedule: '0 9 * * *', timeZone: undefined }, { lastRun: '2026-11-30T00:00:00Z', scheduleState: 'Scheduled' });
    expect(decideAt(s, [], '2026-11-30T01:00:00Z', { localTimeZone: 'Asia/Tokyo' }).status.nextRun).toBe('2026-12-01T00:00:00Z');
    expect(decideAt(s, [], '2026-11-30T01:00:00Z', { localTimeZone: 'UTC' }).status.nextRun).toBe('2026-11-30T09:00:00Z');
  });

  test('a CRON_TZ= prefix wins over spec.timeZone and the local zone', () => {
    const s = scheduled({ schedule: 'CRON_TZ=America/New_York 0 9 * * *', timeZone: 'Asia/Tokyo' }, { lastRun: '2026-11-30T00:00:00Z', scheduleState: 'Scheduled' });
    expect(decideAt(s, [], '2026-11-30T01:00:00Z', { localTimeZone: 'UTC' }).status.nextRun).toBe('2026-11-30T14:00:00Z');
  });

  test('@daily in a zone is at local midnight', () => {
    const s = scheduled({ schedule: '@daily', timeZone: 'Asia/Kolkata' }, { lastRun: '2026-11-29T18:30:00Z', scheduleState: 'Scheduled' });
    expect(decideAt(s, [], '2026-11-30T01:00:00Z').status.nextRun).toBe('2026-11-30T18:30:00Z');
  });
});
