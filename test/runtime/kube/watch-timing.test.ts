import { DEFAULT_WATCH_TIMING, IdleTimer, watchIdleMs, watchTimeoutSeconds } from '../../../src/runtime/kube/watch-timing';
import { FakeClock } from '../fake-clock';

describe('watch timing', () => {
  test('timeoutSeconds stays within 30 and 39 s by default', () => {
    // GIVEN the lowest and the highest random draw WHEN a watch picks its timeout THEN it is in the bounds
    expect(watchTimeoutSeconds(DEFAULT_WATCH_TIMING, () => 0)).toBe(30);
    expect(watchTimeoutSeconds(DEFAULT_WATCH_TIMING, () => 0.9999)).toBe(39);
  });

  test('a watch may be silent for its timeout plus the grace', () => {
    // GIVEN a 35 s watch and a 5 s grace THEN 40 s of silence is allowed
    expect(watchIdleMs(DEFAULT_WATCH_TIMING, 35)).toBe(40_000);
  });
});

describe('IdleTimer', () => {
  test('fires once when nothing arrives for the idle time', () => {
    // GIVEN a 10 s idle timer
    const clock = new FakeClock();
    const fired: number[] = [];
    const timer = new IdleTimer(clock, 10_000, (silentMs) => fired.push(silentMs));
    // WHEN 9.999 s pass THEN it has not fired
    clock.advance(9_999);
    expect(fired).toEqual([]);
    // WHEN the 10th second passes THEN it fires once, with the silence measured
    clock.advance(1);
    expect(fired).toEqual([10_000]);
    expect(timer.expired).toBe(true);
    clock.advance(60_000);
    expect(fired).toEqual([10_000]);
  });

  test('each line starts the silence again', () => {
    // GIVEN a 10 s idle timer touched every 6 s for a minute
    const clock = new FakeClock();
    const fired: number[] = [];
    const timer = new IdleTimer(clock, 10_000, (silentMs) => fired.push(silentMs));
    for (let i = 0; i < 10; i++) {
      clock.advance(6_000);
      timer.touch();
    }
    // THEN it never fired, and it keeps one timer only
    expect(fired).toEqual([]);
    expect(clock.pending).toBe(1);
    // WHEN the lines stop THEN it fires 10 s after the last one
    clock.advance(9_999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([10_000]);
  });

  test('a stopped timer never fires', () => {
    // GIVEN a timer stopped (the watch ended) WHEN time passes THEN nothing fires and no timer is left
    const clock = new FakeClock();
    const fired: number[] = [];
    const timer = new IdleTimer(clock, 10_000, (silentMs) => fired.push(silentMs));
    timer.stop();
    clock.advance(60_000);
    expect(fired).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
