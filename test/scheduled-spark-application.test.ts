import { ApiObject, Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  RestartPolicy, ScheduledSparkApplication, ScheduledSparkApplicationProps, SparkApplication, SparkApplicationSpecProps,
  SparkRbac,
} from '../src';
import { crdValidationErrors } from './util/crd-validator';
import { SPARK_PI } from './util/spark-pi';
import { scheduleProblem } from '../src/core';


const NIGHTLY: ScheduledSparkApplicationProps = { ...SPARK_PI, schedule: Cron.schedule({ minute: '0', hour: '2' }) };

function synthScheduled(chart: Chart): any {
  const objects = Testing.synth(chart).filter((o) => o.kind === 'ScheduledSparkApplication');
  expect(objects).toHaveLength(1);
  expect(crdValidationErrors(objects[0])).toEqual([]);
  return objects[0];
}

describe('ScheduledSparkApplication', () => {
  describe('rendering', () => {
    test('a nightly job renders a schema-valid object with an explicit concurrency policy and history limits', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new ScheduledSparkApplication(chart, 'nightly', { ...NIGHTLY, metadata: { name: 'nightly-pi' }, timeZone: 'Europe/Berlin' });

      // THEN
      const obj = synthScheduled(chart);
      expect(obj).toMatchSnapshot();
      expect(obj.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
      expect(obj.metadata.name).toBe('nightly-pi');
      expect(obj.spec).toMatchObject({
        schedule: '0 2 * * *',
        timeZone: 'Europe/Berlin',
        concurrencyPolicy: 'Forbid',
        successfulRunHistoryLimit: 1,
        failedRunHistoryLimit: 1,
      });
      expect(obj.spec).not.toHaveProperty('suspend');
    });

    test('the template is exactly what a SparkApplication with the same props renders', () => {
      // GIVEN
      const chart = Testing.chart();
      const rbac = new SparkRbac(chart, 'rbac');
      const props: SparkApplicationSpecProps = {
        ...SPARK_PI,
        serviceAccount: rbac,
        restartPolicy: RestartPolicy.onFailure({ retries: 1 }),
        executor: { instances: 3, memory: Size.gibibytes(2) },
        sparkConf: { 'spark.eventLog.enabled': 'true' },
      };

      // WHEN
      const scheduled = new ScheduledSparkApplication(chart, 'nightly', { ...props, schedule: Cron.daily() });
      const app = new SparkApplication(chart, 'once', props);
      scheduled.addArguments('1000');
      app.addArguments('1000');

      // THEN
      const manifests = Testing.synth(chart);
      const template = manifests.find((o) => o.kind === 'ScheduledSparkApplication').spec.template;
      const spec = manifests.find((o) => o.kind === 'SparkApplication').spec;
      expect(template).toEqual(spec);
      expect(template.arguments).toEqual(['1000']);
    });

    test('options: policy, limits, suspend, and the template knobs', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      const scheduled = new ScheduledSparkApplication(chart, 'hourly', {
        ...SPARK_PI,
        schedule: Cron.hourly(),
        concurrencyPolicy: kplus.ConcurrencyPolicy.REPLACE,
        successfulRunHistoryLimit: 3,
        failedRunHistoryLimit: 5,
        suspend: true,
        timeToLive: Duration.hours(12),
      });
      scheduled.executor.addEnv('RUN', kplus.EnvValue.fromValue('hourly'));

      // THEN
      const spec = synthScheduled(chart).spec;
      expect(spec).toMatchObject({
        schedule: '0 * * * *',
        concurrencyPolicy: 'Replace',
        successfulRunHistoryLimit: 3,
        failedRunHistoryLimit: 5,
        suspend: true,
      });
      expect(spec.template.timeToLiveSeconds).toBe(43200);
      expect(spec.template.executor.env).toEqual([{ name: 'RUN', value: 'hourly' }]);
      expect(scheduled.concurrencyPolicy).toBe(kplus.ConcurrencyPolicy.REPLACE);
    });

    test('schedules with lists, ranges, steps and names are accepted', () => {
      // GIVEN
      const chart = Testing.chart();
      const schedules = [
        Cron.schedule({ minute: '*/15', hour: '8-18', weekDay: 'MON-FRI' }),
        Cron.schedule({ minute: '0', hour: '0', day: '1,15', month: 'JAN,jul' }),
        Cron.schedule({ minute: '5/10', hour: '?', day: '?' }),
        Cron.weekly(),
        Cron.monthly(),
        Cron.annually(),
        Cron.everyMinute(),
      ];

      // WHEN
      schedules.forEach((schedule, i) => new ScheduledSparkApplication(chart, `s${i}`, { ...SPARK_PI, schedule }));

      // THEN
      const rendered = Testing.synth(chart).map((o) => o.spec.schedule);
      expect(rendered).toEqual(schedules.map((s) => s.expressionString));
    });

    test('a cron string, including descriptors that Cron cannot express, is written as given', () => {
      // GIVEN
      const chart = Testing.chart();
      const expressions = ['30 2 * * MON-FRI', '@daily', '@every 1h30m'];

      // WHEN
      const scheduled = expressions.map((scheduleExpression, i) =>
        new ScheduledSparkApplication(chart, `s${i}`, { ...SPARK_PI, scheduleExpression }));

      // THEN
      const rendered = Testing.synth(chart);
      rendered.forEach((o) => expect(crdValidationErrors(o)).toEqual([]));
      expect(rendered.map((o) => o.spec.schedule)).toEqual(expressions);
      expect(scheduled.map((s) => [s.scheduleExpression, s.schedule])).toEqual(expressions.map((e) => [e, undefined]));
    });

    test('a Cron schedule is also available as its expression', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      const scheduled = new ScheduledSparkApplication(chart, 'nightly', NIGHTLY);

      // THEN
      expect(scheduled.schedule).toBe(NIGHTLY.schedule);
      expect(scheduled.scheduleExpression).toBe('0 2 * * *');
    });

    test('the API object has the child id Resource and a short generated name', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'a-chart-with-a-really-quite-long-name-for-testing');

      // WHEN
      const scheduled = new ScheduledSparkApplication(chart, 'an-application-with-a-long-construct-id', NIGHTLY);

      // THEN
      expect(scheduled.node.defaultChild).toBe(ApiObject.of(scheduled));
      expect(scheduled.name.length).toBeLessThanOrEqual(36);
      expect(scheduled.resourceType).toBe('scheduledsparkapplications');
    });
  });

  describe('validation', () => {
    function expectError(props: Partial<ScheduledSparkApplicationProps>, message: string): void {
      const chart = Testing.chart();
      expect(() => new ScheduledSparkApplication(chart, 'app', { ...NIGHTLY, ...props } as ScheduledSparkApplicationProps)).toThrow(new Error(message));
    }

    test('a minute out of range', () => {
      expectError({ schedule: Cron.schedule({ minute: '61' }) }, "[test/app] 'schedule' '61 * * * *' is not a valid cron schedule: minute '61' is not valid: use 0-59, lists (1,15), ranges (1-5) and steps (*/10)");
    });

    test('an hour, day, month or weekday out of range', () => {
      expectError({ schedule: Cron.schedule({ minute: '0', hour: '24' }) },
        "[test/app] 'schedule' '0 24 * * *' is not a valid cron schedule: hour '24' is not valid: use 0-23, lists (1,15), ranges (1-5) and steps (*/10)");
      expectError({ schedule: Cron.schedule({ minute: '0', day: '0' }) },
        "[test/app] 'schedule' '0 * 0 * *' is not a valid cron schedule: day of month '0' is not valid: use 1-31, lists (1,15), ranges (1-5) and steps (*/10)");
      expectError({ schedule: Cron.schedule({ minute: '0', month: '13' }) },
        "[test/app] 'schedule' '0 * * 13 *' is not a valid cron schedule: month '13' is not valid: use 1-12 or JAN-DEC, lists (1,15), ranges (1-5) and steps (*/10)");
      expectError({ schedule: Cron.schedule({ minute: '0', weekDay: '7' }) },
        "[test/app] 'schedule' '0 * * * 7' is not a valid cron schedule: day of week '7' is not valid: use 0-6 or SUN-SAT, lists (1,15), ranges (1-5) and steps (*/10)");
    });

    test('a field that is not a number, a bad step or a reversed range', () => {
      expectError({ schedule: Cron.schedule({ minute: 'x' }) }, "[test/app] 'schedule' 'x * * * *' is not a valid cron schedule: minute 'x' is not valid: use 0-59, lists (1,15), ranges (1-5) and steps (*/10)");
      expectError({ schedule: Cron.schedule({ minute: '*/0' }) },
        "[test/app] 'schedule' '*/0 * * * *' is not a valid cron schedule: minute '*/0' is not valid: use 0-59, lists (1,15), ranges (1-5) and steps (*/10)");
      expectError({ schedule: Cron.schedule({ minute: '0', hour: '10-2' }) },
        "[test/app] 'schedule' '0 10-2 * * *' is not a valid cron schedule: hour '10-2' is not valid: use 0-23, lists (1,15), ranges (1-5) and steps (*/10)");
      expectError({ schedule: Cron.schedule({ minute: '0', weekDay: 'FUNDAY' }) },
        "[test/app] 'schedule' '0 * * * FUNDAY' is not a valid cron schedule: day of week 'FUNDAY' is not valid: use 0-6 or SUN-SAT, lists (1,15), ranges (1-5) and steps (*/10)");
    });

    test('the wrong number of fields', () => {
      expectError({ schedule: Cron.schedule({ minute: '0 0' }) },
        "[test/app] 'schedule' '0 0 * * * *' is not a valid cron schedule: expected 5 fields (minute hour day-of-month month day-of-week), got 6");
    });

    test('a time zone prefix in the schedule names a zone the operator knows (upstream accepts the prefix)', () => {
      expectError({ schedule: Cron.schedule({ minute: 'CRON_TZ=Mars/Olympus 0' }) },
        "[test/app] 'schedule' 'CRON_TZ=Mars/Olympus 0 * * * *' is not a valid cron schedule: time zone 'Mars/Olympus' is invalid: it is not a known IANA time zone");
    });

    test('neither a schedule nor a schedule expression', () => {
      expectError({ schedule: undefined },
        "[test/app] A schedule is required: set 'schedule' to a cdk8s Cron (Cron.daily()) or 'scheduleExpression' to a cron string ('0 2 * * *', '@daily', '@every 1h')");
    });

    test('both a schedule and a schedule expression', () => {
      expectError({ scheduleExpression: '@daily' },
        "[test/app] 'schedule' and 'scheduleExpression' cannot both be set (got '0 2 * * *' and '@daily'): set one of them");
    });

    test('a schedule expression the operator cannot parse', () => {
      expectError({ schedule: undefined, scheduleExpression: '0 25 * * *' },
        "[test/app] 'scheduleExpression' '0 25 * * *' is not a valid cron schedule: hour '25' is not valid: use 0-23, lists (1,15), ranges (1-5) and steps (*/10)");
      expectError({ schedule: undefined, scheduleExpression: '@fortnightly' },
        "[test/app] 'scheduleExpression' '@fortnightly' is not a valid cron schedule: unknown descriptor '@fortnightly' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>)");
      expectError({ schedule: undefined, scheduleExpression: '@every soon' },
        "[test/app] 'scheduleExpression' '@every soon' is not a valid cron schedule: 'soon' is not a duration such as 90m or 1h30m");
      expectError({ schedule: undefined, scheduleExpression: 'TZ=utc 0 2 * * *' },
        "[test/app] 'scheduleExpression' 'TZ=utc 0 2 * * *' is not a valid cron schedule: time zone 'utc' is invalid: it is not an IANA time zone name such as Europe/Berlin or UTC");
    });

    test('an unknown time zone', () => {
      expectError({ timeZone: 'Mars/Olympus_Mons' }, "[test/app] 'timeZone' 'Mars/Olympus_Mons' is invalid: it is not a known IANA time zone");
    });

    test('a time zone that is not an IANA name', () => {
      expectError({ timeZone: '+01:00' }, "[test/app] 'timeZone' '+01:00' is invalid: it is not an IANA time zone name such as Europe/Berlin or UTC");
      expectError({ timeZone: 'europe/berlin' }, "[test/app] 'timeZone' 'europe/berlin' is invalid: it is not an IANA time zone name such as Europe/Berlin or UTC");
    });

    test('a name whose runs would not fit in 63 characters', () => {
      const name = 'a'.repeat(37);
      expectError({ metadata: { name } },
        `[test/app] 'metadata.name' '${name}' (37 characters) is too long for a ScheduledSparkApplication: each run is named '<name>-<19-digit timestamp>' and its driver pod '<run>-driver', which must fit in 63 characters; use at most 36 characters`);
    });

    test('a name that is not a DNS-1035 label', () => {
      expectError({ metadata: { name: 'Nightly' } },
        "[test/app] 'metadata.name' must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got 'Nightly')");
    });

    test('a fixed driver pod name, which every run would share', () => {
      expectError({ driver: { podName: 'nightly-driver' } },
        "[test/app] 'driver.podName' cannot be set on a ScheduledSparkApplication: every run would name its driver pod 'nightly-driver' and the second run would fail; leave it unset to get '<run>-driver'");
    });

    test('negative history limits', () => {
      expectError({ successfulRunHistoryLimit: -1 }, "[test/app] 'successfulRunHistoryLimit' must be an integer >= 0 (got -1)");
      expectError({ failedRunHistoryLimit: 1.5 }, "[test/app] 'failedRunHistoryLimit' must be an integer >= 0 (got 1.5)");
    });

    test('the template rules of SparkApplication apply', () => {
      expectError({ executor: { instances: 0 } }, "[test/app] 'executor.instances' must be an integer >= 1 (got 0)");
      expectError({ sparkConf: { 'spark.master': 'local' } }, "[test/app] 'sparkConf' must not set 'spark.master': the operator owns it");
    });
  });
});

