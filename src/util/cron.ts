/**
 * Checks a schedule the way the operator's cron parser reads it (robfig/cron `ParseStandard`, as
 * upstream): five fields (minute, hour, day of month, month, day of week) or a descriptor
 * (`@hourly`, `@every 90m` ...). Returns a problem description, or undefined when it is valid.
 */

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** A Go duration (`time.ParseDuration`): one or more `<number><unit>`. */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

function value(field: Field, text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}

function checkField(field: Field, text: string): string | undefined {
  for (const part of text.split(',')) {
    const [range, step, ...extra] = part.split('/');
    if (extra.length > 0 || range === '') return `${field.name} '${text}' is not a valid field`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) {
      return `${field.name} step '${step}' must be a positive integer`;
    }
    // robfig/cron reads '?' as '*' in every field.
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} '${range}' is not a valid range`;
    const numbers = bounds.map((b) => value(field, b));
    for (const [i, n] of numbers.entries()) {
      if (n === undefined) return `${field.name} '${bounds[i]}' is not a number${field.names ? ' or name' : ''}`;
      if (n < field.min || n > field.max) {
        return `${field.name} ${n} is out of range ${field.min}-${field.max}`;
      }
    }
    if (numbers.length === 2 && numbers[0]! > numbers[1]!) {
      return `${field.name} range '${range}' starts after it ends`;
    }
  }
  return undefined;
}

/** Returns why `schedule` is not a valid schedule, or undefined if it is. */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return "a time zone prefix is not allowed here: use 'timeZone'";
  if (text.startsWith('@')) {
    if (DESCRIPTORS.includes(text)) return undefined;
    const every = /^@every\s+(\S+)$/.exec(text);
    if (every) return GO_DURATION.test(every[1]) ? undefined : `'${every[1]}' is not a duration such as 90m or 1h30m`;
    return `unknown descriptor '${text}' (use ${DESCRIPTORS.join(', ')} or @every <duration>)`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  for (const [i, field] of FIELDS.entries()) {
    const problem = checkField(field, fields[i]);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Returns why `timeZone` is not an IANA time zone name the operator can load, or undefined.
 * The JavaScript runtime's time zone database decides (`Intl.DateTimeFormat` throws on unknown
 * zones); offsets like `+01:00` and lower-case spellings are rejected because Go's
 * `time.LoadLocation` does not know them.
 */
export function timeZoneProblem(timeZone: string): string | undefined {
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
