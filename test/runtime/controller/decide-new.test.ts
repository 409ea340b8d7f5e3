import { NOTHING, OPTIONS, actionKinds, app, decideAt, driverPod, idOf, time } from './fixtures';
import { LABELS } from '../../../src/api';
import { decide, sameStatus } from '../../../src/runtime/controller/spark-application';

describe('decide: a new application', () => {
  test('is submitted: SUBMITTED with the first submission id, both counters at 1, the driver pod name and the time', () => {
    // GIVEN a new application and nothing in the cluster
    // WHEN deciding at t=0
    const decision = decideAt(app(), NOTHING, 0);

    // THEN it is submitted with the deterministic first id
    expect(decision.status).toEqual({
      submissionID: idOf(1),
      lastSubmissionAttemptTime: time(0),
      terminationTime: null,
      driverInfo: { podName: 'spark-pi-driver', webUIServiceName: 'spark-pi-ui-svc' },
      applicationState: { state: 'SUBMITTED' },
      executionAttempts: 1,
      submissionAttempts: 1,
    });
    expect(decision.actions).toEqual([
      { type: 'submit', submissionId: idOf(1) },
      { type: 'ensureUiService' },
      { type: 'event', eventType: 'Normal', reason: 'SparkApplicationAdded', message: 'SparkApplication spark-pi was added, enqueuing it for submission' },
      { type: 'event', eventType: 'Normal', reason: 'SparkApplicationSubmitted', message: 'SparkApplication spark-pi was submitted successfully' },
    ]);
    expect(decision.requeueAfterMs).toBeUndefined();
  });

  test('an empty status object is new too', () => {
    expect(decideAt(app({ driverInfo: {} }), NOTHING, 0).status.applicationState?.state).toBe('SUBMITTED');
  });

  test('the same inputs give the same decision (a shell that crashed before writing the status submits the same id)', () => {
    const first = decideAt(app(), NOTHING, 0);
    const again = decideAt(app(), NOTHING, 0);
    expect(again).toEqual(first);
  });

  test('the driver pod name comes from spec.driver.podName when set', () => {
    const decision = decideAt(app(undefined, { driver: { podName: 'my-driver' } }), NOTHING, 0);
    expect(decision.status.driverInfo.podName).toBe('my-driver');
  });

  test('the spec is read with the defaults applied, and is never written', () => {
    // GIVEN an application without restartPolicy, mode, cores or memory
    const a = app(undefined, { driver: {}, executor: {} });
    const before = structuredClone(a);
    // WHEN deciding
    decideAt(a, NOTHING, 0);
    // THEN the application object is unchanged
    expect(a).toEqual(before);
  });

  test('an invalid application is FAILED with every problem and its field path, and a Warning Event, never submitted', () => {
    // GIVEN an application with zero executors and no sparkVersion
    const a = app(undefined, { executor: { instances: 0 }, sparkVersion: '' });
    // WHEN deciding
    const decision = decideAt(a, NOTHING, 7);
    // THEN FAILED with the problems
    const message = decision.status.applicationState?.errorMessage;
    expect(message).toMatch(/^invalid SparkApplication: /);
    expect(message).toContain("'spec.executor.instances' must be an integer >= 1 (got 0)");
    expect(message).toContain("'spec.sparkVersion'");
    expect(decision.status).toMatchObject({ applicationState: { state: 'FAILED' }, terminationTime: time(7), lastSubmissionAttemptTime: null });
    expect(decision.status.submissionAttempts).toBeUndefined();
    expect(actionKinds(decision)).toEqual(['event:SparkApplicationAdded', 'event:SparkApplicationFailed']);
    expect(decision.actions[1]).toEqual({
      type: 'event', eventType: 'Warning', reason: 'SparkApplicationFailed', message: `SparkApplication spark-pi failed: ${message}`,
    });
  });

  test('an application whose driver would run as a protected ServiceAccount is FAILED, never submitted', () => {
    // GIVEN the controller's own account in the application's namespace is protected
    const a = app(undefined, { driver: { serviceAccount: 'spark-operator-controller' } });
    const options = { ...OPTIONS, protectedServiceAccounts: [`${a.metadata.namespace}/spark-operator-controller`] };
    // WHEN deciding
    const decision = decide(a, NOTHING, new Date(0), options);
    // THEN FAILED with the field path, and no submission
    expect(decision.status.applicationState).toEqual({
      state: 'FAILED',
      errorMessage: `invalid SparkApplication: 'spec.driver.serviceAccount' must not be the operator's own ServiceAccount '${a.metadata.namespace}/spark-operator-controller': `
        + 'its pods would get the operator\'s rights; use the drivers\' ServiceAccount of the namespace',
    });
    expect(actionKinds(decision)).toEqual(['event:SparkApplicationAdded', 'event:SparkApplicationFailed']);
  });

  test('the same account in another namespace is no operator account, and is submitted', () => {
    // GIVEN
    const a = app(undefined, { driver: { serviceAccount: 'spark-operator-controller' } });
    const options = { ...OPTIONS, protectedServiceAccounts: ['spark-operator/spark-operator-controller'] };
    // WHEN / THEN
    expect(decide(a, NOTHING, new Date(0), options).status.applicationState?.state).toBe('SUBMITTED');
  });

  test('garbage is FAILED, never a crash', () => {
    const garbage = { ...app(), spec: 'not a spec' } as any;
    const decision = decide(garbage, NOTHING, new Date(0), OPTIONS);
    expect(decision.status.applicationState).toEqual({ state: 'FAILED', errorMessage: expect.stringMatching(/^invalid SparkApplication: 'spec'/) });
  });

  test('an invalid application lists its first ten problems and counts the rest', () => {
    // GIVEN twelve operator-owned Spark settings in sparkConf
    const owned = [
      'spark.master', 'spark.kubernetes.driver.master', 'spark.kubernetes.container.image', 'spark.kubernetes.driver.container.image',
      'spark.kubernetes.executor.container.image', 'spark.kubernetes.authenticate.driver.serviceAccountName',
      'spark.kubernetes.authenticate.executor.serviceAccountName', 'spark.kubernetes.authenticate.oauthToken',
      'spark.kubernetes.authenticate.driver.oauthToken', 'spark.kubernetes.authenticate.executor.oauthToken',
      'spark.kubernetes.authenticate.oauthTokenFile', 'spark.kubernetes.authenticate.driver.oauthTokenFile',
    ];
    const a = app(undefined, { sparkConf: Object.fromEntries(owned.map((k) => [k, 'x'])) });
    // WHEN deciding
    const message = decideAt(a, NOTHING, 0).status.applicationState?.errorMessage ?? '';
    // THEN ten are listed, with their path, and two counted
    expect(message.split("'spec.sparkConf' must not set").length - 1).toBe(10);
    expect(message).toMatch(/ \(and 2 more\)$/);
  });

  test('a leftover driver pod of another submission is deleted first, and the submission waits', () => {
    // GIVEN a driver pod of some older incarnation with the same name
    const observed = { ...NOTHING, driverPod: driverPod('Running', { submissionId: 'old' }), resourcesRemain: true };
    // WHEN deciding
    const decision = decideAt(app(), observed, 0);
    // THEN resources are deleted, the state stays new, and the decision looks again
    expect(decision.actions).toEqual([{ type: 'deleteResources' }]);
    expect(sameStatus(undefined, decision.status)).toBe(true);
    expect(decision.requeueAfterMs).toBe(5_000);
  });

  test('a leftover UI Service alone also blocks the submission', () => {
    const decision = decideAt(app(), { ...NOTHING, resourcesRemain: true }, 0);
    expect(actionKinds(decision)).toEqual(['deleteResources']);
  });

  test('a driver pod carrying the next submission id is this submission (shell crashed before the status write): submitted again, not deleted', () => {
    const observed = { ...NOTHING, driverPod: driverPod('Running', { submissionId: idOf(1) }), resourcesRemain: true };
    const decision = decideAt(app(), observed, 3);
    expect(decision.actions[0]).toEqual({ type: 'submit', submissionId: idOf(1) });
    expect(decision.status.applicationState).toEqual({ state: 'SUBMITTED' });
  });

  test('a driver pod with the next id that is being deleted is waited for', () => {
    const observed = { ...NOTHING, driverPod: driverPod('Running', { submissionId: idOf(1), deleting: true }), resourcesRemain: true };
    expect(actionKinds(decideAt(app(), observed, 3))).toEqual(['deleteResources']);
  });

  test('a failed submit is SUBMISSION_FAILED: the attempt counts, the execution does not', () => {
    // GIVEN the shell's submit of the first id was refused
    const observed = { ...NOTHING, submitFailure: { submissionId: idOf(1), message: 'pods "spark-pi-driver" is forbidden: exceeded quota' } };
    // WHEN deciding again with the failure (Never: no retry)
    const decision = decideAt(app(), observed, 2);
    // THEN SUBMISSION_FAILED, then FAILED at once (restart policy Never)
    expect(decision.status).toEqual({
      submissionID: idOf(1),
      lastSubmissionAttemptTime: time(2),
      terminationTime: time(2),
      driverInfo: { podName: 'spark-pi-driver' },
      applicationState: { state: 'FAILED', errorMessage: 'pods "spark-pi-driver" is forbidden: exceeded quota' },
      submissionAttempts: 1,
    });
    expect(actionKinds(decision)).toEqual([
      'event:SparkApplicationAdded', 'event:SparkApplicationSubmissionFailed', 'event:SparkApplicationFailed',
    ]);
  });

  test('a failed submit with OnFailure retries stays SUBMISSION_FAILED and waits for the retry interval', () => {
    const spec = { restartPolicy: { type: 'OnFailure' as const, onSubmissionFailureRetries: 2, onSubmissionFailureRetryInterval: 30 } };
    const observed = { ...NOTHING, submitFailure: { submissionId: idOf(1, spec), message: 'admission webhook denied the pod' } };
    const decision = decideAt(app(undefined, spec), observed, 0);
    expect(decision.status.applicationState).toEqual({ state: 'SUBMISSION_FAILED', errorMessage: 'admission webhook denied the pod' });
    expect(decision.requeueAfterMs).toBe(30_000);
    expect(actionKinds(decision)).toEqual(['event:SparkApplicationAdded', 'event:SparkApplicationSubmissionFailed']);
  });

  test('a submit failure of another id is ignored', () => {
    const observed = { ...NOTHING, submitFailure: { submissionId: 'some-other-id', message: 'x' } };
    expect(decideAt(app(), observed, 0).status.applicationState?.state).toBe('SUBMITTED');
  });

  test('a spec change before the first submission changes nothing: the next id already names the new spec', () => {
    const decision = decideAt(app(), { ...NOTHING, specChanged: true }, 0);
    expect(decision.status.applicationState?.state).toBe('SUBMITTED');
  });

  test('a driver pod submitted from the spec before an edit is not taken for the edited spec\'s submission', () => {
    // GIVEN a shell that submitted the first attempt of the old spec, crashed, and the spec was edited meanwhile
    const observed = { ...NOTHING, driverPod: driverPod('Running', { submissionId: idOf(1) }), resourcesRemain: true, specChanged: true };
    // WHEN deciding for the edited spec
    const decision = decideAt(app(undefined, { arguments: ['edited'] }), observed, 3);
    // THEN the old driver is deleted and waited for: the edited spec's first id is another one
    expect(actionKinds(decision)).toEqual(['deleteResources']);
    expect(idOf(1, { arguments: ['edited'] })).not.toBe(idOf(1));
  });

  test('a refused submission is recorded even when something was left behind (the retry deletes it first)', () => {
    const observed = { ...NOTHING, resourcesRemain: true, submitFailure: { submissionId: idOf(1), message: 'refused' } };
    expect(decideAt(app(), observed, 0).status.applicationState).toEqual({ state: 'FAILED', errorMessage: 'refused' });
  });

  test('a new application with suspend is SUSPENDED without a submission', () => {
    const decision = decideAt(app(undefined, { suspend: true }), NOTHING, 0);
    expect(decision.status).toEqual({ lastSubmissionAttemptTime: null, terminationTime: null, driverInfo: {}, applicationState: { state: 'SUSPENDED' } });
    expect(actionKinds(decision)).toEqual(['event:SparkApplicationAdded', 'event:SparkApplicationSuspending', 'event:SparkApplicationSuspended']);
  });

  test('an application being deleted only has its resources deleted (no finalizer: the shell rarely sees one)', () => {
    const a = { ...app(), metadata: { ...app().metadata, deletionTimestamp: time(0) } };
    const decision = decideAt(a, { ...NOTHING, driverPod: driverPod('Running') }, 1);
    expect(decision.actions).toEqual([{ type: 'deleteResources' }]);
    expect(sameStatus(a.status, decision.status)).toBe(true);
  });

  test('the submitted driver pod carries the submission id the builders were given', () => {
    const decision = decideAt(app(), NOTHING, 0);
    const submit = decision.actions.find((a) => a.type === 'submit');
    expect(submit).toEqual({ type: 'submit', submissionId: decision.status.submissionID });
    expect(LABELS.submissionId).toBe('sparkoperator.k8s.io/submission-id');
  });
});