describe('schedules (src/core/schedule.ts)', () => {
  // Cron cannot express descriptors, but the operator's parser accepts them; the shared parser knows them.
  test('descriptors and @every durations', () => {
    expect(scheduleProblem('@hourly')).toBeUndefined();
    expect(scheduleProblem('@every 1h30m')).toBeUndefined();
    expect(scheduleProblem('@every soon')).toBe("'soon' is not a duration such as 90m or 1h30m");
    expect(scheduleProblem('@fortnightly')).toBe(
      "unknown descriptor '@fortnightly' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>)");
  });
});

describe('warnings for schedules that are legal but rarely meant', () => {
  test('a fixed hour with the minute left at * runs sixty times: a warning on the construct and on stderr', () => {
    // GIVEN
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const chart = Testing.chart();
    // WHEN
    const nightly = new ScheduledSparkApplication(chart, 'nightly', { ...SPARK_PI, schedule: Cron.schedule({ hour: '2' }) });
    // THEN
    const message = "schedule '* 2 * * *' runs every minute of hour 2 (60 runs a day): set the minute too, e.g. '0 2 * * *'";
    expect(nightly.node.metadata.filter((m) => m.type === 'cdk8s-spark:warning').map((m) => m.data)).toEqual([message]);
    expect(warnings).toHaveBeenCalledWith(`[test/nightly] warning: ${message}`);
    warnings.mockRestore();
  });

  test('no warning for a minute that is set, or for an hour that is a range or step', () => {
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const chart = Testing.chart();
    for (const [i, expression] of ['0 2 * * *', '* */2 * * *', '* 1-3 * * *', '*/5 * * * *'].entries()) {
      new ScheduledSparkApplication(chart, `s${i}`, { ...SPARK_PI, scheduleExpression: expression });
    }
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });
});

