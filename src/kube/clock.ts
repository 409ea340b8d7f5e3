/** Time as the runtime sees it: real in production, controllable in tests. */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** Calls `fn` after `ms` milliseconds; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** The machine's clock. Timers do not keep the process alive on their own. */
export const SYSTEM_CLOCK: Clock = {
  now: () => new Date(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
