/**
 * A keyed work queue, the controller-runtime way: a key waiting twice is worked on once; a key is
 * never worked on by two workers at the same time (added again while in flight, it runs once more
 * afterwards); a failed key comes back after an exponential backoff with a cap; a key can be added
 * after a delay (requeue-after). Keys are strings such as `namespace/name`.
 */
import { Clock } from '../../kube/clock';

/** What a worker does with a key. Throwing (or rejecting) retries the key with backoff. */
export type Reconcile = (key: string) => Promise<void>;

/** How the queue retries and how many keys it works on at once. */
export interface WorkQueueOptions {
  /** How many keys are worked on at the same time. */
  readonly workers: number;
  /** The first retry delay after a failure, in ms; it doubles per consecutive failure. */
  readonly baseDelayMs: number;
  /** The longest retry delay, in ms. */
  readonly maxDelayMs: number;
  /** Called when a key's work fails (for logs and metrics); the key is retried. */
  readonly onError?: (key: string, error: unknown, attempt: number) => void;
  /** Collect keys but work on none until `start()` (a controller waits for its caches to sync). */
  readonly paused?: boolean;
}

/** The default retry timing: 5 ms doubling to at most 5 minutes. */
export const DEFAULT_BACKOFF = { baseDelayMs: 5, maxDelayMs: 300_000 } as const;

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly waiting = new Set<string>();
  private readonly inFlight = new Set<string>();
  /** Keys added again while in flight: they go back in the queue when their work ends. */
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();
  private active = 0;
  private stopped = false;
  private paused: boolean;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly reconcile: Reconcile, private readonly clock: Clock, private readonly options: WorkQueueOptions) {
    this.paused = options.paused ?? false;
  }

  /** Starts working on the keys collected while paused. */
  public start(): void {
    this.paused = false;
    this.pump();
  }

  /** Queues `key` now (deduplicated with a waiting or delayed copy of it). */
  public add(key: string): void {
    if (this.stopped) return;
    this.cancelTimer(key);
    if (this.inFlight.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    this.ready.push(key);
    this.pump();
  }

  /** Queues `key` after `ms`; an earlier delayed add of the same key wins. */
  public addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now().getTime() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.clock.after(ms, () => {
      this.timers.delete(key);
      this.add(key);
    });
    this.timers.set(key, { at, cancel });
  }

  /** How many keys wait to be worked on (not counting delayed ones). */
  public get depth(): number {
    return this.ready.length;
  }

  /** How many keys are being worked on now. */
  public get busy(): number {
    return this.active;
  }

  /** Stops taking work: no new key starts; resolves when the keys in flight have finished. */
  public async shutDown(): Promise<void> {
    this.stopped = true;
    for (const { cancel } of this.timers.values()) cancel();
    this.timers.clear();
    this.ready.length = 0;
    this.waiting.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private cancelTimer(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  private pump(): void {
    while (!this.stopped && !this.paused && this.active < this.options.workers && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.waiting.delete(key);
      this.inFlight.add(key);
      this.active++;
      void this.work(key);
    }
  }

  private async work(key: string): Promise<void> {
    let failed = false;
    try {
      await this.reconcile(key);
      this.failures.delete(key);
    } catch (error) {
      failed = true;
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      this.options.onError?.(key, error, attempt);
    }
    this.inFlight.delete(key);
    this.active--;
    if (this.dirty.delete(key)) {
      this.add(key);
    } else if (failed) {
      const attempt = this.failures.get(key)!;
      this.addAfter(key, Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1)));
    }
    if (this.stopped && this.active === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.pump();
  }
}