describe('every error names the construct path, so a user with 200 jobs knows which one', () => {
  test('at construction, and for an addX() call made later', () => {
    const chart = Testing.chart();
    expect(() => new ScheduledSparkApplication(chart, 'etl', { ...SPARK_PI, scheduleExpression: '0 25 * * *' })).toThrow(new Error(
      "[test/etl] 'scheduleExpression' '0 25 * * *' is not a valid cron schedule: hour '25' is not valid: use 0-23, lists (1,15), ranges (1-5) and steps (*/10)"));
    const app = new ScheduledSparkApplication(chart, 'ok', { ...SPARK_PI, scheduleExpression: '0 2 * * *' });
    expect(() => app.addSparkConf('spark.master', 'local')).toThrow(new Error("[test/ok] 'sparkConf' must not set 'spark.master': the operator owns it"));
    expect(() => app.driver.addEnv('A', kplus.EnvValue.fromValue('1'))).not.toThrow();
    expect(() => app.driver.addEnv('A', kplus.EnvValue.fromValue('2'))).toThrow(new Error("[test/ok] 'driver.env' already has a variable named 'A'"));
  });
});

describe('the labels its runs and their pods get', () => {
  test('its own labels and the chart\'s may not use Spark\'s own keys', () => {
    // GIVEN a chart labelled spark-app-selector, and a plain chart
    const labelledChart = new Chart(Testing.app(), 'jobs', { labels: { 'spark-app-selector': 'x' } });
    const chart = Testing.chart();
    // WHEN / THEN
    expect(() => new ScheduledSparkApplication(labelledChart, 'etl', { ...SPARK_PI, scheduleExpression: '0 2 * * *' })).toThrow(new Error(
      "[jobs/etl] 'metadata.labels' must not have the label 'spark-app-selector': the operator copies the application's labels to its pods, and Spark sets 'spark-app-selector' itself"));
    expect(() => new ScheduledSparkApplication(chart, 'etl', { ...SPARK_PI, scheduleExpression: '0 2 * * *', metadata: { labels: { 'spark-role': 'driver' } } })).toThrow(new Error(
      "[test/etl] 'metadata.labels' must not have the label 'spark-role': the operator copies the application's labels to its pods, and Spark sets 'spark-role' itself"));
  });
});
