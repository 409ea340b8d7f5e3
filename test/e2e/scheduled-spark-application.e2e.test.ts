import { App, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { OperatorOptions, RunningOperator, startController } from './harness/operator';
import { DRIVER_ACCOUNT, sparkPiSpec } from './harness/spark-pi';
import { uniqueName } from './harness/suite';
import { sleep, waitFor } from './harness/wait';
import { NightlyChart } from '../../examples/nightly';

const cluster = new Cluster(readConnection());
const NAMESPACE = uniqueName('scheduled-jobs');
/** The driver ServiceAccount SparkOperator renders in each job namespace. */
const LABEL = 'sparkoperator.k8s.io/scheduled-app-name';
const OPERATOR: OperatorOptions = { jobNamespaces: [NAMESPACE], namespace: uniqueName('spark-operator') };

let operator: RunningOperator;
/** Every controller process this file started, for the log check at the end. */
const processes: RunningOperator[] = [];

/** The template of SparkPi whose driver the fake kubelet runs as `driverAnnotations` say ({}: Running for ever). */
function template(driverAnnotations: Record<string, string>, spec: Record<string, unknown> = {}) {
  return sparkPiSpec({ annotations: driverAnnotations }, spec);
}

const SUCCEEDS = podOutcomeAnnotations('Succeeded', { runFor: '1s' });
const FAILS = podOutcomeAnnotations('Failed', { runFor: '1s', exitCode: 2 });
const RUNS_FOR_EVER = {};

async function createScheduled(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Promise<any> {
  const object = {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'ScheduledSparkApplication',
    metadata: { name, namespace: NAMESPACE, labels },
    spec,
  };
  return JSON.parse(await cluster.kubectl(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify(object) }));
}

async function getScheduled(name: string): Promise<any> {
  return cluster.kubectlJson<any>(['get', 'scheduledsparkapplication', name, '-n', NAMESPACE]);
}

async function deleteScheduled(name: string): Promise<void> {
  await cluster.kubectl(['delete', 'scheduledsparkapplication', name, '-n', NAMESPACE, '--wait=false']);
}

/** The runs of `name` in the cluster, oldest first. */
async function runsOf(name: string): Promise<any[]> {
  const list = await cluster.kubectlJson<any>(['get', 'sparkapplications', '-n', NAMESPACE, '-l', `${LABEL}=${name}`]);
  return list.items.sort((a: any, b: any) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** The due time (ms) a run's name encodes. */
function dueOf(run: any): number {
  return Number(BigInt(run.metadata.name.split('-').pop()) / 1_000_000n);
}

const stateOf = (run: any) => run.status?.applicationState?.state ?? '';

async function eventsOf(name: string): Promise<Array<{ reason: string; message: string; type: string }>> {
  const list = await cluster.kubectlJson<any>(['get', 'events', '-n', NAMESPACE, '--field-selector', `involvedObject.name=${name}`]);
  return list.items;
}

function wait<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  return waitFor(what, probe, {
    timeoutMs, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`),
  });
}

async function start(): Promise<RunningOperator> {
  operator = await startController(cluster, OPERATOR);
  processes.push(operator);
  return operator;
}

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  await start();
});

afterAll(async () => {
  for (const p of processes) await p.stop();
});

describe('ScheduledSparkApplications run by the bundle with the RBAC SparkOperator synthesizes', () => {
  test('an @every 5s schedule without a policy produces runs that complete; history is pruned to both limits', async () => {
    // GIVEN a schedule whose runs succeed and one whose runs fail, neither with a concurrencyPolicy
    const created = await createScheduled('every-ok', { schedule: '@every 5s', template: template(SUCCEEDS), successfulRunHistoryLimit: 2 }, { team: 'data' });
    await createScheduled('every-fails', { schedule: '@every 5s', template: template(FAILS), failedRunHistoryLimit: 1 });

    // WHEN five runs of each have started
    const started = (events: Array<{ reason: string }>) => events.filter((e) => e.reason === 'ScheduledSparkApplicationRunStarted').length;
    await wait('five runs of every-ok', async () => started(await eventsOf('every-ok')) >= 5);
    await wait('five runs of every-fails', async () => started(await eventsOf('every-fails')) >= 5);

    // THEN the failing schedule keeps its newest FAILED run only, as its status says
    await wait('every-fails pruned to 1 failed run', async () => {
      const [scheduled, runs] = [await getScheduled('every-fails'), await runsOf('every-fails')];
      const failed = runs.filter((r) => stateOf(r) === 'FAILED').map((r) => r.metadata.name);
      return failed.length === 1 && scheduled.status?.pastFailedRunNames?.join() === failed.join();
    });
    await deleteScheduled('every-fails');
    // AND the succeeding one its two newest COMPLETED runs
    const ok = await wait('every-ok pruned to 2 completed runs', async () => {
      const [scheduled, runs] = [await getScheduled('every-ok'), await runsOf('every-ok')];
      const completed = runs.filter((r) => stateOf(r) === 'COMPLETED').map((r) => r.metadata.name).reverse();
      return completed.length === 2 && scheduled.status?.pastSuccessfulRunNames?.join() === completed.join() ? { scheduled, runs } : undefined;
    });
    // AND every run is <name>-<UnixNano of its due time>, due times 5 s apart from the creation on
    const creation = Date.parse(created.metadata.creationTimestamp);
    for (const run of ok.runs) {
      expect(run.metadata.name).toMatch(/^every-ok-\d{19}$/);
      expect((dueOf(run) - creation) % 5000).toBe(0);
      expect(Date.parse(run.metadata.creationTimestamp)).toBeGreaterThanOrEqual(dueOf(run) - 1000);
      expect(run.metadata.labels).toEqual({ team: 'data', [LABEL]: 'every-ok' });
      expect(run.metadata.ownerReferences).toEqual([{
        apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'ScheduledSparkApplication', name: 'every-ok', uid: created.metadata.uid, blockOwnerDeletion: true,
      }]);
      expect(run.spec).toEqual(expect.objectContaining({ mainClass: 'org.apache.spark.examples.SparkPi', driver: expect.objectContaining({ serviceAccount: DRIVER_ACCOUNT }) }));
    }
    expect(ok.scheduled.status.scheduleState).toBe('Scheduled');
    expect(ok.scheduled.status.lastRunName).toMatch(/^every-ok-\d{19}$/);
    expect(Date.parse(ok.scheduled.status.nextRun) - Date.parse(ok.scheduled.status.lastRun)).toBe(5000);
    await deleteScheduled('every-ok');
  }, 120_000);

  test('Forbid: no run starts while the last one is still running; the skipped due times have Events', async () => {
    // GIVEN runs that never end
    await createScheduled('forbid', { schedule: '@every 5s', template: template(RUNS_FOR_EVER), concurrencyPolicy: 'Forbid' });
    const [first] = await wait('the first run to run', async () => {
      const runs = await runsOf('forbid');
      return runs.length > 0 && stateOf(runs[0]) === 'RUNNING' ? runs : undefined;
    });

    // WHEN two more due times pass
    await wait('two skipped due times', async () =>
      (await eventsOf('forbid')).filter((e) => e.reason === 'ScheduledSparkApplicationRunSkipped').length >= 2, 30_000);

    // THEN still one run
    expect((await runsOf('forbid')).map((r) => r.metadata.name)).toEqual([first.metadata.name]);
    const skipped = (await eventsOf('forbid')).find((e) => e.reason === 'ScheduledSparkApplicationRunSkipped')!;
    expect(skipped.message).toMatch(new RegExp(`concurrencyPolicy is Forbid and ${first.metadata.name} \\(RUNNING\\) has not finished$`));
    const status = (await getScheduled('forbid')).status;
    expect(status.lastRunName).toBe(first.metadata.name);
    expect(Date.parse(status.nextRun)).toBeGreaterThan(dueOf(first) + 10_000);
    await deleteScheduled('forbid');
  }, 90_000);

  test('Replace: at the next due time the running run is deleted and a new one starts', async () => {
    await createScheduled('replace', { schedule: '@every 5s', template: template(RUNS_FOR_EVER), concurrencyPolicy: 'Replace' });
    const [first] = await wait('the first run to run', async () => {
      const runs = await runsOf('replace');
      return runs.length > 0 && stateOf(runs[0]) === 'RUNNING' ? runs : undefined;
    });

    // WHEN the next due time comes
    const second = await wait('a second run, running, and the first one gone', async () => {
      const runs = await runsOf('replace');
      return runs.length === 1 && runs[0].metadata.name !== first.metadata.name && stateOf(runs[0]) === 'RUNNING' ? runs[0] : undefined;
    }, 30_000);

    // THEN
    expect(dueOf(second) - dueOf(first)).toBe(5000);
    const replaced = (await eventsOf('replace')).find((e) => e.reason === 'ScheduledSparkApplicationRunReplaced')!;
    expect(replaced.message).toBe(`deleted ${first.metadata.name} (RUNNING) for the run of ${new Date(dueOf(second)).toISOString().replace('.000Z', 'Z')}: concurrencyPolicy is Replace`);
    // The old driver goes with its SparkApplication (garbage collection).
    await wait('the first run\'s driver to be gone', async () =>
      (await cluster.kubectl(['get', 'pod', `${first.metadata.name}-driver`, '-n', NAMESPACE, '--ignore-not-found', '-o', 'name'])).trim() === '', 90_000);
    await deleteScheduled('replace');
  }, 150_000);

  test('a schedule whose spec is larger than the cache keeps runs with its whole template', async () => {
    // GIVEN a schedule whose template's argument makes its spec over 32 KiB (the cache keeps only its fingerprint)
    const big = 'x'.repeat(40_000);
    await createScheduled('large', { schedule: '@every 5s', template: template(SUCCEEDS, { arguments: [big] }), concurrencyPolicy: 'Forbid' });
    // THEN its first run is created from the whole template, read from the API server, and completes
    const run = await wait('a completed run of large', async () => (await runsOf('large')).find((r) => stateOf(r) === 'COMPLETED'));
    expect(run.spec.arguments).toEqual([big]);
    await deleteScheduled('large');
  });

  test('an invalid schedule is FailedValidation with its reason and a Warning Event; it creates nothing', async () => {
    await createScheduled('bad-cron', { schedule: '0 0 * * * *', template: template(SUCCEEDS) });
    const bad = await wait('FailedValidation', async () => {
      const s = await getScheduled('bad-cron');
      return s.status?.scheduleState === 'FailedValidation' ? s : undefined;
    });
    expect(bad.status).toEqual({
      lastRun: null,
      nextRun: null,
      scheduleState: 'FailedValidation',
      reason: "invalid ScheduledSparkApplication: 'spec.schedule' '0 0 * * * *' is not a valid cron schedule: expected 5 fields (minute hour day-of-month month day-of-week), got 6",
    });
    const event = await wait('the Warning', async () => (await eventsOf('bad-cron')).find((e) => e.reason === 'ScheduledSparkApplicationFailedValidation'));
    expect(event).toMatchObject({ type: 'Warning', message: bad.status.reason });
    expect(await runsOf('bad-cron')).toEqual([]);
  });

  test('the nightly example runs, its schedule shortened by the test', async () => {
    // GIVEN the example chart as it is, synthesized
    const chart = new NightlyChart(Testing.app() as App, 'nightly-pi', kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'driver', DRIVER_ACCOUNT));
    const nightly = Testing.synth(chart).find((o) => o.kind === 'ScheduledSparkApplication');
    expect(nightly.spec).toMatchObject({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' });
    // WHEN the test moves it to its namespace, runs it every 5 s and lets the fake kubelet end the driver
    nightly.metadata.namespace = NAMESPACE;
    nightly.spec.schedule = '@every 5s';
    nightly.spec.template.driver.annotations = SUCCEEDS;
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(nightly) });

    // THEN its runs complete, and the status names them
    const runs = await wait('two completed runs of the nightly, in its status', async () => {
      const [scheduled, all] = [await getScheduled('nightly-pi'), await runsOf('nightly-pi')];
      const completed = all.filter((r) => stateOf(r) === 'COMPLETED').map((r) => r.metadata.name).reverse();
      return completed.length >= 2 && scheduled.status?.pastSuccessfulRunNames?.join() === completed.join() ? all : undefined;
    });
    expect(runs[0].spec).toMatchObject({ arguments: ['10000'], executor: { instances: 4 }, restartPolicy: { type: 'OnFailure' } });
    await deleteScheduled('nightly-pi');
  }, 90_000);

  test('the controller killed and restarted between two due times creates each run exactly once', async () => {
    // GIVEN a schedule every 10 s and its first run
    await createScheduled('restart', { schedule: '@every 10s', template: template(RUNS_FOR_EVER), concurrencyPolicy: 'Allow' });
    const [first] = await wait('the first run', async () => {
      const runs = await runsOf('restart');
      return runs.length > 0 ? runs : undefined;
    });

    // WHEN the controller is killed (SIGKILL) at once and started again
    operator.process.killNow();
    await operator.process.exited;
    const restarted = await start();
    const syncedAt = Date.parse(String(restarted.logLines().find((l) => l.msg === 'caches synced')!.time));

    // THEN the next two due times have one run each, and the first is not created again
    const runs = await wait('two more runs', async () => {
      const all = await runsOf('restart');
      return all.length >= 3 ? all : undefined;
    }, 40_000);
    await deleteScheduled('restart');
    expect(runs.map(dueOf).slice(0, 3)).toEqual([dueOf(first), dueOf(first) + 10_000, dueOf(first) + 20_000]);
    const startedByRestarted = restarted.logLines().filter((l) => l.msg === 'run started' && l.name === 'restart').map((l) => l.run);
    expect(startedByRestarted).not.toContain(first.metadata.name);
    // The restart did land between the two due times (else this test proved a catch-up instead).
    expect(syncedAt).toBeLessThan(dueOf(first) + 10_000);
  }, 90_000);

  test('after an outage over several due times, one catch-up run, then the schedule goes on', async () => {
    // GIVEN a schedule every 5 s and its first run
    await createScheduled('outage', { schedule: '@every 5s', template: template(RUNS_FOR_EVER) });
    const [first] = await wait('the first run', async () => {
      const runs = await runsOf('outage');
      return runs.length > 0 ? runs : undefined;
    });
    // WHEN the controller is down for 17 s (three due times)
    await operator.stop();
    const before = await runsOf('outage');
    await sleep(17_000);
    await start();
    // THEN one run for the latest missed due time, then the next ones on time
    const runs = await wait('the catch-up and the next run', async () => {
      const all = await runsOf('outage');
      return all.length >= before.length + 2 ? all : undefined;
    }, 30_000);
    await deleteScheduled('outage');
    const lastBefore = dueOf(before[before.length - 1]);
    const [catchUp, next] = runs.slice(before.length).map(dueOf);
    expect(catchUp - lastBefore).toBeGreaterThanOrEqual(15_000);
    expect((catchUp - dueOf(first)) % 5000).toBe(0);
    expect(next - catchUp).toBe(5000);
    const missed = (await eventsOf('outage')).filter((e) => e.reason === 'ScheduledSparkApplicationMissedRuns');
    expect(missed).toHaveLength(1);
  }, 90_000);

  test('the controllers logged no error', () => {
    for (const p of processes) expect(p.logLines().filter((l) => l.level === 'error')).toEqual([]);
  });
});
