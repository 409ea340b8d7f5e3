/**
 * How long a watch may last and how long it may stay silent. The API server ends a watch after the
 * `timeoutSeconds` it was asked for, and sends a bookmark 2 s before that (and about every minute
 * otherwise: https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks). So a
 * watch that has delivered nothing, not even a bookmark, for `timeoutSeconds` plus a grace is stuck
 * (a half-open connection, a middlebox that holds the stream): it is given up and watched again.
 * A dead connection is noticed sooner still, by the pings of `sessions.ts`.
 */
import { Clock } from '../../kube/clock';

/** The time bounds of watches. */
export interface WatchTiming {
  /** The shortest `timeoutSeconds` a watch asks for. */
  readonly minTimeoutSeconds: number;
  /** A random number of seconds below this is added, so that many informers do not watch again at once. */
  readonly timeoutSpreadSeconds: number;
  /** How long past its `timeoutSeconds` a silent watch is waited for before it is given up. */
  readonly graceMs: number;
}

/**
 * 30 to 40 s: short, so that a stuck watch is given up within 45 s at worst; long enough that
 * watching again (from the last version, served from the API server's watch cache) costs little,
 * about one request per informer every 35 s.
 */
export const DEFAULT_WATCH_TIMING: WatchTiming = { minTimeoutSeconds: 30, timeoutSpreadSeconds: 10, graceMs: 5_000 };

/** The `timeoutSeconds` of one watch. */
export function watchTimeoutSeconds(timing: WatchTiming, random: () => number = Math.random): number {
  return timing.minTimeoutSeconds + Math.floor(random() * timing.timeoutSpreadSeconds);
}

/** How long a watch of `timeoutSeconds` may go without a line. */
export function watchIdleMs(timing: WatchTiming, timeoutSeconds: number): number {
  return timeoutSeconds * 1000 + timing.graceMs;
}

/**
 * Calls `onIdle` once when `touch()` has not been called for `idleMs` (from the start, then from
 * the last touch); `stop()` cancels it. One timer at a time, however many lines arrive.
 */
export class IdleTimer {
  private last: number;
  private cancel?: () => void;
  private fired = false;

  constructor(private readonly clock: Clock, private readonly idleMs: number, private readonly onIdle: (silentMs: number) => void) {
    this.last = clock.now().getTime();
    this.arm(idleMs);
  }

  /** Something arrived: the silence starts again. */
  public touch(): void {
    this.last = this.clock.now().getTime();
  }

  /** No more checks. */
  public stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** True once `onIdle` was called. */
  public get expired(): boolean {
    return this.fired;
  }

  private arm(ms: number): void {
    this.cancel = this.clock.after(ms, () => {
      const silentMs = this.clock.now().getTime() - this.last;
      if (silentMs < this.idleMs) {
        this.arm(this.idleMs - silentMs);
        return;
      }
      this.cancel = undefined;
      this.fired = true;
      this.onIdle(silentMs);
    });
  }
}
