import { application, scrape } from './helpers';
import { DEFAULT_START_LATENCY_BUCKETS, DEFAULT_SUBMIT_LATENCY_BUCKETS } from '../../../src/core';
import { Change } from '../../../src/runtime/controller/spark-application';
import { MAX_METRICS_LABEL_SETS, OVERFLOW_METRICS_LABEL_VALUE } from '../../../src/runtime/telemetry/label-sets';
import { OperatorMetrics } from '../../../src/runtime/telemetry/metrics';
import { valueOf } from '../../util/prometheus';

const OPTIONS = { metricsLabels: ['app_type'], submitLatencyBuckets: DEFAULT_SUBMIT_LATENCY_BUCKETS, startLatencyBuckets: DEFAULT_START_LATENCY_BUCKETS };
const PI = { app_type: 'pi' };
const app = application('spark-pi', { app_type: 'pi' });

/** `seconds` after the application's creation. */
const after = (seconds: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + seconds * 1000);
const move = (from: string, to: string): Change => ({ kind: 'application', from: from as any, to: to as any });

describe('OperatorMetrics: the changes of written decisions', () => {
  test('a first submission counts the application and the submission, and observes the submit latency once in each form', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    // WHEN the status SUBMITTED (first attempt) is written 3 s after creation
    metrics.recordChanges(app, { submissionAttempts: 1, executionAttempts: 1 }, [move('', 'SUBMITTED')], after(3));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_application_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_submit_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_submit_latency_seconds_sum', PI)).toBe(3);
    expect(valueOf(series, 'spark_application_submit_latency_seconds_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_submit_latency_seconds_histogram_bucket', { ...PI, le: '2' })).toBe(0);
    expect(valueOf(series, 'spark_application_submit_latency_seconds_histogram_bucket', { ...PI, le: '4' })).toBe(1);
    expect(valueOf(series, 'spark_application_submit_latency_seconds_histogram_count', PI)).toBe(1);
  });

  test('a later submission (a retry) counts the submission but no latency', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    // WHEN
    metrics.recordChanges(app, { submissionAttempts: 2, executionAttempts: 2 }, [move('PENDING_RERUN', 'SUBMITTED')], after(60));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_application_submit_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_count', PI)).toBeUndefined();
    expect(valueOf(series, 'spark_application_submit_latency_seconds_count', PI)).toBeUndefined();
  });

  test('the driver of the first execution running observes the start latency; of a later one, nothing', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    // WHEN
    metrics.recordChanges(app, { executionAttempts: 1 }, [move('SUBMITTED', 'RUNNING')], after(45));
    metrics.recordChanges(app, { executionAttempts: 2 }, [move('SUBMITTED', 'RUNNING')], after(400));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_application_start_latency_seconds_sum', PI)).toBe(45);
    expect(valueOf(series, 'spark_application_start_latency_seconds_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_start_latency_seconds_histogram_bucket', { ...PI, le: '30' })).toBe(0);
    expect(valueOf(series, 'spark_application_start_latency_seconds_histogram_bucket', { ...PI, le: '60' })).toBe(1);
  });

  test('COMPLETED counts a success and observes the execution time from the last submission attempt to the termination', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    const status = { lastSubmissionAttemptTime: '2026-01-01T00:00:10Z', terminationTime: '2026-01-01T00:02:10Z' };
    // WHEN
    metrics.recordChanges(app, status, [move('RUNNING', 'SUCCEEDING'), move('SUCCEEDING', 'COMPLETED')], after(130));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_application_success_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_success_execution_time_seconds_sum', PI)).toBe(120);
    expect(valueOf(series, 'spark_application_failure_count', PI)).toBeUndefined();
  });

  test('a refused submission without retries counts the failed submission and the failure, with an execution time of 0', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    const status = { submissionAttempts: 1, lastSubmissionAttemptTime: '2026-01-01T00:00:05Z', terminationTime: '2026-01-01T00:00:05Z' };
    // WHEN
    metrics.recordChanges(app, status, [move('', 'SUBMISSION_FAILED'), move('SUBMISSION_FAILED', 'FAILED')], after(5));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_application_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_failed_submission_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_failure_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_failure_execution_time_seconds_sum', PI)).toBe(0);
    expect(valueOf(series, 'spark_application_submit_count', PI)).toBeUndefined();
  });

  test('an application that never ran (invalid) fails without an execution time', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    // WHEN
    metrics.recordChanges(app, { lastSubmissionAttemptTime: null, terminationTime: '2026-01-01T00:00:01Z' }, [move('', 'FAILED')], after(1));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_application_failure_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_failure_execution_time_seconds_count', PI)).toBeUndefined();
  });

  test('executors that complete or fail are counted with the application\'s labels; other executor changes are not', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    // WHEN
    metrics.recordChanges(app, {}, [
      { kind: 'executor', pod: 'spark-pi-exec-1', to: 'RUNNING' },
      { kind: 'executor', pod: 'spark-pi-exec-2', from: 'RUNNING', to: 'COMPLETED' },
      { kind: 'executor', pod: 'spark-pi-exec-3', from: 'RUNNING', to: 'FAILED' },
      { kind: 'executor', pod: 'spark-pi-exec-4', to: 'FAILED' },
    ], after(10));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_executor_success_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_executor_failure_count', PI)).toBe(2);
  });
});

