import { RateLimitTimeoutError, TokenBucket } from '../../src/kube/rate-limiter';
import { FakeClock, settle } from '../runtime/fake-clock';

/** A request timeout no test reaches. */
const LONG = 3_600_000;

/** Starts `n` waits on `bucket`; returns the order in which they were let through. */
function waitAll(bucket: TokenBucket, n: number): number[] {
  const passed: number[] = [];
  for (let i = 0; i < n; i++) void bucket.wait(LONG).then(() => passed.push(i));
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
    await Promise.all([bucket.wait(LONG), bucket.wait(LONG)]);
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
    void bucket.wait(LONG).then(() => { third = true; });
    await settle();

    // THEN
    expect(passed).toEqual([0, 1]);
    expect(third).toBe(false);
    clock.advance(1000);
    await settle();
    expect(third).toBe(true);
  });

  test('a request that gets no token within its timeout fails, and gives up its place to the next', async () => {
    // GIVEN one request per 10 s, its token taken
    const clock = new FakeClock();
    const bucket = new TokenBucket(0.1, 1, clock);
    await bucket.wait(LONG);

    // WHEN a request that may wait 2 s and one that may wait an hour queue for the next token
    let failure: unknown;
    let second = false;
    bucket.wait(2_000).catch((error) => { failure = error; });
    void bucket.wait(LONG).then(() => { second = true; });
    clock.advance(2_000);
    await settle();

    // THEN the first fails with why, and is no longer queued; the second gets the token when it is due
    expect(failure).toEqual(new RateLimitTimeoutError(2_000, 0.1));
    expect((failure as Error).message).toBe('the client-side rate limit (--kube-api-qps=0.1) let no request through within 2000 ms');
    expect(bucket.queued).toBe(1);
    clock.advance(8_000);
    await settle();
    expect(second).toBe(true);
    expect(bucket.queued).toBe(0);
  });

  test('a rate or burst that cannot work is refused', () => {
    expect(() => new TokenBucket(0, 1, new FakeClock())).toThrow('a token bucket needs qps > 0 and a whole burst >= 1 (got qps 0, burst 1)');
    expect(() => new TokenBucket(5, 0, new FakeClock())).toThrow('a token bucket needs qps > 0 and a whole burst >= 1 (got qps 5, burst 0)');
  });
});
