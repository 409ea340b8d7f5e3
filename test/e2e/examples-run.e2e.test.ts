/*
 * Every example chart of examples/ applied to the real control plane and run by the
 * controller bundle to its final state, with the RBAC and arguments of the example's own operator
 * charts (`spark-operator` for `spark-jobs`, `platform` for the team namespaces).
 *
 * The examples are applied as synthesized, with one addition the test needs: the fake kubelet's
 * outcome annotations on each driver (`spec.driver.annotations`), or kwok would keep the drivers
 * Running for ever. No container runs here, so what a kubelet would refuse for a missing Secret
 * cannot happen; what the scheduler refuses (a claim that does not exist) does, and is tested.
 * The nightly ScheduledSparkApplications are applied as objects only: their first run is due at
 * 02:00, and scheduled runs are tested in `scheduled-spark-application.e2e.test.ts`.
 */
import { App, Chart, Testing } from 'cdk8s';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startControllerOf } from './harness/operator';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { buildExampleApp } from '../../examples/app';

const cluster = new Cluster(readConnection());
/** How long the example operator lets a driver stay Pending here (its Deployment says 900s). */
const PENDING_TIMEOUT_SECONDS = 5;
const DRIVER_OUTCOME = podOutcomeAnnotations('Succeeded', { runFor: '2s' });
/** The claim config-and-volumes mounts; its volume is made by the test (cluster-scoped, unique). */
const REFERENCE_VOLUME = uniqueName('reference-data');

let charts: Record<string, Chart>;
const synthesized = new Map<string, any[]>();
let jobsOperator: RunningOperator | undefined;
let platformOperator: RunningOperator | undefined;

/** The objects of one example chart, as `cdk8s synth` writes them. */
function objectsOf(chartId: string): any[] {
  if (!synthesized.has(chartId)) synthesized.set(chartId, Testing.synth(charts[chartId]));
  return structuredClone(synthesized.get(chartId)!);
}

/** The chart's objects with the fake kubelet's outcome on every SparkApplication's driver. */
function runnable(chartId: string): any[] {
  return objectsOf(chartId).map((o) => {
    if (o.kind !== 'SparkApplication') return o;
    o.spec.driver.annotations = { ...o.spec.driver.annotations, ...DRIVER_OUTCOME };
    return o;
  });
}

