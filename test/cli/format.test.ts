import { SPARK_CONNECT_NAMES, ScheduledSparkApplication, SparkApplication, SparkConnect } from '../../src/api';
import { CONNECT_CRD_MISSING_MESSAGE, CRDS_MISSING_MESSAGE, errorLine, exitCodeOf, CliError, EXIT, UsageError } from '../../src/cli/errors';
import { age, ageOf, paint, table } from '../../src/cli/format';
import { collectionPath, objectPath } from '../../src/cli/spark-api';
import { useColor } from '../../src/cli/terminal';
import {
  applicationsTable, connectStatusText, connectTable, driverPodState, eventsTable, scheduledStatusText, scheduledTable, statusText,
} from '../../src/cli/views';
import { KubeError } from '../../src/kube/rest';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function app(name: string, state: string, extra: Record<string, unknown> = {}): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, namespace: 'jobs', creationTimestamp: '2026-01-01T11:00:00Z' },
    spec: {} as SparkApplication['spec'],
    status: {
      driverInfo: { podName: `${name}-driver` },
      applicationState: { state: state as any },
      executionAttempts: 1,
      submissionAttempts: 1,
      lastSubmissionAttemptTime: '2026-01-01T11:00:05Z',
      terminationTime: state === 'COMPLETED' ? '2026-01-01T11:02:00Z' : null,
      ...extra,
    },
  };
}

describe('ages as kubectl prints them', () => {
  test.each([
    [0, '0s'], [45_000, '45s'], [119_000, '119s'], [330_000, '5m30s'], [42 * 60_000, '42m'],
    [(5 * 60 + 30) * 60_000, '5h30m'], [20 * 3_600_000, '20h'], [(3 * 24 + 4) * 3_600_000, '3d4h'], [120 * 86_400_000, '120d'],
  ])('%d ms is %s', (ms, text) => {
    expect(age(ms)).toBe(text);
  });

  test('no timestamp is <none>', () => {
    expect(ageOf(undefined, NOW)).toBe('<none>');
  });
});

describe('tables', () => {
  test('columns are padded to the widest cell, three spaces apart, without trailing spaces', () => {
    expect(table(['NAME', 'STATE'], [['a', 'RUNNING'], ['longer-name', '']])).toBe(
      'NAME          STATE\n'
      + 'a             RUNNING\n'
      + 'longer-name\n');
  });

  test('colour in a terminal only, and never with NO_COLOR', () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(undefined, {})).toBe(false);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(paint('FAILED', 'red', true)).toBe('\u001b[31mFAILED\u001b[0m');
    expect(paint('FAILED', 'red', false)).toBe('FAILED');
  });

  test('a coloured table is padded by its visible text', () => {
    const plain = applicationsTable([app('a', 'COMPLETED'), app('bb', 'FAILED')], { now: NOW, wide: false, namespaces: false, color: false });
    const coloured = applicationsTable([app('a', 'COMPLETED'), app('bb', 'FAILED')], { now: NOW, wide: false, namespaces: false, color: true });
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    expect(coloured).toContain('\u001b[32mCOMPLETED\u001b[0m');
  });

  test('list: name, state, attempts, start, finish, age; namespaces with -A', () => {
    expect(applicationsTable([app('spark-pi', 'COMPLETED'), app('etl', 'RUNNING')], { now: NOW, wide: false, namespaces: true, color: false })).toBe(
      'NAMESPACE   NAME       STATE       ATTEMPTS   START                  FINISH                 AGE\n'
      + 'jobs        spark-pi   COMPLETED   1          2026-01-01T11:00:05Z   2026-01-01T11:02:00Z   60m\n'
      + 'jobs        etl        RUNNING     1          2026-01-01T11:00:05Z   <none>                 60m\n');
  });

  test('list -o wide adds the driver, the submission id and the error', () => {
    const failed = app('pi', 'FAILED', { submissionID: 'id-1', applicationState: { state: 'FAILED', errorMessage: 'driver failed\nwith code 1' } });
    expect(applicationsTable([failed], { now: NOW, wide: true, namespaces: false, color: false }).split('\n')[1].split(/\s{3,}/))
      .toEqual(['pi', 'FAILED', '1', '2026-01-01T11:00:05Z', '<none>', '60m', 'pi-driver', 'id-1', 'driver failed with code 1']);
  });

  test('list --scheduled: schedule, suspension, state, last and next run', () => {
    const nightly: ScheduledSparkApplication = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'nightly', namespace: 'jobs', creationTimestamp: '2026-01-01T11:00:00Z' },
      spec: { schedule: '0 2 * * *', template: {} as any },
      status: { scheduleState: 'Scheduled', lastRun: '2026-01-01T02:00:00Z', lastRunName: 'nightly-1767232800000000000', nextRun: '2026-01-02T02:00:00Z' },
    };
    expect(scheduledTable([nightly], { now: NOW, namespaces: false, color: false })).toBe(
      'NAME      SCHEDULE    SUSPEND   STATE       LAST RUN               LAST RUN NAME                 NEXT RUN               AGE\n'
      + 'nightly   0 2 * * *   false     Scheduled   2026-01-01T02:00:00Z   nightly-1767232800000000000   2026-01-02T02:00:00Z   60m\n');
  });

  test('events, oldest first', () => {
    const text = eventsTable([
      { type: 'Normal', reason: 'SparkApplicationCompleted', message: 'done', lastTimestamp: '2026-01-01T11:59:00Z', involvedObject: { kind: 'SparkApplication', name: 'pi' } },
      { type: 'Normal', reason: 'SparkApplicationSubmitted', message: 'submitted', lastTimestamp: '2026-01-01T11:58:00Z', involvedObject: { kind: 'SparkApplication', name: 'pi' } },
    ], { now: NOW, color: false });
    expect(text).toBe(
      'LAST SEEN   TYPE     REASON                      OBJECT                MESSAGE\n'
      + '2m          Normal   SparkApplicationSubmitted   sparkapplication/pi   submitted\n'
      + '60s         Normal   SparkApplicationCompleted   sparkapplication/pi   done\n');
  });
});

