/**
 * The open-loop arrival schedule of the webhook benchmark: request start times fixed in advance, so
 * that a slow answer delays no later request (a closed loop would send less exactly when the server
 * is slow and hide its queueing). Pure.
 */

/**
 * Start offsets, in ms from the start, of `perSecond` requests a second for `seconds`: evenly
 * spaced, the first at 0.
 */
export function openLoopSchedule(perSecond: number, seconds: number): number[] {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new Error(`the rate must be a positive number of requests a second (got ${perSecond})`);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new Error(`the duration must be a positive number of seconds (got ${seconds})`);
  const n = Math.round(perSecond * seconds);
  return Array.from({ length: n }, (_, i) => (i * 1000) / perSecond);
}
