// The executor side of a native submission, with the real Spark driver: our builders make
// the driver pod, its ConfigMap and Service; the real driver of pyspark's distribution is started as
// the image entrypoint starts it (test/parity/local-driver.ts), as the driver pod's ServiceAccount
// that SparkRbac renders; it creates the executor pods through the API server from our executor pod
// template. kwok plays every pod, so no executor ever runs: what this cannot show is listed in
// test/parity/README.md ("The executor side").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { writeKubeconfig } from './harness/kubeconfig';
import { ManagedProcess, tailFile } from './harness/process-group';
import { installSparkCrds } from './harness/spark-crds';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { SparkRbac } from '../../src';
import { SparkApplication } from '../../src/api';
import { applyDefaults, submissionId } from '../../src/core';
import { Submission, buildSubmission, ownedByDriverPod, sparkMasterUrl } from '../../src/runtime/submission';
import {
  LOCAL_BIND_ADDRESS, LocalDriverPlan, WAIT_FOR_EXECUTORS_CLASS, compileWaitForExecutors, prepareLocalDriver, startLocalDriver,
} from '../parity/local-driver';
import { sparkHomes } from '../parity/pyspark';

/**
 * The API server's refusal as the driver's Kubernetes client logs it: the RBAC authorizer's
 * `... is forbidden: User "..." cannot ...`, or fabric8's `Failure executing: ... Message: Forbidden`.
 * Not a bare 403 or "forbidden" anywhere in the log: a stack trace line such as
 * `BlockManager.scala:403` is no refusal.
 */
const API_REFUSAL = / is forbidden: User "|Message: Forbidden|Failure executing: .* Forbidden/;

/** One JVM per run: the 4.0 line (its wheel has spark-kubernetes_2.13 and fabric8 7.1). */
const SPARK_VERSION = '4.0.5';
const APP = 'exec-side';
const INSTANCES = 2;
/**
 * Where the image would hold the application jar. Not in the working directory (/opt/spark/work-dir):
 * a driver started in its pod copies every `spark.jars` file there, deleting the target first, so a
 * jar already there deletes itself (SparkSubmit `downloadResourcesToCurrentDirectory`, seen with 4.0.5).
 */
const APP_JAR = '/opt/spark/app/wait-for-executors.jar';

const cluster = new Cluster(readConnection());
const namespace = uniqueName('e2e-executors');

/** Every executor-side field the builders turn into the template or Spark configuration. */
function application(): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: APP, namespace, labels: { team: 'data' } },
    spec: {
      type: 'Java',
      mode: 'cluster',
      sparkVersion: SPARK_VERSION,
      image: `apache/spark:${SPARK_VERSION}`,
      mainClass: WAIT_FOR_EXECUTORS_CLASS,
      mainApplicationFile: `local://${APP_JAR}`,
      // SparkContext would wait up to 30 s for executors to register before registering its shutdown
      // hook; with 0 it goes on at once, so SIGTERM runs SparkContext.stop() (the cleanup test).
      sparkConf: { 'spark.scheduler.minRegisteredResourcesRatio': '0' },
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'settings', configMap: { name: 'exec-settings' } },
        { name: 'spark-local-dir-fast', emptyDir: { medium: 'Memory' } },
      ],
      driver: { cores: 1, memory: '512m', serviceAccount: 'spark' },
      executor: {
        instances: INSTANCES,
        cores: 1,
        coreRequest: '500m',
        memory: '512m',
        memoryOverhead: '256m',
        serviceAccount: 'spark-executor',
        labels: { tier: 'compute' },
        annotations: { 'example.com/note': 'executors' },
        env: [
          { name: 'FROM_ENV', value: 'a' },
          { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
        envVars: { FROM_ENV_VARS: 'b' },
        envFrom: [{ configMapRef: { name: 'exec-settings' } }],
        volumeMounts: [
          { name: 'scratch', mountPath: '/scratch' },
          { name: 'settings', mountPath: '/etc/settings', readOnly: true },
          { name: 'spark-local-dir-fast', mountPath: '/var/data/fast' },
        ],
        secrets: [{ name: 'exec-secret', path: '/mnt/secrets/exec', secretType: 'Generic' }],
        configMaps: [{ name: 'exec-settings', path: '/etc/exec-settings' }],
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }],
        nodeSelector: { type: 'kwok' },
        terminationGracePeriodSeconds: 17,
        securityContext: { runAsUser: 185, runAsNonRoot: true, allowPrivilegeEscalation: false },
        podSecurityContext: { fsGroup: 185 },
        hostAliases: [{ ip: '127.0.0.1', hostnames: ['metastore.local'] }],
        sidecars: [{ name: 'log-shipper', image: 'busybox:1.36', args: ['sleep', 'infinity'] }],
      },
    },
  } as SparkApplication;
}