describe('status', () => {
  test('state, error, driver, executors and events', () => {
    // GIVEN a failed application whose driver ended with exit code 3
    const failed = app('pi', 'FAILED', { applicationState: { state: 'FAILED', errorMessage: 'driver container failed with ExitCode: 3' }, executorState: { 'pi-exec-1': 'FAILED' } });
    const pod = { status: { phase: 'Failed', containerStatuses: [{ name: 'spark-kubernetes-driver', state: { terminated: { reason: 'Error', exitCode: 3 } } }] } };

    // WHEN
    const text = statusText(failed, pod, [], { now: NOW, color: false });

    // THEN
    expect(text).toContain('State:          FAILED\n');
    expect(text).toContain('Error:          driver container failed with ExitCode: 3\n');
    expect(text).toContain('Driver:         pi-driver: Failed (Error, exit code 3)\n');
    expect(text).toContain('Executors (1):\n  NAME        STATE\n  pi-exec-1   FAILED\n');
    expect(text).toContain('Events (last 0 of 0):\n  <none>\n');
  });

  test('a user who may not read pods or Events still gets the application\'s state', () => {
    const text = statusText(app('pi', 'RUNNING'), 'forbidden', 'forbidden', { now: NOW, color: false });
    expect(text).toContain('State:          RUNNING\n');
    expect(text).toContain('Driver:         pi-driver: unknown (you may not read pods here)\n');
    expect(text).toMatch(/Events:\n {2}unknown \(you may not list Events here\)\n$/);
  });

  test('status --scheduled: schedule, policy, state, last and next run, runs', () => {
    const nightly: ScheduledSparkApplication = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'nightly', namespace: 'jobs' },
      spec: { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', template: {} as any },
      status: { scheduleState: 'Scheduled', lastRun: '2026-01-01T01:00:00Z', lastRunName: 'nightly-1767229200000000000', nextRun: '2026-01-02T01:00:00Z' },
    };
    expect(scheduledStatusText(nightly, [{ name: 'nightly-1767229200000000000', state: 'COMPLETED' }], [], { now: NOW, color: false })).toBe([
      'Name:         nightly',
      'Namespace:    jobs',
      'Schedule:     0 2 * * * (Europe/Berlin)',
      'Concurrency:  Forbid',
      'Suspended:    no',
      'State:        Scheduled',
      'Last run:     2026-01-01T01:00:00Z (nightly-1767229200000000000)',
      'Next run:     2026-01-02T01:00:00Z',
      '',
      'Runs (1):',
      '  NAME                          STATE',
      '  nightly-1767229200000000000   COMPLETED',
      '',
      'Events (last 0 of 0):',
      '  <none>',
      '',
    ].join('\n'));
  });

  /** A SparkConnect in `jobs` with `status`. */
  function connect(name: string, status: SparkConnect['status']): SparkConnect {
    return {
      apiVersion: 'sparkoperator.k8s.io/v1alpha1',
      kind: 'SparkConnect',
      metadata: { name, namespace: 'jobs', creationTimestamp: '2026-01-01T11:00:00Z' },
      spec: { sparkVersion: '4.0.1', server: {}, executor: {} },
      ...status ? { status } : {},
    };
  }

  test('list --connect: state, server pod, the address clients connect to, executors by phase (most first), age', () => {
    // GIVEN a ready one with executors, one not yet seen by the controller
    const ready = connect('notebooks', {
      state: 'Ready', server: { podName: 'notebooks-server', podIp: '10.0.0.7', serviceName: 'notebooks-server' }, executors: { pending: 1, running: 2 },
    });
    // WHEN / THEN
    expect(connectTable([ready, connect('fresh', undefined)], { now: NOW, namespaces: false, color: false })).toBe([
      'NAME        STATE    SERVER POD         ADDRESS                                EXECUTORS              AGE',
      'notebooks   Ready    notebooks-server   sc://notebooks-server.jobs.svc:15002   2 running, 1 pending   60m',
      'fresh       <none>   <none>             <none>                                 <none>                 60m',
      '',
    ].join('\n'));
  });

  test('status --connect: the state and why it is not ready, the server pod, Service and address, executors', () => {
    // GIVEN a server that runs but is not ready
    const starting = connect('notebooks', {
      state: 'NotReady',
      conditions: [{ type: 'ServerPodReady', status: 'False', reason: 'ServerPodNotReady', message: 'Server pod is not ready: containers not ready', lastTransitionTime: '2026-01-01T11:00:10Z' }],
      server: { podName: 'notebooks-server', podIp: '10.0.0.7', serviceName: 'notebooks-server' },
      startTime: '2026-01-01T11:00:01Z',
    });
    // WHEN / THEN
    expect(connectStatusText(starting, [], { now: NOW, color: false })).toBe([
      'Name:        notebooks',
      'Namespace:   jobs',
      'State:       NotReady',
      'Reason:      Server pod is not ready: containers not ready',
      'Spark:       4.0.1',
      'Server pod:  notebooks-server (10.0.0.7)',
      'Service:     notebooks-server',
      'Address:     sc://notebooks-server.jobs.svc:15002',
      'Executors:   <none>',
      'Started:     2026-01-01T11:00:01Z',
      '',
      'Events (last 0 of 0):',
      '  <none>',
      '',
    ].join('\n'));
  });

  test('a driver pod that is gone, or waits', () => {
    expect(driverPodState(undefined)).toBe('no pod');
    expect(driverPodState({ status: { phase: 'Pending', containerStatuses: [{ name: 'spark-kubernetes-driver', state: { waiting: { reason: 'ImagePullBackOff' } } }] } }))
      .toBe('Pending (ImagePullBackOff)');
  });
});

