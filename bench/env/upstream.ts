/**
 * The upstream (Kubeflow) spark-operator as the benchmark runs it: the binary bench/upstream/build.sh
 * builds from its Go module, `controller start` with the arguments its Helm chart renders by default
 * (its chart's controller Deployment; `--controller-threads` is the chart's `controller.workers`), its webhook
 * off, and `SPARK_HOME` at the parity suite's pyspark, so each submission is a real spark-submit JVM.
 *
 * It authenticates with a kubeconfig of its own ServiceAccount, bound to `cluster-admin` (rather
 * than the chart's RBAC, which needs Helm to render); its CRDs are the ones of the same release.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { Cluster } from '../../test/e2e/harness/cluster';
import { freeLoopbackPorts } from '../../test/e2e/harness/ports';
import { ManagedProcess, tailFile } from '../../test/e2e/harness/process-group';
import { waitFor } from '../../test/e2e/harness/wait';

const run = promisify(execFile);

/** The build module of the upstream operator (versions.env, build.sh). */
export const UPSTREAM_MODULE_DIR = path.resolve(__dirname, '..', 'upstream');

/** The namespace and ServiceAccount the upstream controller runs as (the chart's names). */
export const UPSTREAM_NAMESPACE = 'spark-operator';
export const UPSTREAM_SERVICE_ACCOUNT = 'spark-operator-controller';

/** The chart's `controller.workers`. */
export const UPSTREAM_DEFAULT_WORKERS = 10;

/** What build.sh built: the binary and the release's CRDs. */
export interface UpstreamBuild {
  readonly binary: string;
  readonly crdDir: string;
  readonly version: string;
}

/** Runs build.sh (which reuses a complete build at once) and returns what it built. */
export async function buildUpstream(): Promise<UpstreamBuild> {
  const child = run('bash', [path.join(UPSTREAM_MODULE_DIR, 'build.sh')], { maxBuffer: 1_048_576, timeout: 60 * 60 * 1000 });
  child.child.stderr?.pipe(process.stderr);
  const dir = (await child).stdout.trim().split('\n').pop() ?? '';
  const version = /^SPARK_OPERATOR_VERSION=(\S+)$/m.exec(fs.readFileSync(path.join(UPSTREAM_MODULE_DIR, 'versions.env'), 'utf8'))?.[1] ?? 'unknown';
  return { binary: path.join(dir, 'bin', 'spark-operator'), crdDir: path.join(dir, 'crds'), version };
}

/**
 * Replaces the SparkApplication and ScheduledSparkApplication CRDs with those in `dir` (server-side
 * apply, taking the fields over), and waits until they are Established.
 */
export async function installCrdsFrom(cluster: Cluster, files: string[]): Promise<void> {
  for (const file of files) {
    await cluster.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=bench', '-f', file]);
  }
  await cluster.kubectl(['wait', '--for=condition=Established', 'crd/sparkapplications.sparkoperator.k8s.io', '--timeout=60s']);
}

/**
 * The upstream CRD files of `build`: SparkApplication and ScheduledSparkApplication replace ours, and
 * SparkConnect, upstream's alone, is needed too (its manager refuses to start without the kind).
 */
export function upstreamCrdFiles(build: UpstreamBuild): string[] {
  return ['sparkapplications', 'scheduledsparkapplications', 'sparkconnects'].map((p) => path.join(build.crdDir, `sparkoperator.k8s.io_${p}.yaml`));
}

/** The namespace, ServiceAccount and cluster-admin binding of the upstream controller; returns its kubeconfig. */
export async function prepareUpstreamIdentity(cluster: Cluster): Promise<string> {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: UPSTREAM_NAMESPACE } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: UPSTREAM_SERVICE_ACCOUNT, namespace: UPSTREAM_NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'bench-upstream-spark-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: UPSTREAM_SERVICE_ACCOUNT, namespace: UPSTREAM_NAMESPACE }],
    },
  ];
  await cluster.kubectl(['apply', '-f', '-'], { input: objects.map((o) => stringify(o)).join('---\n') });
  return cluster.kubeconfigFor(UPSTREAM_NAMESPACE, UPSTREAM_SERVICE_ACCOUNT, { durationSeconds: 7200 });
}

