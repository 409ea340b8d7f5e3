import {
  BucketedHistogram, bucketQuantile, bucketUpperBound, histogram, histogramDelta, latencies, percentile, ratePerSecond, ratio, summarize,
  summarizeSecondsHistogram,
} from '../../bench/report/stats';

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

describe('histograms from Prometheus buckets', () => {
  // 100 observations: 50 at or below 1 ms, 40 more at or below 5 ms, 9 more at or below 10 ms, 1 above.
  const observed: BucketedHistogram = {
    buckets: [{ le: 0.001, count: 50 }, { le: 0.005, count: 90 }, { le: 0.01, count: 99 }, { le: Infinity, count: 100 }],
    sum: 0.3,
    count: 100,
  };

  test('a quantile is interpolated inside its bucket, as histogram_quantile() does', () => {
    // p50: rank 50, all of the first bucket, which starts at 0.
    expect(bucketQuantile(observed, 0.5)).toBeCloseTo(0.001);
    // p70: rank 70, halfway through the 40 of the second bucket (1 ms to 5 ms).
    expect(bucketQuantile(observed, 0.7)).toBeCloseTo(0.003);
    // p25: rank 25, halfway through the first bucket.
    expect(bucketQuantile(observed, 0.25)).toBeCloseTo(0.0005);
  });

  test('a rank in the +Inf bucket gives the highest finite bound', () => {
    expect(bucketQuantile(observed, 1)).toBe(0.01);
  });

  test('the upper bound is the bucket the rank falls in', () => {
    expect(bucketUpperBound(observed, 0.5)).toBe(0.001);
    expect(bucketUpperBound(observed, 0.7)).toBe(0.005);
    expect(bucketUpperBound(observed, 0.99)).toBe(0.01);
    expect(bucketUpperBound(observed, 1)).toBe(Infinity);
  });

  test('a histogram without observations has no quantile', () => {
    const empty = { buckets: [{ le: 0.001, count: 0 }, { le: Infinity, count: 0 }], sum: 0, count: 0 };
    expect(bucketQuantile(empty, 0.5)).toBeNaN();
    expect(bucketUpperBound(empty, 0.5)).toBeNaN();
    expect(bucketQuantile({ buckets: [], sum: 0, count: 0 }, 0.5)).toBeNaN();
  });

  test('a quantile outside 0..1 is refused with the value', () => {
    expect(() => bucketQuantile(observed, 99)).toThrow('quantile must be from 0 to 1 (got 99)');
    expect(() => bucketUpperBound(observed, -1)).toThrow('quantile must be from 0 to 1 (got -1)');
  });

  test('the delta of two scrapes holds the observations made in between', () => {
    // GIVEN
    const before: BucketedHistogram = { buckets: [{ le: 0.001, count: 10 }, { le: Infinity, count: 12 }], sum: 0.05, count: 12 };
    const after: BucketedHistogram = { buckets: [{ le: 0.001, count: 15 }, { le: Infinity, count: 20 }], sum: 0.25, count: 20 };
    // WHEN
    const delta = histogramDelta(before, after);
    // THEN
    expect(delta.buckets).toEqual([{ le: 0.001, count: 5 }, { le: Infinity, count: 8 }]);
    expect(delta.count).toBe(8);
    expect(delta.sum).toBeCloseTo(0.2);
  });

  test('a histogram of seconds is summarized in milliseconds, the mean exact', () => {
    const s = summarizeSecondsHistogram(observed);
    expect(s.count).toBe(100);
    expect(s.mean).toBeCloseTo(3);
    expect(s.p50).toBeCloseTo(1);
    expect(s.p50AtMost).toBe(1);
    expect(s.p99AtMost).toBe(10);
  });

  test('an empty histogram of seconds has a count of 0 and no figures', () => {
    const s = summarizeSecondsHistogram({ buckets: [], sum: 0, count: 0 });
    expect(s.count).toBe(0);
    expect(s.mean).toBeNaN();
    expect(s.p99).toBeNaN();
  });
});
