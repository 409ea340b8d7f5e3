import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The programs of the control plane, by name. */
export const CONTROL_PLANE_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kubectl'] as const;

/** One of {@link CONTROL_PLANE_BINARIES}. */
export type ControlPlaneBinary = (typeof CONTROL_PLANE_BINARIES)[number];

/** The directory of test/e2e/controlplane (build.sh, versions.env). */
export const CONTROL_PLANE_MODULE_DIR = path.resolve(__dirname, '..', 'controlplane');

/**
 * Returns the directory holding the control-plane binaries.
 *
 * `CDK8S_SPARK_CONTROLPLANE_BIN` wins when set (binaries built elsewhere). Otherwise build.sh is
 * run: it prints the cached directory in a second when the binaries exist, and builds them when
 * they do not (which takes long: the npm task runs build.sh before jest so that this is rare).
 */
export async function resolveBinDir(): Promise<string> {
  const fromEnv = process.env.CDK8S_SPARK_CONTROLPLANE_BIN;
  const dir = fromEnv ? path.resolve(fromEnv) : await runBuildScript();
  const missing = CONTROL_PLANE_BINARIES.filter((b) => !isExecutable(path.join(dir, b)));
  if (missing.length > 0) {
    throw new Error(`control-plane binaries missing in ${dir}: ${missing.join(', ')}` +
      (fromEnv ? ' (from CDK8S_SPARK_CONTROLPLANE_BIN)' : ''));
  }
  return dir;
}

/** The versions the binaries were built from, read from versions.env. */
export function pinnedVersions(): Record<string, string> {
  const text = fs.readFileSync(path.join(CONTROL_PLANE_MODULE_DIR, 'versions.env'), 'utf8');
  const versions: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) {
      versions[m[1]] = m[2];
    }
  }
  return versions;
}

/** The programs of the real node that are built from Go modules, by name. */
export const NODE_BINARIES = ['kubelet', 'kube-proxy'] as const;

/** The directory of test/e2e/node (build.sh, install.sh, images.sh, versions.env). */
export const NODE_MODULE_DIR = path.resolve(__dirname, '..', 'node');

/**
 * Returns the directory holding the real node's kubelet and kube-proxy: `CDK8S_SPARK_NODE_BIN`
 * when set, otherwise what node/build.sh prints (it builds them when they are not cached).
 */
export async function resolveNodeBinDir(): Promise<string> {
  const fromEnv = process.env.CDK8S_SPARK_NODE_BIN;
  const dir = fromEnv ? path.resolve(fromEnv) : await runBuildScript(path.join(NODE_MODULE_DIR, 'build.sh'));
  const missing = NODE_BINARIES.filter((b) => !isExecutable(path.join(dir, b)));
  if (missing.length > 0) {
    throw new Error(`node binaries missing in ${dir}: ${missing.join(', ')}` + (fromEnv ? ' (from CDK8S_SPARK_NODE_BIN)' : ''));
  }
  return dir;
}

/**
 * Returns the directory holding the real node's CoreDNS: `CDK8S_SPARK_COREDNS_BIN` when set,
 * otherwise what `node/build.sh coredns` prints (it builds it when it is not cached).
 */
export async function resolveCorednsBinDir(): Promise<string> {
  const fromEnv = process.env.CDK8S_SPARK_COREDNS_BIN;
  const dir = fromEnv ? path.resolve(fromEnv) : await runBuildScript(path.join(NODE_MODULE_DIR, 'build.sh'), ['coredns']);
  if (!isExecutable(path.join(dir, 'coredns'))) {
    throw new Error(`coredns missing in ${dir}` + (fromEnv ? ' (from CDK8S_SPARK_COREDNS_BIN)' : ''));
  }
  return dir;
}

/** An image built offline by node/images.sh: its reference and its OCI archive. */
export interface OfflineImage {
  readonly reference: string;
  readonly archive: string;
}

/** Builds (or reuses) the named images with node/images.sh. */
export async function offlineImages(names: readonly string[]): Promise<OfflineImage[]> {
  const script = path.join(NODE_MODULE_DIR, 'images.sh');
  const child = run('bash', [script, ...names], { maxBuffer: 1_048_576, timeout: 30 * 60 * 1000 });
  child.child.stderr?.pipe(process.stderr);
  const { stdout } = await child;
  return stdout.trim().split('\n').map((line) => {
    const [reference, archive] = line.split(' ');
    if (!reference || !archive) {
      throw new Error(`${script} printed '${line}', not '<reference> <archive>'`);
    }
    return { reference, archive };
  });
}

/** Packs the root filesystem `dir` as the image `name` with node/images.sh `--from-dir` (or reuses it): `process` is its OCI config fields. */
export async function offlineImageFromDir(name: string, dir: string, process: string): Promise<OfflineImage> {
  const script = path.join(NODE_MODULE_DIR, 'images.sh');
  const { stdout } = await run('bash', [script, '--from-dir', name, dir, process], { maxBuffer: 1_048_576, timeout: 10 * 60 * 1000 });
  const [reference, archive] = stdout.trim().split(' ');
  if (!reference || !archive) throw new Error(`${script} --from-dir printed '${stdout.trim()}', not '<reference> <archive>'`);
  return { reference, archive };
}

async function runBuildScript(script = path.join(CONTROL_PLANE_MODULE_DIR, 'build.sh'), args: string[] = []): Promise<string> {
  const child = run('bash', [script, ...args], { maxBuffer: 1_048_576, timeout: 60 * 60 * 1000 });
  // Pass build progress through: a cold build is long and should not look like a hang.
  child.child.stderr?.pipe(process.stderr);
  const { stdout } = await child;
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (!dir) {
    throw new Error(`${script} printed no binary directory`);
  }
  return dir;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
