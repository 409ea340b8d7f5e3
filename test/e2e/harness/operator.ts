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
import { freeLoopbackPorts } from './ports';
import { ManagedProcess, tailFile } from './process-group';
import { uniqueName } from './suite';
import { waitFor } from './wait';
import { SparkOperator, SparkOperatorProps } from '../../../src';

/** The bundle `npm run bundle` writes (the file the image copies). */
export const RUNTIME_BUNDLE = path.resolve(__dirname, '..', '..', '..', 'build', 'runtime', 'cdk8s-spark-operator.js');

/** The kinds a test cluster can take from the operator install; the rest needs pods or a served webhook. */
const APPLIED_KINDS = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

/** What a test starts the operator with. */
export interface OperatorOptions extends SparkOperatorProps {
  /** Flags added to (or replacing) the Deployment's. */
  readonly extraArgs?: string[];
}

/** A running controller process. */
export interface RunningOperator {
  readonly process: ManagedProcess;
  /** The container arguments the Deployment renders, as the process got them. */
  readonly args: string[];
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

/** The controllers started and not yet exited: a test runner that exits takes them along. */
const liveControllers = new Set<ManagedProcess>();
let exitHandlerInstalled = false;

function track(child: ManagedProcess): void {
  liveControllers.add(child);
  void child.exited.then(() => liveControllers.delete(child));
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    process.once('exit', () => {
      for (const c of liveControllers) c.killNow();
    });
  }
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
export async function startControllerOf(cluster: Cluster, objects: any[], options: { readonly extraArgs?: string[] } = {}): Promise<RunningOperator> {
  if (!fs.existsSync(RUNTIME_BUNDLE)) throw new Error(`${RUNTIME_BUNDLE} is missing: run 'npm run bundle' (npm test does)`);
  await cluster.applyManifests(objects.filter((o) => APPLIED_KINDS.includes(o.kind)), { serverSide: true });
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'controller');
  const pod = deployment.spec.template.spec;
  // The runtime refuses a flag given twice: an extra `--flag=value` replaces the Deployment's.
  const flagOf = (arg: string) => arg.split('=')[0];
  // Free metrics and health ports unless the test chooses them: the Deployment's (8080, 8081) would
  // collide between two controllers, and with anything else on the machine.
  const [metricsPort, healthProbePort] = await freeLoopbackPorts(2);
  const chosen = options.extraArgs ?? [];
  const ports = [`--metrics-port=${metricsPort}`, `--health-probe-port=${healthProbePort}`].filter((p) => !chosen.some((e) => flagOf(e) === flagOf(p)));
  const extra = [...ports, ...chosen];
  const args: string[] = [...pod.containers[0].args.filter((a: string) => !extra.some((e) => flagOf(e) === flagOf(a))), ...extra];
  const kubeconfig = await cluster.kubeconfigFor(deployment.metadata.namespace, pod.serviceAccountName, { durationSeconds: 7200 });
  const logFile = path.join(cluster.connection.runDir, `controller-${Date.now()}.log`);
  const child = ManagedProcess.start({
    name: 'controller',
    command: process.execPath,
    args: [RUNTIME_BUNDLE, ...args],
    logFile,
    env: { PATH: process.env.PATH, KUBECONFIG: kubeconfig, TZ: 'UTC' },
  });
  track(child);
  const logLines = () => fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  try {
    await waitFor('the controller to sync its caches', () => logLines().some((l) => l.msg === 'caches synced'), {
      timeoutMs: 30_000,
      abortIf: () => (child.running ? undefined : `the controller exited (${child.describeExit()}):\n${tailFile(logFile)}`),
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { process: child, args, logLines, stop: () => child.stop() };
}
