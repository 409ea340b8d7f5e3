/**
 * Runs the runtime bundle's `webhook` sub-command as its Deployment would, with the arguments and
 * the RBAC that `SparkOperator` synthesizes, authenticated as the webhook's ServiceAccount, as a
 * local process; and registers the synthesized webhook configurations with the API server, pointed
 * at it on loopback (`url: https://127.0.0.1:<port>/...`, since no pod runs here) with a test CA.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Cluster } from './cluster';
import { RUNTIME_BUNDLE } from './operator';
import { CertPair, createServingPki } from './pki';
import { freeLoopbackPorts } from './ports';
import { ManagedProcess, tailFile } from './process-group';
import { reapWithThisProcess } from './reaper';
import { waitFor } from './wait';

/** The RBAC kinds of the install the webhook process needs. */
const RBAC_KINDS = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

/** How a test runs the webhook. */
export interface WebhookRunOptions {
  /** Flags added to (or replacing) the Deployment's. */
  readonly extraArgs?: string[];
  /** What the API server does when the webhook fails. @default 'Fail' (tests want a clear answer) */
  readonly failurePolicy?: 'Fail' | 'Ignore';
}

/** A running webhook process, registered with the API server. */
export interface RunningWebhook {
  readonly process: ManagedProcess;
  /** The arguments it runs with. */
  readonly args: string[];
  readonly port: number;
  readonly healthProbePort: number;
  readonly metricsPort: number;
  /** The test CA that signed its serving certificate (PEM). */
  readonly caBundle: string;
  /** The log so far, one JSON object per line. */
  logLines(): Array<Record<string, unknown>>;
  /** Mounts a new serving certificate of the same CA the way the kubelet rotates a Secret (`..data` swapped); returns the new certificate (PEM). */
  rotateCertificate(): Promise<string>;
  /** Registers the webhook configurations again after {@link unregister} (the process keeps running). */
  register(): Promise<void>;
  /** Removes the webhook configurations; the process keeps running. */
  unregister(): Promise<void>;
  /** Removes the webhook configurations, then stops the process. */
  stop(): Promise<void>;
}

function flagOf(arg: string): string {
  return arg.split('=')[0];
}

/**
 * Applies the install's RBAC, starts the webhook with its Deployment's arguments (TLS from files:
 * a serving certificate for 127.0.0.1, since the API server calls the process by that address),
 * waits until it is ready, and registers the two webhook configurations of `objects` pointed at it.
 */
export async function startWebhookOf(cluster: Cluster, objects: any[], options: WebhookRunOptions = {}): Promise<RunningWebhook> {
  if (!fs.existsSync(RUNTIME_BUNDLE)) throw new Error(`${RUNTIME_BUNDLE} is missing: run 'npm run bundle' (npm test does)`);
  await cluster.applyManifests(objects.filter((o) => RBAC_KINDS.includes(o.kind)), { serverSide: true });
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'webhook');
  if (!deployment) throw new Error('the install renders no webhook Deployment');
  const pod = deployment.spec.template.spec;

  const runDir = fs.mkdtempSync(path.join(cluster.connection.runDir, 'webhook-'));
  const pki = await createServingPki(path.join(runDir, 'pki'), ['127.0.0.1']);
  // The certificate directory as the kubelet lays out a mounted Secret: the files are links through
  // `..data`, which a rotation swaps atomically to a new timestamped directory.
  const certDir = path.join(runDir, 'certs');
  fs.mkdirSync(certDir);
  let generation = 0;
  const mount = (pair: CertPair) => {
    const dataDir = `..${++generation}`;
    fs.mkdirSync(path.join(certDir, dataDir));
    fs.copyFileSync(pair.cert, path.join(certDir, dataDir, 'tls.crt'));
    fs.copyFileSync(pair.key, path.join(certDir, dataDir, 'tls.key'));
    fs.symlinkSync(dataDir, path.join(certDir, '..data_tmp'));
    fs.renameSync(path.join(certDir, '..data_tmp'), path.join(certDir, '..data'));
  };
  mount(pki.server);
  for (const file of ['tls.crt', 'tls.key']) fs.symlinkSync(path.join('..data', file), path.join(certDir, file));

  const [port, healthProbePort, metricsPort] = await freeLoopbackPorts(3);
  const extra = [`--port=${port}`, `--health-probe-port=${healthProbePort}`, `--metrics-port=${metricsPort}`, '--tls-mode=files', `--tls-cert-dir=${certDir}`,
    ...options.extraArgs ?? []].filter((arg, i, all) => !all.slice(i + 1).some((later) => flagOf(later) === flagOf(arg)));
  // The self-managed TLS flags do not apply to files.
  const selfManagedOnly = ['--tls-secret-name', '--tls-secret-namespace', '--service-name', '--service-namespace', '--webhook-configuration-name'];
  const args: string[] = [
    ...pod.containers[0].args.filter((a: string) => !extra.some((e) => flagOf(e) === flagOf(a)) && !selfManagedOnly.includes(flagOf(a))),
    ...extra,
  ];
  const logFile = path.join(runDir, 'webhook.log');
  const child = ManagedProcess.start({
    name: 'webhook',
    command: process.execPath,
    args: [RUNTIME_BUNDLE, ...args],
    logFile,
    env: { PATH: process.env.PATH ?? '', KUBECONFIG: await cluster.kubeconfigFor(deployment.metadata.namespace, pod.serviceAccountName, { durationSeconds: 7200 }), TZ: 'UTC' },
  });
  reapWithThisProcess(child, cluster.connection.runDir);
  const logLines = () => fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  try {
    // Serving, and with the cluster's schemas of the embedded types (until then it does not check them).
    const started = (l: Record<string, unknown>) => l.msg === 'serving admission reviews' || l.msg === 'core/v1 OpenAPI schemas loaded';
    await waitFor('the webhook to serve with the cluster\'s schemas', () => logLines().filter(started).length === 2, {
      timeoutMs: 30_000,
      abortIf: () => (child.running ? undefined : `the webhook exited (${child.describeExit()}):\n${tailFile(logFile)}`),
    });
  } catch (error) {
    await child.stop();
    throw error;
  }

  const caBundle = fs.readFileSync(pki.ca.cert, 'utf8');
  const configurations = objects
    .filter((o) => o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration')
    .map((o) => ({
      ...o,
      webhooks: o.webhooks.map((w: any) => ({
        ...w,
        failurePolicy: options.failurePolicy ?? 'Fail',
        clientConfig: { url: `https://127.0.0.1:${port}${w.clientConfig.service.path}`, caBundle: Buffer.from(caBundle).toString('base64') },
      })),
    }));
  const register = async () => {
    await cluster.applyManifests(configurations, { serverSide: true });
  };
  await register();
  const unregister = async () => {
    for (const c of configurations) await cluster.kubectl(['delete', c.kind.toLowerCase(), c.metadata.name, '--ignore-not-found']);
  };
  return {
    process: child,
    args,
    port,
    healthProbePort,
    metricsPort,
    caBundle,
    logLines,
    rotateCertificate: async () => {
      const pair = await pki.issueServer(`server-${generation + 1}`);
      mount(pair);
      return fs.readFileSync(pair.cert, 'utf8');
    },
    register,
    unregister,
    stop: async () => {
      await unregister();
      await child.stop();
    },
  };
}
