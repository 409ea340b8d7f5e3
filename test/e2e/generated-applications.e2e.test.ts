import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ScheduledSparkApplication, SparkApplication } from '../../src';
import { application, cron } from '../util/arbitraries';
import { installSparkCrds } from './harness/spark-crds';
import { e2eCluster, uniqueName } from './harness/suite';

const cluster = e2eCluster();
let namespace: string;

beforeAll(async () => {
  await installSparkCrds(cluster);
  namespace = await cluster.createNamespace(uniqueName('e2e-generated'));
}, 120_000);

afterAll(async () => {
  await cluster.deleteNamespace(namespace);
});

/** Synthesizes one chart with `count` objects, the i-th made by `build(chart, i)`. */
function synthesize(count: number, build: (chart: Chart, i: number) => void): any[] {
  const chart = Testing.chart();
  for (let i = 0; i < count; i++) build(chart, i);
  return Testing.synth(chart);
}

// Random schedules often leave the minute at '*' with a fixed hour, which the constructs warn about
// (tested in scheduled-spark-application.test.ts); hundreds of warnings would bury the output.
beforeAll(() => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterAll(() => {
  jest.restoreAllMocks();
});

describe('what the constructs synthesize, the real API server accepts (schema and CEL rules)', () => {
  test('100 generated SparkApplications pass a server-side dry run', async () => {
    // GIVEN
    const props = fc.sample(application, { numRuns: 100, seed: 42 });
    const objects = synthesize(props.length, (chart, i) =>
      new SparkApplication(chart, `app-${i}`, { ...props[i], metadata: { name: `app-${i}`, namespace } }));
    // WHEN
    const out = await cluster.kubectl(['create', '--dry-run=server', '-f', '-', '-o', 'name'],
      { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
    // THEN every one was admitted
    expect(out.trim().split('\n')).toHaveLength(100);
  }, 120_000);

  test('50 generated ScheduledSparkApplications pass a server-side dry run', async () => {
    // GIVEN
    const props = fc.sample(fc.tuple(application, cron), { numRuns: 50, seed: 7 });
    const objects = synthesize(props.length, (chart, i) => new ScheduledSparkApplication(chart, `nightly-${i}`, {
      ...props[i][0], schedule: props[i][1], timeZone: 'Europe/Berlin', metadata: { name: `nightly-${i}`, namespace },
    }));
    // WHEN
    const out = await cluster.kubectl(['create', '--dry-run=server', '-f', '-', '-o', 'name'],
      { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
    // THEN
    expect(out.trim().split('\n')).toHaveLength(50);
  }, 120_000);
});
