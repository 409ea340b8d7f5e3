/**
 * The Argo CD health scripts, run in gopher-lua, the Lua engine Argo CD embeds, by the small Go
 * program in `test/argocd/lua/` (how it mimics Argo CD, and what differs: its `main.go`), on the
 * statuses the pure cores decide. `test/e2e/argocd-health.e2e.test.ts` runs them on the statuses the
 * controller really writes.
 */
import { APPLICATION_STATES, SparkApplication as SparkApplicationObject } from '../src/api';
import { ArgoCdHealthChecks } from '../src/argocd';
import { Health, buildLuaHealth, healthOf as runScript } from './argocd/lua/luahealth';
import { NOTHING, app, decideAt, driverPod, submittedStatus, time } from './runtime/controller/fixtures';
import { connectServerPod, connectServerService, decide as decideConnect } from '../src/runtime/controller/spark-connect';
import {
  decideAt as decideScheduledAt, run as scheduledRun, runName, scheduled,
} from './runtime/controller/scheduled/fixtures';

const KEY_PREFIX = 'resource.customizations.health.sparkoperator.k8s.io_';
const SCRIPTS = ArgoCdHealthChecks.configMapEntries();
const SPARK_APPLICATION = SCRIPTS[`${KEY_PREFIX}SparkApplication`];
const SCHEDULED = SCRIPTS[`${KEY_PREFIX}ScheduledSparkApplication`];
const CONNECT = SCRIPTS[`${KEY_PREFIX}SparkConnect`];

let luahealth: string;

beforeAll(() => {
  luahealth = buildLuaHealth();
}, 300_000);

/** Runs `script` on each object in gopher-lua, as Argo CD does. */
function healthOf(script: string, ...objects: object[]): Health[] {
  return runScript(luahealth, script, ...objects);
}

/** A SparkApplication as read from the cluster (spec and status as upstream's JSON). */
function sparkApp(status: object | undefined, spec: object = {}): object {
  const base = app() as unknown as { spec: object };
  return { ...base, spec: { ...base.spec, ...spec }, ...status ? { status } : {} };
}