describe('errors', () => {
  test('one line, prefixed with the program, whatever was thrown', () => {
    expect(errorLine(new Error('first\n  second'))).toBe('sparkctl: first second');
    expect(errorLine('text')).toBe('sparkctl: text');
  });

  test('exit codes: 2 for the command line, 1 for everything else', () => {
    expect(exitCodeOf(new UsageError('x'))).toBe(EXIT.usage);
    expect(exitCodeOf(new CliError('x'))).toBe(EXIT.failed);
    expect(exitCodeOf(new TypeError('x'))).toBe(EXIT.failed);
    expect(exitCodeOf(new KubeError(403, 'Forbidden', 'x'))).toBe(EXIT.failed);
  });


  test('a cluster without the CRDs', () => {
    expect(CRDS_MISSING_MESSAGE).toBe('the cluster does not serve sparkoperator.k8s.io/v1beta2: install the CRDs '
      + "(the SparkCrds or SparkOperator chart of cdk8s-spark, or the upstream operator's Helm chart)");
  });

  test('a cluster without the SparkConnect CRD, and where SparkConnects are served', () => {
    expect(CONNECT_CRD_MISSING_MESSAGE).toBe('the cluster does not serve sparkconnects in sparkoperator.k8s.io/v1alpha1: install the CRDs '
      + "(the SparkCrds or SparkOperator chart of cdk8s-spark, or the upstream operator's Helm chart of v2.3 or later)");
    expect(objectPath(SPARK_CONNECT_NAMES, 'jobs', 'notebooks')).toBe('/apis/sparkoperator.k8s.io/v1alpha1/namespaces/jobs/sparkconnects/notebooks');
    expect(collectionPath(SPARK_CONNECT_NAMES, undefined)).toBe('/apis/sparkoperator.k8s.io/v1alpha1/sparkconnects');
  });
});
