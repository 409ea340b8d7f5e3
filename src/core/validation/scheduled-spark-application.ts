/** Rules for a ScheduledSparkApplication spec: its schedule, zone, policy, history and template. */
import { CONCURRENCY_POLICIES } from '../../api';
import { SCHEDULED_NAME_MAX_LENGTH } from '../names';
import { ProblemList } from '../problems';
import { parseSchedule } from '../schedule';
import { checkInteger, checkOneOf, isObject, shown } from './checks';
import { checkApplicationName } from './spark-application';

/** `metadata.name`: DNS-1035, and short enough that each run's driver pod fits in 63 characters. */
export function checkScheduledName(problems: ProblemList, name: unknown): void {
  if (!checkApplicationName(problems, name)) return;
  if (name.length > SCHEDULED_NAME_MAX_LENGTH) {
    problems.add('metadata.name', `'${name}' (${name.length} characters) is too long for a ScheduledSparkApplication: each run is named '<name>-<19-digit timestamp>' and its driver pod '<run>-driver', which must fit in 63 characters; use at most ${SCHEDULED_NAME_MAX_LENGTH} characters`);
  }
}

/** The schedule and zone, read by the same parser the scheduled controller uses. */
export function checkSchedule(problems: ProblemList, spec: Record<string, unknown>): void {
  if (typeof spec.schedule !== 'string' || spec.schedule.trim() === '') {
    problems.add('spec.schedule', `is required: a cron schedule such as '0 2 * * *', '@daily' or '@every 1h' (got ${shown(spec.schedule)})`);
    return;
  }
  if (spec.timeZone !== undefined && typeof spec.timeZone !== 'string') {
    problems.add('spec.timeZone', `must be an IANA time zone name such as Europe/Berlin (got ${shown(spec.timeZone)})`);
    return;
  }
  const { problem } = parseSchedule(spec.schedule, spec.timeZone || undefined);
  if (problem === undefined) return;
  if (problem.startsWith('time zone') && spec.timeZone && !/^(CRON_)?TZ=/.test(spec.schedule.trim())) {
    problems.add('spec.timeZone', `'${spec.timeZone}' is invalid: ${problem.replace(/^time zone '[^']*' is invalid: /, '')}`);
  } else {
    problems.add('spec.schedule', `'${spec.schedule}' is not a valid cron schedule: ${problem}`);
  }
}

/** The rules of the ScheduledSparkApplication's own fields (its template is checked as a spec). */
export function checkScheduledSpec(problems: ProblemList, spec: Record<string, unknown>): void {
  checkSchedule(problems, spec);
  checkOneOf(problems, 'spec.concurrencyPolicy', spec.concurrencyPolicy, CONCURRENCY_POLICIES);
  checkInteger(problems, 'spec.successfulRunHistoryLimit', spec.successfulRunHistoryLimit, 0);
  checkInteger(problems, 'spec.failedRunHistoryLimit', spec.failedRunHistoryLimit, 0);
  const template = spec.template;
  if (isObject(template) && isObject(template.driver) && template.driver.podName !== undefined) {
    problems.add('spec.template.driver.podName', `cannot be set on a ScheduledSparkApplication: every run would name its driver pod ${shown(template.driver.podName)} and the second run would fail; leave it unset to get '<run>-driver'`);
  }
}