describe('SparkApplication health, in gopher-lua', () => {
  test('an object without status (just created) is Progressing, not a Lua error', () => {
    // GIVEN an object the operator has not seen, and statuses without applicationState or state
    const objects = [sparkApp(undefined), sparkApp({}), sparkApp({ applicationState: {} }), sparkApp({ applicationState: { state: '' } })];
    // WHEN
    const health = healthOf(SPARK_APPLICATION, ...objects);
    // THEN
    for (const h of health) {
      expect(h).toEqual({ status: 'Progressing', message: 'New: waiting for the operator to submit the application' });
    }
  });

  test('even an object without spec or metadata gets a health', () => {
    expect(healthOf(SPARK_APPLICATION, { kind: 'SparkApplication' })).toEqual([
      { status: 'Progressing', message: 'New: waiting for the operator to submit the application' },
    ]);
  });

  test.each([
    ['SUBMITTED', 'Progressing', 'Submitted: waiting for the driver to run'],
    ['SUCCEEDING', 'Progressing', 'Succeeding: the driver completed, the operator cleans up the executors'],
    ['COMPLETED', 'Healthy', 'Completed'],
    ['PENDING_RERUN', 'Progressing', 'Pending rerun: the restart policy submits the application again'],
    ['INVALIDATING', 'Progressing', 'Invalidating: the spec changed, the operator stops the run to submit it again'],
    ['SUSPENDING', 'Progressing', 'Suspending: the operator stops the run (spec.suspend is true)'],
    ['SUSPENDED', 'Suspended', 'Suspended: nothing runs until spec.suspend is false'],
    ['RESUMING', 'Progressing', 'Resuming: the operator submits the application again'],
    ['UNKNOWN', 'Progressing', 'Unknown: the state of the driver or of an executor pod is unknown'],
  ])('%s is %s', (state, status, message) => {
    // GIVEN a status of our controller in that state
    const object = app(submittedStatus(state));
    // THEN
    expect(healthOf(SPARK_APPLICATION, object)).toEqual([{ status, message }]);
  });

  test.each(['FAILING', 'FAILED', 'SUBMISSION_FAILED'])('%s is Degraded with the errorMessage', (state) => {
    // GIVEN
    const object = app(submittedStatus(state, 1, 0, { applicationState: { state: state as any, errorMessage: 'driver pod not found' } }));
    // THEN
    expect(healthOf(SPARK_APPLICATION, object)).toEqual([{ status: 'Degraded', message: 'driver pod not found' }]);
  });

  test.each([
    ['FAILING', 'Failing (no error message in status.applicationState)'],
    ['FAILED', 'Failed (no error message in status.applicationState)'],
    ['SUBMISSION_FAILED', 'Submission failed (no error message in status.applicationState)'],
  ])('%s without an errorMessage is Degraded with a message all the same', (state, message) => {
    expect(healthOf(SPARK_APPLICATION, app(submittedStatus(state)))).toEqual([{ status: 'Degraded', message }]);
  });

  test('a state this script does not know is Unknown, naming the state', () => {
    expect(healthOf(SPARK_APPLICATION, sparkApp({ applicationState: { state: 'PAUSED' } }))).toEqual([
      { status: 'Unknown', message: 'Unrecognised state PAUSED' },
    ]);
  });

  test('every state of the wire model has a verdict other than Unknown', () => {
    // WHEN every application state is judged
    const health = healthOf(SPARK_APPLICATION, ...APPLICATION_STATES.map((state) => app(submittedStatus(state))));
    // THEN
    expect(health.filter((h) => h.error !== undefined || h.status === 'Unknown')).toEqual([]);
  });

  test('the failure our controller really writes for a failed driver is the message', () => {
    // GIVEN the status decide() writes when the driver container exits 137
    const pod = driverPod('Failed', { container: { terminated: { exitCode: 137, reason: 'OOMKilled' } } });
    const decision = decideAt(app(submittedStatus('RUNNING')), { ...NOTHING, driverPod: pod, resourcesRemain: true }, 100);
    const failed: SparkApplicationObject = { ...app(), status: decision.status };
    // THEN
    expect(decision.status.applicationState?.state).toBe('FAILED');
    expect(healthOf(SPARK_APPLICATION, failed)).toEqual([
      { status: 'Degraded', message: 'driver container failed with ExitCode: 137, Reason: OOMKilled' },
    ]);
  });

  describe('RUNNING', () => {
    const executors = (...states: string[]) => Object.fromEntries(states.map((s, i) => [`spark-pi-5e1a-exec-${i + 1}`, s]));
    const running = (executorState: object | undefined, spec: object = {}) =>
      sparkApp({ ...submittedStatus('RUNNING'), ...executorState ? { executorState } : {} }, spec);

    test('is Healthy once spec.executor.instances executors run', () => {
      const object = running(executors('RUNNING', 'RUNNING'), { executor: { cores: 1, memory: '1g', instances: 2 } });
      expect(healthOf(SPARK_APPLICATION, object)).toEqual([{ status: 'Healthy', message: 'Running with 2 of 2 executors' }]);
    });

    test('is Progressing while fewer run, counting only RUNNING executors', () => {
      const spec = { executor: { cores: 1, memory: '1g', instances: 3 } };
      expect(healthOf(SPARK_APPLICATION, running(executors('RUNNING', 'PENDING', 'FAILED'), spec), running(undefined, spec))).toEqual([
        { status: 'Progressing', message: 'Running, waiting for executors: 1 of 3 running' },
        { status: 'Progressing', message: 'Running, waiting for executors: 0 of 3 running' },
      ]);
    });

    test('without spec.executor.instances wants one executor, the operator\'s default', () => {
      const spec = { executor: { cores: 1, memory: '1g' } };
      expect(healthOf(SPARK_APPLICATION, running(executors('RUNNING'), spec), running(undefined, spec))).toEqual([
        { status: 'Healthy', message: 'Running with 1 of 1 executors' },
        { status: 'Progressing', message: 'Running, waiting for executors: 0 of 1 running' },
      ]);
    });

    test('with spec.dynamicAllocation is Healthy from minExecutors up, whatever the count', () => {
      const spec = { dynamicAllocation: { enabled: true, minExecutors: 2, maxExecutors: 10 } };
      expect(healthOf(SPARK_APPLICATION,
        running(executors('RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING'), spec),
        running(executors('RUNNING', 'PENDING'), spec),
      )).toEqual([
        { status: 'Healthy', message: 'Running with 5 executors (dynamic allocation, at least 2)' },
        { status: 'Progressing', message: 'Running, waiting for executors: 1 of 2 running' },
      ]);
    });

    test('with dynamic allocation and no minimum is Healthy with no executor at all (Spark scaled to zero)', () => {
      expect(healthOf(SPARK_APPLICATION, running(undefined, { dynamicAllocation: { enabled: true } }))).toEqual([
        { status: 'Healthy', message: 'Running with 0 executors (dynamic allocation, at least 0)' },
      ]);
    });

    test('spec.dynamicAllocation.enabled false counts spec.executor.instances', () => {
      const spec = { dynamicAllocation: { enabled: false, minExecutors: 0 }, executor: { instances: 2 } };
      expect(healthOf(SPARK_APPLICATION, running(executors('RUNNING'), spec))).toEqual([
        { status: 'Progressing', message: 'Running, waiting for executors: 1 of 2 running' },
      ]);
    });

    test.each([
      ['spark.dynamicAllocation'],
      ['spark.streaming.dynamicAllocation'],
    ])('with %s.* in sparkConf is Healthy from its minExecutors up', (prefix) => {
      const spec = { sparkConf: { [`${prefix}.enabled`]: 'true', [`${prefix}.minExecutors`]: '1', [`${prefix}.maxExecutors`]: '4' } };
      expect(healthOf(SPARK_APPLICATION, running(executors('RUNNING', 'RUNNING', 'RUNNING'), spec), running(undefined, spec))).toEqual([
        { status: 'Healthy', message: 'Running with 3 executors (dynamic allocation, at least 1)' },
        { status: 'Progressing', message: 'Running, waiting for executors: 0 of 1 running' },
      ]);
    });
  });

  describe('objects shaped like the fixtures of Argo CD\'s built-in check', () => {
    // The shapes of resource_customizations/sparkoperator.k8s.io/SparkApplication/testdata in
    // argoproj/argo-cd (written here from scratch): the same verdicts, our messages.
    const upstreamShaped = (state: object, spec: object, executorState?: object) => ({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'spark-pi', namespace: 'default', generation: 4, creationTimestamp: '2020-01-01T00:00:00Z' },
      spec: { type: 'Scala', mode: 'cluster', image: 'gcr.io/spark/spark:v3.1.1', mainClass: 'org.apache.spark.examples.SparkPi', sparkVersion: '3.1.1', ...spec },
      status: {
        applicationState: state,
        driverInfo: { podName: 'spark-pi-driver', webUIAddress: '172.20.207.161:4040', webUIPort: 4040, webUIServiceName: 'spark-pi-ui-svc' },
        executionAttempts: 13,
        lastSubmissionAttemptTime: '2020-01-01T00:00:10Z',
        sparkApplicationId: 'spark-1a2b3c',
        submissionAttempts: 1,
        submissionID: 'f1e2d3c4-0000-4000-8000-000000000000',
        terminationTime: null,
        ...executorState ? { executorState } : {},
      },
    });
    const executor = { cores: 1, instances: 1, memory: '512m' };

    test('healthy: RUNNING with its one executor running', () => {
      const object = upstreamShaped({ state: 'RUNNING' }, { executor }, { 'spark-pi-exec-1': 'RUNNING' });
      expect(healthOf(SPARK_APPLICATION, object)).toEqual([{ status: 'Healthy', message: 'Running with 1 of 1 executors' }]);
    });

    test('degraded: FAILED with its errorMessage', () => {
      const object = upstreamShaped({ state: 'FAILED', errorMessage: 'Job Failed' }, { executor });
      expect(healthOf(SPARK_APPLICATION, object)).toEqual([{ status: 'Degraded', message: 'Job Failed' }]);
    });

    test('progressing: PENDING_RERUN', () => {
      const object = upstreamShaped({ state: 'PENDING_RERUN' }, { executor });
      expect(healthOf(SPARK_APPLICATION, object)[0].status).toBe('Progressing');
    });

    test('dynamic allocation in sparkConf, in the operator API, for DStreams, and with no executor config at all', () => {
      const objects = [
        upstreamShaped({ state: 'RUNNING' }, {
          executor: { cores: 1, memory: '512m' },
          sparkConf: { 'spark.dynamicAllocation.enabled': 'true', 'spark.dynamicAllocation.maxExecutors': '10', 'spark.dynamicAllocation.minExecutors': '2' },
        }, { 'spark-pi-exec-1': 'RUNNING', 'spark-pi-exec-2': 'RUNNING', 'spark-pi-exec-3': 'RUNNING' }),
        upstreamShaped({ state: 'RUNNING' }, {
          executor: { cores: 1, memory: '512m' },
          dynamicAllocation: { enabled: true, initialExecutors: 2, minExecutors: 2, maxExecutors: 10 },
        }, { 'spark-pi-exec-1': 'RUNNING', 'spark-pi-exec-2': 'RUNNING', 'spark-pi-exec-3': 'RUNNING' }),
        upstreamShaped({ state: 'RUNNING' }, {
          executor: { cores: 1, memory: '512m' },
          sparkConf: { 'spark.streaming.dynamicAllocation.enabled': 'true', 'spark.streaming.dynamicAllocation.minExecutors': '2' },
        }, { 'spark-pi-exec-1': 'RUNNING', 'spark-pi-exec-2': 'RUNNING', 'spark-pi-exec-3': 'RUNNING' }),
        upstreamShaped({ state: 'RUNNING' }, { executor: { cores: 1, memory: '512m' } },
          { 'spark-pi-exec-1': 'RUNNING', 'spark-pi-exec-2': 'RUNNING' }),
      ];
      expect(healthOf(SPARK_APPLICATION, ...objects).map((h) => h.status)).toEqual(['Healthy', 'Healthy', 'Healthy', 'Healthy']);
    });
  });
});

