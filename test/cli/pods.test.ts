import { SparkApplication } from '../../src/api';
import {
  driverPodNameOf, executorIdsOf, executorSelector, forwardingLine, logQuery, newestPod, noPodMessage, notRunningMessage, sparkContainerOf,
} from '../../src/cli/pods';
import { sparkUiPort } from '../../src/core';

function app(state: string | undefined, extra: Partial<SparkApplication> = {}): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'spark-pi', namespace: 'jobs' },
    spec: {} as SparkApplication['spec'],
    ...state === undefined ? {} : { status: { applicationState: { state: state as any } } as SparkApplication['status'] },
    ...extra,
  };
}

describe('which pod and container logs and forward reach', () => {
  test('the driver pod is the one the status names, else the name rule\'s', () => {
    // GIVEN
    const named = app('RUNNING');
    named.status!.driverInfo = { podName: 'custom-driver' };

    // THEN
    expect(driverPodNameOf(named)).toBe('custom-driver');
    expect(driverPodNameOf(app(undefined))).toBe('spark-pi-driver');
    expect(driverPodNameOf(app(undefined, { spec: { driver: { podName: 'given' } } as SparkApplication['spec'] }))).toBe('given');
  });

  test('an executor is found by the application\'s name, the executor role and Spark\'s id label; the newest pod wins', () => {
    expect(executorSelector(app('RUNNING'), 3)).toBe('sparkoperator.k8s.io/app-name=spark-pi,spark-role=executor,spark-exec-id=3');
    const older = { metadata: { name: 'a', creationTimestamp: '2026-01-01T10:00:00Z' } };
    const newer = { metadata: { name: 'b', creationTimestamp: '2026-01-01T11:00:00Z' } };
    expect(newestPod([older, newer])?.metadata.name).toBe('b');
    expect(newestPod([])).toBeUndefined();
  });

  test('the log is Spark\'s container\'s, else the first container\'s', () => {
    const pod = { metadata: {}, spec: { containers: [{ name: 'istio-proxy' }, { name: 'spark-kubernetes-driver' }] } };
    expect(sparkContainerOf(pod, 'driver')).toBe('spark-kubernetes-driver');
    expect(sparkContainerOf({ metadata: {}, spec: { containers: [{ name: 'executor' }] } }, 'executor')).toBe('executor');
    expect(sparkContainerOf({ metadata: {} }, 'driver')).toBeUndefined();
  });

  test('the log request asks for the container, and for follow and tailLines only when given', () => {
    expect(logQuery('spark-kubernetes-driver', { follow: false })).toEqual({ container: 'spark-kubernetes-driver', follow: undefined, tailLines: undefined });
    expect(logQuery('c', { follow: true, tail: 0 })).toEqual({ container: 'c', follow: 'true', tailLines: '0' });
  });

  test('the Spark UI port is spark.ui.port when it is a whole number > 0, else 4040 (the rule of the controller\'s UI Service)', () => {
    expect(sparkUiPort(app('RUNNING'))).toBe(4040);
    expect(sparkUiPort({ spec: { sparkConf: { 'spark.ui.port': '4041' } } as any })).toBe(4041);
    expect(sparkUiPort({ spec: { sparkConf: { 'spark.ui.port': '0' } } as any })).toBe(4040);
    expect(sparkUiPort({ spec: { sparkConf: { 'spark.ui.port': 'x' } } as any })).toBe(4040);
  });
});

describe('the lines for a pod that is not there', () => {
  test.each([
    [undefined, 'sparkapplication/spark-pi has no driver pod yet (no state yet: no operator has taken it up)'],
    ['SUBMITTED', 'sparkapplication/spark-pi has no driver pod yet (state SUBMITTED)'],
    ['PENDING_RERUN', 'sparkapplication/spark-pi has no driver pod yet (state PENDING_RERUN)'],
    ['COMPLETED', 'sparkapplication/spark-pi: its driver pod spark-pi-driver is gone (state COMPLETED)'],
    ['FAILED', 'sparkapplication/spark-pi: its driver pod spark-pi-driver is gone (state FAILED)'],
    ['RUNNING', 'sparkapplication/spark-pi: its driver pod spark-pi-driver is gone (state RUNNING)'],
  ])('a driver in state %s: %s', (state, message) => {
    expect(noPodMessage(app(state), { role: 'driver' })).toBe(message);
  });

  test('an executor id with no pod names the executors the status knows', () => {
    // GIVEN
    const running = app('RUNNING');
    running.status!.executorState = { 'spark-pi-exec-2': 'RUNNING', 'spark-pi-exec-10': 'COMPLETED', 'odd-name': 'RUNNING' };

    // THEN
    expect(executorIdsOf(running)).toEqual([2, 10]);
    expect(noPodMessage(running, { role: 'executor', id: 3 })).toBe('sparkapplication/spark-pi has no executor 3 (state RUNNING; its executors: 2, 10)');
    expect(noPodMessage(app('SUBMITTED'), { role: 'executor', id: 1 })).toBe('sparkapplication/spark-pi has no executor 1 (state SUBMITTED)');
  });

  test('forward: a driver pod that does not run, and the line once it listens', () => {
    expect(notRunningMessage(app('SUBMITTED'), 'spark-pi-driver', 'Pending'))
      .toBe('sparkapplication/spark-pi: its driver pod spark-pi-driver is Pending, and the Spark UI is served only while it runs (state SUBMITTED)');
    expect(forwardingLine(4040, app('RUNNING'), 'spark-pi-driver', 4041))
      .toBe('Forwarding http://127.0.0.1:4040 to the Spark UI of sparkapplication/spark-pi (pod spark-pi-driver, port 4041); Ctrl-C to stop\n');
  });
});