/** The chart's default `controller start` arguments for `namespace`, with `workers` threads and local ports. */
export function upstreamControllerArgs(namespace: string, workers: number, metricsPort: number, probePort: number): string[] {
  return [
    'controller', 'start',
    '--zap-log-level=info', '--zap-encoder=console',
    `--namespaces=${namespace}`,
    `--controller-threads=${workers}`,
    '--enable-ui-service=true',
    '--enable-metrics=true', `--metrics-bind-address=127.0.0.1:${metricsPort}`, '--metrics-endpoint=/metrics', '--metrics-prefix=', '--metrics-labels=app_type',
    '--metrics-job-submit-latency-buckets=0.5,1,2,4,8,16,32,64,128,256',
    '--metrics-job-start-latency-buckets=30,60,90,120,150,180,210,240,270,300',
    `--health-probe-bind-address=127.0.0.1:${probePort}`,
    '--leader-election=true', '--leader-election-lock-name=spark-operator-controller-lock', `--leader-election-lock-namespace=${UPSTREAM_NAMESPACE}`,
    '--leader-election-lease-duration=15s', '--leader-election-renew-deadline=10s', '--leader-election-retry-period=2s',
    '--workqueue-ratelimiter-bucket-qps=50', '--workqueue-ratelimiter-bucket-size=500', '--workqueue-ratelimiter-max-delay=6h',
    '--driver-pod-creation-grace-period=10s', '--max-tracked-executor-per-app=1000',
    '--kube-api-qps=20', '--kube-api-burst=30',
    '--scheduled-spark-application-timestamp-precision=nanos',
    // The chart also names RestSubmitter and DefaultTimeToLive, gates of its master branch that
    // v2.5.2 does not know (it refuses unknown gates).
    '--feature-gates=PartialRestart=false,LoadSparkDefaults=false',
  ];
}

/** Options of {@link startUpstream}. */
export interface UpstreamStartOptions {
  readonly build: UpstreamBuild;
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly workers: number;
  readonly sparkHome: string;
  /** Where its log goes. */
  readonly logFile: string;
  /** Flags after the chart's (`--enable-batch-scheduler` ...). @default - none */
  readonly extraArgs?: readonly string[];
}

/** Starts `controller start`; resolves once it holds the lease and its workers run. */
export async function startUpstream(cluster: Cluster, options: UpstreamStartOptions): Promise<ManagedProcess> {
  const [metricsPort, probePort] = await freeLoopbackPorts(2);
  const server = new URL(cluster.connection.server);
  const child = ManagedProcess.start({
    name: 'spark-operator',
    command: options.build.binary,
    args: [...upstreamControllerArgs(options.namespace, options.workers, metricsPort, probePort), ...options.extraArgs ?? []],
    logFile: options.logFile,
    env: {
      PATH: process.env.PATH,
      HOME: path.join(cluster.connection.runDir, 'home'),
      KUBECONFIG: options.kubeconfig,
      SPARK_HOME: options.sparkHome,
      // What a pod sees: spark-submit's --master is built from these (pkg/util GetMasterURL).
      KUBERNETES_SERVICE_HOST: server.hostname,
      KUBERNETES_SERVICE_PORT: server.port,
      TZ: 'UTC',
    },
  });
  process.once('exit', () => child.killNow());
  await waitFor('the upstream controller to start its workers', () => /Starting workers.*sparkapplication/i.test(fs.readFileSync(options.logFile, 'utf8')), {
    timeoutMs: 90_000,
    intervalMs: 500,
    abortIf: () => (child.running ? undefined : `the upstream controller exited (${child.describeExit()}):\n${tailFile(options.logFile)}`),
  });
  return child;
}