/** What SparkRbac renders for the drivers of `ns` (ServiceAccounts spark and spark-executor, Role, RoleBinding). */
function sparkRbac(ns: string): any[] {
  const chart = Testing.chart();
  new SparkRbac(chart, 'rbac', { namespace: ns });
  return Testing.synth(chart);
}

async function create<T = any>(object: unknown): Promise<T> {
  return JSON.parse(await cluster.kubectl(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify(object) })) as T;
}

async function list(kind: string, selector: string): Promise<any[]> {
  return (await cluster.kubectlJson<any>(['get', kind, '-n', namespace, '-l', selector])).items;
}

let submission: Submission;
let driverPod: any;
let plan: LocalDriverPlan;
let driver: ManagedProcess;
let executors: any[];
let startedAt: number;
let executorsAfterMs: number;

const driverLog = () => fs.readFileSync(plan.logFile, 'utf8');
const executorSelector = () => `spark-app-selector=${submission.sparkApplicationId},spark-role=executor`;

beforeAll(async () => {
  const sparkHome = (await sparkHomes([SPARK_VERSION])).get(SPARK_VERSION) as string;
  await installSparkCrds(cluster);
  await cluster.createNamespace(namespace);
  await cluster.applyManifests(sparkRbac(namespace));
  await cluster.applyManifests([
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'exec-settings', namespace }, data: { MODE: 'test' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'exec-secret', namespace }, stringData: { password: 'x' } },
  ]);

  // The controller's submission, step by step (reconciler.ts submit()), with the test API server as master.
  const app = await create<SparkApplication>(application());
  const server = new URL(cluster.connection.server);
  const built = buildSubmission({ ...app, spec: applyDefaults(app.spec) }, {
    submissionId: submissionId(app.metadata.uid!, 1), now: new Date(), master: sparkMasterUrl(server.hostname, server.port),
  });
  if (!built.submission) throw new Error(`not buildable: ${JSON.stringify(built.problems)}`);
  submission = built.submission;
  const created = await create(submission.driverPod);
  await create(ownedByDriverPod(submission.configMap, created));
  await create(ownedByDriverPod(submission.service, created));
  driverPod = await waitFor('kwok to run the driver pod', async () => {
    const pod = await cluster.kubectlJson<any>(['get', 'pod', created.metadata.name, '-n', namespace]);
    return pod.status?.phase === 'Running' && pod.status.podIP ? pod : undefined;
  }, { timeoutMs: 30_000 });

  const root = fs.mkdtempSync(path.join(cluster.connection.runDir, 'local-driver-'));
  const jar = await compileWaitForExecutors(sparkHome, path.join(root, 'build'));
  plan = await prepareLocalDriver({ cluster, pod: driverPod, sparkHome, imageFiles: { [APP_JAR]: jar }, root: path.join(root, 'pod') });
  startedAt = Date.now();
  driver = startLocalDriver(plan);
  executors = await waitFor(`${INSTANCES} executor pods, Running in kwok`, async () => {
    const pods = await list('pods', executorSelector());
    return pods.length === INSTANCES && pods.every((p) => p.status?.phase === 'Running') ? pods : undefined;
  }, {
    timeoutMs: 60_000,
    intervalMs: 500,
    abortIf: () => (driver.running ? undefined : `the driver ${driver.describeExit()}:\n${tailFile(plan.logFile, 60)}`),
  });
  executorsAfterMs = Date.now() - startedAt;
}, 180_000);

afterAll(async () => {
  await driver?.stop(5_000);
  await cluster.deleteNamespace(namespace);
});