/** The job charts' SparkApplications, as `namespace/name`. */
function exampleApplications(): string[] {
  return ['spark-pi', 'pyspark-pi', 'dynamic-allocation', 'config-and-volumes', 'platform-jobs']
    .flatMap((id) => objectsOf(id).filter((o) => o.kind === 'SparkApplication').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
}

async function getApp(namespace: string, name: string): Promise<any> {
  return cluster.kubectlJson<any>(['get', 'sparkapplication', name, '-n', namespace]);
}

/** Waits until the application is in `state` and returns it. */
async function waitForState(namespace: string, name: string, state: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(`${namespace}/${name} to be ${state}`, async () => {
    const app = await getApp(namespace, name);
    return app.status?.applicationState?.state === state ? app : undefined;
  }, {
    timeoutMs,
    intervalMs: 500,
    abortIf: () => [jobsOperator, platformOperator].map((o) => (o && !o.process.running ? `a controller exited: ${o.process.describeExit()}` : undefined))
      .find((m) => m !== undefined),
  });
}

async function deleteApplications(names: string[]): Promise<void> {
  for (const key of names) {
    const [namespace, name] = key.split('/');
    await cluster.kubectl(['delete', 'sparkapplication', name, '-n', namespace, '--ignore-not-found', '--wait=true']);
  }
}

/** `spark.properties` of the driver pod's ConfigMap, as a map (Java properties escapes undone). */
async function sparkProperties(driver: any): Promise<Record<string, string>> {
  const volume = driver.spec.volumes.find((v: any) => v.name === 'spark-conf-volume-driver');
  const configMap = await cluster.kubectlJson<any>(['get', 'configmap', volume.configMap.name, '-n', driver.metadata.namespace]);
  const properties: Record<string, string> = {};
  for (const line of (configMap.data['spark.properties'] as string).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.search(/(?<!\\)=/);
    properties[line.slice(0, at).replace(/\\(.)/g, '$1')] = line.slice(at + 1).replace(/\\(.)/g, '$1');
  }
  return properties;
}

/**
 * What every completed example shows: one submission, one execution, the driver pod of that
 * submission, the UI Service, the Spark application id of the driver; returns the driver pod.
 */
async function expectCompletedOnce(app: any): Promise<any> {
  const { name, namespace } = app.metadata;
  expect(app.status).toMatchObject({
    applicationState: { state: 'COMPLETED' },
    submissionAttempts: 1,
    executionAttempts: 1,
    driverInfo: { podName: `${name}-driver`, webUIServiceName: `${name}-ui-svc`, webUIPort: 4040 },
  });
  expect(app.status.applicationState.errorMessage).toBeUndefined();
  expect(Date.parse(app.status.terminationTime)).toBeGreaterThanOrEqual(Date.parse(app.status.lastSubmissionAttemptTime));
  const driver = await cluster.kubectlJson<any>(['get', 'pod', `${name}-driver`, '-n', namespace]);
  expect(driver.status.phase).toBe('Succeeded');
  expect(driver.metadata.labels).toMatchObject({
    'spark-role': 'driver',
    'sparkoperator.k8s.io/app-name': name,
    'sparkoperator.k8s.io/submission-id': app.status.submissionID,
    'spark-app-selector': app.status.sparkApplicationId,
  });
  expect(app.status.sparkApplicationId).toMatch(/^spark-[0-9a-f]{32}$/);
  expect(driver.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'SparkApplication', name, uid: app.metadata.uid, controller: true })]);
  const ui = await cluster.kubectlJson<any>(['get', 'service', `${name}-ui-svc`, '-n', namespace]);
  expect(ui.spec.ports).toEqual([expect.objectContaining({ port: 4040, targetPort: 4040 })]);
  return driver;
}

/** The claim config-and-volumes expects in spark-jobs, bound to a volume made for it. */
function referenceClaim(): any[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: REFERENCE_VOLUME },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadOnlyMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        hostPath: { path: '/srv/reference-data' },
        claimRef: { namespace: 'spark-jobs', name: 'reference-data' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'reference-data', namespace: 'spark-jobs' },
      spec: { accessModes: ['ReadOnlyMany'], storageClassName: '', volumeName: REFERENCE_VOLUME, resources: { requests: { storage: '1Gi' } } },
    },
  ];
}

/** The Secrets config-and-volumes reads (environment from one, a mounted truststore from the other). */
function warehouseSecrets(): any[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's3-credentials', namespace: 'spark-jobs' },
      stringData: { 'access-key-id': 'AKIAEXAMPLE', 'secret-access-key': 'example-secret' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'warehouse-truststore', namespace: 'spark-jobs' },
      stringData: { 'truststore.jks': 'not a real truststore' },
    },
  ];
}

beforeAll(async () => {
  // GIVEN the example app, synthesized in this process (examples/app.ts, as `npm run synth` does)
  charts = buildExampleApp(new App());
  // the CRDs from the example's own CRD chart
  await cluster.applyManifests(objectsOf('spark-crds'));
  await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s',
    ...objectsOf('spark-crds').map((o) => `crd/${o.metadata.name}`)]);
  // example-app.e2e.test.ts applies the same applications and runs no controller: start afresh
  await deleteApplications(exampleApplications());
  // the two operators of the example, each with its chart's RBAC and Deployment arguments
  jobsOperator = await startControllerOf(cluster, objectsOf('spark-operator'), { extraArgs: [`--driver-pending-timeout=${PENDING_TIMEOUT_SECONDS}s`] });
  platformOperator = await startControllerOf(cluster, objectsOf('platform'));
  // what the platform chart holds besides RBAC and namespaces: the teams' quotas
  await cluster.applyManifests(objectsOf('platform').filter((o) => o.kind === 'ResourceQuota'));
  // what config-and-volumes expects to exist, but its claim (see the tests)
  await cluster.applyManifests(warehouseSecrets());
  // WHEN every example's job chart is applied as a GitOps tool would (client-side apply)
  for (const id of ['spark-pi', 'pyspark-pi', 'dynamic-allocation', 'config-and-volumes', 'nightly-pi', 'platform-jobs', 'notebooks']) {
    await cluster.applyManifests(runnable(id));
  }
}, 120_000);

