/**
 * The Argo CD health scripts (`ArgoCdHealthChecks`), run in gopher-lua as Argo CD runs them, on every
 * status our controller really wrote on the real API server: each version of each SparkApplication
 * and ScheduledSparkApplication the watch saw, from creation to its end, through a success, a failure
 * retried by the restart policy, a final failure, a suspension and a schedule's runs.
 */
import { adminKubeConfig } from './harness/client';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { DRIVER_ACCOUNT, sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { WatchRecording, recordWatch } from './harness/watch';
import { ArgoCdHealthChecks } from '../../src/argocd';
import { Health, buildLuaHealth, healthOf } from '../argocd/lua/luahealth';
import { loadFixtures } from '../util/fixtures';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('argocd-health');
const KEY_PREFIX = 'resource.customizations.health.sparkoperator.k8s.io_';
const SCRIPTS = ArgoCdHealthChecks.configMapEntries();

/**
 * The Argo CD health each application state must have (the built-in check's semantics, and ours for
 * the states it does not know): the specification this test holds the script to.
 */
const EXPECTED_HEALTH: Record<string, string> = {
  '': 'Progressing',
  'SUBMITTED': 'Progressing',
  // kwok runs no executors for these drivers: a RUNNING application waits for its one executor
  'RUNNING': 'Progressing',
  'SUCCEEDING': 'Progressing',
  'COMPLETED': 'Healthy',
  'FAILING': 'Degraded',
  'FAILED': 'Degraded',
  'SUBMISSION_FAILED': 'Degraded',
  'PENDING_RERUN': 'Progressing',
  'SUSPENDING': 'Progressing',
  'SUSPENDED': 'Suspended',
  'RESUMING': 'Progressing',
};

let operator: RunningOperator;
let luahealth: string;
let apps: WatchRecording;
let schedules: WatchRecording;
let connects: WatchRecording;

function sparkPi(name: string, driverAnnotations: Record<string, string>, spec: Record<string, unknown> = {}) {
  return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name, namespace: NAMESPACE }, spec: sparkPiSpec({ annotations: driverAnnotations }, spec) };
}

async function create(object: object): Promise<void> {
  await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(object) });
}

