/**
 * sparkctl as users run it: the bundle the package ships (`bin/sparkctl.js`), as a process, with a
 * kubeconfig, against the real control plane, and our controller running the applications it
 * creates, so that `list`, `status` and `events` show real states.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { Cluster } from './harness/cluster';
import { executorPod } from './harness/executor-pod';
import { criLogLines, podLogs, podPortForward } from './harness/kwok-debugging';
import { POD_START_AFTER_ANNOTATION, podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { RunningSparkctl, SPARKCTL, SparkctlResult, runSparkctl, startSparkctl as startSparkctlProcess } from './harness/sparkctl';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';

const cluster: Cluster = e2eCluster();
const NAMESPACE = uniqueName('sparkctl');
const SUCCEEDS = podOutcomeAnnotations('Succeeded', { runFor: '2s' });
const RUNS_FOR_EVER = {};

let operator: RunningOperator;
/** The admin's kubeconfig with NAMESPACE as its context's namespace, as `kubectl config set-context --current --namespace` leaves it. */
let kubeconfig: string;
/** Whether the CRDs were there before this file installed them (another file of the run did). */
let crdsWereInstalled: boolean;
/** What `list` said before the CRDs were installed. */
let beforeCrds: Result;

type Result = SparkctlResult;

/** Runs the sparkctl bundle with `args`; KUBECONFIG is `config` (the namespaced admin's unless told). */
function sparkctl(args: string[], options: { config?: string; input?: string } = {}): Promise<Result> {
  return runSparkctl({ kubeconfig: options.config ?? kubeconfig, home: cluster.connection.runDir }, args, options.input);
}

const started: RunningSparkctl[] = [];

/** Starts the sparkctl bundle with `args` (see the harness's `startSparkctl`), interrupted after the file's tests. */
function startSparkctl(args: string[], options: { terminal?: boolean } = {}): RunningSparkctl {
  const handle = startSparkctlProcess({ kubeconfig, home: cluster.connection.runDir }, args, options);
  started.push(handle);
  return handle;
}

function sparkPi(name: string, driverAnnotations: Record<string, string>, spec: Record<string, unknown> = {}): Record<string, any> {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name },
    spec: sparkPiSpec({ annotations: driverAnnotations }, spec),
  };
}

function writeFile(name: string, text: string): string {
  const file = path.join(cluster.connection.runDir, `sparkctl-${NAMESPACE}-${name}`);
  fs.writeFileSync(file, text);
  return file;
}

async function getApp(name: string): Promise<any> {
  return cluster.kubectlJson<any>(['get', 'sparkapplication', name, '-n', NAMESPACE]);
}

