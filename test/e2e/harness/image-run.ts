/**
 * Runs the runtime as its image would, without a container engine: the files the Dockerfile's final
 * stage holds (Node.js, the libraries it links, the bundle, at the image's paths) are laid out in a
 * root directory, which the process sees as `/` through chroot, read-only, with a fresh tmpfs on
 * `/tmp` as its only writable place, as user and group 65532, and with its ServiceAccount's token
 * where the kubelet mounts it. It finds the API server as a pod does, from `KUBERNETES_SERVICE_*`.
 *
 * Needs root and mount namespaces (`unshare -m`), which this machine has.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageNodeBinary, offlineImageFromDir } from './binaries';
import { Cluster } from './cluster';
import type { RealNode } from './real-node';
import { IMAGE_BUNDLE_PATH, RUNTIME_USER_ID, RUNTIME_WRITABLE_DIR } from '../../../src/core';
import { lastOf, repositoryDockerfile } from '../../image/dockerfile';

/** Where the kubelet mounts a pod's ServiceAccount token, CA and namespace. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How to start the process. */
export interface ImageCommand {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** The image's root directory as laid out (read-only to the process). */
  readonly rootDir: string;
}

/** Copies `file` into `root` at its own absolute path (`cp --parents -L`). */
function copyAt(root: string, file: string, at = file): void {
  const target = path.join(root, at);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fs.realpathSync(file), target);
  fs.chmodSync(target, 0o555);
}

/** The shared libraries `ldd` says the Node.js binary loads, as the Dockerfile copies them. */
function linkedLibraries(binary: string): string[] {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
  if (ldd.status !== 0) throw new Error(`ldd ${binary} failed: ${ldd.stderr}`);
  return ldd.stdout.match(/\/[^\s)]+/g) ?? [];
}

/** The image as the Dockerfile's final stage makes it: its files laid out in a directory, and its process. */
export interface LaidOutImage {
  /** The root directory. */
  readonly root: string;
  /** ENTRYPOINT (exec form). */
  readonly entrypoint: readonly string[];
  /** USER. */
  readonly user: string;
  /** ENV, as `NAME=value`. */
  readonly env: readonly string[];
}

/**
 * Lays out in `root` (a new, empty directory) what the Dockerfile's final stage holds: the Node.js
 * binary `node` (the image's version: {@link imageNodeBinary}) with the libraries it links, the
 * runtime `bundle`, and the writable directory; returns it with the stage's ENTRYPOINT, USER and ENV.
 */
export function layOutImage(root: string, bundle: string, node: string): LaidOutImage {
  const stages = repositoryDockerfile();
  const final = stages[stages.length - 1];
  const entrypoint = lastOf(final, 'ENTRYPOINT')!.args;
  const [nodeAt, bundleAt] = entrypoint;
  if (bundleAt !== IMAGE_BUNDLE_PATH) throw new Error(`the Dockerfile's entrypoint runs ${bundleAt}, not ${IMAGE_BUNDLE_PATH}`);
  // An image's root is readable by every user (mkdtemp makes it private).
  fs.chmodSync(root, 0o755);
  copyAt(root, node, nodeAt);
  for (const library of linkedLibraries(node)) copyAt(root, library);
  copyAt(root, bundle, bundleAt);
  const writable = path.join(root, RUNTIME_WRITABLE_DIR);
  fs.mkdirSync(writable, { recursive: true });
  fs.chmodSync(writable, 0o1777);
  const env = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.text.trim());
  return { root, entrypoint, user: lastOf(final, 'USER')!.args[0], env };
}

/** The OCI image config fields of `image`'s process, as node/images.sh `--from-dir` takes them. */
export function ociProcessConfig(image: LaidOutImage): string {
  return [
    `"User":${JSON.stringify(image.user)}`,
    `"Entrypoint":${JSON.stringify(image.entrypoint)}`,
    `"Env":${JSON.stringify(image.env)}`,
  ].join(',');
}

/**
 * Lays out the image for the runtime `bundle` and a process of the ServiceAccount
 * `namespace/serviceAccount`, and returns the command that runs `args` (the container args) in it.
 */
export async function imageCommand(
  cluster: Cluster, bundle: string, namespace: string, serviceAccount: string, args: string[],
): Promise<ImageCommand> {
  const root = fs.mkdtempSync(path.join(cluster.connection.runDir, 'image-root-'));
  const { entrypoint } = layOutImage(root, bundle, await imageNodeBinary());
  for (const dir of ['/proc', '/dev', SERVICE_ACCOUNT_DIR]) fs.mkdirSync(path.join(root, dir), { recursive: true });
  // What the kubelet mounts: the projected token, the cluster CA and the namespace.
  const secrets = path.join(root, SERVICE_ACCOUNT_DIR);
  fs.writeFileSync(path.join(secrets, 'token'), await cluster.tokenFor(namespace, serviceAccount, { durationSeconds: 7200 }));
  fs.copyFileSync(cluster.connection.caFile, path.join(secrets, 'ca.crt'));
  fs.writeFileSync(path.join(secrets, 'namespace'), namespace);
  for (const file of fs.readdirSync(secrets)) fs.chmodSync(path.join(secrets, file), 0o444);
  const user = `${RUNTIME_USER_ID}:${RUNTIME_USER_ID}`;
  // The harness's shell sets up the mounts; the process itself gets no shell (exec chroot, then Node.js).
  const script = [
    'set -e',
    'root="$1"; shift',
    'mount --bind "$root" "$root"',
    'mount -o remount,bind,ro "$root"',
    `mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root${RUNTIME_WRITABLE_DIR}"`,
    'mount --rbind /proc "$root/proc"',
    'mount --rbind /dev "$root/dev"',
    `exec chroot --userspec=${user} "$root" "$@"`,
  ].join('\n');
  const server = new URL(cluster.connection.server);
  return {
    command: 'unshare',
    args: ['--mount', '--propagation', 'private', 'sh', '-c', script, 'image', root, ...entrypoint, ...args],
    env: { KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port, HOSTNAME: `${serviceAccount}-pod`, TZ: 'UTC' },
    rootDir: root,
  };
}

/**
 * Builds the operator image for the runtime `bundle` as the Dockerfile's final stage makes it
 * ({@link layOutImage}, packed offline by node/images.sh), imports it into `node`'s containerd and
 * names it `reference` there too (an install's image, such as `OperatorImage.default()`, which no
 * registry serves yet): the kubelet then finds it and pulls nothing. Returns the image as built.
 */
export async function importOperatorImage(node: RealNode, workDir: string, bundle: string, reference: string): Promise<string> {
  const root = fs.mkdtempSync(path.join(workDir, 'operator-image-'));
  const image = await offlineImageFromDir('operator', root, ociProcessConfig(layOutImage(root, bundle, await imageNodeBinary())));
  await node.importImage(image);
  node.tagImage(image.reference, reference);
  return image.reference;
}