describe('the real Spark driver, started from our driver pod, ConfigMap and Service', () => {
  test('ran as the entrypoint runs it, with only pod-local paths and cluster addresses rewritten', () => {
    expect(plan.args.slice(0, 6)).toEqual([
      '--conf', `spark.driver.bindAddress=${LOCAL_BIND_ADDRESS}`, '--conf', `spark.executorEnv.SPARK_DRIVER_POD_IP=${LOCAL_BIND_ADDRESS}`,
      '--deploy-mode', 'client',
    ]);
    expect(plan.rewrites.map((r) => [r.where, r.from])).toEqual([
      ['env SPARK_DRIVER_BIND_ADDRESS', 'fieldRef status.podIP'],
      ['env SPARK_LOCAL_DIRS', expect.stringMatching(/^\/var\/data\/spark-[0-9a-f-]{36}$/)],
      ['env SPARK_CONF_DIR', '/opt/spark/conf'],
      ['args[2]', '/opt/spark/conf/spark.properties'],
      ['args[5]', `local://${APP_JAR}`],
      ['spark.properties spark.jars', `local://${APP_JAR}`],
      ['spark.properties spark.kubernetes.executor.podTemplateFile', '/opt/spark/pod-template/pod-spec-template.yml'],
      ['spark.properties spark.kubernetes.driver.master', undefined],
      ['spark.properties spark.kubernetes.authenticate.driver.mounted.oauthTokenFile', undefined],
      ['spark.properties spark.kubernetes.authenticate.driver.mounted.caCertFile', undefined],
      ['env SPARK_LOCAL_IP', undefined],
      ['env JAVA_TOOL_OPTIONS', undefined],
    ]);
    // The executor template the driver read is the one our ConfigMap holds, byte for byte.
    const template = plan.rewrites.find((r) => r.where.endsWith('podTemplateFile'))!.to;
    expect(fs.readFileSync(template, 'utf8')).toBe(submission.configMap.data['podspec-configmap-key']);
    process.stdout.write(`executor pods Running ${executorsAfterMs} ms after the driver started\n`);
  });

  test('acted as the driver pod\'s ServiceAccount, with a token bound to the pod', async () => {
    const token = fs.readFileSync(plan.rewrites.find((r) => r.where.endsWith('oauthTokenFile'))!.to, 'utf8');
    const kubeconfig = writeKubeconfig(path.join(path.dirname(plan.logFile), 'whoami.kubeconfig'), {
      server: cluster.connection.server, caFile: cluster.connection.caFile, user: 'driver', credentials: { token },
    });
    const review = await cluster.kubectlJson<any>(['auth', 'whoami'], { kubeconfig });
    expect(review.status.userInfo.username).toBe(`system:serviceaccount:${namespace}:spark`);
    expect(review.status.userInfo.extra['authentication.kubernetes.io/pod-name']).toEqual([driverPod.metadata.name]);
  });

  test('created the executor pods from our template: labels, owners, volumes, env, scheduling, resources', () => {
    const names = executors.map((p) => p.metadata.name).sort();
    expect(names).toEqual([...Array(INSTANCES).keys()].map((i) => expect.stringMatching(new RegExp(`^${APP}-[0-9a-f]+-exec-${i + 1}$`))));
    for (const pod of executors) {
      const id = pod.metadata.labels['spark-exec-id'];
      // Spark's labels, the application's, the role's and the operator's.
      expect(pod.metadata.labels).toEqual({
        'spark-app-selector': submission.sparkApplicationId,
        'spark-app-name': APP,
        'spark-role': 'executor',
        'spark-exec-id': id,
        'spark-exec-resourceprofile-id': '0',
        'spark-version': SPARK_VERSION,
        'team': 'data',
        'tier': 'compute',
        'sparkoperator.k8s.io/app-name': APP,
        'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
        'sparkoperator.k8s.io/mutated-by-spark-operator': 'true',
        'sparkoperator.k8s.io/submission-id': driverPod.metadata.labels['sparkoperator.k8s.io/submission-id'],
      });
      expect(pod.metadata.annotations).toEqual({ 'example.com/note': 'executors' });
      // The template's owner (the application, not controller) and Spark's (the driver pod, controller).
      const app = driverPod.metadata.ownerReferences[0];
      expect(pod.metadata.ownerReferences).toEqual([
        { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: APP, uid: app.uid, controller: false },
        { apiVersion: 'v1', kind: 'Pod', name: driverPod.metadata.name, uid: driverPod.metadata.uid, controller: true },
      ]);

      const spec = pod.spec;
      expect(spec.serviceAccountName).toBe('spark-executor');
      expect(spec.restartPolicy).toBe('Never');
      expect(spec.enableServiceLinks).toBe(false);
      expect(spec.nodeSelector).toEqual({ type: 'kwok' });
      expect(spec.nodeName).toMatch(/^kwok-node-/);
      expect(spec.tolerations).toEqual(expect.arrayContaining([{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }]));
      expect(spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['metastore.local'] }]);
      expect(spec.securityContext).toEqual({ fsGroup: 185 });
      expect(spec.terminationGracePeriodSeconds).toBe(17);
      // Volumes: the template's, then Spark's (the executor conf, the secret, the spark-local-dir volume).
      const configMapName = spec.volumes.find((v: any) => v.name === 'spark-conf-volume-exec')?.configMap?.name;
      expect(configMapName).toMatch(/^spark-exec-[0-9a-f]+-conf-map$/);
      expect(spec.volumes.map((v: any) => v.name)).toEqual(['exec-settings-vol', 'scratch', 'settings', 'spark-conf-volume-exec', 'exec-secret-volume', 'spark-local-dir-fast']);
      expect(spec.volumes).toEqual(expect.arrayContaining([
        { name: 'exec-settings-vol', configMap: { name: 'exec-settings', defaultMode: 420 } },
        { name: 'scratch', emptyDir: {} },
        { name: 'settings', configMap: { name: 'exec-settings', defaultMode: 420 } },
        { name: 'exec-secret-volume', secret: { secretName: 'exec-secret', defaultMode: 420 } },
        { name: 'spark-local-dir-fast', emptyDir: { medium: 'Memory' } },
      ]));
      // No API token in executors: SparkRbac's executor ServiceAccount does not mount one.
      expect(spec.volumes.some((v: any) => v.name.startsWith('kube-api-access-'))).toBe(false);

      // The template's sidecar first, then Spark's container (Spark appends its own).
      expect(spec.containers.map((c: any) => c.name)).toEqual(['log-shipper', 'spark-kubernetes-executor']);
      const container = spec.containers[1];
      expect(container.image).toBe(`apache/spark:${SPARK_VERSION}`);
      expect(container.args).toEqual(['executor']);
      expect(container.securityContext).toEqual({ runAsUser: 185, runAsNonRoot: true, allowPrivilegeEscalation: false });
      expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '768Mi' }, limits: { memory: '768Mi' } });
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'exec-settings' } }]);
      expect(container.volumeMounts).toEqual(expect.arrayContaining([
        { name: 'exec-settings-vol', mountPath: '/etc/exec-settings', readOnly: true },
        { name: 'scratch', mountPath: '/scratch' },
        { name: 'settings', mountPath: '/etc/settings', readOnly: true },
        { name: 'exec-secret-volume', mountPath: '/mnt/secrets/exec' },
        { name: 'spark-local-dir-fast', mountPath: '/var/data/fast' },
        { name: 'spark-conf-volume-exec', mountPath: '/opt/spark/conf' },
      ]));
      const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(env).toMatchObject({
        FROM_ENV: 'a',
        MY_NODE: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
        FROM_ENV_VARS: 'b',
        SPARK_DRIVER_URL: `spark://CoarseGrainedScheduler@${submission.service.metadata.name}.${namespace}.svc:7078`,
        SPARK_EXECUTOR_ID: id,
        SPARK_EXECUTOR_CORES: '1',
        SPARK_EXECUTOR_MEMORY: '512m',
        SPARK_APPLICATION_ID: submission.sparkApplicationId,
        SPARK_LOCAL_DIRS: '/var/data/fast',
        SPARK_CONF_DIR: '/opt/spark/conf',
        SPARK_DRIVER_POD_IP: LOCAL_BIND_ADDRESS,
        SPARK_USER: 'spark',
      });
      // Template env first, then Spark's.
      expect(container.env.slice(0, 2).map((e: any) => e.name)).toEqual(['FROM_ENV', 'MY_NODE']);
    }
  });

  test('the executors\' SPARK_DRIVER_URL names our headless Service, whose endpoints are the driver pod', async () => {
    const slices = await waitFor('the EndpointSlice of the driver Service', async () => {
      const items = await list('endpointslices', `kubernetes.io/service-name=${submission.service.metadata.name}`);
      return items.some((s) => (s.endpoints ?? []).length > 0) ? items : undefined;
    }, { timeoutMs: 30_000 });
    const endpoints = slices.flatMap((s) => s.endpoints ?? []);
    expect(endpoints.map((e: any) => [e.addresses, e.targetRef?.name])).toEqual([[[driverPod.status.podIP], driverPod.metadata.name]]);
    expect(slices[0].ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'driver-rpc-port', port: 7078 })]));
  });

  test('SparkRbac\'s role was enough: the executor ConfigMap was created, and nothing was forbidden', async () => {
    const [configMap] = await list('configmaps', executorSelector());
    expect(configMap.metadata.name).toBe(executors[0].spec.volumes.find((v: any) => v.name === 'spark-conf-volume-exec').configMap.name);
    expect(configMap.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Pod', name: driverPod.metadata.name, uid: driverPod.metadata.uid })]);
    expect(driverLog()).not.toMatch(API_REFUSAL);
  });

  test('on SIGTERM its shutdown hook deletes the executors, their ConfigMap and the driver Service, still with nothing forbidden', async () => {
    // WHEN
    await driver.stop(20_000);
    // THEN
    expect(driverLog()).toContain('Invoking stop() from shutdown hook');
    expect(await list('pods', executorSelector())).toEqual([]);
    expect(await list('configmaps', executorSelector())).toEqual([]);
    expect(await list('services', `spark-app-selector=${submission.sparkApplicationId}`)).toEqual([]);
    // The driver pod stays (the controller's), and the driver ConfigMap with it.
    await cluster.kubectl(['get', 'pod', driverPod.metadata.name, '-n', namespace]);
    expect(driverLog()).not.toMatch(API_REFUSAL);
  });
});
