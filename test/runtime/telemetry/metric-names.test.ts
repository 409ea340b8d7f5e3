import * as fs from 'node:fs';
import * as path from 'node:path';
import { application } from './helpers';
import { DEFAULT_START_LATENCY_BUCKETS, DEFAULT_SUBMIT_LATENCY_BUCKETS } from '../../../src/core';
import { OperatorMetrics } from '../../../src/runtime/telemetry/metrics';
import { parseExposition, typesOf } from '../../util/prometheus';

/**
 * Upstream's Spark metrics (`reference/kubeflow-v1beta2.md` §8): name and type. Each is labelled
 * with the `--metrics-labels` and nothing else.
 */
const UPSTREAM: ReadonlyArray<[string, string]> = [
  ['spark_application_count', 'counter'],
  ['spark_application_submit_count', 'counter'],
  ['spark_application_failed_submission_count', 'counter'],
  ['spark_application_running_count', 'gauge'],
  ['spark_application_success_count', 'counter'],
  ['spark_application_failure_count', 'counter'],
  ['spark_application_success_execution_time_seconds', 'summary'],
  ['spark_application_failure_execution_time_seconds', 'summary'],
  ['spark_application_submit_latency_seconds', 'summary'],
  ['spark_application_submit_latency_seconds_histogram', 'histogram'],
  ['spark_application_start_latency_seconds', 'summary'],
  ['spark_application_start_latency_seconds_histogram', 'histogram'],
  ['spark_executor_running_count', 'gauge'],
  ['spark_executor_success_count', 'counter'],
  ['spark_executor_failure_count', 'counter'],
];

const OPTIONS = { metricsLabels: ['app_type', 'namespace'], submitLatencyBuckets: DEFAULT_SUBMIT_LATENCY_BUCKETS, startLatencyBuckets: DEFAULT_START_LATENCY_BUCKETS };

/** Metrics in which every Spark metric has a series: one application through every counted change, and the caches. */
async function everySparkSeries(options = OPTIONS): Promise<string> {
  const metrics = new OperatorMetrics(options, false);
  const app = application('spark-pi', { app_type: 'pi' });
  const times = { submissionAttempts: 1, executionAttempts: 1, lastSubmissionAttemptTime: '2026-01-01T00:00:01Z', terminationTime: '2026-01-01T00:01:00Z' };
  for (const [from, to] of [['', 'SUBMISSION_FAILED'], ['SUBMISSION_FAILED', 'SUBMITTED'], ['SUBMITTED', 'RUNNING'], ['RUNNING', 'COMPLETED'], ['COMPLETED', 'FAILED']]) {
    metrics.recordChanges(app, times, [{ kind: 'application', from: from as any, to: to as any }], new Date('2026-01-01T00:01:00Z'));
  }
  metrics.recordChanges(app, {}, [{ kind: 'executor', pod: 'e1', to: 'COMPLETED' }, { kind: 'executor', pod: 'e2', to: 'FAILED' }], new Date());
  const executor = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'e3', namespace: 'spark-jobs', labels: { 'spark-role': 'executor' } }, status: { phase: 'Running' } };
  metrics.watchCaches({ applications: () => [app, application('other', {}, 'RUNNING') as any], pods: () => [executor], leading: () => true });
  return metrics.exposition();
}

/** The metric a series belongs to: its name without the suffix of a summary's or histogram's parts. */
function metricOf(series: string, types: Map<string, string>): string {
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return types.has(series) ? series : base;
}

describe('the metric names, types and labels', () => {
  test('the Spark metrics are exactly upstream\'s, with their types', async () => {
    // WHEN
    const types = typesOf(await everySparkSeries());
    // THEN
    const spark = [...types].filter(([name]) => name.startsWith('spark_'));
    expect(spark.sort()).toEqual([...UPSTREAM].sort());
  });

  test('every series of a Spark metric has exactly the --metrics-labels (and le for a histogram bucket)', async () => {
    // WHEN
    const text = await everySparkSeries();
    const types = typesOf(text);
    const series = parseExposition(text).filter((s) => s.name.startsWith('spark_'));
    // THEN every upstream metric has a series, and each one the configured labels
    expect(new Set(series.map((s) => metricOf(s.name, types)))).toEqual(new Set(UPSTREAM.map(([name]) => name)));
    for (const s of series) {
      const expected = s.name.endsWith('_bucket') ? ['app_type', 'le', 'namespace'] : ['app_type', 'namespace'];
      expect({ series: s.name, labels: Object.keys(s.labels).sort() }).toEqual({ series: s.name, labels: expected });
    }
  });

  test('with a prefix, the same metrics under prefixed names', async () => {
    // WHEN
    const types = typesOf(await everySparkSeries({ ...OPTIONS, metricsPrefix: 'team_a_' } as any));
    // THEN
    expect([...types].filter(([name]) => name.startsWith('team_a_')).sort()).toEqual(UPSTREAM.map(([name, type]) => [`team_a_${name}`, type]).sort());
  });

  test("docs/reference.md's metrics tables list exactly these metrics, with their types", async () => {
    // GIVEN every metric of the registry (but prom-client's process metrics, listed as one row)
    const metrics = new OperatorMetrics(OPTIONS, false);
    metrics.watchQueue('sparkapplication', () => 0);
    const types = typesOf(await metrics.exposition());
    // WHEN
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'reference.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Metrics\n'));
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \| ([a-z]+) \|/gm)].map(([, name, type]) => [name, type]);
    // THEN
    expect(rows.sort()).toEqual([...types].sort());
  });
});
