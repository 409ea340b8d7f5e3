import { parseSchedule, scheduleProblem } from '../../src/core';

/** The next `count` due times after `from`, as ISO strings. */
function dueTimes(expression: string, timeZone: string | undefined, from: string, count: number): string[] {
  const { schedule, problem } = parseSchedule(expression, timeZone);
  if (!schedule) throw new Error(problem);
  const times: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    after = schedule.next(after);
    times.push(after.toISOString());
  }
  return times;
}

describe('schedules', () => {
  test('five fields in UTC', () => {
    expect(dueTimes('*/15 9-10 * * MON-FRI', 'UTC', '2026-12-04T10:40:00Z', 3))
      .toEqual(['2026-12-04T10:45:00.000Z', '2026-12-07T09:00:00.000Z', '2026-12-07T09:15:00.000Z']);
  });

  test('day of month and day of week restricted together: either matches (as Vixie cron and upstream)', () => {
    expect(dueTimes('0 0 1 * MON', 'UTC', '2026-11-29T00:00:00Z', 3))
      .toEqual(['2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
  });

  test('descriptors', () => {
    expect(dueTimes('@daily', 'UTC', '2026-12-01T10:00:00Z', 1)).toEqual(['2026-12-02T00:00:00.000Z']);
    expect(dueTimes('@hourly', 'UTC', '2026-12-01T10:00:00Z', 1)).toEqual(['2026-12-01T11:00:00.000Z']);
    expect(dueTimes('@weekly', 'UTC', '2026-12-01T10:00:00Z', 1)).toEqual(['2026-12-06T00:00:00.000Z']);
    expect(dueTimes('@yearly', 'UTC', '2026-12-01T10:00:00Z', 1)).toEqual(['2027-01-01T00:00:00.000Z']);
  });

  test('@every is a fixed interval from the time asked, in whole seconds', () => {
    expect(dueTimes('@every 20s', undefined, '2026-12-01T10:00:00.700Z', 2)).toEqual(['2026-12-01T10:00:20.000Z', '2026-12-01T10:00:40.000Z']);
    expect(dueTimes('@every 1h30m', undefined, '2026-12-01T10:00:00Z', 1)).toEqual(['2026-12-01T11:30:00.000Z']);
  });

  test('a CRON_TZ= prefix overrides the time zone', () => {
    expect(dueTimes('CRON_TZ=Asia/Tokyo 0 9 * * *', 'UTC', '2026-12-01T00:00:00Z', 1)).toEqual(['2026-12-02T00:00:00.000Z']);
    expect(dueTimes('TZ=America/New_York 0 9 * * *', undefined, '2026-12-01T00:00:00Z', 1)).toEqual(['2026-12-01T14:00:00.000Z']);
  });

  test('02:30 Europe/Berlin runs exactly once on the spring-forward day (the hour does not exist: at 03:00)', () => {
    expect(dueTimes('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 3)).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 never happens that night
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  test('02:30 Europe/Berlin runs exactly once on the fall-back day (the hour happens twice)', () => {
    expect(dueTimes('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 3)).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, the first of the two 02:30s
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  test.each([
    ['0 0 * * * *', undefined, 'expected 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['0 0 L * *', undefined, "day of month 'L' is not valid: use 1-31, lists (1,15), ranges (1-5) and steps (*/10)"],
    ['0 0 * * 1#2', undefined, "day of week '1#2' is not valid: use 0-6 or SUN-SAT, lists (1,15), ranges (1-5) and steps (*/10)"],
    ['0 0 * * 7', undefined, "day of week '7' is not valid: use 0-6 or SUN-SAT, lists (1,15), ranges (1-5) and steps (*/10)"],
    ['@fortnightly', undefined, "unknown descriptor '@fortnightly' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>)"],
    ['@every', undefined, "'@every' needs a duration such as 90m or 1h30m"],
    ['0 2 * * *', 'Europe/Atlantis', "time zone 'Europe/Atlantis' is invalid: it is not a known IANA time zone"],
    ['0 0 31 2 *', undefined, "never fires: no date matches all of its fields, such as a day that month does not have (got '0 0 31 2 *')"],
    ['30 6 31 4,6,9,11 *', 'Europe/Paris', "never fires: no date matches all of its fields, such as a day that month does not have (got '30 6 31 4,6,9,11 *')"],
  ])('%s in %s: %s', (expression, zone, problem) => {
    expect(scheduleProblem(expression, zone)).toBe(problem);
  });

  test('upstream forms croner must accept: names, ?, lists, ranges, steps with a start', () => {
    for (const expression of ['0 0 ? * SUN', '5/10 * * * *', '0 8-18/2 1,15 JAN-JUN *', '@midnight', '@annually', '0 0 29 2 *']) {
      expect(scheduleProblem(expression)).toBeUndefined();
    }
  });
});