async function waitForState(name: string, state: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(`${name} to be ${state}`, async () => {
    const app = await getApp(name);
    return app.status?.applicationState?.state === state ? app : undefined;
  }, { timeoutMs, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`) });
}

async function createWithSparkctl(app: Record<string, unknown>): Promise<void> {
  const created = await sparkctl(['create', '-f', writeFile(`${(app.metadata as any).name}.yaml`, stringify(app))]);
  expect(created).toMatchObject({ code: 0, stderr: '' });
}

beforeAll(async () => {
  if (!fs.existsSync(SPARKCTL)) throw new Error(`${SPARKCTL} is missing: run 'npx projen bundle:cli' (npm run test:e2e does)`);
  await cluster.createNamespace(NAMESPACE);
  const admin = parse(fs.readFileSync(cluster.connection.adminKubeconfig, 'utf8'));
  for (const context of admin.contexts) context.context.namespace = NAMESPACE;
  kubeconfig = writeFile('kubeconfig.yaml', stringify(admin));
  crdsWereInstalled = (await cluster.kubectl(['get', 'crd', 'sparkapplications.sparkoperator.k8s.io', '--ignore-not-found', '-o', 'name'])).trim() !== '';
  beforeCrds = await sparkctl(['list']);
  operator = await startController(cluster, { jobNamespaces: [NAMESPACE], namespace: uniqueName('spark-operator') });
}, 120_000);

afterAll(async () => {
  for (const r of started) await r.interrupt();
  await operator?.stop();
});

describe('sparkctl against a real API server', () => {
  test('a cluster without the CRDs is told so in one line', () => {
    if (crdsWereInstalled) {
      // Another file of this run installed them first: the answer was a list, which the tests below check.
      expect(beforeCrds.code).toBe(0);
      return;
    }
    expect(beforeCrds).toEqual({
      code: 1,
      stdout: '',
      stderr: "sparkctl: the cluster does not serve sparkoperator.k8s.io/v1beta2: install the CRDs (the SparkCrds or SparkOperator chart of cdk8s-spark, or the upstream operator's Helm chart)\n",
    });
  });

  test('lint: every problem with its line and column, exit 1; a valid file exits 0', async () => {
    // GIVEN a file with a ConfigMap (skipped) and an application with two problems
    const bad = sparkPi('lint-me', SUCCEEDS, { mainApplicationFile: '/opt/app.jar' });
    bad.spec.executor.instances = 0;
    const file = writeFile('lint.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${stringify(bad)}`);
    const good = writeFile('good.yaml', stringify(sparkPi('fine', SUCCEEDS)));

    // WHEN
    const result = await sparkctl(['lint', file, good]);

    // THEN
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${file}:\\d+:\\d+: spec\\.mainApplicationFile: must be a URI with a scheme`));
    expect(lines[1]).toMatch(new RegExp(`^${file}:\\d+:\\d+: spec\\.executor\\.instances: must be an integer >= 1 \\(got 0\\)$`));
    expect(result.stderr).toBe('2 Spark objects in 2 files: 2 problems\n');
    expect(await sparkctl(['lint', good])).toMatchObject({ code: 0, stdout: '' });
  });

  test('create, list, status and events show an application that completed', async () => {
    // WHEN
    await createWithSparkctl(sparkPi('pi-done', SUCCEEDS));
    const done = await waitForState('pi-done', 'COMPLETED');

    // THEN list, plain when piped, in the context's namespace
    const list = await sparkctl(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('\u001b[');
    const [header, ...rows] = list.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'STATE', 'ATTEMPTS', 'START', 'FINISH', 'AGE']);
    expect(rows.find((r) => r.startsWith('pi-done '))!.split(/\s+/).slice(0, 5))
      .toEqual(['pi-done', 'COMPLETED', '1', done.status.lastSubmissionAttemptTime, done.status.terminationTime]);
    // -A adds the namespace; -o json is the objects
    expect((await sparkctl(['list', '-A'])).stdout).toMatch(new RegExp(`^${NAMESPACE}\\s+pi-done\\s+COMPLETED`, 'm'));
    const json = JSON.parse((await sparkctl(['list', '-o', 'json'])).stdout);
    expect(json.items.map((i: any) => i.metadata.name)).toContain('pi-done');
    // status: state, driver and its pod, events
    const status = await sparkctl(['status', 'pi-done', '-n', NAMESPACE]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^State:\s+COMPLETED$/m);
    expect(status.stdout).toMatch(/^Driver:\s+pi-done-driver: Succeeded/m);
    expect(status.stdout).toContain('SparkApplicationCompleted');
    // events: the application's and its driver pod's
    const events = await sparkctl(['events', 'pi-done']);
    expect(events.code).toBe(0);
    expect(events.stdout).toMatch(/^\S+\s+Normal\s+SparkApplicationSubmitted\s+sparkapplication\/pi-done/m);
    expect(events.stdout).toMatch(/SparkApplicationCompleted\s+sparkapplication\/pi-done/);
    expect(events.stdout).toMatch(/Scheduled\s+pod\/pi-done-driver/);
  });

  test('list --connect and status --connect show a SparkConnect the controller made Ready: server pod, address, Events', async () => {
    // GIVEN a SparkConnect, Ready once kwok marks its server pod ready
    await cluster.kubectl(['create', '-n', NAMESPACE, '-f', '-'], {
      input: stringify({
        apiVersion: 'sparkoperator.k8s.io/v1alpha1',
        kind: 'SparkConnect',
        metadata: { name: 'notebooks' },
        spec: { sparkVersion: '4.0.1', image: 'docker.io/apache/spark:4.0.1', server: {}, executor: { instances: 1 } },
      }),
    });
    const ready = await waitFor('notebooks Ready', async () => {
      const connect = await cluster.kubectlJson<any>(['get', 'sparkconnect', 'notebooks', '-n', NAMESPACE]);
      return connect.status?.state === 'Ready' ? connect : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500, abortIf: () => (operator.process.running ? undefined : `the controller exited: ${operator.process.describeExit()}`) });

    // WHEN / THEN list --connect: its state, server pod and address
    const list = await sparkctl(['list', '--connect']);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = list.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'STATE', 'SERVER POD', 'ADDRESS', 'EXECUTORS', 'AGE']);
    expect(rows.find((r) => r.startsWith('notebooks '))!.split(/\s{2,}/).slice(0, 4))
      .toEqual(['notebooks', 'Ready', 'notebooks-server', `sc://notebooks-server.${NAMESPACE}.svc:15002`]);
    // AND -o json is the objects, at their version
    const json = JSON.parse((await sparkctl(['list', '--connect', '-o', 'json'])).stdout);
    expect(json.items.map((i: any) => [i.apiVersion, i.metadata.name])).toEqual([['sparkoperator.k8s.io/v1alpha1', 'notebooks']]);
    // AND status --connect: the server pod with its IP, the Service, the Events
    const status = await sparkctl(['status', '--connect', 'notebooks']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^State:\s+Ready$/m);
    expect(status.stdout).toContain(`Server pod:  notebooks-server (${ready.status.server.podIp})`);
    expect(status.stdout).toMatch(new RegExp(`^Address:\\s+sc://notebooks-server\\.${NAMESPACE}\\.svc:15002$`, 'm'));
    expect(status.stdout).toContain('SparkConnectReady');
    // AND a missing one is named in one line
    expect(await sparkctl(['status', '--connect', 'nope'])).toMatchObject({
      code: 1, stderr: `sparkctl: SparkConnect "nope" not found in namespace "${NAMESPACE}"\n`,
    });
  });

  test('rerun: a finished application is submitted again; one that runs is refused', async () => {
    // GIVEN a completed application
    await createWithSparkctl(sparkPi('pi-again', SUCCEEDS));
    const first = await waitForState('pi-again', 'COMPLETED');

    // WHEN
    const rerun = await sparkctl(['rerun', 'pi-again']);

    // THEN it runs again under a new submission id, and completes
    expect(rerun).toEqual({ code: 0, stdout: 'sparkapplication/pi-again will run again (was COMPLETED)\n', stderr: '' });
    const again = await waitFor('a new submission', async () => {
      const app = await getApp('pi-again');
      return app.status?.submissionID && app.status.submissionID !== first.status.submissionID ? app : undefined;
    }, { timeoutMs: 60_000 });
    expect(again.spec.driver.annotations['sparkctl.cdk8s-spark.dev/rerun-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
    await waitForState('pi-again', 'COMPLETED');

    // and an application that is not finished is not rerun
    await createWithSparkctl(sparkPi('pi-busy', RUNS_FOR_EVER));
    await waitForState('pi-busy', 'RUNNING');
    expect(await sparkctl(['rerun', 'pi-busy'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sparkctl: sparkapplication/pi-busy is RUNNING: only a finished application (COMPLETED or FAILED) runs again\n',
    });
  });

  test('suspend and resume set spec.suspend; the controller holds and resubmits', async () => {
    // GIVEN
    await createWithSparkctl(sparkPi('pi-hold', RUNS_FOR_EVER));
    const running = await waitForState('pi-hold', 'RUNNING');

    // WHEN / THEN
    expect(await sparkctl(['suspend', 'pi-hold'])).toEqual({ code: 0, stdout: 'sparkapplication/pi-hold suspended\n', stderr: '' });
    await waitForState('pi-hold', 'SUSPENDED');
    expect((await sparkctl(['status', 'pi-hold'])).stdout).toMatch(/^Suspended:\s+yes$/m);
    expect(await sparkctl(['resume', 'pi-hold'])).toEqual({ code: 0, stdout: 'sparkapplication/pi-hold resumed\n', stderr: '' });
    const resumed = await waitForState('pi-hold', 'RUNNING');
    expect(resumed.status.submissionID).not.toBe(running.status.submissionID);
  });

  test('delete removes the application; a missing one is named in one line', async () => {
    // GIVEN
    await createWithSparkctl(sparkPi('pi-gone', RUNS_FOR_EVER));

    // WHEN
    const deleted = await sparkctl(['delete', 'pi-gone']);

    // THEN
    expect(deleted).toEqual({ code: 0, stdout: 'sparkapplication/pi-gone deleted\n', stderr: '' });
    expect(await sparkctl(['delete', 'pi-gone'])).toEqual({
      code: 1, stdout: '', stderr: `sparkctl: SparkApplication "pi-gone" not found in namespace "${NAMESPACE}"\n`,
    });
    expect(await sparkctl(['status', 'no-such-app'])).toEqual({
      code: 1, stdout: '', stderr: `sparkctl: SparkApplication "no-such-app" not found in namespace "${NAMESPACE}"\n`,
    });
  });

  test('create checks the file first and creates nothing when a check fails', async () => {
    // WHEN
    const result = await sparkctl(['create', '-f', writeFile('invalid.yaml', stringify(sparkPi('pi-invalid', SUCCEEDS, { sparkVersion: 'three' })))]);

    // THEN
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^.*invalid\.yaml:\d+:\d+: spec\.sparkVersion: must be a Spark version such as '3\.5\.1' \(got 'three'\)\nsparkctl: nothing created: .*invalid\.yaml has 1 problem\n$/);
    expect(await cluster.kubectl(['get', 'sparkapplication', 'pi-invalid', '-n', NAMESPACE, '--ignore-not-found', '-o', 'name'])).toBe('');

    // and a namespace that contradicts -n creates nothing, not even the objects before it
    const elsewhere = sparkPi('pi-elsewhere', SUCCEEDS);
    elsewhere.metadata.namespace = 'other';
    const mixed = writeFile('mixed.yaml', `${stringify(sparkPi('pi-first', SUCCEEDS))}---\n${stringify(elsewhere)}`);
    expect(await sparkctl(['create', '-f', mixed, '-n', NAMESPACE])).toEqual({
      code: 1,
      stdout: '',
      stderr: `sparkctl: sparkapplication/pi-elsewhere is in namespace other, not ${NAMESPACE} (-n): nothing created; remove one of the two\n`,
    });
    expect(await cluster.kubectl(['get', 'sparkapplication', 'pi-first', '-n', NAMESPACE, '--ignore-not-found', '-o', 'name'])).toBe('');

    // and a SparkConnect, which lint checks but create does not create, creates nothing either
    const connect = { apiVersion: 'sparkoperator.k8s.io/v1alpha1', kind: 'SparkConnect', metadata: { name: 'team' }, spec: { sparkVersion: '4.0.1', image: 'apache/spark:4.0.1', server: {}, executor: {} } };
    const withConnect = writeFile('with-connect.yaml', `${stringify(sparkPi('pi-before-connect', SUCCEEDS))}---
${stringify(connect)}`);
    expect(await sparkctl(['create', '-f', withConnect])).toEqual({
      code: 1,
      stdout: '',
      stderr: `sparkctl: nothing created: sparkctl creates SparkApplications and ScheduledSparkApplications; create SparkConnect team with kubectl apply -f ${withConnect}\n`,
    });
    expect(await sparkctl(['lint', withConnect])).toMatchObject({ code: 0 });
    expect(await cluster.kubectl(['get', 'sparkapplication', 'pi-before-connect', '-n', NAMESPACE, '--ignore-not-found', '-o', 'name'])).toBe('');
  });

  test('trigger starts a run named, labelled and owned like a scheduled one, as its concurrency policy allows', async () => {
    // GIVEN a schedule that is not due for an hour, whose runs run for ever, with Forbid
    const scheduled = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'hourly', labels: { team: 'data' } },
      spec: { schedule: '@every 1h', concurrencyPolicy: 'Forbid', template: sparkPiSpec({ annotations: RUNS_FOR_EVER }) },
    };
    expect(await sparkctl(['create', '-f', writeFile('hourly.yaml', stringify(scheduled))])).toMatchObject({ code: 0 });
    const parent = await cluster.kubectlJson<any>(['get', 'scheduledsparkapplication', 'hourly', '-n', NAMESPACE]);

    // WHEN
    const triggered = await sparkctl(['trigger', 'hourly']);

    // THEN
    expect(triggered.code).toBe(0);
    const runName = /^sparkapplication\/(hourly-\d{19}) created \(a run of scheduledsparkapplication\/hourly\)\n$/.exec(triggered.stdout)?.[1];
    expect(runName).toBeDefined();
    const run = await getApp(runName!);
    expect(run.metadata.labels).toEqual({ 'team': 'data', 'sparkoperator.k8s.io/scheduled-app-name': 'hourly' });
    expect(run.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ScheduledSparkApplication', name: 'hourly', uid: parent.metadata.uid, blockOwnerDeletion: true })]);
    await waitForState(runName!, 'RUNNING');

    // Forbid: refused while that run is unfinished
    expect(await sparkctl(['trigger', 'hourly'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `sparkctl: not triggered: concurrencyPolicy of scheduledsparkapplication/hourly is Forbid and ${runName} (RUNNING) has not finished\n`,
    });

    // Replace: the unfinished run is deleted, a new one starts
    await cluster.kubectl(['patch', 'scheduledsparkapplication', 'hourly', '-n', NAMESPACE, '--type=merge', '-p', '{"spec":{"concurrencyPolicy":"Replace"}}']);
    const replaced = await sparkctl(['trigger', 'hourly']);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(new RegExp(`^sparkapplication/${runName} deleted \\(concurrencyPolicy Replace\\)\nsparkapplication/hourly-\\d{19} created`));
    await waitFor(`${runName} to be gone`, async () =>
      (await cluster.kubectl(['get', 'sparkapplication', runName!, '-n', NAMESPACE, '--ignore-not-found', '-o', 'name'])).trim() === '');

    // The controller counts a triggered run as its own: it is the schedule's last run
    await waitFor('the schedule to record the run', async () => {
      const status = (await cluster.kubectlJson<any>(['get', 'scheduledsparkapplication', 'hourly', '-n', NAMESPACE])).status;
      return status?.lastRunName?.startsWith('hourly-') && status.lastRunName !== runName ? status : undefined;
    }, { timeoutMs: 30_000 });

    // list --scheduled shows it with its last run
    const scheduledList = await sparkctl(['list', '--scheduled']);
    expect(scheduledList.code).toBe(0);
    expect(scheduledList.stdout).toMatch(/^NAME\s+SCHEDULE\s+SUSPEND\s+STATE\s+LAST RUN\s+LAST RUN NAME\s+NEXT RUN\s+AGE$/m);
    expect(scheduledList.stdout).toMatch(/^hourly\s+@every 1h\s+false\s+Scheduled\s+\S+\s+hourly-\d{19}\s/m);

    // status --scheduled shows its policy, its last run and its runs
    const scheduledStatus = await sparkctl(['status', '--scheduled', 'hourly']);
    expect(scheduledStatus.code).toBe(0);
    expect(scheduledStatus.stdout).toMatch(/^Concurrency:\s+Replace$/m);
    expect(scheduledStatus.stdout).toMatch(/^Last run:\s+\S+ \(hourly-\d{19}\)$/m);
    expect(scheduledStatus.stdout).toMatch(/^Runs \(1\):\n {2}NAME\s+STATE\n {2}hourly-\d{19}\s+\S+$/m);

    // suspend and delete take --scheduled
    expect(await sparkctl(['suspend', '--scheduled', 'hourly'])).toEqual({ code: 0, stdout: 'scheduledsparkapplication/hourly suspended\n', stderr: '' });
    expect(await sparkctl(['delete', '--scheduled', 'hourly'])).toEqual({ code: 0, stdout: 'scheduledsparkapplication/hourly deleted\n', stderr: '' });
  });

  test('status for a user who may read SparkApplications but not pods or Events: the state, and what it could not read', async () => {
    // GIVEN a running application and a ServiceAccount that may only read SparkApplications
    await createWithSparkctl(sparkPi('pi-viewed', RUNS_FOR_EVER));
    await waitForState('pi-viewed', 'RUNNING');
    await cluster.applyManifests([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'viewer', namespace: NAMESPACE } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'spark-viewer', namespace: NAMESPACE },
        rules: [{ apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['get', 'list'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'spark-viewer', namespace: NAMESPACE },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spark-viewer' },
        subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: NAMESPACE }],
      },
    ]);
    const viewer = await cluster.kubeconfigFor(NAMESPACE, 'viewer');

    // WHEN
    const status = await waitFor('the Role to apply', async () => {
      const result = await sparkctl(['status', 'pi-viewed'], { config: viewer });
      return result.code === 0 ? result : undefined;
    }, { timeoutMs: 15_000 });

    // THEN
    expect(status.stdout).toMatch(/^State:\s+RUNNING$/m);
    expect(status.stdout).toMatch(/^Driver:\s+pi-viewed-driver: unknown \(you may not read pods here\)$/m);
    expect(status.stdout).toMatch(/^Events:\n {2}unknown \(you may not list Events here\)$/m);
    expect(status.stderr).toBe('');
  });

  test('errors: a user without rights gets the API server\'s reason, a wrong command line exit 2, each in one line', async () => {
    // GIVEN the drivers' ServiceAccount, which may not read SparkApplications
    const driverConfig = await cluster.kubeconfigFor(NAMESPACE, 'spark');

    // WHEN
    const forbidden = await sparkctl(['list'], { config: driverConfig });

    // THEN
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toBe(`sparkctl: sparkapplications.sparkoperator.k8s.io is forbidden: User "system:serviceaccount:${NAMESPACE}:spark" `
      + `cannot list resource "sparkapplications" in API group "sparkoperator.k8s.io" in the namespace "${NAMESPACE}"\n`);
    expect(await sparkctl(['list', '--output', 'xml'])).toEqual({
      code: 2, stdout: '', stderr: "sparkctl: -o must be one of table, wide, yaml, json (got 'xml')\nRun 'sparkctl list --help' for its usage.\n",
    });
    const unreachable = writeFile('unreachable.yaml', stringify({
      'apiVersion': 'v1',
      'kind': 'Config',
      'current-context': 'c',
      'clusters': [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      'contexts': [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'users': [{ name: 'u', user: { token: 't' } }],
    }));
    expect(await sparkctl(['list'], { config: unreachable })).toEqual({
      code: 1, stdout: '', stderr: 'sparkctl: cannot reach the API server at https://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n',
    });
  });

  test('list --watch, piped: the list, then a line per change as the controller moves an application on; Ctrl-C exits 0', async () => {
    // GIVEN a watch of the namespace, piped
    const watch = startSparkctl(['list', '--watch']);
    await watch.output(/^EVENT\s+NAME\s+STATE\s+ATTEMPTS\s+START\s+FINISH\s+AGE$/m);

    // WHEN an application is created, runs, completes and is deleted
    await createWithSparkctl(sparkPi('pi-watched', SUCCEEDS));
    await waitForState('pi-watched', 'COMPLETED');
    await watch.output(/^MODIFIED\s+pi-watched\s+COMPLETED\s+1\s/m);
    expect(await sparkctl(['delete', 'pi-watched'])).toMatchObject({ code: 0 });
    await watch.output(/^DELETED\s+pi-watched\s/m);

    // THEN each change that shows is one line, in order, plain; Ctrl-C ends it with 0 and nothing on stderr
    expect(await watch.interrupt()).toBe(0);
    const states = watch.stdout.split('\n').filter((l) => /^\w+\s+pi-watched\s/.test(l)).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(states[0]).toBe('ADDED pi-watched <none>');
    expect(states).toContain('MODIFIED pi-watched RUNNING');
    expect(states.slice(-2)).toEqual(['MODIFIED pi-watched COMPLETED', 'DELETED pi-watched COMPLETED']);
    expect(watch.stdout).not.toContain('\u001b[');
    expect(watch.stderr).toBe('');
  });

  test('list --watch in a terminal: the table drawn again in place, states in colour; Ctrl-C exits 0', async () => {
    // GIVEN a watch in a terminal
    const watch = startSparkctl(['list', '-w'], { terminal: true });
    await watch.output(/NAME\s+STATE\s+ATTEMPTS|No SparkApplications found in namespace \S+; watching\./);

    // WHEN an application starts running
    await createWithSparkctl(sparkPi('pi-on-screen', RUNS_FOR_EVER));
    await waitForState('pi-on-screen', 'RUNNING');

    // THEN the table is drawn again (the cursor moved up over the last drawing, the screen cleared below), with RUNNING in cyan
    await watch.output(/pi-on-screen\s+\u001b\[36mRUNNING\u001b\[0m/);
    expect(watch.stdout).toMatch(/\u001b\[\d+A\r\u001b\[J/);
    expect(watch.stdout).not.toMatch(/^(ADDED|MODIFIED)\s/m);
    expect(await watch.interrupt()).toBe(0);
  });

  test('logs: the driver\'s and an executor\'s log as kwok serves them through the API server, --tail, --follow', async () => {
    // GIVEN a running application whose driver's log is a file kwok serves
    await createWithSparkctl(sparkPi('pi-logs', RUNS_FOR_EVER));
    const app = await waitForState('pi-logs', 'RUNNING');
    const driverLog = writeFile('driver.log', criLogLines(['Pi is roughly 3.14', 'second line', 'third line']));
    await cluster.applyManifests([podLogs(NAMESPACE, app.status.driverInfo.podName, driverLog, { containers: ['spark-kubernetes-driver'] })]);

    // WHEN / THEN the whole log, then its last line
    const whole = await waitFor('kwok to serve the driver log', async () => {
      const result = await sparkctl(['logs', 'pi-logs']);
      return result.code === 0 ? result : undefined;
    }, { timeoutMs: 30_000 });
    expect(whole).toEqual({ code: 0, stdout: 'Pi is roughly 3.14\nsecond line\nthird line\n', stderr: '' });
    expect(await sparkctl(['logs', 'pi-logs', '--tail', '1'])).toEqual({ code: 0, stdout: 'third line\n', stderr: '' });

    // --follow prints what is appended, until Ctrl-C
    const follow = startSparkctl(['logs', 'pi-logs', '-f', '--tail', '1']);
    await follow.output(/^third line\n$/);
    fs.appendFileSync(driverLog, criLogLines(['appended while followed']));
    await follow.output(/^third line\nappended while followed\n$/);
    expect(await follow.interrupt()).toBe(0);
    expect(follow.stderr).toBe('');

    // an executor by its id; an id with no pod is named with the ones there are
    const driver = await cluster.kubectlJson<any>(['get', 'pod', app.status.driverInfo.podName, '-n', NAMESPACE]);
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(executorPod(driver, 1)) });
    const executorLog = writeFile('executor.log', criLogLines(['executor 1 says hello']));
    await cluster.applyManifests([podLogs(NAMESPACE, 'pi-logs-exec-1', executorLog)]);
    const executor = await waitFor('kwok to serve the executor log', async () => {
      const result = await sparkctl(['logs', 'pi-logs', '--executor', '1']);
      return result.code === 0 ? result : undefined;
    }, { timeoutMs: 30_000 });
    expect(executor).toEqual({ code: 0, stdout: 'executor 1 says hello\n', stderr: '' });
    await waitFor('the controller to record the executor', async () => (await getApp('pi-logs')).status?.executorState?.['pi-logs-exec-1']);
    expect(await sparkctl(['logs', 'pi-logs', '--executor', '7'])).toEqual({
      code: 1, stdout: '', stderr: 'sparkctl: sparkapplication/pi-logs has no executor 7 (state RUNNING; its executors: 1)\n',
    });
  });

  test('logs: an application with no driver pod yet, and one whose driver pod is gone, each in one line', async () => {
    // GIVEN an application the controller does not watch (its namespace is not a job namespace): no state, no pod
    const elsewhere = uniqueName('sparkctl-unwatched');
    await cluster.createNamespace(elsewhere);
    await cluster.kubectl(['create', '-n', elsewhere, '-f', '-'], { input: stringify(sparkPi('pi-waiting', SUCCEEDS)) });

    // WHEN / THEN
    expect(await sparkctl(['logs', 'pi-waiting', '-n', elsewhere])).toEqual({
      code: 1, stdout: '', stderr: 'sparkctl: sparkapplication/pi-waiting has no driver pod yet (no state yet: no operator has taken it up)\n',
    });
    expect(await sparkctl(['forward', 'pi-waiting', '-n', elsewhere])).toEqual({
      code: 1, stdout: '', stderr: 'sparkctl: sparkapplication/pi-waiting has no driver pod yet (no state yet: no operator has taken it up)\n',
    });

    // GIVEN a completed application whose driver pod was deleted
    await createWithSparkctl(sparkPi('pi-logs-gone', SUCCEEDS));
    await waitForState('pi-logs-gone', 'COMPLETED');
    await cluster.kubectl(['delete', 'pod', 'pi-logs-gone-driver', '-n', NAMESPACE, '--wait=true']);

    // WHEN / THEN
    expect(await sparkctl(['logs', 'pi-logs-gone'])).toEqual({
      code: 1, stdout: '', stderr: 'sparkctl: sparkapplication/pi-logs-gone: its driver pod pi-logs-gone-driver is gone (state COMPLETED)\n',
    });
    expect(await sparkctl(['logs', 'no-such-app'])).toEqual({
      code: 1, stdout: '', stderr: `sparkctl: SparkApplication "no-such-app" not found in namespace "${NAMESPACE}"\n`,
    });
    await cluster.deleteNamespace(elsewhere);
  });

  test('forward: a driver pod that does not run yet is one line', async () => {
    // GIVEN an application whose driver pod stays Pending for an hour
    await createWithSparkctl(sparkPi('pi-pending', { [POD_START_AFTER_ANNOTATION]: '1h' }));
    await waitForState('pi-pending', 'SUBMITTED');
    await waitFor('the driver pod', async () => (await cluster.kubectl(['get', 'pod', 'pi-pending-driver', '-n', NAMESPACE, '--ignore-not-found', '-o', 'name'])).trim());

    // WHEN / THEN
    expect(await sparkctl(['forward', 'pi-pending'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sparkctl: sparkapplication/pi-pending: its driver pod pi-pending-driver is Pending, and the Spark UI is served only while it runs (state SUBMITTED)\n',
    });
  });

  test('forward: the driver\'s Spark UI port on localhost through the API server\'s port-forward to kwok; Ctrl-C exits 0', async () => {
    // GIVEN a running application (spark.ui.port 4041) and, standing in for the Spark UI in its driver, a local HTTP server kwok forwards to
    await createWithSparkctl(sparkPi('pi-ui', RUNS_FOR_EVER, { sparkConf: { 'spark.ui.port': '4041' } }));
    const app = await waitForState('pi-ui', 'RUNNING');
    const ui = http.createServer((request, response) => response.end(`Spark UI of pi-ui: ${request.url}`));
    await new Promise<void>((resolve) => ui.listen(0, '127.0.0.1', resolve));
    try {
      const uiPort = (ui.address() as AddressInfo).port;
      await cluster.applyManifests([podPortForward(NAMESPACE, app.status.driverInfo.podName, 4041, { address: '127.0.0.1', port: uiPort })]);

      // WHEN
      const forward = startSparkctl(['forward', 'pi-ui', '--local-port', '0']);
      const [, url] = await forward.output(/^Forwarding (http:\/\/127\.0\.0\.1:\d+) to the Spark UI of sparkapplication\/pi-ui \(pod pi-ui-driver, port 4041\); Ctrl-C to stop\n$/);

      // THEN two requests, each over its own forwarded connection, reach the "UI" in the pod
      for (const page of ['/jobs/', '/executors/']) {
        const body = await waitFor(`GET ${page} through the forward`, async () => {
          const answer = await fetch(`${url}${page}`, { headers: { connection: 'close' } });
          return answer.status === 200 ? answer.text() : undefined;
        }, { timeoutMs: 30_000 });
        expect(body).toBe(`Spark UI of pi-ui: ${page}`);
      }
      expect(await forward.interrupt()).toBe(0);
      expect(forward.stderr).toBe('');

      // and a taken local port is one line
      const taken = await sparkctl(['forward', 'pi-ui', '--local-port', String(uiPort)]);
      expect(taken).toEqual({ code: 1, stdout: '', stderr: `sparkctl: local port ${uiPort} is in use: choose another with --local-port (0 picks a free one)\n` });

      // and when nothing listens in the pod, the pod's answer is a line on stderr and the forward goes on
      await new Promise((resolve) => ui.close(resolve));
      const refused = startSparkctl(['forward', 'pi-ui', '--local-port', '0']);
      const [, again] = await refused.output(/^Forwarding (http:\/\/127\.0\.0\.1:\d+) /);
      await expect(fetch(`${again}/jobs/`)).rejects.toThrow();
      await waitFor('the pod\'s error on stderr', async () => (/^sparkctl: forward: .*connection refused/m.test(refused.stderr) ? true : undefined));
      expect(await refused.interrupt()).toBe(0);
    } finally {
      if (ui.listening) await new Promise((resolve) => ui.close(resolve));
    }
  });
});
