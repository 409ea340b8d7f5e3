/** Options for {@link waitFor}. */
export interface WaitOptions {
  /** @default 60_000 */
  readonly timeoutMs?: number;
  /** @default 250 */
  readonly intervalMs?: number;
  /**
   * Called before each attempt; a returned string stops the wait at once with that reason
   * (for example "etcd exited with code 1").
   */
  readonly abortIf?: () => string | undefined;
}

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and returns that.
 *
 * A probe that throws counts as "not yet"; its last error is part of the timeout message, which
 * also says what was awaited.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abort = options.abortIf?.();
    if (abort) {
      throw new Error(`gave up waiting for ${what}: ${abort}`);
    }
    try {
      const value = await probe();
      if (value !== undefined && value !== false) {
        return value;
      }
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : lastError ? `; last error: ${String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Checks every 500 ms for `ms` that `holds()` stays true of what `probe()` returns; returns the
 * first counter-example, or undefined when it held throughout (for "X does not happen" checks).
 */
export async function staysFor<T>(ms: number, probe: () => Promise<T>, holds: (value: T) => boolean): Promise<T | undefined> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await probe();
    if (!holds(value)) return value;
    await sleep(500);
  }
  return undefined;
}
