/**
 * Due times of a schedule as the controller counts them. A calendar schedule (five fields,
 * descriptors) has its due times on the calendar, whatever the controller saw before; an `@every`
 * schedule has them on a grid that starts at an anchor (the last run's due time, else the
 * object's creation), so that a restarted controller counts the same times, and the same names.
 *
 * croner's `nextRun` is the one calendar authority (time zones, daylight-saving changes), and it
 * costs about a tenth of a millisecond a call: the latest due time before now is found by
 * bisection (about 30 calls after a year of downtime), never by walking minute by minute.
 */
import { Schedule } from '../../../core';

/** The due times of one schedule, from one anchor. Times are milliseconds since the epoch. */
export interface DueTimes {
  /** The first due time strictly after `t`. */
  after(t: number): number;
  /** Whether `t` is a due time. */
  isDue(t: number): boolean;
  /** The latest due time `d` with `from < d <= to`, or undefined when there is none. */
  latestIn(from: number, to: number): number | undefined;
}

const SECOND = 1000;

function floorToSecond(t: number): number {
  return Math.floor(t / SECOND) * SECOND;
}

/** `@every <interval>`: anchor + k × interval. */
function grid(interval: number, anchor: number): DueTimes {
  const steps = (t: number) => Math.floor((t - anchor) / interval);
  return {
    after: (t) => anchor + (steps(t) + 1) * interval,
    isDue: (t) => (t - anchor) % interval === 0,
    latestIn: (from, to) => {
      const latest = anchor + steps(to) * interval;
      return latest > from ? latest : undefined;
    },
  };
}

/** A calendar schedule: croner's due times (whole minutes). */
function calendar(schedule: Schedule): DueTimes {
  const after = (t: number) => schedule.next(new Date(t)).getTime();
  return {
    after,
    isDue: (t) => after(t - 1) === t,
    latestIn: (from, to) => {
      const first = after(from);
      if (first > to) return undefined;
      // The usual case: the one due time since the last pass.
      const second = after(first);
      if (second > to) return first;
      // Bisection on "the next due time after x is not later than `to`", true below the answer
      // and false from it on; due times are whole seconds, so one second apart decides.
      let low = floorToSecond(first);
      let high = floorToSecond(to);
      while (high - low > SECOND) {
        const middle = low + Math.max(1, Math.floor((high - low) / (2 * SECOND))) * SECOND;
        if (after(middle) <= to) low = middle;
        else high = middle;
      }
      return after(low);
    },
  };
}

/** The due times of `schedule`; `anchor` (whole seconds) places an `@every` grid and is ignored otherwise. */
export function dueTimes(schedule: Schedule, anchor: number): DueTimes {
  return schedule.interval !== undefined ? grid(schedule.interval, floorToSecond(anchor)) : calendar(schedule);
}