describe('ScheduledSparkApplication health, in gopher-lua', () => {
  test('an object without status, or still Validating, is Progressing', () => {
    const health = healthOf(SCHEDULED, scheduled(), scheduled({}, {}), scheduled({}, { scheduleState: 'Validating' }), { kind: 'ScheduledSparkApplication' });
    for (const h of health) {
      expect(h).toEqual({ status: 'Progressing', message: 'Waiting for the operator to validate the schedule' });
    }
  });

  test('FailedValidation is Degraded with the reason our controller writes', () => {
    // GIVEN the status decide() writes for a schedule it cannot read
    const object = scheduled({ schedule: 'every day' });
    const decision = decideScheduledAt(object, [], '2026-12-01T00:01:00Z');
    expect(decision.status.scheduleState).toBe('FailedValidation');
    // THEN
    expect(healthOf(SCHEDULED, { ...object, status: decision.status })).toEqual([{ status: 'Degraded', message: decision.status.reason }]);
  });

  test('FailedValidation without a reason is Degraded all the same', () => {
    expect(healthOf(SCHEDULED, scheduled({}, { scheduleState: 'FailedValidation' }))).toEqual([
      { status: 'Degraded', message: 'The schedule failed validation (no reason in the status)' },
    ]);
  });

  test('Scheduled is Healthy, with the next run', () => {
    // GIVEN the status decide() writes before the first run
    const object = scheduled();
    const decision = decideScheduledAt(object, [], '2026-12-01T00:01:00Z');
    // THEN
    expect(healthOf(SCHEDULED, { ...object, status: decision.status })).toEqual([
      { status: 'Healthy', message: 'Scheduled; next run at 2026-12-01T00:05:00Z' },
    ]);
  });

  test('a suspended schedule is Suspended (the operator keeps scheduleState Scheduled)', () => {
    const object = scheduled({ suspend: true });
    const decision = decideScheduledAt(object, [], '2026-12-01T00:01:00Z');
    expect(decision.status.scheduleState).toBe('Scheduled');
    expect(healthOf(SCHEDULED, { ...object, status: decision.status })).toEqual([
      { status: 'Suspended', message: 'Suspended: no run starts until spec.suspend is false' },
    ]);
  });

  test('a failed last run makes the schedule Degraded, naming the run, until a later run succeeds', () => {
    // GIVEN the statuses decide() writes after a failed run, and after a later successful one
    const object = scheduled();
    const failedRun = runName('2026-12-01T00:05:00Z');
    const afterFailure = decideScheduledAt(object, [scheduledRun('2026-12-01T00:05:00Z', 'FAILED')], '2026-12-01T00:07:00Z');
    const afterSuccess = decideScheduledAt(object, [
      scheduledRun('2026-12-01T00:10:00Z', 'COMPLETED'), scheduledRun('2026-12-01T00:05:00Z', 'FAILED'),
    ], '2026-12-01T00:12:00Z');
    expect(afterFailure.status.pastFailedRunNames).toEqual([failedRun]);
    // WHEN
    const health = healthOf(SCHEDULED, { ...object, status: afterFailure.status }, { ...object, status: afterSuccess.status });
    // THEN
    expect(health).toEqual([
      { status: 'Degraded', message: `Scheduled; last run ${failedRun} failed; next run at 2026-12-01T00:10:00Z` },
      { status: 'Healthy', message: `Scheduled; last run ${runName('2026-12-01T00:10:00Z')} completed; next run at 2026-12-01T00:15:00Z` },
    ]);
  });

  test('a last run still going is Healthy, naming the run', () => {
    const object = scheduled();
    const decision = decideScheduledAt(object, [scheduledRun('2026-12-01T00:05:00Z', 'RUNNING')], '2026-12-01T00:07:00Z');
    expect(healthOf(SCHEDULED, { ...object, status: decision.status })).toEqual([
      { status: 'Healthy', message: `Scheduled; last run ${runName('2026-12-01T00:05:00Z')} started; next run at 2026-12-01T00:10:00Z` },
    ]);
  });

  test('with lastRunFailureDegrades false, a failed last run leaves the schedule Healthy and says so', () => {
    const script = ArgoCdHealthChecks.configMapEntries({ lastRunFailureDegrades: false })[`${KEY_PREFIX}ScheduledSparkApplication`];
    const status = { scheduleState: 'Scheduled', lastRunName: 'nightly-1', pastFailedRunNames: ['nightly-1'], lastRun: time(0), nextRun: null };
    expect(healthOf(script, scheduled({}, status as any))).toEqual([{ status: 'Healthy', message: 'Scheduled; last run nightly-1 failed' }]);
  });

  test('a suspended schedule names its last run', () => {
    const status = { scheduleState: 'Scheduled', lastRunName: 'nightly-1', pastSuccessfulRunNames: ['nightly-1'] };
    expect(healthOf(SCHEDULED, scheduled({ suspend: true }, status as any))).toEqual([
      { status: 'Suspended', message: 'Suspended: no run starts until spec.suspend is false; last run nightly-1 completed' },
    ]);
  });
});