describe('OperatorMetrics: labels and prefix', () => {
  test('each label key is the application\'s label, Unknown when it has none; namespace is its namespace; keys become label names', async () => {
    // GIVEN
    const metrics = new OperatorMetrics({ ...OPTIONS, metricsLabels: ['app_type', 'namespace', 'app.kubernetes.io/team'] }, false);
    // WHEN
    metrics.recordChanges(application('a', { 'app.kubernetes.io/team': 'data' }), {}, [move('', 'SUBMITTED')], after(1));
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'spark_application_submit_count', { app_type: 'Unknown', namespace: 'spark-jobs', app_kubernetes_io_team: 'data' })).toBe(1);
  });

  test('no labels: one series per metric', async () => {
    // GIVEN
    const metrics = new OperatorMetrics({ ...OPTIONS, metricsLabels: [] }, false);
    // WHEN
    metrics.recordChanges(app, {}, [move('', 'SUBMITTED')], after(1));
    // THEN
    expect(valueOf(await scrape(metrics), 'spark_application_submit_count')).toBe(1);
  });

  test('the prefix goes before every Spark metric, and only those', async () => {
    // GIVEN
    const metrics = new OperatorMetrics({ ...OPTIONS, metricsPrefix: 'team_a_' }, false);
    metrics.watchQueue('sparkapplication', () => 0);
    // WHEN
    metrics.recordChanges(app, {}, [move('', 'SUBMITTED')], after(1));
    // THEN
    const names = new Set((await scrape(metrics)).map((s) => s.name));
    expect(names).toContain('team_a_spark_application_submit_count');
    expect(names).not.toContain('spark_application_submit_count');
    expect(names).toContain('workqueue_depth');
  });
});

