import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { executorPod } from './harness/executor-pod';
import { httpGet } from './harness/http-probe';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { freeLoopbackPorts } from './harness/ports';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { Series, parseExposition, typesOf, valueOf } from '../util/prometheus';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('metrics-jobs');
const OPERATOR_NAMESPACE = uniqueName('spark-operator');
/** The labels of the Spark metrics of the application below, with `--metrics-labels=app_type,namespace`. */
const PI = { app_type: 'pi', namespace: NAMESPACE };

let metricsPort: number;
let healthPort: number;
let operator: RunningOperator | undefined;

/** Starts a controller that serves its metrics on `metricsPort`, with the labels set as users set them. */
async function startOperator(): Promise<RunningOperator> {
  operator = await startController(cluster, {
    jobNamespaces: [NAMESPACE],
    namespace: OPERATOR_NAMESPACE,
    controller: { metricsLabels: ['app_type', 'namespace'] },
    extraArgs: [`--metrics-port=${metricsPort}`, `--health-probe-port=${healthPort}`],
  });
  return operator;
}

/** GET /metrics of the running controller, as Prometheus would. */
async function scrapeText(): Promise<string> {
  const answer = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function scrape(): Promise<Series[]> {
  return parseExposition(await scrapeText());
}

/** Scrapes until `value` of the series `name` with `labels` is `expected`; returns that scrape. */
async function scrapeUntil(name: string, labels: Record<string, string>, expected: number): Promise<Series[]> {
  return waitFor(`${name}${JSON.stringify(labels)} to be ${expected}`, async () => {
    const series = await scrape();
    return valueOf(series, name, labels) === expected ? series : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500, abortIf: () => (operator?.process.running ? undefined : `the controller exited: ${operator?.process.describeExit()}`) });
}

async function getApp(name: string): Promise<any> {
  return cluster.kubectlJson<any>(['get', 'sparkapplication', name, '-n', NAMESPACE]);
}

async function waitForApp(name: string, what: string, holds: (app: any) => boolean): Promise<any> {
  return waitFor(`${name}: ${what}`, async () => {
    const app = await getApp(name);
    return holds(app) ? app : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });
}

beforeAll(async () => {
  [metricsPort, healthPort] = await freeLoopbackPorts(2);
  await cluster.createNamespace(NAMESPACE);
  await startOperator();
});

afterAll(async () => {
  await operator?.stop();
  await cluster.deleteNamespace(NAMESPACE);
});

describe('the controller\'s metrics, scraped over HTTP during a SparkPi run', () => {
  test('from the start: the process, the work queues and the API client, upstream\'s Spark metrics declared with their types', async () => {
    // WHEN
    const text = await scrapeText();
    const series = parseExposition(text);
    // THEN
    expect(valueOf(series, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(series, 'workqueue_depth', { name: 'sparkapplication' })).toBeDefined();
    expect(valueOf(series, 'workqueue_depth', { name: 'scheduledsparkapplication' })).toBeDefined();
    expect(valueOf(series, 'rest_client_requests_total', { verb: 'GET', code: '200' })).toBeGreaterThan(0);
    const types = typesOf(text);
    expect(types.get('spark_application_submit_count')).toBe('counter');
    expect(types.get('spark_application_submit_latency_seconds')).toBe('summary');
    expect(types.get('spark_application_start_latency_seconds_histogram')).toBe('histogram');
    expect(types.get('spark_executor_running_count')).toBe('gauge');
    // And anything but the endpoint is not found.
    expect((await httpGet(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
  });

  test('a SparkPi run moves the counters, latencies and gauges, with the exact names and labels', async () => {
    // GIVEN a SparkPi whose driver runs until the test ends it
    await cluster.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name: 'pi-metrics', namespace: NAMESPACE, labels: { app_type: 'pi' } },
        spec: sparkPiSpec(),
      }),
    });
    await waitForApp('pi-metrics', 'RUNNING', (app) => app.status?.applicationState?.state === 'RUNNING');
    // WHEN its driver starts two executors: one keeps running, one fails
    const driver = await cluster.kubectlJson<any>(['get', 'pod', 'pi-metrics-driver', '-n', NAMESPACE]);
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(executorPod(driver, 1, { labels: { app_type: 'pi' } })) });
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(executorPod(driver, 2, { labels: { app_type: 'pi' }, annotations: podOutcomeAnnotations('Failed', { runFor: '1s', exitCode: 1 }) })) });
    await waitForApp('pi-metrics', 'one executor running, one failed', (app) => app.status?.executorState?.['pi-metrics-exec-1'] === 'RUNNING'
      && app.status?.executorState?.['pi-metrics-exec-2'] === 'FAILED');
    // THEN
    const series = await scrapeUntil('spark_executor_running_count', PI, 1);
    expect(valueOf(series, 'spark_application_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_submit_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_running_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_submit_latency_seconds_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_submit_latency_seconds_histogram_bucket', { ...PI, le: '+Inf' })).toBe(1);
    expect(valueOf(series, 'spark_application_start_latency_seconds_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_application_start_latency_seconds_histogram_bucket', { ...PI, le: '300' })).toBe(1);
    expect(valueOf(series, 'spark_executor_failure_count', PI)).toBe(1);
    expect(valueOf(series, 'spark_executor_success_count', PI)).toBeUndefined();
    expect(valueOf(series, 'spark_application_failed_submission_count', PI)).toBeUndefined();
    // The submission's creates and the status writes went through the API client.
    expect(valueOf(series, 'rest_client_requests_total', { verb: 'POST', code: '201' })).toBeGreaterThanOrEqual(3);
    expect(valueOf(series, 'rest_client_request_duration_seconds_count', { verb: 'PUT' })).toBeGreaterThanOrEqual(2);
  });

  test('a restarted controller counts nothing it did not write itself, and the run\'s end once', async () => {
    // GIVEN the controller stopped and started again while pi-metrics runs
    await operator!.stop();
    await startOperator();
    // WHEN
    const restarted = await scrapeUntil('spark_application_running_count', PI, 1);
    // THEN the gauges come from the caches; the transitions of the first controller are not counted again
    expect(valueOf(restarted, 'spark_executor_running_count', PI)).toBe(1);
    for (const name of ['spark_application_count', 'spark_application_submit_count', 'spark_application_submit_latency_seconds_count',
      'spark_application_start_latency_seconds_count', 'spark_executor_failure_count']) {
      expect({ name, value: valueOf(restarted, name, PI) }).toEqual({ name, value: undefined });
    }
    // WHEN the driver goes away: FAILED, counted by the controller that writes it
    await cluster.kubectl(['delete', 'pod', 'pi-metrics-driver', '-n', NAMESPACE, '--wait=false']);
    await waitForApp('pi-metrics', 'FAILED', (app) => app.status?.applicationState?.state === 'FAILED');
    // THEN
    const ended = await scrapeUntil('spark_application_failure_count', PI, 1);
    expect(valueOf(ended, 'spark_application_failure_execution_time_seconds_count', PI)).toBe(1);
    expect(valueOf(ended, 'spark_application_running_count', PI)).toBe(0);
    expect(valueOf(ended, 'spark_application_submit_count', PI)).toBeUndefined();
    expect(valueOf(ended, 'spark_application_success_count', PI)).toBeUndefined();
  });
});