/** Waits until the watch saw `name` in `state`. */
function seen(name: string, state: string): Promise<unknown> {
  return waitFor(`${name} to be ${state}`, async () => apps.eventsOf(name).some((e) => e.object.status?.applicationState?.state === state), {
    timeoutMs: 90_000, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`),
  });
}

beforeAll(async () => {
  luahealth = buildLuaHealth();
  await cluster.createNamespace(NAMESPACE);
  // The operator's install brings the CRDs; the tests create their objects after the watches start.
  operator = await startController(cluster, { jobNamespaces: [NAMESPACE], namespace: uniqueName('spark-operator') });
  const kubeConfig = adminKubeConfig();
  apps = await recordWatch(kubeConfig, { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', plural: 'sparkapplications', namespace: NAMESPACE });
  schedules = await recordWatch(kubeConfig, {
    apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'ScheduledSparkApplication', plural: 'scheduledsparkapplications', namespace: NAMESPACE,
  });
  connects = await recordWatch(kubeConfig, { apiVersion: 'sparkoperator.k8s.io/v1alpha1', kind: 'SparkConnect', plural: 'sparkconnects', namespace: NAMESPACE });
}, 600_000);

afterAll(async () => {
  apps?.stop();
  schedules?.stop();
  connects?.stop();
  await operator?.stop();
});

describe('Argo CD health on the statuses the controller wrote', () => {
  test('every SparkApplication status written, at every state, has the health its state calls for, and a Degraded one says the error', async () => {
    // GIVEN applications that complete, fail and are retried, fail for good, and are suspended
    // (the retry is due 10 s after the submission: the driver fails before, so FAILING is written and waits)
    const retried = { restartPolicy: { type: 'OnFailure', onFailureRetries: 1, onFailureRetryInterval: 10 } };
    await create(sparkPi('completes', podOutcomeAnnotations('Succeeded', { runFor: '3s' })));
    await create(sparkPi('fails-then-retried', podOutcomeAnnotations('Failed', { runFor: '2s', exitCode: 3 }), retried));
    await create(sparkPi('fails', podOutcomeAnnotations('Failed', { runFor: '2s', exitCode: 4 })));
    await create(sparkPi('suspended', podOutcomeAnnotations('Succeeded', { runFor: '600s' }), { suspend: true }));
    // WHEN they reach their ends
    await seen('completes', 'COMPLETED');
    await seen('fails-then-retried', 'FAILED');
    await seen('fails', 'FAILED');
    await seen('suspended', 'SUSPENDED');
    expect(apps.error).toBeUndefined();

    // THEN each version the watch saw is judged as its state says
    const versions = apps.events.filter((e) => e.type !== 'DELETED').map((e) => e.object);
    const health = healthOf(luahealth, SCRIPTS[`${KEY_PREFIX}SparkApplication`], ...versions);
    const verdicts = versions.map((object, i) => ({ name: object.metadata.name, state: object.status?.applicationState?.state ?? '', health: health[i] }));
    versions.forEach((object, i) => {
      const { name, state, health: verdict } = verdicts[i];
      expect({ name, state, health: verdict.status }).toEqual({ name, state, health: EXPECTED_HEALTH[state] });
      const errorMessage = object.status?.applicationState?.errorMessage;
      if (verdict.status === 'Degraded' && errorMessage) expect(verdict.message).toBe(errorMessage);
    });
    // and the states that matter were really written and judged. SUBMITTED by at least one of them: an
    // application whose driver already runs when its status is written (a write retried after a
    // conflict, on a loaded machine) goes from no state straight to RUNNING, which is the truth then.
    const judged = new Set(verdicts.map((v) => `${v.name}:${v.state}`));
    for (const expected of ['completes:RUNNING', 'completes:COMPLETED', 'fails-then-retried:FAILING', 'fails-then-retried:PENDING_RERUN',
      'fails-then-retried:FAILED', 'fails:FAILED', 'suspended:SUSPENDED']) {
      expect(judged).toContain(expected);
    }
    expect(verdicts.some((v) => v.state === 'SUBMITTED')).toBe(true);
    const failed = verdicts.find((v) => v.name === 'fails' && v.state === 'FAILED')!;
    expect(failed.health).toEqual<Health>({ status: 'Degraded', message: 'driver container failed with ExitCode: 4, Reason: Error' });
  }, 180_000);

  test('a ScheduledSparkApplication is Healthy with its next run while its runs complete, Degraded naming a failed run', async () => {
    // GIVEN a schedule whose runs succeed and one whose runs fail, every 3 s
    const schedule = (name: string, annotations: Record<string, string>) => ({
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name, namespace: NAMESPACE },
      spec: { schedule: '@every 3s', concurrencyPolicy: 'Forbid', template: sparkPiSpec({ annotations }) },
    });
    await create(schedule('nightly-ok', podOutcomeAnnotations('Succeeded', { runFor: '1s' })));
    await create(schedule('nightly-fails', podOutcomeAnnotations('Failed', { runFor: '1s', exitCode: 2 })));
    // WHEN each has a finished run in its status
    const finished = (name: string, field: string) => waitFor(`${name} to list a run in ${field}`, async () =>
      schedules.eventsOf(name).some((e) => (e.object.status?.[field] ?? []).length > 0), { timeoutMs: 60_000, intervalMs: 500 });
    await finished('nightly-ok', 'pastSuccessfulRunNames');
    await finished('nightly-fails', 'pastFailedRunNames');
    expect(schedules.error).toBeUndefined();

    // THEN
    const script = SCRIPTS[`${KEY_PREFIX}ScheduledSparkApplication`];
    const judge = (name: string) => {
      const versions = schedules.eventsOf(name).filter((e) => e.type !== 'DELETED').map((e) => e.object);
      const health = healthOf(luahealth, script, ...versions);
      return versions.map((object, i) => ({ status: object.status, health: health[i] }));
    };
    for (const { status, health } of [...judge('nightly-ok'), ...judge('nightly-fails')]) {
      expect(health.error).toBeUndefined();
      if (status?.scheduleState === 'Scheduled') expect(health.message).toContain(`next run at ${status.nextRun}`);
    }
    const lastOk = judge('nightly-ok').pop()!;
    expect(lastOk.health.status).toBe('Healthy');
    const failedVersion = judge('nightly-fails').find((v) => (v.status?.pastFailedRunNames ?? []).length > 0)!;
    expect(failedVersion.health).toEqual<Health>({
      status: 'Degraded',
      message: `Scheduled; last run ${failedVersion.status.lastRunName} failed; next run at ${failedVersion.status.nextRun}`,
    });
  }, 120_000);

  test('a SparkConnect is Progressing until its server is ready, then Healthy; a failed one Degraded with the condition\'s message', async () => {
    // GIVEN upstream's example, and one without any image, which the controller fails
    const [[, upstream]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
    // (its pods run as the drivers' account SparkOperator renders here, not upstream's chart's name for it)
    const example = JSON.parse(JSON.stringify(upstream).split('"spark-operator-spark"').join(JSON.stringify(DRIVER_ACCOUNT)));
    await create({ ...example, metadata: { ...example.metadata, name: 'connect', namespace: NAMESPACE } });
    await create({ ...example, metadata: { name: 'connect-no-image', namespace: NAMESPACE }, spec: { sparkVersion: '4.0.1', server: {}, executor: {} } });
    // WHEN
    const reached = (name: string, state: string) => waitFor(`${name} to be ${state}`, async () =>
      connects.eventsOf(name).some((e) => e.object.status?.state === state), { timeoutMs: 90_000, intervalMs: 500 });
    await reached('connect', 'Ready');
    await reached('connect-no-image', 'Failed');
    expect(connects.error).toBeUndefined();

    // THEN each version is judged as its state says
    const expected: Record<string, string> = { '': 'Progressing', 'Provisioning': 'Progressing', 'NotReady': 'Progressing', 'Ready': 'Healthy', 'Failed': 'Degraded' };
    const versions = connects.events.filter((e) => e.type !== 'DELETED').map((e) => e.object);
    const health = healthOf(luahealth, SCRIPTS[`${KEY_PREFIX}SparkConnect`], ...versions);
    versions.forEach((object, i) => {
      const state = object.status?.state ?? '';
      expect({ name: object.metadata.name, state, health: health[i].status }).toEqual({ name: object.metadata.name, state, health: expected[state] });
    });
    const failed = versions.findIndex((o) => o.metadata.name === 'connect-no-image' && o.status?.state === 'Failed');
    const condition = versions[failed].status.conditions.find((c: any) => c.type === 'ServerPodReady');
    expect(health[failed]).toEqual<Health>({ status: 'Degraded', message: condition.message });
  }, 120_000);
});