describe('OperatorMetrics: gauges read at each scrape', () => {
  test('running applications and executors are counted from the caches by their labels, by the leader only; a label set with none running reads 0', async () => {
    // GIVEN caches with two RUNNING applications of one type, a COMPLETED one, and a running and a finished executor
    const apps = [
      application('a', PI, 'RUNNING'), application('b', PI, 'RUNNING'), application('c', { app_type: 'etl' }, 'RUNNING'), application('d', PI, 'COMPLETED'),
    ];
    const executor = (name: string, phase: string) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'spark-jobs', labels: { 'spark-role': 'executor', 'app_type': 'pi' } }, status: { phase },
    });
    const pods = [executor('a-exec-1', 'Running'), executor('a-exec-2', 'Succeeded'), { ...executor('a-driver', 'Running'), metadata: { name: 'a-driver', namespace: 'spark-jobs', labels: { 'spark-role': 'driver' } } }];
    const metrics = new OperatorMetrics(OPTIONS, false);
    let leading = true;
    metrics.watchCaches({ applications: () => apps as any, pods: () => pods, leading: () => leading });
    // WHEN
    const first = await scrape(metrics);
    apps[2] = application('c', { app_type: 'etl' }, 'COMPLETED');
    const second = await scrape(metrics);
    leading = false;
    const standingBy = await scrape(metrics);
    // THEN
    expect(valueOf(first, 'spark_application_running_count', PI)).toBe(2);
    expect(valueOf(first, 'spark_application_running_count', { app_type: 'etl' })).toBe(1);
    expect(valueOf(first, 'spark_executor_running_count', PI)).toBe(1);
    expect(valueOf(second, 'spark_application_running_count', { app_type: 'etl' })).toBe(0);
    // A standby counts nothing: a sum over the replicas counts each object once.
    expect(valueOf(standingBy, 'spark_application_running_count', PI)).toBe(0);
    expect(valueOf(standingBy, 'spark_executor_running_count', PI)).toBe(0);
  });

  test('the series of a label set go when no application in the caches has it any more', async () => {
    // GIVEN an application of type etl that ran and completed
    const etl = application('etl-1', { app_type: 'etl' }, 'COMPLETED');
    const apps: any[] = [application('a', PI, 'RUNNING'), etl];
    const metrics = new OperatorMetrics(OPTIONS, false);
    metrics.watchCaches({ applications: () => apps, pods: () => [], leading: () => true });
    metrics.recordChanges(etl, {}, [{ kind: 'application', from: 'RUNNING', to: 'COMPLETED' }], new Date('2026-01-01T00:01:00Z'));
    const before = await scrape(metrics);
    // WHEN it is deleted
    apps.splice(1, 1);
    const afterDeletion = await scrape(metrics);
    // THEN its series are gone, the others stay
    expect(valueOf(before, 'spark_application_success_count', { app_type: 'etl' })).toBe(1);
    expect(afterDeletion.filter((s) => s.labels.app_type === 'etl')).toEqual([]);
    expect(valueOf(afterDeletion, 'spark_application_running_count', PI)).toBe(1);
  });

  test(`label values beyond ${MAX_METRICS_LABEL_SETS} sets share one overflow set, so the series stay bounded`, async () => {
    // GIVEN 100,000 applications, each with a label value of its own
    const apps = Array.from({ length: 100_000 }, (_, i) => application(`app-${i}`, { app_type: `type-${i}` }, 'RUNNING'));
    const metrics = new OperatorMetrics(OPTIONS, false);
    metrics.watchCaches({ applications: () => apps as any, pods: () => [], leading: () => true });
    // WHEN each is counted
    for (const each of apps) metrics.recordChanges(each, {}, [{ kind: 'application', from: '', to: 'SUBMITTED' }], new Date('2026-01-01T00:01:00Z'));
    const series = await scrape(metrics);
    // THEN
    const submitted = series.filter((s) => s.name === 'spark_application_submit_count');
    expect(submitted).toHaveLength(MAX_METRICS_LABEL_SETS + 1);
    expect(valueOf(series, 'spark_application_submit_count', { app_type: OVERFLOW_METRICS_LABEL_VALUE })).toBe(100_000 - MAX_METRICS_LABEL_SETS);
    expect(valueOf(series, 'spark_application_running_count', { app_type: OVERFLOW_METRICS_LABEL_VALUE })).toBe(100_000 - MAX_METRICS_LABEL_SETS);
  });

  test('work queue depth at the scrape, and retries by queue', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    let depth = 3;
    metrics.watchQueue('sparkapplication', () => depth);
    // WHEN
    metrics.queueRetried('sparkapplication');
    metrics.queueRetried('sparkapplication');
    const first = await scrape(metrics);
    depth = 0;
    const second = await scrape(metrics);
    // THEN
    expect(valueOf(first, 'workqueue_depth', { name: 'sparkapplication' })).toBe(3);
    expect(valueOf(second, 'workqueue_depth', { name: 'sparkapplication' })).toBe(0);
    expect(valueOf(second, 'workqueue_retries_total', { name: 'sparkapplication' })).toBe(2);
  });

  test('API requests: latency by verb, and a count by verb and code (<error> without an answer)', async () => {
    // GIVEN
    const metrics = new OperatorMetrics(OPTIONS, false);
    // WHEN
    metrics.observeRequest('PUT', 200, 0.02);
    metrics.observeRequest('PUT', 409, 0.01);
    metrics.observeRequest('POST', undefined, 30);
    // THEN
    const series = await scrape(metrics);
    expect(valueOf(series, 'rest_client_request_duration_seconds_count', { verb: 'PUT' })).toBe(2);
    expect(valueOf(series, 'rest_client_request_duration_seconds_bucket', { verb: 'PUT', le: '0.025' })).toBe(2);
    expect(valueOf(series, 'rest_client_requests_total', { verb: 'PUT', code: '409' })).toBe(1);
    expect(valueOf(series, 'rest_client_requests_total', { verb: 'POST', code: '<error>' })).toBe(1);
  });

  test('the Node process metrics, when asked for', async () => {
    // GIVEN / WHEN
    const names = (await scrape(new OperatorMetrics(OPTIONS))).map((s) => s.name);
    // THEN
    expect(names).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']));
  });
});

describe('sparkconnect_count', () => {
  test('SparkConnects are counted by namespace and state from the caches, by the leader only', async () => {
    // GIVEN
    const connect = (namespace: string, state?: string) => ({ metadata: { namespace }, ...state !== undefined ? { status: { state } } : {} });
    const connects = [connect('team-a', 'Ready'), connect('team-a', 'Ready'), connect('team-b', 'NotReady'), connect('team-b')];
    const metrics = new OperatorMetrics(OPTIONS, false);
    let leading = true;
    metrics.watchCaches({ applications: () => [], pods: () => [], leading: () => leading, sparkConnects: () => connects });
    // WHEN
    const first = await scrape(metrics);
    connects.splice(0, 2);
    const second = await scrape(metrics);
    leading = false;
    const standingBy = await scrape(metrics);
    // THEN
    expect(valueOf(first, 'sparkconnect_count', { namespace: 'team-a', state: 'Ready' })).toBe(2);
    expect(valueOf(first, 'sparkconnect_count', { namespace: 'team-b', state: 'NotReady' })).toBe(1);
    expect(valueOf(first, 'sparkconnect_count', { namespace: 'team-b', state: 'New' })).toBe(1);
    expect(second.filter((s) => s.name === 'sparkconnect_count' && s.labels.namespace === 'team-a')).toEqual([]);
    expect(standingBy.filter((s) => s.name === 'sparkconnect_count')).toEqual([]);
  });
});
