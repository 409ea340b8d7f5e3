import { histogram, latencies, percentile, ratePerSecond, ratio, summarize } from '../../bench/report/stats';

describe('percentile (nearest rank)', () => {
  test('p50 of 1..10 is 5 and p99 is 10', () => {
    // GIVEN
    const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    // WHEN / THEN
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(10);
  });

  test('p99 of 1..1000 is 990', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(990);
    expect(percentile(values, 95)).toBe(950);
  });

  test('an empty sample has no percentile', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  test('a percentile outside 0..100 is refused with the value', () => {
    expect(() => percentile([1], 101)).toThrow('percentile must be from 0 to 100 (got 101)');
  });

  test('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  test('count, percentiles, max and mean', () => {
    expect(summarize([100, 200, 300, 400])).toEqual({ count: 4, p50: 200, p95: 400, p99: 400, max: 400, mean: 250 });
  });

  test('an empty sample has a count of 0 and no figures', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p99).toBeNaN();
  });
});

describe('latencies', () => {
  test('end minus start for the keys in both, in the order of start', () => {
    // GIVEN
    const start = new Map([['a', 1000], ['b', 2000], ['c', 3000]]);
    const end = new Map([['c', 3500], ['a', 1250]]);
    // WHEN / THEN
    expect(latencies(start, end)).toEqual([250, 500]);
  });

  test('a clock that saw the end first counts as 0, never negative', () => {
    expect(latencies(new Map([['a', 1000]]), new Map([['a', 999]]))).toEqual([0]);
  });
});

describe('rates and ratios', () => {
  test('200 events in 4 s are 50 per second', () => {
    expect(ratePerSecond(200, 4000)).toBe(50);
  });

  test('no events or no time give no rate', () => {
    expect(ratePerSecond(0, 1000)).toBeNaN();
    expect(ratePerSecond(5, 0)).toBeNaN();
  });

  test('a ratio needs two positive numbers', () => {
    expect(ratio(300, 3)).toBe(100);
    expect(ratio(1, NaN)).toBeNaN();
    expect(ratio(1, 0)).toBeNaN();
  });
});

describe('histogram', () => {
  test('counts per bucket with an overflow bucket', () => {
    expect(histogram([1, 10, 11, 100, 1000, 5000], [10, 100, 1000])).toEqual([2, 2, 1, 1]);
  });
});
