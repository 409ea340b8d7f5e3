import { dueTimeFromRunName, parseSchedule } from '../../../../src/core';
import { dueTimes } from '../../../../src/runtime/controller/scheduled';

function due(expression: string, zone: string | undefined, anchor: string) {
  const { schedule, problem } = parseSchedule(expression, zone);
  if (!schedule) throw new Error(problem);
  return dueTimes(schedule, Date.parse(anchor));
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('due times', () => {
  test('@every is a grid from its anchor: after, isDue and latestIn agree', () => {
    const d = due('@every 20s', undefined, '2026-12-01T00:00:07Z');
    expect(iso(d.after(Date.parse('2026-12-01T00:00:07Z')))).toBe('2026-12-01T00:00:27.000Z');
    expect(iso(d.after(Date.parse('2026-12-01T00:00:30Z')))).toBe('2026-12-01T00:00:47.000Z');
    expect(d.isDue(Date.parse('2026-12-01T00:01:07Z'))).toBe(true);
    expect(d.isDue(Date.parse('2026-12-01T00:01:00Z'))).toBe(false);
    expect(iso(d.latestIn(Date.parse('2026-12-01T00:00:07Z'), Date.parse('2026-12-01T01:00:00Z')))).toBe('2026-12-01T00:59:47.000Z');
    expect(d.latestIn(Date.parse('2026-12-01T00:00:07Z'), Date.parse('2026-12-01T00:00:26.999Z'))).toBeUndefined();
  });

  test('an anchor with a fraction of a second is placed on its second', () => {
    const d = due('@every 1m', undefined, '2026-12-01T00:00:07.800Z');
    expect(iso(d.after(Date.parse('2026-12-01T00:00:08Z')))).toBe('2026-12-01T00:01:07.000Z');
  });

  test('a calendar schedule ignores the anchor', () => {
    const d = due('0 */6 * * *', 'UTC', '2026-12-01T00:00:07Z');
    expect(iso(d.after(Date.parse('2026-12-01T00:00:00Z')))).toBe('2026-12-01T06:00:00.000Z');
    expect(d.isDue(Date.parse('2026-12-01T18:00:00Z'))).toBe(true);
    expect(d.isDue(Date.parse('2026-12-01T18:00:01Z'))).toBe(false);
  });

  test.each([
    ['* * * * *', '2026-01-01T00:00:00Z', '2026-12-01T12:34:56Z', '2026-12-01T12:34:00.000Z'],
    ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['* 1 * * *', '2026-11-01T00:00:00Z', '2026-12-01T00:30:00Z', '2026-11-30T01:59:00.000Z'],
    ['30 2 * * *', '2026-10-24T00:00:00Z', '2026-10-25T01:45:00Z', '2026-10-25T00:30:00.000Z'],
    ['0 9 * * MON-FRI', '2026-11-01T00:00:00Z', '2026-12-06T12:00:00Z', '2026-12-04T09:00:00.000Z'],
  ])('%s: the latest due time after %s up to %s is %s (bisection, in a few calls)', (expression, from, to, expected) => {
    const zone = expression === '30 2 * * *' ? 'Europe/Berlin' : 'UTC';
    expect(iso(due(expression, zone, from).latestIn(Date.parse(from), Date.parse(to)))).toBe(expected);
  });

  test('latestIn agrees with walking the due times one by one', () => {
    const { schedule } = parseSchedule('*/7 3-5 * * 1,3', 'Europe/Berlin');
    const d = dueTimes(schedule!, 0);
    const from = Date.parse('2026-10-01T00:00:00Z');
    let walked = from;
    for (let to = from; to < Date.parse('2026-11-10T00:00:00Z'); to += 7_919_000) {
      while (d.after(walked) <= to) walked = d.after(walked);
      expect(d.latestIn(from, to)).toBe(walked === from ? undefined : walked);
    }
  });

  test('the due time of a run comes from its name (19 digits: UnixNano), and only from ours', () => {
    expect(iso(dueTimeFromRunName('nightly', 'nightly-1796083500000000000'))).toBe('2026-12-01T00:05:00.000Z');
    expect(iso(dueTimeFromRunName('nightly', 'nightly-1796083500123456789'))).toBe('2026-12-01T00:05:00.123Z');
    expect(dueTimeFromRunName('nightly', 'nightly-29934725')).toBeUndefined();
    expect(dueTimeFromRunName('nightly', 'other-1796083500000000000')).toBeUndefined();
    expect(dueTimeFromRunName('night', 'nightly-1796083500000000000')).toBeUndefined();
  });
});
