// `npm run cluster`: the end-to-end suite's cluster, for a person. The same control plane (etcd,
// kube-apiserver, controller-manager, scheduler) and, where this machine allows it (root, Linux,
// node/install.sh's packages), the real node: containerd and a kubelet with kube-proxy and CoreDNS,
// untainted, so whatever `kubectl apply` sends there runs for real. The images built here are loaded
// into the node (nothing is pulled): the operator image under the reference SparkOperator names by
// default, and the Spark images with our SparkPi. Where the real node cannot run, two kwok nodes
// stand in (pods are scheduled and "run", but no container starts), and it says so.
//
// Prints the KUBECONFIG line, runs until Ctrl-C (SIGINT), SIGTERM or SIGHUP, then removes everything it made.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { NODE_MODULE_DIR } from './harness/binaries';
import { ControlPlane, startControlPlane } from './harness/control-plane';
import { fakeNodeManifests } from './harness/fake-nodes';
import { importOperatorImage } from './harness/image-run';
import { RUNTIME_BUNDLE } from './harness/operator';
import { RealNode, startRealNode } from './harness/real-node';
import { OperatorImage } from '../../src';
import { pinnedSparkVersions } from '../parity/pyspark';

const say = (line = '') => process.stdout.write(`${line}\n`);
const progress = (m: string) => process.stderr.write(`[cluster] ${m}\n`);

/** Why the real node cannot run on this machine, or undefined when it can (installing its Debian packages if needed). */
function realNodeUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `it needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'it needs root (containers, network namespaces, cgroups, mounts): run as root for a real node';
  const install = spawnSync('bash', [path.join(NODE_MODULE_DIR, 'install.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (install.status !== 0) return `its packages could not be installed (bash ${path.join(NODE_MODULE_DIR, 'install.sh')} exited ${install.status})`;
  return undefined;
}

/** The Spark image's SparkPi jar, at the name and path of Apache's examples jar. */
function sparkPiJar(version: string): string {
  return `local:///opt/spark/examples/jars/spark-examples_${version.startsWith('3.') ? '2.12' : '2.13'}-${version}.jar`;
}

/** What runs, for {@link stop}. */
const running: { controlPlane?: ControlPlane; node?: RealNode; runDir?: string; stopping?: boolean } = {};

/** Removes the node (its processes, mounts, network namespace, cgroups), then the control plane and its folder; exits. */
async function stop(why: string, code: number): Promise<void> {
  if (running.stopping) return;
  running.stopping = true;
  progress(`${why}: stopping and removing everything`);
  await running.node?.stop().catch((e: Error) => progress(`stopping the node: ${e.message}`));
  await running.controlPlane?.stop({ keepRunDir: false }).catch((e: Error) => progress(`stopping the control plane: ${e.message}`));
  if (running.runDir) fs.rmSync(running.runDir, { recursive: true, force: true });
  progress('done, nothing left');
  process.exit(code);
}

/**
 * Makes a signal run {@link stop}. SIGHUP too: a terminal closed while it runs must not leave the
 * cluster behind. The control plane's own handlers (harness/reaper.ts) kill its processes at the first
 * signal, right for a test runner that is going away; here the node goes first, while the API server
 * still answers, then the control plane, so they are replaced. Their exit handler and watchdog stay.
 */
function takeOverSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal, 0));
  }
}

async function main(): Promise<void> {
  takeOverSignals();
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  if (!fs.existsSync(RUNTIME_BUNDLE)) throw new Error(`${RUNTIME_BUNDLE} is missing: run 'npx projen bundle' (npm run cluster does)`);
  const unavailable = realNodeUnavailable();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-cluster-'));
  running.runDir = runDir;
  const controlPlane = await startControlPlane({ runDir, nodes: 0, log: progress });
  running.controlPlane = controlPlane;
  takeOverSignals();
  const cluster = controlPlane.cluster;
  let node: RealNode | undefined;
  const images: [string, string][] = [];
  if (unavailable === undefined) {
    const spark = pinnedSparkVersions();
    node = await startRealNode(cluster, { taint: false, images: spark.map((v) => `spark-${v}`), log: progress });
    running.node = node;
    const operator = OperatorImage.default().reference;
    await importOperatorImage(node, runDir, RUNTIME_BUNDLE, operator);
    images.push([operator, 'the operator (SparkOperator\'s default image), built from this checkout\'s bundle']);
    for (const v of spark) images.push([node.images[`spark-${v}`], `Spark ${v}, Java 17, Python 3; SparkPi: ${sparkPiJar(v)}`]);
  } else {
    await cluster.kubectl(['create', '-f', '-'], { input: fakeNodeManifests(2).map((n) => stringify(n)).join('---\n') });
  }

  say();
  say(`A Kubernetes ${controlPlane.connection.kubernetesVersion} cluster runs on this machine. In another shell:`);
  say();
  say(`  export KUBECONFIG=${controlPlane.connection.adminKubeconfig}`);
  say();
  say(`(kubectl of the cluster's version, if you have none: ${path.join(controlPlane.connection.binDir, 'kubectl')})`);
  say();
  if (node) {
    say(`Its node ${node.name} is real (containerd, kubelet, kube-proxy, CoreDNS): pods run. Images loaded, nothing is pulled:`);
    for (const [reference, what] of images) say(`  ${reference}\n      ${what}`);
  } else {
    say(`NO REAL NODE: ${unavailable}.`);
    say('Two kwok nodes stand in: pods are scheduled and reported Running, but no container starts.');
  }
  say();
  say('Ctrl-C stops it and removes everything it made.');
  // Runs until a signal.
  await new Promise<never>(() => undefined);
}

main().catch((err: Error) => {
  progress(`error: ${err.stack ?? err.message}`);
  void stop('error', 1);
});
