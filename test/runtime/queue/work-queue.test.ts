import { WorkQueue } from '../../../src/runtime/queue/work-queue';
import { FakeClock, settle } from '../fake-clock';

/** A reconcile function that records calls and can be held open or made to fail. */
function recorder() {
  const calls: string[] = [];
  const holds = new Map<string, () => void>();
  const failing = new Set<string>();
  let concurrent = 0;
  let maxConcurrent = 0;
  const perKey = new Map<string, number>();
  let overlap = false;
  const reconcile = async (key: string) => {
    calls.push(key);
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
    if (perKey.get(key)! > 1) overlap = true;
    try {
      if (holds.has(key) || key.startsWith('hold')) await new Promise<void>((resolve) => holds.set(key, resolve));
      if (failing.has(key)) throw new Error(`${key} failed`);
    } finally {
      concurrent--;
      perKey.set(key, perKey.get(key)! - 1);
    }
  };
  return { calls, holds, failing, reconcile, max: () => maxConcurrent, overlapped: () => overlap };
}

describe('WorkQueue', () => {
  test('a key added twice before it runs is worked on once', async () => {
    const r = recorder();
    const clock = new FakeClock();
    const queue = new WorkQueue(r.reconcile, clock, { workers: 1, baseDelayMs: 5, maxDelayMs: 1000 });
    queue.add('hold-a');
    queue.add('b');
    queue.add('b');
    await settle();
    r.holds.get('hold-a')!();
    await settle();
    expect(r.calls).toEqual(['hold-a', 'b']);
  });

  test('a key is never worked on twice at once; added while in flight, it runs again afterwards', async () => {
    const r = recorder();
    const queue = new WorkQueue(r.reconcile, new FakeClock(), { workers: 4, baseDelayMs: 5, maxDelayMs: 1000 });
    queue.add('hold-x');
    await settle();
    queue.add('hold-x');
    queue.add('hold-x');
    await settle();
    expect(r.calls).toEqual(['hold-x']);
    r.holds.get('hold-x')!();
    await settle();
    expect(r.calls).toEqual(['hold-x', 'hold-x']);
    r.holds.get('hold-x')!();
    await settle();
    expect(r.calls).toEqual(['hold-x', 'hold-x']);
    expect(r.overlapped()).toBe(false);
  });

  test('at most `workers` keys at the same time', async () => {
    const r = recorder();
    const queue = new WorkQueue(r.reconcile, new FakeClock(), { workers: 3, baseDelayMs: 5, maxDelayMs: 1000 });
    for (let i = 0; i < 10; i++) queue.add(`hold-${i}`);
    await settle();
    expect(queue.busy).toBe(3);
    expect(queue.depth).toBe(7);
    for (let i = 0; i < 10; i++) {
      r.holds.get(`hold-${i}`)?.();
      await settle();
    }
    for (const release of r.holds.values()) release();
    await settle();
    expect(r.max()).toBe(3);
    expect(new Set(r.calls).size).toBe(10);
  });

  test('a failed key is retried after a doubling delay, up to the cap, and the count resets on success', async () => {
    const r = recorder();
    const errors: number[] = [];
    const clock = new FakeClock();
    const onError = (_: string, __: unknown, attempt: number) => errors.push(attempt);
    const queue = new WorkQueue(r.reconcile, clock, { workers: 1, baseDelayMs: 100, maxDelayMs: 300, onError });
    r.failing.add('k');
    queue.add('k');
    await settle();
    expect(r.calls).toEqual(['k']);
    clock.advance(99);
    await settle();
    expect(r.calls).toHaveLength(1);
    clock.advance(1); // 100 ms: first retry
    await settle();
    expect(r.calls).toHaveLength(2);
    clock.advance(200); // 200 ms: second retry
    await settle();
    expect(r.calls).toHaveLength(3);
    clock.advance(299);
    await settle();
    expect(r.calls).toHaveLength(3);
    clock.advance(1); // capped at 300 ms
    await settle();
    expect(r.calls).toHaveLength(4);
    expect(errors).toEqual([1, 2, 3, 4]);
    r.failing.delete('k');
    clock.advance(300);
    await settle();
    expect(r.calls).toHaveLength(5);
    expect(clock.pending).toBe(0);
  });

  test('addAfter runs the key once at the earliest requested time; add() runs it at once', async () => {
    const r = recorder();
    const clock = new FakeClock();
    const queue = new WorkQueue(r.reconcile, clock, { workers: 1, baseDelayMs: 5, maxDelayMs: 1000 });
    queue.addAfter('t', 10_000);
    queue.addAfter('t', 5_000);
    queue.addAfter('t', 20_000);
    clock.advance(4_999);
    await settle();
    expect(r.calls).toEqual([]);
    clock.advance(1);
    await settle();
    expect(r.calls).toEqual(['t']);
    clock.advance(60_000);
    await settle();
    expect(r.calls).toEqual(['t']);
    queue.addAfter('u', 1_000);
    queue.add('u');
    await settle();
    clock.advance(2_000);
    await settle();
    expect(r.calls).toEqual(['t', 'u']);
  });

  test('shutDown stops new work and waits for the keys in flight', async () => {
    const r = recorder();
    const clock = new FakeClock();
    const queue = new WorkQueue(r.reconcile, clock, { workers: 1, baseDelayMs: 5, maxDelayMs: 1000 });
    queue.add('hold-1');
    queue.add('b');
    queue.addAfter('c', 10);
    await settle();
    let done = false;
    const stopping = queue.shutDown().then(() => { done = true; });
    await settle();
    expect(done).toBe(false);
    r.holds.get('hold-1')!();
    await stopping;
    clock.advance(100);
    queue.add('d');
    await settle();
    expect(r.calls).toEqual(['hold-1']);
  });
});

test('a paused queue collects keys and works on them once started', async () => {
  const r = recorder();
  const queue = new WorkQueue(r.reconcile, new FakeClock(), { workers: 2, baseDelayMs: 5, maxDelayMs: 1000, paused: true });
  queue.add('a');
  queue.add('b');
  queue.add('a');
  await settle();
  expect(r.calls).toEqual([]);
  expect(queue.depth).toBe(2);
  queue.start();
  await settle();
  expect(r.calls).toEqual(['a', 'b']);
});
