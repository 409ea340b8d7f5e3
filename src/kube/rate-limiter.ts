/**
 * The client-side limit on requests to the API server (`--kube-api-qps`, `--kube-api-burst`): a
 * token bucket, as client-go's `flowcontrol.NewTokenBucketRateLimiter`. The bucket holds up to
 * `burst` tokens and gains `qps` a second; each request takes one, waiting in order for it when the
 * bucket is empty. Off by default: the API server's Priority and Fairness limits clients on its
 * side, as SIG API Machinery advises and controller-runtime does since v0.21
 * (https://github.com/kubernetes-sigs/controller-runtime/pull/3119).
 */
import { Clock } from './clock';

/** Something a request waits on before it is sent. */
export interface RateLimiter {
  /**
   * Resolves when the next request may be sent; rejects with a {@link RateLimitTimeoutError} when
   * that is not within `timeoutMs` (the request's own timeout: a throttled request fails as a slow
   * one does, and its caller retries it), and the request gives up its place.
   */
  wait(timeoutMs: number): Promise<void>;
}

/** No token came within the request's timeout. */
export class RateLimitTimeoutError extends Error {
  constructor(timeoutMs: number, qps: number) {
    super(`the client-side rate limit (--kube-api-qps=${qps}) let no request through within ${timeoutMs} ms`);
    this.name = 'RateLimitTimeoutError';
  }
}

interface Waiter {
  readonly resolve: () => void;
  /** Cancels the waiter's deadline. */
  readonly cancel: () => void;
}

export class TokenBucket implements RateLimiter {
  private tokens: number;
  private updatedAt: number;
  /** Requests waiting for a token, first come first served. */
  private readonly waiting: Waiter[] = [];
  private timerSet = false;

  constructor(private readonly qps: number, private readonly burst: number, private readonly clock: Clock) {
    if (!(qps > 0) || !Number.isInteger(burst) || burst < 1) throw new Error(`a token bucket needs qps > 0 and a whole burst >= 1 (got qps ${qps}, burst ${burst})`);
    this.tokens = burst;
    this.updatedAt = clock.now().getTime();
  }

  public wait(timeoutMs: number): Promise<void> {
    this.refill();
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        cancel: this.clock.after(timeoutMs, () => {
          const at = this.waiting.indexOf(waiter);
          if (at < 0) return; // let through already
          this.waiting.splice(at, 1);
          reject(new RateLimitTimeoutError(timeoutMs, this.qps));
        }),
      };
      this.waiting.push(waiter);
      this.schedule();
    });
  }

  /** Requests waiting for a token now. */
  public get queued(): number {
    return this.waiting.length;
  }

  private refill(): void {
    const now = this.clock.now().getTime();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.qps);
    this.updatedAt = now;
  }

  /** Wakes the first waiting request when its token is due. */
  private schedule(): void {
    if (this.timerSet || this.waiting.length === 0) return;
    this.timerSet = true;
    const ms = Math.max(0, Math.ceil(((1 - this.tokens) / this.qps) * 1000));
    this.clock.after(ms, () => {
      this.timerSet = false;
      this.refill();
      while (this.waiting.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        const waiter = this.waiting.shift()!;
        waiter.cancel();
        waiter.resolve();
      }
      this.schedule();
    });
  }
}