describe('the harness', () => {
  test('reports a Lua error as an error, and an invalid status as Unknown, as Argo CD does', () => {
    expect(healthOf('return obj.status.missing.field', {})[0].error).toMatch(/attempt to index/);
    expect(healthOf('return { status = "Fine", message = "x" }', {})).toEqual([{ status: 'Unknown', message: 'Lua returned an invalid health status' }]);
  });

  test('opens no string or math library, as Argo CD for an argocd-cm script', () => {
    expect(healthOf('return { status = "Healthy", message = string.lower("X") }', {})[0].error).toMatch(/attempt to index a non-table object\(nil\) with key 'lower'/);
    expect(healthOf('return { status = "Healthy", message = tostring(math.huge) }', {})[0].error).toMatch(/attempt to index a non-table object\(nil\) with key 'huge'/);
  });
});

describe('SparkConnect health, in gopher-lua', () => {
  const NOW = new Date('2026-12-07T10:00:00Z');
  const OPTIONS = { sparkMaster: 'k8s://https://10.96.0.1:443' };
  const connect = (): any => ({
    apiVersion: 'sparkoperator.k8s.io/v1alpha1',
    kind: 'SparkConnect',
    metadata: { name: 'notebooks', namespace: 'team-a', uid: 'uid-1' },
    spec: { sparkVersion: '4.0.1', image: 'apache/spark:4.0.1', server: {}, executor: {} },
  });
  const pod = (c: any, status: object): any => ({ ...connectServerPod(c, OPTIONS.sparkMaster), status });
  const service = (c: any) => connectServerService(c) as any;

  test('an object without status is Progressing, not a Lua error', () => {
    expect(healthOf(CONNECT, connect(), { kind: 'SparkConnect' })).toEqual([
      { status: 'Progressing', message: 'Waiting for the operator to start the Spark Connect server' },
      { status: 'Progressing', message: 'Waiting for the operator to start the Spark Connect server' },
    ]);
  });

  test('the statuses our controller writes: Provisioning and NotReady are Progressing, Ready Healthy, Failed Degraded, each with the condition\'s message', () => {
    // GIVEN the statuses decide() writes
    const c = connect();
    const provisioning = decideConnect(c, { executors: [] }, NOW, OPTIONS).status;
    const notReady = decideConnect(c, { serverPod: pod(c, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }), service: service(c), executors: [] }, NOW, OPTIONS).status;
    const ready = decideConnect(c, { serverPod: pod(c, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }), service: service(c), executors: [] }, NOW, OPTIONS).status;
    const invalid = { ...c, spec: { ...c.spec, server: { cores: 0 } } };
    const failed = decideConnect(invalid, { executors: [] }, NOW, OPTIONS).status;
    // WHEN / THEN
    expect(healthOf(CONNECT, ...[provisioning, notReady, ready, failed].map((status) => ({ ...c, status })))).toEqual([
      { status: 'Progressing', message: 'Server pod is not ready: the server pod is being created' },
      { status: 'Progressing', message: 'Server pod is not ready: ' },
      { status: 'Healthy', message: 'Server pod is ready' },
      { status: 'Degraded', message: "Server pod is not ready: invalid SparkConnect: 'spec.server.cores' must be an integer >= 1 (got 0)" },
    ]);
  });

  test('a state this script does not know is Unknown, naming it', () => {
    expect(healthOf(CONNECT, { ...connect(), status: { state: 'Exploded' } })).toEqual([{ status: 'Unknown', message: 'Unknown state: Exploded' }]);
  });
});