afterAll(async () => {
  await jobsOperator?.stop();
  await platformOperator?.stop();
  // Leave spark-jobs and the team namespaces as example-app.e2e.test.ts expects to find them.
  await deleteApplications(exampleApplications());
  for (const o of [...objectsOf('nightly-pi'), ...objectsOf('platform-jobs')].filter((x) => x.kind === 'ScheduledSparkApplication')) {
    await cluster.kubectl(['delete', 'scheduledsparkapplication', o.metadata.name, '-n', o.metadata.namespace, '--ignore-not-found']);
  }
  await cluster.kubectl(['delete', 'sparkconnect', 'notebooks', '-n', 'spark-jobs', '--ignore-not-found']);
  for (const o of [...referenceClaim().reverse(), ...warehouseSecrets()]) {
    await cluster.kubectl(['delete', o.kind.toLowerCase(), o.metadata.name, ...(o.metadata.namespace ? ['-n', o.metadata.namespace] : []), '--ignore-not-found']);
  }
}, 120_000);

describe('the example charts, run by the controller bundle with the example operators\' RBAC and arguments', () => {
  test('each controller runs its example Deployment\'s own arguments (with a short pending timeout for spark-jobs)', () => {
    const argsOf = (chartId: string) => objectsOf(chartId)
      .find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'controller').spec.template.spec.containers[0].args;
    // The harness gives each process free ports, so that controllers run side by side.
    const ports = (r: RunningOperator) => [`--health-probe-port=${r.healthProbePort}`, `--metrics-port=${r.metricsPort}`];
    const withoutPorts = (args: string[]) => args.filter((a) => !/^--(health-probe|metrics)-port=/.test(a));
    expect(jobsOperator!.args).toEqual([
      ...withoutPorts(argsOf('spark-operator')).filter((a: string) => !a.startsWith('--driver-pending-timeout=')),
      ...ports(jobsOperator!),
      `--driver-pending-timeout=${PENDING_TIMEOUT_SECONDS}s`,
    ]);
    expect(argsOf('spark-operator')).toContain('--driver-pending-timeout=900s');
    expect(jobsOperator!.args[1]).toBe('--namespaces=spark-jobs');
    expect(platformOperator!.args).toEqual([...withoutPorts(argsOf('platform')), ...ports(platformOperator!)]);
    expect(platformOperator!.args[1]).toBe('--namespaces=team-analytics,team-ml');
  });

  test('spark-pi: SparkPi completes at the first attempt, with its arguments and two 512m executors', async () => {
    // THEN
    const app = await waitForState('spark-jobs', 'spark-pi', 'COMPLETED');
    const driver = await expectCompletedOnce(app);
    expect(driver.spec.serviceAccountName).toBe('spark');
    expect(driver.spec.containers[0].args.slice(-4)).toEqual(['--class', 'org.apache.spark.examples.SparkPi',
      'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar', '1000']);
    expect(await sparkProperties(driver)).toMatchObject({
      'spark.executor.instances': '2',
      'spark.executor.memory': '512m',
      'spark.driver.memory': '512m',
      'spark.kubernetes.resource.type': 'java',
      'spark.kubernetes.authenticate.driver.serviceAccountName': 'spark',
      'spark.kubernetes.authenticate.executor.serviceAccountName': 'spark-executor',
    });
  });

  test('pyspark-pi: pi.py completes through the PythonRunner and stays for its six-hour time to live', async () => {
    const app = await waitForState('spark-jobs', 'pyspark-pi', 'COMPLETED');
    const driver = await expectCompletedOnce(app);
    expect(app.spec).toMatchObject({ timeToLiveSeconds: 21600, restartPolicy: { type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 30 } });
    expect(driver.spec.containers[0].args.slice(-4)).toEqual(['--class', 'org.apache.spark.deploy.PythonRunner',
      'local:///opt/spark/examples/src/main/python/pi.py', '100']);
    expect(await sparkProperties(driver)).toMatchObject({
      'spark.kubernetes.resource.type': 'python',
      'spark.kubernetes.memoryOverheadFactor': '0.4',
      'spark.executor.instances': '2',
      'spark.executor.memory': '1g',
    });
  });

  test('dynamic-allocation: elastic-pi completes with dynamic allocation and shuffle tracking configured', async () => {
    const app = await waitForState('spark-jobs', 'elastic-pi', 'COMPLETED');
    const driver = await expectCompletedOnce(app);
    const properties = await sparkProperties(driver);
    expect(properties).toMatchObject({
      'spark.dynamicAllocation.enabled': 'true',
      'spark.dynamicAllocation.minExecutors': '1',
      'spark.dynamicAllocation.initialExecutors': '2',
      'spark.dynamicAllocation.maxExecutors': '10',
      'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
      'spark.dynamicAllocation.shuffleTracking.timeout': '600000',
    });
    expect(properties['spark.executor.instances']).toBeUndefined();
  });

  test('config-and-volumes without its claim: the driver cannot be scheduled and fails after the pending timeout with the scheduler\'s reason', async () => {
    // GIVEN the Secrets and the chart's ConfigMap, but no claim reference-data
    // THEN
    const app = await waitForState('spark-jobs', 'load-warehouse', 'FAILED', 60_000);
    expect(app.status).toMatchObject({ submissionAttempts: 1, executionAttempts: 1, driverInfo: { podName: 'load-warehouse-driver' } });
    expect(app.status.applicationState.errorMessage).toMatch(
      new RegExp(`^driver pod load-warehouse-driver still Pending after ${PENDING_TIMEOUT_SECONDS}s: Unschedulable: 0/2 nodes are available: `
        + 'persistentvolumeclaim "reference-data" not found'));
    // the pod that would start once a claim appears is gone
    await waitFor('the pending driver to be deleted', async () =>
      (await cluster.kubectl(['get', 'pod', 'load-warehouse-driver', '-n', 'spark-jobs', '--ignore-not-found', '-o', 'name'])).trim() === '');
    const events = await cluster.kubectlJson<any>(['get', 'events', '-n', 'spark-jobs', '--field-selector', 'involvedObject.name=load-warehouse']);
    expect(events.items.map((e: any) => e.reason)).toEqual(expect.arrayContaining(['SparkDriverPendingTimeout', 'SparkApplicationFailed']));
  });

  test('config-and-volumes with its claim: load-warehouse completes, its driver reads the Secrets, the ConfigMap and the claim', async () => {
    // GIVEN the claim the example expects (ReadOnlyMany, bound to a volume), and the application
    // applied again after the failed one is deleted, as its owner would
    await cluster.applyManifests(referenceClaim());
    await waitFor('the claim to be Bound', async () =>
      (await cluster.kubectlJson<any>(['get', 'pvc', 'reference-data', '-n', 'spark-jobs'])).status?.phase === 'Bound');
    await deleteApplications(['spark-jobs/load-warehouse']);
    await cluster.applyManifests(runnable('config-and-volumes'));
    // THEN
    const app = await waitForState('spark-jobs', 'load-warehouse', 'COMPLETED');
    const driver = await expectCompletedOnce(app);
    const container = driver.spec.containers[0];
    expect(container.env).toEqual(expect.arrayContaining([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 's3-credentials', key: 'access-key-id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3-credentials', key: 'secret-access-key' } } },
    ]));
    expect(driver.spec.volumes).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'reference-data', persistentVolumeClaim: { claimName: 'reference-data', readOnly: true } }),
      expect.objectContaining({ name: 'warehouse-truststore-volume', secret: expect.objectContaining({ secretName: 'warehouse-truststore' }) }),
      expect.objectContaining({ name: 'load-warehouse-config-vol', configMap: expect.objectContaining({ name: 'load-warehouse-config' }) }),
    ]));
    expect(container.volumeMounts).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'reference-data', mountPath: '/data/reference', readOnly: true }),
      expect.objectContaining({ name: 'warehouse-truststore-volume', mountPath: '/etc/ssl/warehouse' }),
      expect.objectContaining({ name: 'load-warehouse-config-vol', mountPath: '/etc/load-warehouse' }),
    ]));
    expect(container.args.slice(-5)).toEqual(['--class', 'org.apache.spark.deploy.PythonRunner', 's3a://etl-jobs/load_warehouse.py',
      '--config', '/etc/load-warehouse/tables.yaml']);
    expect(await sparkProperties(driver)).toMatchObject({
      'spark.jars.packages': 'org.apache.hadoop:hadoop-aws:3.3.4',
      'spark.jars.ivy': '/tmp/.ivy2',
      'spark.sql.shuffle.partitions': '400',
      'spark.hadoop.fs.s3a.aws.credentials.provider': 'com.amazonaws.auth.EnvironmentVariableCredentialsProvider',
    });
  });

  test('platform-jobs: each team\'s spark-pi completes as its team\'s SparkRbac, within its quota, run by the platform\'s controller only', async () => {
    for (const team of ['team-analytics', 'team-ml']) {
      // THEN
      const app = await waitForState(team, 'spark-pi', 'COMPLETED');
      const driver = await expectCompletedOnce(app);
      expect(driver.spec.serviceAccountName).toBe('spark');
      expect(driver.spec.containers[0].resources.requests.cpu).toBe('1');
      const quota = await cluster.kubectlJson<any>(['get', 'resourcequota', 'spark', '-n', team]);
      expect(quota.status.hard['requests.cpu']).toBe(team === 'team-ml' ? '80' : '40');
    }
    const changedBy = (o: RunningOperator) => new Set(o.logLines().filter((l) => l.msg === 'state changed').map((l) => l.namespace));
    expect([...changedBy(platformOperator!)].sort()).toEqual(['team-analytics', 'team-ml']);
    expect([...changedBy(jobsOperator!)]).toEqual(['spark-jobs']);
  });

  test('nightly-pi and the teams\' nightly jobs are stored as synthesized (their ScheduledSparkApplications only as objects)', async () => {
    const scheduled = [...objectsOf('nightly-pi'), ...objectsOf('platform-jobs')].filter((o) => o.kind === 'ScheduledSparkApplication');
    expect(scheduled.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort())
      .toEqual(['spark-jobs/nightly-pi', 'team-analytics/nightly-pi', 'team-ml/nightly-pi']);
    for (const o of scheduled) {
      const stored = await cluster.kubectlJson<any>(['get', 'scheduledsparkapplication', o.metadata.name, '-n', o.metadata.namespace]);
      expect(stored.spec).toEqual(o.spec);
    }
  });

  test('notebooks: the shared Spark Connect server becomes Ready as the drivers\' service account, at the address in spark-remote', async () => {
    // GIVEN the chart as applied above
    const remote = objectsOf('notebooks').find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'spark-remote');
    // WHEN the controller has run it
    const connect = await waitFor('spark-jobs/notebooks to be Ready', async () => {
      const c = await cluster.kubectlJson<any>(['get', 'sparkconnect', 'notebooks', '-n', 'spark-jobs']);
      return c.status?.state === 'Ready' ? c : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    // THEN its Service is the one the notebooks are told about, and its server runs as the drivers' account
    expect(remote.data.SPARK_REMOTE).toBe(`sc://${connect.status.server.serviceName}.spark-jobs.svc:15002`);
    const server = await cluster.kubectlJson<any>(['get', 'pod', connect.status.server.podName, '-n', 'spark-jobs']);
    expect(server.spec.serviceAccountName).toBe('spark');
    expect(server.metadata.labels).toMatchObject({ 'spark-role': 'connect-server', 'sparkoperator.k8s.io/connect-name': 'notebooks' });
    expect(server.spec.containers[0].args[0]).toContain(' --conf spark.dynamicAllocation.enabled=true --conf spark.dynamicAllocation.minExecutors=0 ');
  });

  test('the controllers logged no error', () => {
    expect([...jobsOperator!.logLines(), ...platformOperator!.logLines()].filter((l) => l.level === 'error')).toEqual([]);
  });
});
