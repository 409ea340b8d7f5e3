import { changes, decideAt, eventOf, run, runName, scheduled } from './fixtures';
import { SCHEDULED_EVENT_REASONS } from '../../../../src/runtime/controller/scheduled';

const LAST = { lastRun: '2026-12-01T00:05:00Z', lastRunName: runName('2026-12-01T00:05:00Z'), nextRun: '2026-12-01T00:10:00Z', scheduleState: 'Scheduled' as const };

describe('decide: invalid schedules', () => {
  test.each([
    ['six fields', { schedule: '0 0 * * * *' },
      "invalid ScheduledSparkApplication: 'spec.schedule' '0 0 * * * *' is not a valid cron schedule: expected 5 fields (minute hour day-of-month month day-of-week), got 6"],
    ['an unknown zone', { timeZone: 'Europe/Atlantis' },
      "invalid ScheduledSparkApplication: 'spec.timeZone' 'Europe/Atlantis' is invalid: it is not a known IANA time zone"],
    ['an unknown CRON_TZ', { schedule: 'CRON_TZ=Mars/Olympus 0 2 * * *' },
      "invalid ScheduledSparkApplication: 'spec.schedule' 'CRON_TZ=Mars/Olympus 0 2 * * *' is not a valid cron schedule: time zone 'Mars/Olympus' is invalid: it is not a known IANA time zone"],
    ['a bad @every', { schedule: '@every soon' },
      "invalid ScheduledSparkApplication: 'spec.schedule' '@every soon' is not a valid cron schedule: 'soon' is not a duration such as 90m or 1h30m"],
    ['a policy of another spelling (upstream: never runs)', { concurrencyPolicy: 'forbid' as any },
      "invalid ScheduledSparkApplication: 'spec.concurrencyPolicy' must be one of Allow, Forbid, Replace (got 'forbid')"],
  ])('%s: FailedValidation with the reason, a Warning Event, no run, no next run, no requeue', (_, spec, reason) => {
    // GIVEN a schedule that ran at 00:05 and is now edited into something invalid
    const s = scheduled(spec, LAST);

    // WHEN its due time comes
    const decision = decideAt(s, [run('2026-12-01T00:05:00Z', 'COMPLETED')], '2026-12-01T00:10:00Z');

    // THEN
    expect(decision.status).toEqual({
      lastRun: LAST.lastRun,
      lastRunName: LAST.lastRunName,
      nextRun: null,
      pastSuccessfulRunNames: [runName('2026-12-01T00:05:00Z')],
      scheduleState: 'FailedValidation',
      reason,
    });
    expect(changes(decision)).toEqual([]);
    expect(decision.actions).toEqual([{ type: 'event', eventType: 'Warning', reason: SCHEDULED_EVENT_REASONS.failedValidation, message: reason }]);
    expect(decision.requeueAfterMs).toBeUndefined();
  });

  test('the Warning is recorded once: a pass with the same reason written adds none', () => {
    const first = decideAt(scheduled({ schedule: 'every day' }), [], '2026-12-01T00:10:00Z');
    const again = decideAt(scheduled({ schedule: 'every day' }, first.status), [], '2026-12-01T00:11:00Z');
    expect(again.status).toEqual(first.status);
    expect(again.actions).toEqual([]);
  });

  test('a template the webhook would refuse is FailedValidation too, with the field path in the template', () => {
    const s = scheduled({ template: { ...scheduled().spec.template, mainApplicationFile: '/opt/app.jar' } });
    const decision = decideAt(s, [], '2026-12-01T00:10:00Z');
    expect(decision.status.scheduleState).toBe('FailedValidation');
    expect(decision.status.reason).toMatch(/^invalid ScheduledSparkApplication: 'spec.template.mainApplicationFile' must be a URI with a scheme/);
  });

  test('a name too long for its runs\' driver pods is FailedValidation (runs would fail)', () => {
    const decision = decideAt(scheduled({}, undefined, { name: 'n'.repeat(37) }), [], '2026-12-01T00:10:00Z');
    expect(decision.status.reason).toMatch(/'metadata.name' .* is too long for a ScheduledSparkApplication/);
  });

  test('fixed again: Scheduled, an Event, and the next run planned', () => {
    const broken = decideAt(scheduled({ schedule: 'every day' }, LAST), [], '2026-12-01T00:07:00Z');
    const fixed = decideAt(scheduled({}, broken.status), [], '2026-12-01T00:08:00Z');
    expect(fixed.status).toEqual(LAST);
    expect(eventOf(fixed, SCHEDULED_EVENT_REASONS.scheduled)?.message).toBe("schedule '*/5 * * * *' in UTC: next run at 2026-12-01T00:10:00Z");
  });

  test('an edit that makes the stored nextRun another schedule\'s (monthly to hourly) does not hold the new schedule back', () => {
    // GIVEN a monthly schedule that ran on 12-01 and plans 01-01, edited to hourly on 12-01 at 10:30
    const s = scheduled({ schedule: '0 * * * *' }, {
      lastRun: '2026-12-01T00:00:00Z', lastRunName: runName('2026-12-01T00:00:00Z'), nextRun: '2027-01-01T00:00:00Z', scheduleState: 'Scheduled',
    });
    // WHEN the controller reads it at 10:30 and at 11:00
    const now = decideAt(s, [run('2026-12-01T00:00:00Z', 'COMPLETED')], '2026-12-01T10:30:00Z');
    // THEN the hourly schedule runs (its latest due time since the last run: the edit's one catch-up), next at 11:00
    expect(changes(now)).toEqual([`create:${runName('2026-12-01T10:00:00Z')}`]);
    expect(now.status.nextRun).toBe('2026-12-01T11:00:00Z');
  });
});
