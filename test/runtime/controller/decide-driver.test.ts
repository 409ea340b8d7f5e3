import { NOTHING, actionKinds, app, decideAt, driverPod, executorPod, idOf, submittedStatus, time } from './fixtures';
import { Observed } from '../../../src/runtime/controller/spark-application';

const withDriver = (pod: Observed['driverPod'], extra: Partial<Observed> = {}): Observed => ({ ...NOTHING, driverPod: pod, resourcesRemain: true, ...extra });
const running = { running: { startedAt: time(2) } };

describe('decide: SUBMITTED, RUNNING and UNKNOWN follow the driver pod', () => {
  test('SUBMITTED with a Pending driver stays SUBMITTED, gets its UI Service and records its name', () => {
    const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(driverPod('Pending')), 5);
    expect(decision.status).toEqual({ ...submittedStatus('SUBMITTED'), driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc' } });
    expect(decision.actions).toEqual([{ type: 'ensureUiService' }]);
    expect(decision.requeueAfterMs).toBeUndefined();
  });

  test('SUBMITTED with a Running driver is RUNNING, with a SparkDriverRunning Event and the application id', () => {
    const pod = driverPod('Running', { container: running, appId: 'spark-0123abcd' });
    const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(pod), 5);
    expect(decision.status).toEqual({
      ...submittedStatus('RUNNING'),
      sparkApplicationId: 'spark-0123abcd',
      driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc' },
    });
    expect(decision.actions).toEqual([
      { type: 'ensureUiService' },
      { type: 'event', eventType: 'Normal', reason: 'SparkDriverRunning', message: 'Driver spark-pi-driver is running' },
    ]);
  });

  test('GIVEN a RUNNING application WHEN the UI Service its status names is not there THEN it is asked for again, unless another object holds the name', () => {
    // GIVEN a running application whose UI Service was never created (a failed background create, a stopped controller)
    const status = submittedStatus('RUNNING', 1, 0, { driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc' } });
    const pod = driverPod('Running', { container: running });
    // WHEN deciding THEN the Service is asked for, and nothing else changes
    const missing = decideAt(app(status), withDriver(pod), 60);
    expect(missing.status).toEqual(status);
    expect(missing.actions).toEqual([{ type: 'ensureUiService' }]);
    // WHEN another object holds its name THEN it is not asked for again (the first ask recorded a Warning)
    expect(decideAt(app(status), withDriver(pod, { uiNamesTaken: { service: true } }), 60).actions).toEqual([]);
    // WHEN it appears THEN its address is recorded
    const found = decideAt(app(status), withDriver(pod, { uiService: { clusterIP: '10.96.0.12', port: 4040 } }), 61);
    expect(found.actions).toEqual([]);
    expect(found.status.driverInfo).toEqual({ podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc', webUIPort: 4040, webUIAddress: '10.96.0.12:4040' });
  });

  test('a RUNNING pass does not touch the UI objects and records no Event while nothing changes', () => {
    const status = submittedStatus('RUNNING', 1, 0, {
      driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc', webUIPort: 4040, webUIAddress: '10.96.0.12:4040' },
    });
    const decision = decideAt(app(status), withDriver(driverPod('Running', { container: running }), { uiService: { clusterIP: '10.96.0.12', port: 4040 } }), 60);
    expect(decision.status).toEqual(status);
    expect(decision.actions).toEqual([]);
  });

  test.each([
    ['Succeeded', undefined, 'SparkDriverCompleted', 'COMPLETED', undefined],
    ['Running', { terminated: { exitCode: 0, reason: 'Completed' } }, 'SparkDriverCompleted', 'COMPLETED', undefined],
    ['Failed', { terminated: { exitCode: 0, reason: 'Completed' } }, 'SparkDriverCompleted', 'COMPLETED', undefined],
    ['Running', { terminated: { exitCode: 1, reason: 'Error' } }, 'SparkDriverFailed', 'FAILED', 'driver container failed with ExitCode: 1, Reason: Error'],
    ['Failed', { terminated: { exitCode: 137, reason: 'OOMKilled' } }, 'SparkDriverFailed', 'FAILED', 'driver container failed with ExitCode: 137, Reason: OOMKilled'],
    ['Failed', { terminated: { exitCode: 1, reason: 'Error', message: 'Exception in thread main' } }, 'SparkDriverFailed', 'FAILED',
      'driver container failed with ExitCode: 1, Reason: Error, Message: Exception in thread main'],
    ['Failed', undefined, 'SparkDriverFailed', 'FAILED', 'driver container status missing'],
  ])('RUNNING with a %s driver (%j) gives %s, then %s (restart policy Never)', (phase, container, driverReason, final, errorMessage) => {
    // GIVEN a running application whose driver ended
    const pod = driverPod(phase, container ? { container } : {});
    // WHEN deciding at t=100
    const decision = decideAt(app(submittedStatus('RUNNING')), withDriver(pod), 100);
    // THEN the driver's end is recorded and the application finishes in the same decision
    expect(decision.status).toEqual({
      ...submittedStatus(final),
      terminationTime: time(100),
      applicationState: errorMessage ? { state: final, errorMessage } : { state: final },
    });
    const appReason = final === 'COMPLETED' ? 'SparkApplicationCompleted' : 'SparkApplicationFailed';
    expect(actionKinds(decision)).toEqual([`event:${driverReason}`, `event:${appReason}`]);
  });

  test('an evicted driver (no container status) fails with the pod\'s own reason', () => {
    const pod = driverPod('Failed', { reason: 'Evicted', message: 'The node was low on resource: memory.' });
    const decision = decideAt(app(submittedStatus('RUNNING')), withDriver(pod), 100);
    expect(decision.status.applicationState).toEqual({
      state: 'FAILED', errorMessage: 'driver pod failed with Reason: Evicted, Message: The node was low on resource: memory.',
    });
  });

  test('a driver container found by position when it is not named spark-kubernetes-driver', () => {
    const pod = driverPod('Failed', { container: { terminated: { exitCode: 2, reason: 'Error' } }, containerName: 'main' });
    expect(decideAt(app(submittedStatus('RUNNING')), withDriver(pod), 100).status.applicationState?.errorMessage)
      .toBe('driver container failed with ExitCode: 2, Reason: Error');
  });

  test('a driver in phase Unknown makes the application UNKNOWN, with a Warning', () => {
    const decision = decideAt(app(submittedStatus('RUNNING')), withDriver(driverPod('Unknown')), 100);
    expect(decision.status.applicationState).toEqual({ state: 'UNKNOWN' });
    expect(decision.actions).toEqual([{ type: 'event', eventType: 'Warning', reason: 'SparkDriverUnknown', message: 'Driver spark-pi-driver in unknown state' }]);
  });

  test('UNKNOWN goes back to RUNNING when the driver is seen running', () => {
    const decision = decideAt(app(submittedStatus('UNKNOWN')), withDriver(driverPod('Running', { container: running })), 100);
    expect(decision.status.applicationState).toEqual({ state: 'RUNNING' });
    expect(actionKinds(decision)).toEqual(['event:SparkDriverRunning']);
  });

  test('the executors\' application id wins over the driver\'s (SPARK-25922)', () => {
    const observed = withDriver(driverPod('Running', { container: running, appId: 'spark-driver-id' }), {
      executorPods: [executorPod(1, 'Running', { appId: 'spark-exec-id' })],
    });
    expect(decideAt(app(submittedStatus('RUNNING')), observed, 100).status.sparkApplicationId).toBe('spark-exec-id');
  });

  describe('a driver pod that is not there', () => {
    test('SUBMITTED within the grace period waits for it (and keeps the UI Service)', () => {
      const decision = decideAt(app(submittedStatus('SUBMITTED')), NOTHING, 4);
      expect(decision.status.applicationState).toEqual({ state: 'SUBMITTED' });
      expect(decision.actions).toEqual([{ type: 'ensureUiService' }]);
      expect(decision.requeueAfterMs).toBe(6_000);
    });

    test('SUBMITTED exactly at the end of the grace period still waits', () => {
      expect(decideAt(app(submittedStatus('SUBMITTED')), NOTHING, 10).status.applicationState?.state).toBe('SUBMITTED');
    });

    test('SUBMITTED after the grace period is FAILING "driver pod not found", with SparkDriverNotFound', () => {
      const decision = decideAt(app(submittedStatus('SUBMITTED')), NOTHING, 11);
      expect(decision.status).toEqual({
        ...submittedStatus('FAILED'),
        terminationTime: time(11),
        applicationState: { state: 'FAILED', errorMessage: 'driver pod not found' },
      });
      expect(decision.actions[0]).toEqual({
        type: 'event',
        eventType: 'Warning',
        reason: 'SparkDriverNotFound',
        message: 'Driver pod spark-pi-driver not found after grace period 10s, marking application as Failing',
      });
      expect(actionKinds(decision)).toEqual(['event:SparkDriverNotFound', 'event:SparkApplicationFailed']);
    });

    test('the grace period is an option', () => {
      expect(decideAt(app(submittedStatus('SUBMITTED')), NOTHING, 11, { driverPodCreationGracePeriodSeconds: 30 }).requeueAfterMs).toBe(19_000);
    });

    test('RUNNING notices a deleted driver at once', () => {
      const decision = decideAt(app(submittedStatus('RUNNING')), NOTHING, 3);
      expect(decision.status.applicationState).toEqual({ state: 'FAILED', errorMessage: 'driver pod not found' });
      expect(decision.actions[0]).toMatchObject({ reason: 'SparkDriverNotFound', message: 'Driver pod spark-pi-driver not found, marking application as Failing' });
    });

    test('a pod of another submission is not this submission\'s driver', () => {
      const pod = driverPod('Running', { container: running, submissionId: 'someone-else' });
      expect(decideAt(app(submittedStatus('RUNNING')), withDriver(pod), 3).status.applicationState?.errorMessage).toBe('driver pod not found');
    });

    test('SUBMITTED without a recorded submission time fails at once', () => {
      const status = { ...submittedStatus('SUBMITTED'), lastSubmissionAttemptTime: null };
      expect(decideAt(app(status), NOTHING, 0).status.applicationState?.state).toBe('FAILED');
    });
  });

  describe('a driver stuck Pending (driverPendingTimeoutSeconds)', () => {
    const imagePull = driverPod('Pending', {
      created: 1,
      container: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "apache/spark:3.5.9"' } },
    });

    test('is left alone when the option is off (upstream: SUBMITTED for ever)', () => {
      const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(imagePull), 100_000);
      expect(decision.status.applicationState).toEqual({ state: 'SUBMITTED' });
      expect(decision.requeueAfterMs).toBeUndefined();
    });

    test('is looked at again when the timeout is due', () => {
      expect(decideAt(app(submittedStatus('SUBMITTED')), withDriver(imagePull), 100, { driverPendingTimeoutSeconds: 300 }).requeueAfterMs).toBe(201_000);
    });

    test('fails after the timeout with the waiting reason and message, and the pod is deleted', () => {
      const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(imagePull), 302, { driverPendingTimeoutSeconds: 300 });
      const errorMessage = 'driver pod spark-pi-driver still Pending after 300s: container spark-kubernetes-driver: ImagePullBackOff: '
        + 'Back-off pulling image "apache/spark:3.5.9"';
      expect(decision.status).toEqual({ ...submittedStatus('FAILING'), terminationTime: time(302), applicationState: { state: 'FAILING', errorMessage } });
      expect(decision.actions).toEqual([
        { type: 'deleteResources' },
        { type: 'event', eventType: 'Warning', reason: 'SparkDriverPendingTimeout', message: `Driver spark-pi-driver failed: ${errorMessage}` },
      ]);
      expect(decision.requeueAfterMs).toBe(5_000);
    });

    test('then fails for good with restart policy Never, keeping the reason', () => {
      const failing = decideAt(app(submittedStatus('SUBMITTED')), withDriver(imagePull), 302, { driverPendingTimeoutSeconds: 300 }).status;
      const decision = decideAt(app(failing), NOTHING, 303, { driverPendingTimeoutSeconds: 300 });
      expect(decision.status.applicationState).toEqual({ state: 'FAILED', errorMessage: failing.applicationState?.errorMessage });
    });

    test('or is rerun with OnFailure', () => {
      const spec = { restartPolicy: { type: 'OnFailure' as const, onFailureRetries: 1, onFailureRetryInterval: 5 } };
      const failing = decideAt(app(submittedStatus('SUBMITTED'), spec), withDriver(imagePull), 302, { driverPendingTimeoutSeconds: 300 }).status;
      const decision = decideAt(app(failing, spec), withDriver(imagePull), 303, { driverPendingTimeoutSeconds: 300 });
      expect(decision.status.applicationState).toEqual({ state: 'PENDING_RERUN' });
      expect(actionKinds(decision)).toEqual(['deleteResources', 'event:SparkApplicationPendingRerun']);
    });

    test.each([
      [{ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }] },
        'Unschedulable: 0/3 nodes are available: 3 Insufficient memory.'],
      [{ container: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "spark-conf" not found' } } },
        'container spark-kubernetes-driver: CreateContainerConfigError: configmap "spark-conf" not found'],
      [{ container: { waiting: { reason: 'ErrImagePull' } } }, 'container spark-kubernetes-driver: ErrImagePull'],
    ])('names the real reason: %j', (pod, reason) => {
      const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(driverPod('Pending', { created: 0, ...pod })), 61, { driverPendingTimeoutSeconds: 60 });
      expect(decision.status.applicationState?.errorMessage).toBe(`driver pod spark-pi-driver still Pending after 60s: ${reason}`);
    });

    describe('a driver in a batch scheduler\'s queue', () => {
      const batch = { driverPendingTimeoutSeconds: 60, batchScheduling: { enabled: true, kubeSchedulerNames: ['scheduler-plugins-scheduler'] } };
      const queued = driverPod('Pending', {
        created: 0,
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'pod group is not ready, 1 Pending, 1 minAvailable' }],
      });

      test.each(['volcano', 'yunikorn', 'scheduler-plugins-scheduler'])('is not stuck while %s has not placed it, however long it waits', (scheduler) => {
        // GIVEN an application of a batch scheduler whose driver the scheduler holds in its queue
        const decision = decideAt(app(submittedStatus('SUBMITTED'), { batchScheduler: scheduler }), withDriver(queued), 100_000, batch);
        // THEN it stays SUBMITTED, and nothing is due
        expect(decision.status.applicationState).toEqual({ state: 'SUBMITTED' });
        expect(decision.requeueAfterMs).toBeUndefined();
      });

      test('with --default-batch-scheduler, an application that names none is queued too', () => {
        const options = { ...batch, batchScheduling: { enabled: true, defaultBatchScheduler: 'volcano' } };
        expect(decideAt(app(submittedStatus('SUBMITTED')), withDriver(queued), 100_000, options).status.applicationState).toEqual({ state: 'SUBMITTED' });
      });

      test('is counted from its placement once the scheduler placed it, and then fails with its reason', () => {
        // GIVEN a driver placed at t=1000 whose image cannot be pulled
        const placed = driverPod('Pending', {
          created: 0,
          conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: time(1000) }],
          container: { waiting: { reason: 'ErrImagePull' } },
        });
        const spec = { batchScheduler: 'volcano' };
        // THEN at t=1030 it has 30 s left, at t=1061 it failed
        expect(decideAt(app(submittedStatus('SUBMITTED'), spec), withDriver(placed), 1030, batch).requeueAfterMs).toBe(30_000);
        expect(decideAt(app(submittedStatus('SUBMITTED'), spec), withDriver(placed), 1061, batch).status.applicationState).toEqual({
          state: 'FAILING', errorMessage: 'driver pod spark-pi-driver still Pending after 60s: container spark-kubernetes-driver: ErrImagePull',
        });
      });

      test('a driver held by scheduling gates (Kueue\'s topology-aware scheduling) is not stuck, batch scheduler or not', () => {
        const gated = driverPod('Pending', { created: 0, conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }] });
        const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(gated), 100_000, { driverPendingTimeoutSeconds: 60 });
        expect(decision.status.applicationState).toEqual({ state: 'SUBMITTED' });
        expect(decision.requeueAfterMs).toBeUndefined();
      });

      test('without batch scheduling, the same unscheduled driver times out as before', () => {
        const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(queued), 61, { driverPendingTimeoutSeconds: 60 });
        expect(decision.status.applicationState?.state).toBe('FAILING');
      });
    });

    test('without a reason (still creating) says only how long', () => {
      const pod = driverPod('Pending', { created: 0, container: { waiting: { reason: 'ContainerCreating' } } });
      const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(pod), 61, { driverPendingTimeoutSeconds: 60 });
      expect(decision.status.applicationState?.errorMessage).toBe('driver pod spark-pi-driver still Pending after 60s');
    });
  });

  describe('the UI, driver ingresses and the PDB', () => {
    const running2 = driverPod('Running', { container: running });

    test('with --ingress-url-format, the UI Ingress too', () => {
      const decision = decideAt(app(submittedStatus('SUBMITTED')), withDriver(driverPod('Pending')), 5, { uiIngress: true });
      expect(actionKinds(decision)).toEqual(['ensureUiService', 'ensureUiIngress']);
      expect(decision.status.driverInfo).toEqual({ podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc', webUIIngressName: 'spark-pi-ui-ingress' });
    });

    test('driverIngressOptions get their Services and Ingresses', () => {
      const spec = { driverIngressOptions: [{ servicePort: 8888, servicePortName: 'connect', ingressURLFormat: '{{$appName}}.example.com' }] };
      expect(actionKinds(decideAt(app(submittedStatus('SUBMITTED'), spec), withDriver(driverPod('Pending')), 5))).toEqual(['ensureUiService', 'ensureDriverIngresses']);
    });

    test('driverPodDisruptionBudget: the PDB is ensured in SUBMITTED and RUNNING passes', () => {
      const spec = { driverPodDisruptionBudget: true };
      expect(actionKinds(decideAt(app(submittedStatus('SUBMITTED'), spec), withDriver(driverPod('Pending')), 5))).toEqual(['ensureUiService', 'ensureDriverPdb']);
      expect(actionKinds(decideAt(app(submittedStatus('RUNNING'), spec), withDriver(running2), 5))).toEqual(['ensureDriverPdb']);
    });

    test('no UI objects or PDB once the driver ended', () => {
      const spec = { driverPodDisruptionBudget: true };
      const decision = decideAt(app(submittedStatus('SUBMITTED'), spec), withDriver(driverPod('Succeeded')), 5);
      expect(actionKinds(decision)).toEqual(['event:SparkDriverCompleted', 'event:SparkApplicationCompleted', 'deleteDriverPdb']);
    });

    test('the UI address, port and Ingress URL come from what the shell saw', () => {
      const status = submittedStatus('RUNNING', 1, 0, { driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc', webUIIngressName: 'spark-pi-ui-ingress' } });
      const observed = withDriver(running2, { uiService: { clusterIP: '10.96.0.17', port: 4040 }, uiIngress: { url: 'https://spark.example.com/spark-jobs/spark-pi' } });
      expect(decideAt(app(status), observed, 5, { uiIngress: true }).status.driverInfo).toEqual({
        podName: 'spark-pi-driver',
        webUIServiceName: 'spark-pi-ui-svc',
        webUIAddress: '10.96.0.17:4040',
        webUIPort: 4040,
        webUIIngressName: 'spark-pi-ui-ingress',
        webUIIngressAddress: 'https://spark.example.com/spark-jobs/spark-pi',
      });
    });

    test('the observed UI Service fills nothing before the status names it', () => {
      const observed = withDriver(running2, { uiService: { clusterIP: '10.96.0.17', port: 4040 } });
      expect(decideAt(app(submittedStatus('RUNNING')), observed, 5).status.driverInfo).toEqual({ podName: 'spark-pi-driver' });
    });

    test('a long application name gets the shortened UI names', () => {
      const a = app(submittedStatus('SUBMITTED'));
      a.metadata.name = 'a'.repeat(60);
      expect(decideAt(a, withDriver(driverPod('Pending')), 5).status.driverInfo.webUIServiceName).toHaveLength(63);
    });
  });

  test('the submission id of the status is the one tracked, whatever the spec says now', () => {
    const status = submittedStatus('RUNNING');
    const decision = decideAt(app(status, { arguments: ['changed'] }), withDriver(driverPod('Running', { container: running, submissionId: idOf(1) })), 5);
    expect(decision.status.applicationState?.state).toBe('RUNNING');
  });
});
