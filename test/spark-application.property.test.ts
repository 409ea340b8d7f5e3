import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ScheduledSparkApplication, SparkApplication } from '../src';
import { application, cron } from './util/arbitraries';
import { crdValidationErrors } from './util/crd-validator';

// Random schedules often leave the minute at '*' with a fixed hour, which the constructs warn about
// (tested in scheduled-spark-application.test.ts); hundreds of warnings would bury the output.
beforeAll(() => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterAll(() => {
  jest.restoreAllMocks();
});

describe('property: valid props always synthesize to schema-valid objects', () => {
  test('SparkApplication', () => {
    fc.assert(fc.property(application, (props) => {
      // GIVEN
      const chart = Testing.chart();
      // WHEN
      new SparkApplication(chart, 'app', props);
      // THEN
      const [obj] = Testing.synth(chart);
      expect(crdValidationErrors(obj)).toEqual([]);
      expect(obj.spec.driver.cores).toBe(props.driver?.cores ?? 1);
      expect(obj.spec.executor.instances).toBe(props.executor?.instances ?? (props.dynamicAllocation ? undefined : 1));
      const mounted = (props.driver?.volumeMounts?.length ?? 0) + (props.executor?.volumeMounts?.length ?? 0);
      expect(obj.spec.volumes?.length ?? 0).toBe(mounted);
      expect(obj.spec.executor.sidecars?.length ?? 0).toBe(props.executor?.sidecars?.length ?? 0);
      expect(obj.spec.driver.secrets?.length ?? 0).toBe(props.driver?.secrets?.length ?? 0);
      expect(obj.spec.suspend).toBe(props.suspend ? true : undefined);
    }), { numRuns: 300 });
  });

  test('ScheduledSparkApplication', () => {
    fc.assert(fc.property(application, cron, fc.constantFrom(undefined, 'UTC', 'Europe/Berlin', 'America/New_York'), (props, schedule, timeZone) => {
      // GIVEN
      const chart = Testing.chart();
      // WHEN
      new ScheduledSparkApplication(chart, 'app', { ...props, schedule, timeZone });
      // THEN
      const [obj] = Testing.synth(chart);
      expect(crdValidationErrors(obj)).toEqual([]);
      expect(obj.spec.schedule).toBe(schedule.expressionString);
    }), { numRuns: 200 });
  });
});
