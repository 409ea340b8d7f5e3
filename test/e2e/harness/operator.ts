/**
 * Runs the runtime bundle as the operator would run in its pod: with the arguments and the RBAC
 * that `SparkOperator` synthesizes, authenticated as its controller ServiceAccount (a TokenRequest
 * token), as a local process (no container runs here). The objects that only a cluster with a
 * kubelet can run (Deployments, Services, webhook configurations) are not applied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import { Cluster } from './cluster';
import { imageCommand } from './image-run';
import { freeLoopbackPorts } from './ports';
import { ManagedProcess, tailFile } from './process-group';
import { reapWithThisProcess } from './reaper';
import { uniqueName } from './suite';
import { waitFor } from './wait';
import { SparkOperator, SparkOperatorProps } from '../../../src';

/** The bundle `npm run bundle` writes (the file the image copies). */
export const RUNTIME_BUNDLE = path.resolve(__dirname, '..', '..', '..', 'build', 'runtime', 'cdk8s-spark-operator.js');

/** The kinds a test cluster can take from the operator install; the rest needs pods or a served webhook. */
const APPLIED_KINDS = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

/** What a test starts the operator with. */
export interface OperatorOptions extends SparkOperatorProps, StartOptions {}

/** How a controller process is started. */
export interface StartOptions {
  /** Flags added to (or replacing) the Deployment's. */
  readonly extraArgs?: string[];
  /** The runtime bundle to run (a benchmark compares an older build). @default RUNTIME_BUNDLE */
  readonly bundle?: string;
  /**
   * What to wait for: `leader` (the default), until it leads and reconciles; `synced`, until its
   * caches are synced (a standby of another replica); `none`, until it has started.
   */
  readonly waitUntil?: 'leader' | 'synced' | 'none';
  /**
   * Run it as the image would (`harness/image-run.ts`): the image's files only, read-only, `/tmp`
   * writable, as user 65532, with the ServiceAccount token where a pod has it. Otherwise a plain
   * `node` process with a kubeconfig of that token.
   */
  readonly asImage?: boolean;
  /** The API server URL the controller is given (a proxy in front of the control plane). @default - the control plane's */
  readonly server?: string;
}

/** A running controller process. */
export interface RunningOperator {
  readonly process: ManagedProcess;
  /** The container arguments the Deployment renders, as the process got them. */
  readonly args: string[];
  /** The port of its `/healthz` and `/readyz` (a free one, so that controllers run side by side). */
  readonly healthProbePort: number;
  /** The port of its metrics. */
  readonly metricsPort: number;
  /** The log so far, one JSON object per line. */
  logLines(): Array<Record<string, unknown>>;
  /** Stops the process (SIGTERM, then SIGKILL after the grace time). */
  stop(): Promise<void>;
}

/** The operator install as the construct synthesizes it. */
export function synthesizeOperator(props: SparkOperatorProps): any[] {
  const chart = new Chart(new App(), 'operator');
  new SparkOperator(chart, 'spark', props);
  return Testing.synth(chart);
}

/**
 * Applies the operator's RBAC (and namespace, CRDs) to the cluster and starts the controller bundle
 * with the Deployment's own arguments and its ServiceAccount's token; resolves once it logs that its
 * caches are synced.
 */
export async function startController(cluster: Cluster, options: OperatorOptions): Promise<RunningOperator> {
  // A name of its own: the install's cluster-scoped objects (ClusterRoles, their bindings) must not
  // collide with another test's install, such as the example app's.
  return startControllerOf(cluster, synthesizeOperator({ name: uniqueName('spark-op'), ...options }), options);
}

/**
 * {@link startController} for an operator install synthesized elsewhere (an example chart): the
 * kinds a test cluster can take from `objects` are applied, and the controller runs with the
 * arguments and ServiceAccount of the controller Deployment among them.
 */
export async function startControllerOf(cluster: Cluster, objects: any[], options: StartOptions = {}): Promise<RunningOperator> {
  const bundle = options.bundle ?? RUNTIME_BUNDLE;
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run 'npm run bundle' (npm test does)`);
  await cluster.applyManifests(objects.filter((o) => APPLIED_KINDS.includes(o.kind)), { serverSide: true });
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'controller');
  const pod = deployment.spec.template.spec;
  // The runtime refuses a flag given twice: an extra `--flag=value` replaces the Deployment's.
  const flagOf = (arg: string) => arg.split('=')[0];
  const [healthProbePort, metricsPort] = await freeLoopbackPorts(2);
  const extra = [`--health-probe-port=${healthProbePort}`, `--metrics-port=${metricsPort}`, ...options.extraArgs ?? []]
    .filter((arg, i, all) => !all.slice(i + 1).some((later) => flagOf(later) === flagOf(arg)));
  const args: string[] = [...pod.containers[0].args.filter((a: string) => !extra.some((e) => flagOf(e) === flagOf(a))), ...extra];
  const logFile = path.join(cluster.connection.runDir, `controller-${Date.now()}.log`);
  if (options.asImage && options.server) throw new Error('a controller run as the image talks to the control plane itself: no server option');
  const launch = options.asImage
    ? await imageCommand(cluster, bundle, deployment.metadata.namespace, pod.serviceAccountName, args)
    : {
      command: process.execPath,
      args: [bundle, ...args],
      env: { PATH: process.env.PATH ?? '', KUBECONFIG: await cluster.kubeconfigFor(deployment.metadata.namespace, pod.serviceAccountName, { durationSeconds: 7200, server: options.server }), TZ: 'UTC' },
    };
  const child = ManagedProcess.start({ name: 'controller', command: launch.command, args: launch.args, logFile, env: launch.env });
  // A test runner that exits, is interrupted or killed takes its controllers along.
  reapWithThisProcess(child, cluster.connection.runDir);
  const logLines = () => fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const waitUntil = options.waitUntil ?? 'leader';
  const logged = (msg: string) => () => logLines().some((l) => l.msg === msg);
  const abortIf = () => (child.running ? undefined : `the controller exited (${child.describeExit()}):\n${tailFile(logFile)}`);
  try {
    if (waitUntil !== 'none') await waitFor('the controller to sync its caches', logged('caches synced'), { timeoutMs: 30_000, abortIf });
    if (waitUntil === 'leader') await waitFor('the controller to lead', logged('became the leader'), { timeoutMs: 30_000, abortIf });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { process: child, args, healthProbePort, metricsPort, logLines, stop: () => child.stop() };
}
