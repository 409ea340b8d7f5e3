/**
 * The real Spark driver of a driver pod, run on this machine instead of in the pod: what the image's
 * entrypoint does with the container's `driver ...` arguments (`reference/spark-submission.md` A.8,
 * `spark-submit --deploy-mode client` with the bind address from `SPARK_DRIVER_BIND_ADDRESS`), with the
 * pod's env and the pod's files, against the test API server, as the pod's ServiceAccount.
 *
 * No container runs here, so the pod's filesystem is laid out under a local folder (`root`): each volume
 * the Spark container mounts is materialised there as the kubelet would (the stored ConfigMap's items,
 * an empty dir, the projected service-account token), and the files the image would hold (the
 * application jar) are copied there. Then every pod path in the env, the arguments and
 * `spark.properties` that lies under one of those is rewritten to `<root><path>`, and the few things a
 * pod gets from the cluster network are pointed at this machine. Each change is one {@link LocalRewrite},
 * with its reason, so a test can show exactly what differed from the pod.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseProperties } from './properties';
import { SUBMIT_JAVA_OPTIONS } from './spark-submit';
import { escapeProperty } from '../../src/runtime/submission';
import { Cluster } from '../e2e/harness/cluster';
import { ManagedProcess } from '../e2e/harness/process-group';
import { waitFor } from '../e2e/harness/wait';

/** One difference between the pod and the local run. */
export interface LocalRewrite {
  /** `spark.properties <key>`, `env <NAME>`, `args[<i>]` or `file <path>`. */
  readonly where: string;
  /** The pod's value; undefined when the local run adds it. */
  readonly from?: string;
  readonly to: string;
  readonly why: string;
}

/** What {@link prepareLocalDriver} needs. */
export interface LocalDriverOptions {
  readonly cluster: Cluster;
  /** The driver pod as the API server stored it (with its uid and the volumes admission added). */
  readonly pod: any;
  /** A Spark distribution: the image's `/opt/spark`. */
  readonly sparkHome: string;
  /** Files the image holds: path in the image -> local file (copied under `root`). */
  readonly imageFiles?: Readonly<Record<string, string>>;
  /** An empty folder for the pod's files and the driver's log. */
  readonly root: string;
}

/** A driver ready to start. */
export interface LocalDriverPlan {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logFile: string;
  /** Every difference from the pod, in the order made. */
  readonly rewrites: readonly LocalRewrite[];
}

/** The address the local driver binds to and the image's `SPARK_DRIVER_BIND_ADDRESS` becomes. */
export const LOCAL_BIND_ADDRESS = '127.0.0.1';

/** Where a pod's service-account token is mounted, which Spark reads when the files exist (`Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH`). */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The image's working directory (`WORKDIR` of Spark's Dockerfile). */
const IMAGE_WORKDIR = '/opt/spark/work-dir';

function within(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

function writeFile(file: string, content: string | Buffer, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, mode === undefined ? {} : { mode });
}

/**
 * Lays out the driver pod's files under `root` and returns how to start its driver. Throws on what a
 * local run cannot reproduce (a volume type or an env source it does not know, a container `command`
 * that replaces the image's entrypoint, `subPath` mounts).
 */
