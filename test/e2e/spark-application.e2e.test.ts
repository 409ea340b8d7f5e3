import { Duration } from 'cdk8s';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { executorPod } from './harness/executor-pod';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { driverIngressName } from '../../src/core';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('spark-jobs');

let operator: RunningOperator;

/** A SparkApplication of SparkPi whose driver the fake kubelet runs as `driverAnnotations` say. */
function sparkPi(name: string, spec: Record<string, unknown> = {}, driverAnnotations: Record<string, string> = podOutcomeAnnotations('Succeeded', { runFor: '2s' })) {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, namespace: NAMESPACE },
    spec: sparkPiSpec({ annotations: driverAnnotations }, spec),
  };
}

async function create(app: Record<string, any>): Promise<void> {
  await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(app) });
}

async function getApp(name: string): Promise<any> {
  return cluster.kubectlJson<any>(['get', 'sparkapplication', name, '-n', NAMESPACE]);
}

/** Waits until the application's state is `state`, and returns the application. */
async function waitForState(name: string, state: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(`${name} to be ${state}`, async () => {
    const app = await getApp(name);
    return app.status?.applicationState?.state === state ? app : undefined;
  }, { timeoutMs, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`) });
}

async function eventReasons(name: string): Promise<string[]> {
  const list = await cluster.kubectlJson<any>(['get', 'events', '-n', NAMESPACE, '--field-selector', `involvedObject.name=${name}`]);
  return list.items.map((e: any) => e.reason);
}

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  operator = await startController(cluster, {
    jobNamespaces: [NAMESPACE],
    namespace: uniqueName('spark-operator'),
    // Short enough for a test, set as users set them: a driver Pending 3 s fails; at most 2 executors in the status.
    controller: { driverPendingTimeout: Duration.seconds(3), maxTrackedExecutors: 2 },
  });
});

afterAll(async () => {
  await operator?.stop();
});

describe('SparkApplications run by the bundle with the RBAC SparkOperator synthesizes', () => {
  test('a job that completes: SUBMITTED, RUNNING, COMPLETED, with its driver, UI Service and events', async () => {
    await create(sparkPi('pi-ok'));
    const done = await waitForState('pi-ok', 'COMPLETED');
    expect(done.status).toMatchObject({
      submissionAttempts: 1,
      executionAttempts: 1,
      driverInfo: { podName: 'pi-ok-driver', webUIServiceName: 'pi-ok-ui-svc', webUIPort: 4040 },
      applicationState: { state: 'COMPLETED' },
    });
    expect(done.status.sparkApplicationId).toMatch(/^spark-[0-9a-f]{32}$/);
    expect(done.status.submissionID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Date.parse(done.status.terminationTime)).toBeGreaterThan(Date.parse(done.status.lastSubmissionAttemptTime));
    const driver = await cluster.kubectlJson<any>(['get', 'pod', 'pi-ok-driver', '-n', NAMESPACE]);
    expect(driver.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'SparkApplication', name: 'pi-ok', controller: true })]);
    expect(driver.metadata.labels).toMatchObject({ 'spark-role': 'driver', 'sparkoperator.k8s.io/app-name': 'pi-ok', 'sparkoperator.k8s.io/submission-id': done.status.submissionID });
    expect(driver.spec.enableServiceLinks).toBe(false);
    const ui = await cluster.kubectlJson<any>(['get', 'service', 'pi-ok-ui-svc', '-n', NAMESPACE]);
    expect(ui.spec.ports).toEqual([expect.objectContaining({ port: 4040, targetPort: 4040 })]);
    expect(await eventReasons('pi-ok')).toEqual(expect.arrayContaining(['SparkApplicationSubmitted', 'SparkApplicationCompleted']));
  });

  test('a driver that fails is retried as OnFailure says, then FAILED', async () => {
    await create(sparkPi('pi-fails', { restartPolicy: { type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 1, onSubmissionFailureRetries: 0, onSubmissionFailureRetryInterval: 1 } },
      podOutcomeAnnotations('Failed', { runFor: '1s', exitCode: 3 })));
    const failed = await waitForState('pi-fails', 'FAILED', 90_000);
    expect(failed.status.executionAttempts).toBe(3);
    expect(failed.status.applicationState.errorMessage).toContain('ExitCode: 3');
  });

  test('a submission the API server refuses (no such ServiceAccount) fails with the API server\'s words', async () => {
    const app = sparkPi('pi-no-account');
    (app.spec.driver as any).serviceAccount = 'nobody';
    await create(app);
    const failed = await waitForState('pi-no-account', 'FAILED');
    expect(failed.status.applicationState.errorMessage).toMatch(/serviceaccount "nobody" not found/);
  });

  test('an application the shared rules refuse fails with the field path, and an Event', async () => {
    await create(sparkPi('pi-invalid', { mainApplicationFile: '/opt/jobs/main.jar' }));
    const failed = await waitForState('pi-invalid', 'FAILED');
    expect(failed.status.applicationState.errorMessage).toBe("invalid SparkApplication: 'spec.mainApplicationFile' must be a URI with a scheme, "
      + "such as local:///opt/spark/app.jar for a file in the image or s3a://bucket/app.py (got '/opt/jobs/main.jar')");
    expect(await eventReasons('pi-invalid')).toContain('SparkApplicationFailed');
    // Nothing was created for it.
    expect(await cluster.kubectl(['get', 'pods', '-n', NAMESPACE, '-l', 'sparkoperator.k8s.io/app-name=pi-invalid', '-o', 'name'])).toBe('');
  });

  test('a finished application is deleted after its time to live', async () => {
    await create(sparkPi('pi-ttl', { timeToLiveSeconds: 2 }));
    await waitFor('pi-ttl to be deleted', async () => {
      const out = await cluster.kubectl(['get', 'sparkapplication', 'pi-ttl', '-n', NAMESPACE, '--ignore-not-found', '-o', 'name']);
      return out.trim() === '';
    }, { timeoutMs: 60_000 });
  });

  test('a deleted driver pod is noticed at once', async () => {
    await create(sparkPi('pi-deleted', {}, {}));
    await waitForState('pi-deleted', 'RUNNING');
    await cluster.kubectl(['delete', 'pod', 'pi-deleted-driver', '-n', NAMESPACE, '--wait=false']);
    const failed = await waitForState('pi-deleted', 'FAILED', 30_000);
    expect(failed.status.applicationState.errorMessage).toContain('driver pod not found');
  });

  test('suspend deletes the driver and holds the application; resume submits it again', async () => {
    await create(sparkPi('pi-suspend', {}, {}));
    const running = await waitForState('pi-suspend', 'RUNNING');
    await cluster.kubectl(['patch', 'sparkapplication', 'pi-suspend', '-n', NAMESPACE, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    await waitForState('pi-suspend', 'SUSPENDED');
    await waitFor('the driver pod to be gone', async () =>
      (await cluster.kubectl(['get', 'pod', 'pi-suspend-driver', '-n', NAMESPACE, '--ignore-not-found', '-o', 'name'])).trim() === '');
    await cluster.kubectl(['patch', 'sparkapplication', 'pi-suspend', '-n', NAMESPACE, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    const resumed = await waitForState('pi-suspend', 'RUNNING');
    expect(resumed.status.submissionID).not.toBe(running.status.submissionID);
    expect(await eventReasons('pi-suspend')).toEqual(expect.arrayContaining(['SparkApplicationSuspending', 'SparkApplicationSuspended', 'SparkApplicationResuming']));
  });

  test('a spec change invalidates the run and submits the new spec; a change of suspend or timeToLiveSeconds alone does not', async () => {
    await create(sparkPi('pi-change', {}, {}));
    const first = await waitForState('pi-change', 'RUNNING');
    await cluster.kubectl(['patch', 'sparkapplication', 'pi-change', '-n', NAMESPACE, '--type=merge', '-p', '{"spec":{"timeToLiveSeconds":3600}}']);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await getApp('pi-change')).status.submissionID).toBe(first.status.submissionID);
    await cluster.kubectl(['patch', 'sparkapplication', 'pi-change', '-n', NAMESPACE, '--type=merge', '-p', '{"spec":{"arguments":["200"]}}']);
    const rerun = await waitFor('a new submission of pi-change', async () => {
      const app = await getApp('pi-change');
      return app.status?.submissionID !== first.status.submissionID && app.status?.applicationState?.state === 'RUNNING' ? app : undefined;
    });
    expect(rerun.status.submissionAttempts).toBe(1);
    const driver = await cluster.kubectlJson<any>(['get', 'pod', 'pi-change-driver', '-n', NAMESPACE]);
    expect(driver.metadata.labels['sparkoperator.k8s.io/submission-id']).toBe(rerun.status.submissionID);
    expect(driver.spec.containers[0].args.slice(-1)).toEqual(['200']);
  });

  test('a spec larger than the cache keeps runs with its whole spec, and a change of it reruns', async () => {
    // GIVEN an application whose spec is over 32 KiB (the cache keeps only its fingerprint)
    const big = (c: string) => c.repeat(40_000);
    await create(sparkPi('pi-large', { arguments: [big('a')] }, {}));
    // THEN its driver is built from the whole spec, read from the API server
    const first = await waitForState('pi-large', 'RUNNING');
    const driver = await cluster.kubectlJson<any>(['get', 'pod', 'pi-large-driver', '-n', NAMESPACE]);
    expect(driver.spec.containers[0].args.slice(-1)).toEqual([big('a')]);
    // WHEN its argument changes (the spec stays over the limit)
    await cluster.kubectl(['patch', 'sparkapplication', 'pi-large', '-n', NAMESPACE, '--type=merge', '-p', JSON.stringify({ spec: { arguments: [big('b')] } })]);
    // THEN the change is told from the fingerprints, and the new spec is submitted
    const rerun = await waitFor('a new submission of pi-large', async () => {
      const app = await getApp('pi-large');
      return app.status?.submissionID !== first.status.submissionID && app.status?.applicationState?.state === 'RUNNING' ? app : undefined;
    });
    const second = await cluster.kubectlJson<any>(['get', 'pod', 'pi-large-driver', '-n', NAMESPACE]);
    expect(second.metadata.labels['sparkoperator.k8s.io/submission-id']).toBe(rerun.status.submissionID);
    expect(second.spec.containers[0].args.slice(-1)).toEqual([big('b')]);
  });

  test('driver ingresses and the driver PDB exist while the driver runs, and are deleted with it on suspend', async () => {
    // GIVEN an application with a driver ingress and a PodDisruptionBudget
    const ingressOptions = { servicePort: 8888, servicePortName: 'connect', ingressURLFormat: '{{$appName}}.{{$appNamespace}}.example.com' };
    await create(sparkPi('pi-pdb', { driverPodDisruptionBudget: true, driverIngressOptions: [ingressOptions] }, {}));
    const running = await waitForState('pi-pdb', 'RUNNING');
    // THEN while it runs, the PDB (named as the driver) and the ingress with its Service are there, owned by the application
    const uid = running.metadata.uid;
    const ownedByApp = (o: any) => (o.metadata.ownerReferences ?? []).some((r: any) => r.uid === uid);
    const pdb = await waitFor('the driver PDB', () => cluster.kubectlJson<any>(['get', 'pdb', 'pi-pdb-driver', '-n', NAMESPACE]).catch(() => undefined));
    const ingress = await waitFor('the driver ingress', () => cluster.kubectlJson<any>(['get', 'ingress', driverIngressName('pi-pdb', 8888), '-n', NAMESPACE]).catch(() => undefined));
    expect([ownedByApp(pdb), ownedByApp(ingress)]).toEqual([true, true]);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(ingress.spec.rules[0].host).toBe(`pi-pdb.${NAMESPACE}.example.com`);
    // WHEN it is suspended THEN the controller deletes them with the driver
    await cluster.kubectl(['patch', 'sparkapplication', 'pi-pdb', '-n', NAMESPACE, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    await waitForState('pi-pdb', 'SUSPENDED');
    await waitFor('the PDB and the ingress to be deleted', async () => {
      const left = await cluster.kubectlJson<any>(['get', 'pdb,ingress', '-n', NAMESPACE, '-o', 'json']);
      return !left.items.some((o: any) => ownedByApp(o));
    });
  });

  test('a driver that cannot be scheduled fails after the pending timeout with the scheduler\'s reason', async () => {
    const app = sparkPi('pi-stuck');
    (app.spec.driver as any).nodeSelector = { 'e2e.cdk8s-spark.dev/no-such-node': 'true' };
    await create(app);
    const failed = await waitForState('pi-stuck', 'FAILED', 30_000);
    expect(failed.status.applicationState.errorMessage).toMatch(/Unschedulable/);
    expect(await eventReasons('pi-stuck')).toContain('SparkDriverPendingTimeout');
  });

  test('executor pods, labelled as Spark labels them, are tracked in the status and bounded by --max-tracked-executors', async () => {
    await create(sparkPi('pi-execs', {}, {}));
    const running = await waitForState('pi-execs', 'RUNNING');
    const driver = await cluster.kubectlJson<any>(['get', 'pod', 'pi-execs-driver', '-n', NAMESPACE]);
    // the executors carry the driver's submission id, which is the status's
    expect(driver.metadata.labels['sparkoperator.k8s.io/submission-id']).toBe(running.status.submissionID);
    for (const id of [1, 2, 3]) {
      await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(executorPod(driver, id)) });
    }
    const tracked = await waitFor('two executors in the status', async () => {
      const app = await getApp('pi-execs');
      const states = app.status?.executorState ?? {};
      return Object.keys(states).length === 2 && Object.values(states).every((s) => s === 'RUNNING') ? app : undefined;
    });
    // The highest executor id is always kept, so the count of the others can be derived.
    expect(Object.keys(tracked.status.executorState)).toContain('pi-execs-exec-3');
    expect(await eventReasons('pi-execs')).toContain('SparkExecutorsUntracked');
  });

  test('a hostile application next to a good one: the good one is unaffected', async () => {
    const hostile = sparkPi(`h${'x'.repeat(62)}`, {
      sparkConf: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`spark.custom.ключ.${i}`, '∞'.repeat(20)])),
    });
    await create(hostile);
    await create(sparkPi('pi-neighbour'));
    await waitForState('pi-neighbour', 'COMPLETED');
    const failed = await waitForState(hostile.metadata.name, 'FAILED');
    expect(failed.status.applicationState.errorMessage).toMatch(/^invalid SparkApplication: 'metadata.name' .* makes the driver pod name .* over the limit of 63/);
  });

  test('the controller logs nothing above info for all of this but the expected warnings', () => {
    expect(operator.logLines().filter((l) => l.level === 'error')).toEqual([]);
  });
});

