/**
 * Schedules of ScheduledSparkApplications, read one way everywhere: the constructs check them at
 * synth time, the scheduled controller computes due times from them, and the webhook and `sparkctl
 * lint` report the same problems. Parsing and the calendar arithmetic (time zones, daylight-saving
 * changes) are croner's, a maintained cron library; this file only adds what upstream's parser
 * (robfig/cron `ParseStandard`) accepts beyond five fields.
 *
 * Accepted: five fields (minute hour day-of-month month day-of-week, names such as `MON` and `JAN`,
 * `?` as `*`), the descriptors `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight`
 * `@hourly`, `@every <Go duration>` (a fixed interval), and a `CRON_TZ=<zone>` or `TZ=<zone>` prefix,
 * which overrides `spec.timeZone`.
 */
import { Cron } from 'croner';

/** The descriptors upstream's parser knows, and the five fields each stands for. */
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Milliseconds per unit of a Go duration (`time.ParseDuration`). */
const GO_DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** A schedule that has been read: it answers when it is next due. */
export interface Schedule {
  /** The time zone the schedule is read in (`undefined`: the controller's local time). */
  readonly timeZone?: string;
  /**
   * The fixed delay of an `@every` schedule, in milliseconds (whole seconds); undefined for calendar
   * schedules. Its due times depend on where counting starts, so a controller anchors them itself.
   */
  readonly interval?: number;
  /** The first due time strictly after `after`. */
  next(after: Date): Date;
}

/** The result of reading a schedule: the schedule, or why it is not one. */
export type ScheduleResult =
  | { readonly schedule: Schedule; readonly problem?: undefined }
  | { readonly schedule?: undefined; readonly problem: string };

/** Returns why `timeZone` is not an IANA time zone name the operator can load, or undefined. */
export function timeZoneProblem(timeZone: string): string | undefined {
  // Offsets (`+01:00`) and lower-case spellings are rejected: Go's time.LoadLocation, which the
  // upstream operator uses, does not know them, so a document must not depend on our leniency.
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(timeZone)) {
    return 'it is not an IANA time zone name such as Europe/Berlin or UTC';
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return 'it is not a known IANA time zone';
  }
  return undefined;
}

/** Milliseconds of a Go duration such as `90m` or `1h30m`, or undefined. */
function goDurationMs(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * GO_DURATION_UNITS[unit];
  }
  return total;
}

/** Every `@every` schedule: a constant delay, whole seconds and at least one (as robfig/cron). */
function everySchedule(text: string, timeZone: string | undefined): ScheduleResult {
  const ms = goDurationMs(text);
  if (ms === undefined) return { problem: `'${text}' is not a duration such as 90m or 1h30m` };
  const delay = Math.max(1000, Math.floor(ms / 1000) * 1000);
  return { schedule: { timeZone, interval: delay, next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + delay) } };
}

/** croner accepts more than upstream (`L`, `W`, `#`, seconds): those would not run on upstream. */
function fieldsProblem(fields: string[]): string | undefined {
  if (fields.length !== 5) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  const bad = fields.findIndex((field) => field.split(/[,/-]/).some((token) => !/^(\d+|\*|\?|[A-Za-z]{3})$/.test(token)));
  if (bad >= 0) return invalidField(bad, fields[bad]);
  // croner reads day of week 7 as Sunday; upstream refuses it, so a document must not depend on it.
  const [dayOfWeek] = fields.slice(4);
  if (dayOfWeek.split(/[,-]/).some((token) => /^\d+$/.test(token) && Number(token) > 6)) return invalidField(4, dayOfWeek);
  return undefined;
}

/** The five fields, their names and what each accepts, for messages. */
const FIELDS = [
  ['minute', '0-59'], ['hour', '0-23'], ['day of month', '1-31'], ['month', '1-12 or JAN-DEC'], ['day of week', '0-6 or SUN-SAT'],
] as const;

function invalidField(index: number, text: string): string {
  const [name, allowed] = FIELDS[index];
  return `${name} '${text}' is not valid: use ${allowed}, lists (1,15), ranges (1-5) and steps (*/10)`;
}

function cronOf(fields: string, zone: string | undefined): Cron {
  // domAndDow false: a day matches either field when both are restricted, as in Vixie cron and upstream.
  // sloppyRanges: upstream reads `5/10` as "from 5, every 10".
  return new Cron(fields, { timezone: zone, mode: '5-part', domAndDow: false, sloppyRanges: true, paused: true });
}

/** Which field croner refuses, asked field by field (the others `*`), in our words. */
function fieldProblem(fields: string[]): string | undefined {
  for (const i of FIELDS.keys()) {
    try {
      cronOf(fields.map((f, j) => (i === j ? f : '*')).join(' '), undefined);
    } catch {
      return invalidField(i, fields[i]);
    }
  }
  return undefined;
}

/** Where the search for a first run starts when a schedule is checked (a fixed time: the check is pure; leap days match from it). */
const NEVER_FIRES_CHECKED_FROM = new Date('2000-01-01T00:00:00Z');

/**
 * Reads `expression` in `timeZone` (an IANA name, or undefined for the controller's local time).
 * Never throws: a bad expression or zone comes back as `problem`.
 */
export function parseSchedule(expression: string, timeZone?: string): ScheduleResult {
  let text = expression.trim();
  let zone = timeZone || undefined;
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text);
  if (prefix) {
    zone = prefix[1];
    text = prefix[2].trim();
  }
  if (zone !== undefined) {
    const problem = timeZoneProblem(zone);
    if (problem) return { problem: `time zone '${zone}' is invalid: ${problem}` };
  }
  if (text.startsWith('@every')) {
    const every = /^@every\s+(\S+)$/.exec(text);
    return every ? everySchedule(every[1], zone) : { problem: "'@every' needs a duration such as 90m or 1h30m" };
  }
  if (text.startsWith('@')) {
    const fields = DESCRIPTORS[text];
    if (!fields) return { problem: `unknown descriptor '${text}' (use ${Object.keys(DESCRIPTORS).join(', ')} or @every <duration>)` };
    text = fields;
  }
  const problem = fieldsProblem(text.split(/\s+/));
  if (problem) return { problem };
  let cron: Cron;
  try {
    cron = cronOf(text, zone);
  } catch (e) {
    return { problem: fieldProblem(text.split(/\s+/)) ?? (e as Error).message };
  }
  // Each field may be valid and no date match them all (the 31st of February): such a schedule
  // would never run, and the controller would wait on it for ever.
  if (cron.nextRun(NEVER_FIRES_CHECKED_FROM) === null) {
    return { problem: `never fires: no date matches all of its fields, such as a day that month does not have (got '${text}')` };
  }
  return {
    schedule: {
      timeZone: zone,
      next: (after) => {
        const next = cron.nextRun(after);
        // A valid five-field pattern always has a next time: every field allows some value.
        if (!next) throw new Error(`schedule '${expression}' has no time after ${after.toISOString()}`);
        return next;
      },
    },
  };
}

/** Why `expression` (in `timeZone`) is not a valid schedule, or undefined when it is. */
export function scheduleProblem(expression: string, timeZone?: string): string | undefined {
  return parseSchedule(expression, timeZone).problem;
}
