import { TokenBucket } from '../../../src/runtime/kube/rate-limiter';
import { FakeClock, settle } from '../fake-clock';

/** Starts `n` waits on `bucket`; returns the order in which they were let through. */
function waitAll(bucket: TokenBucket, n: number): number[] {
  const passed: number[] = [];
  for (let i = 0; i < n; i++) void bucket.wait().then(() => passed.push(i));
  return passed;
}

describe('TokenBucket (--kube-api-qps, --kube-api-burst)', () => {
  test('a full bucket lets `burst` requests through at once, then one per 1/qps seconds, in order', async () => {
    // GIVEN: 10 per second, bursts of 3
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 3, clock);

    // WHEN
    const passed = waitAll(bucket, 6);
    await settle();

    // THEN
    expect(passed).toEqual([0, 1, 2]);
    expect(bucket.queued).toBe(3);
    clock.advance(99);
    await settle();
    expect(passed).toEqual([0, 1, 2]);
    clock.advance(1);
    await settle();
    expect(passed).toEqual([0, 1, 2, 3]);
    clock.advance(200);
    await settle();
    expect(passed).toEqual([0, 1, 2, 3, 4, 5]);
    expect(bucket.queued).toBe(0);
  });

  test('an idle bucket fills up to `burst` and no further', async () => {
    // GIVEN: an emptied bucket left alone for 10 s (100 tokens' worth)
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 2, clock);
    await Promise.all([bucket.wait(), bucket.wait()]);
    clock.advance(10_000);

    // WHEN
    const passed = waitAll(bucket, 4);
    await settle();

    // THEN: only `burst` at once
    expect(passed).toEqual([0, 1]);
  });

  test('a request that comes while others wait queues behind them, even when a token has grown meanwhile', async () => {
    // GIVEN
    const clock = new FakeClock();
    const bucket = new TokenBucket(1, 1, clock);
    const passed = waitAll(bucket, 2);
    await settle();
    expect(passed).toEqual([0]);

    // WHEN: a third request arrives after the second's token is due, before its timer fired
    clock.advance(1000);
    let third = false;
    void bucket.wait().then(() => { third = true; });
    await settle();

    // THEN
    expect(passed).toEqual([0, 1]);
    expect(third).toBe(false);
    clock.advance(1000);
    await settle();
    expect(third).toBe(true);
  });

  test('a rate or burst that cannot work is refused', () => {
    expect(() => new TokenBucket(0, 1, new FakeClock())).toThrow('a token bucket needs qps > 0 and a whole burst >= 1 (got qps 0, burst 1)');
    expect(() => new TokenBucket(5, 0, new FakeClock())).toThrow('a token bucket needs qps > 0 and a whole burst >= 1 (got qps 5, burst 0)');
  });
});
