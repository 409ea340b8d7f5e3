/**
 * Time to live of finished applications (upstream `IsExpired`, `EffectiveTimeToLiveSeconds`):
 * `spec.timeToLiveSeconds`, else the operator's `--default-time-to-live`, counted from
 * `status.terminationTime`.
 */
import { ShapedStatus, parseTime } from './status';

/** The time to live that applies: the application's own, else a positive operator default, else none. */
export function effectiveTimeToLiveSeconds(specTtl: number | undefined, defaultTtl: number | undefined): number | undefined {
  if (typeof specTtl === 'number' && Number.isFinite(specTtl)) return specTtl;
  return defaultTtl !== undefined && defaultTtl > 0 ? defaultTtl : undefined;
}

/**
 * Seconds until a finished application expires, or undefined when it never does (no time to live,
 * or no termination time to count from). Upstream deletes once the age is strictly greater than the
 * time to live: expired is `< 0`, and exactly 0 is not yet.
 */
export function secondsUntilExpiry(status: ShapedStatus, ttlSeconds: number | undefined, now: Date): number | undefined {
  const terminated = parseTime(status.terminationTime);
  if (ttlSeconds === undefined || terminated === undefined) return undefined;
  return ttlSeconds - (now.getTime() - terminated) / 1000;
}