export async function prepareLocalDriver(options: LocalDriverOptions): Promise<LocalDriverPlan> {
  const { cluster, pod, root } = options;
  const namespace: string = pod.metadata.namespace;
  const rewrites: LocalRewrite[] = [];
  const container = pod.spec.containers.find((c: any) => Array.isArray(c.args) && c.args[0] === 'driver');
  if (!container) throw new Error(`pod ${pod.metadata.name} has no container with args 'driver ...' (the image entrypoint's driver mode)`);
  if (container.command) throw new Error(`container ${container.name} sets command ${JSON.stringify(container.command)}: the image entrypoint would not run`);
  if (container.envFrom) throw new Error(`container ${container.name} has envFrom, which the local driver does not resolve`);

  const kubectlJson = (args: string[]) => cluster.kubectlJson<any>([...args, '-n', namespace]);
  const localDirs: string[] = [];
  // The volumes the Spark container mounts, as the kubelet would lay them out.
  for (const mount of container.volumeMounts ?? []) {
    if (mount.subPath || mount.subPathExpr) throw new Error(`volume mount ${mount.name} uses subPath, which the local driver does not lay out`);
    const volume = (pod.spec.volumes ?? []).find((v: any) => v.name === mount.name);
    const dir = path.join(root, mount.mountPath);
    fs.mkdirSync(dir, { recursive: true });
    localDirs.push(mount.mountPath);
    if (volume.configMap) {
      const cm = await kubectlJson(['get', 'configmap', volume.configMap.name]);
      const items = volume.configMap.items ?? Object.keys(cm.data ?? {}).map((key) => ({ key, path: key }));
      for (const item of items) writeFile(path.join(dir, item.path), cm.data[item.key], item.mode ?? volume.configMap.defaultMode);
    } else if (volume.secret) {
      const secret = await kubectlJson(['get', 'secret', volume.secret.secretName]);
      const items = volume.secret.items ?? Object.keys(secret.data ?? {}).map((key) => ({ key, path: key }));
      for (const item of items) writeFile(path.join(dir, item.path), Buffer.from(secret.data[item.key], 'base64'), 0o600);
    } else if (volume.emptyDir) {
      // nothing in it
    } else if (volume.projected) {
      for (const source of volume.projected.sources) {
        if (source.serviceAccountToken) {
          // What the kubelet asks for: a token bound to this pod, for the pod's ServiceAccount.
          const args = ['create', 'token', pod.spec.serviceAccountName, '--namespace', namespace,
            '--bound-object-kind', 'Pod', '--bound-object-name', pod.metadata.name, '--bound-object-uid', pod.metadata.uid,
            `--duration=${source.serviceAccountToken.expirationSeconds ?? 3600}s`,
            ...source.serviceAccountToken.audience ? ['--audience', source.serviceAccountToken.audience] : []];
          writeFile(path.join(dir, source.serviceAccountToken.path), (await cluster.kubectl(args)).trim(), 0o600);
        } else if (source.configMap) {
          // kube-root-ca.crt is published by kube-controller-manager moments after the namespace exists.
          const cm = await waitFor(`ConfigMap ${namespace}/${source.configMap.name}`, () => kubectlJson(['get', 'configmap', source.configMap.name]), { timeoutMs: 30_000 });
          for (const item of source.configMap.items ?? []) writeFile(path.join(dir, item.path), cm.data[item.key]);
        } else if (source.downwardAPI) {
          for (const item of source.downwardAPI.items ?? []) writeFile(path.join(dir, item.path), fieldOf(pod, item.fieldRef?.fieldPath));
        } else {
          throw new Error(`projected volume ${volume.name}: source ${Object.keys(source).join(',')} is not laid out by the local driver`);
        }
      }
    } else {
      throw new Error(`volume ${mount.name} (${Object.keys(volume).filter((k) => k !== 'name').join(',')}) is not laid out by the local driver`);
    }
  }
  for (const [imagePath, local] of Object.entries(options.imageFiles ?? {})) {
    writeFile(path.join(root, imagePath), fs.readFileSync(local));
    localDirs.push(imagePath);
  }
  fs.mkdirSync(path.join(root, IMAGE_WORKDIR), { recursive: true });

  /** A pod path (optionally `local://` or `file://`) under a laid-out folder, moved under `root`. */
  const localPath = (value: string): string => value.split(',').map((item) => {
    const scheme = /^(local|file):\/\//.exec(item)?.[0] ?? '';
    const file = item.slice(scheme.length);
    return localDirs.some((d) => within(file, d)) ? `${scheme}${path.join(root, file)}` : item;
  }).join(',');
  const why = (value: string) => {
    const dir = localDirs.find((d) => value.split(',').some((item) => within(item.replace(/^(local|file):\/\//, ''), d)));
    return (options.imageFiles ?? {})[dir ?? ''] !== undefined
      ? `a file of the image (${dir}), copied under the local root`
      : `${dir}, a volume of the pod, laid out under the local root`;
  };

  // The container's env, resolved as the kubelet would, with pod paths moved under root.
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    let value: string;
    if (variable.valueFrom?.fieldRef?.fieldPath === 'status.podIP') {
      value = LOCAL_BIND_ADDRESS;
      rewrites.push({
        where: `env ${variable.name}`,
        from: 'fieldRef status.podIP',
        to: value,
        why: 'the pod IP: the driver binds to it, and the pod\'s (from kwok) is not an address of this machine',
      });
    } else if (variable.valueFrom?.fieldRef) {
      value = fieldOf(pod, variable.valueFrom.fieldRef.fieldPath);
    } else if (variable.valueFrom) {
      throw new Error(`env ${variable.name}: ${Object.keys(variable.valueFrom).join(',')} is not resolved by the local driver`);
    } else {
      value = variable.value ?? '';
      const moved = localPath(value);
      if (moved !== value) rewrites.push({ where: `env ${variable.name}`, from: value, to: moved, why: why(value) });
      value = moved;
    }
    env[variable.name] = value;
  }

  // The driver's own arguments: `driver --properties-file <file> --class <main> <resource> <args>`.
  const driverArgs: string[] = container.args.slice(1).map((arg: string, i: number) => {
    const moved = localPath(arg);
    if (moved !== arg) rewrites.push({ where: `args[${i + 1}]`, from: arg, to: moved, why: why(arg) });
    return moved;
  });
  const propertiesAt = driverArgs.indexOf('--properties-file');
  if (propertiesAt < 0) throw new Error('the driver\'s args have no --properties-file');
  const propertiesFile = driverArgs[propertiesAt + 1];

  // spark.properties stays as the ConfigMap holds it; overrides are appended (Properties.load keeps the last).
  const original = fs.readFileSync(propertiesFile, 'utf8');
  const overrides: Array<[string, string, string]> = [];
  for (const [key, value] of Object.entries(parseProperties(original))) {
    const moved = localPath(value);
    if (moved !== value) {
      overrides.push([key, moved, why(value)]);
      rewrites.push({ where: `spark.properties ${key}`, from: value, to: moved, why: why(value) });
    }
  }
  const added = (key: string, value: string, reason: string) => {
    overrides.push([key, value, reason]);
    rewrites.push({ where: `spark.properties ${key}`, to: value, why: reason });
  };
  // A driver started in its pod (spark.kubernetes.submitInDriver) talks to spark.kubernetes.driver.master,
  // default https://kubernetes.default.svc, with the pod's mounted token (KubernetesClusterManager).
  added('spark.kubernetes.driver.master', cluster.connection.server,
    'the in-cluster default https://kubernetes.default.svc is a cluster DNS name; this is the test API server');
  const token = path.join(root, SERVICE_ACCOUNT_DIR, 'token');
  if (!fs.existsSync(token)) throw new Error(`the driver pod has no service-account token mounted at ${SERVICE_ACCOUNT_DIR}`);
  added('spark.kubernetes.authenticate.driver.mounted.oauthTokenFile', token,
    `Spark reads the token at the fixed path ${SERVICE_ACCOUNT_DIR}/token; this is the pod's, laid out under the local root`);
  added('spark.kubernetes.authenticate.driver.mounted.caCertFile', path.join(root, SERVICE_ACCOUNT_DIR, 'ca.crt'),
    `Spark reads the CA at the fixed path ${SERVICE_ACCOUNT_DIR}/ca.crt; this is the pod's, laid out under the local root`);
  const block = overrides.map(([key, value, reason]) => `# ${reason}\n${escapeProperty(key, true)}=${escapeProperty(value, false)}\n`).join('');
  fs.writeFileSync(propertiesFile, `${original}#\n# Overrides to run this driver outside its pod (test/parity/local-driver.ts)\n${block}`);

  // The image's environment, and what this machine needs besides.
  const machine: Array<[string, string, string]> = [
    ['SPARK_LOCAL_IP', LOCAL_BIND_ADDRESS, 'the web UI binds to all interfaces otherwise (in a pod they are the pod\'s own)'],
    ['JAVA_TOOL_OPTIONS', `${SUBMIT_JAVA_OPTIONS} -Djava.io.tmpdir=${path.join(root, 'tmp')}`,
      'C1 only and the serial collector (about half the CPU on a 2-core machine); the container\'s /tmp under the local root'],
  ];
  for (const [name, value, reason] of machine) {
    env[name] = value;
    rewrites.push({ where: `env ${name}`, to: value, why: reason });
  }
  const bind = env.SPARK_DRIVER_BIND_ADDRESS;
  if (bind === undefined) throw new Error('the driver container has no SPARK_DRIVER_BIND_ADDRESS');
  const home = path.join(root, 'home');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  return {
    command: path.join(options.sparkHome, 'bin', 'spark-submit'),
    // The entrypoint's driver mode (entrypoint.sh, `driver)`).
    args: ['--conf', `spark.driver.bindAddress=${bind}`, '--conf', `spark.executorEnv.SPARK_DRIVER_POD_IP=${bind}`, '--deploy-mode', 'client', ...driverArgs],
    env: {
      // The image's ENV (SPARK_HOME=/opt/spark, a UTF-8 locale), this machine's Java, an empty home
      // (no kubeconfig for fabric8 to find: the pod's token is the only credential).
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {},
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      HOME: home,
      SPARK_HOME: options.sparkHome,
      ...env,
    },
    cwd: path.join(root, IMAGE_WORKDIR),
    logFile: path.join(root, 'driver.log'),
    rewrites,
  };
}

/** The value of a downward-API field of `pod`. */
function fieldOf(pod: any, fieldPath: string | undefined): string {
  switch (fieldPath) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace;
    case 'metadata.uid': return pod.metadata.uid;
    case 'spec.nodeName': return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? '';
    default: throw new Error(`downward-API field ${fieldPath} is not resolved by the local driver`);
  }
}

/**
 * Starts the planned driver in its own process group, its output in `plan.logFile`. The caller stops
 * it (`stop()`: SIGTERM, which runs Spark's shutdown hook, then SIGKILL); if this process exits first,
 * the group is killed.
 */
export function startLocalDriver(plan: LocalDriverPlan): ManagedProcess {
  const driver = ManagedProcess.start({ name: 'spark-driver', command: plan.command, args: plan.args, env: plan.env, cwd: plan.cwd, logFile: plan.logFile });
  const kill = () => driver.killNow();
  process.once('exit', kill);
  void driver.exited.then(() => process.removeListener('exit', kill));
  return driver;
}

/** The main class of {@link compileWaitForExecutors}'s jar. */
export const WAIT_FOR_EXECUTORS_CLASS = 'dev.cdk8s.spark.e2e.WaitForExecutors';

/**
 * Compiles `driver-main/WaitForExecutors.java` against `sparkHome`'s jars with this machine's JDK
 * (javac, jar) into `<dir>/wait-for-executors.jar` and returns its path: an application that asks for
 * executors and waits for them (the pyspark wheel ships no examples jar).
 */
export async function compileWaitForExecutors(sparkHome: string, dir: string): Promise<string> {
  const run = promisify(execFile);
  const classes = path.join(dir, 'classes');
  const jar = path.join(dir, 'wait-for-executors.jar');
  await run('javac', ['-J-XX:TieredStopAtLevel=1', '--release', '17', '-cp', path.join(sparkHome, 'jars', '*'), '-d', classes,
    path.join(__dirname, 'driver-main', 'WaitForExecutors.java')]);
  await run('jar', ['--create', '--file', jar, '-C', classes, '.']);
  return jar;
}
