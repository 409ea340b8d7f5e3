import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { pinnedVersions, resolveBinDir } from './binaries';
import { Cluster, TokenOptions } from './cluster';
import { ClusterConnection } from './connection';
import { FAKE_NODE_LABEL_KEY, FAKE_NODE_LABEL_VALUE, NodeCapacity, fakeNodeManifests } from './fake-nodes';
import { httpGet, ProbeTls } from './http-probe';
import { writeKubeconfig } from './kubeconfig';
import { runKubectl } from './kubectl';
import { KWOK_DEBUGGING_KINDS, kwokDebuggingCrds } from './kwok-debugging';
import { FAKE_NODE_ANNOTATION_KEY, FAKE_NODE_ANNOTATION_VALUE, kwokStagesYaml } from './kwok-stages';
import { createPki, Pki } from './pki';
import { freeLoopbackPorts } from './ports';
import { ManagedProcess, tailFile } from './process-group';
import { Reaper } from './reaper';
import { waitFor } from './wait';

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** Directory with the binaries. @default - CDK8S_SPARK_CONTROLPLANE_BIN, else what build.sh prints */
  readonly binDir?: string;
  /** Where logs, certificates, etcd data and kubeconfigs go. @default - a new os.tmpdir()/cdk8s-spark-e2e-XXXXXX */
  readonly runDir?: string;
  /** Number of kwok nodes. @default 2 */
  readonly nodes?: number;
  /** Allocatable resources of each node. @default - 32 cpu, 128Gi memory, 110 pods */
  readonly nodeCapacity?: NodeCapacity;
  /** Time for each component to become ready. @default 120_000 */
  readonly readyTimeoutMs?: number;
  /** Progress messages. @default - written to stderr */
  readonly log?: (message: string) => void;
  /** Serve the API server's `/debug/pprof` (the benchmark's `--profile-apiserver`). @default false */
  readonly profiling?: boolean;
}

// The Service network: its first address is the `kubernetes` Service, which must be in the
// apiserver's certificate. Pod IPs come from the nodes' pod CIDRs (10.244.<n>.0/24).
/** The Services' ClusterIP range. */
export const SERVICE_CIDR = '10.96.0.0/16';

/** The `n`th address of {@link SERVICE_CIDR} (an IPv4 range of at most 2^16 addresses, as ours is). */
export function serviceCidrAddress(n: number): string {
  const [network, bits] = SERVICE_CIDR.split('/');
  const size = 2 ** (32 - Number(bits));
  if (!Number.isInteger(n) || n < 1 || n >= size - 1) throw new Error(`${n} is not a host address of ${SERVICE_CIDR}`);
  const octets = network.split('.').map(Number);
  const value = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3] + n;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** The `kubernetes` Service's address: the range's first. */
const KUBERNETES_SERVICE_IP = serviceCidrAddress(1);
const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on loopback ports,
 * with a fresh PKI, RBAC and the default admission plugins (PodSecurity included), then registers
 * the fake nodes and waits until they are Ready.
 *
 * On failure everything started so far is stopped and the error names the run folder and shows
 * the end of each component's log.
 */
/** The API server's audit log, in the run folder. */
const AUDIT_LOG = 'audit.log';

/**
 * The audit policy: metadata (user, verb, resource, answer) of every request by a service account
 * outside kube-system, nothing else (the control plane's own controllers would fill the log).
 */
function writeAuditPolicy(folder: string): string {
  const file = path.join(folder, 'policy.yaml');
  fs.writeFileSync(file, stringify({
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived', 'ResponseStarted'],
    rules: [
      { level: 'None', userGroups: ['system:serviceaccounts:kube-system'] },
      { level: 'Metadata', userGroups: ['system:serviceaccounts'] },
      { level: 'None' },
    ],
  }));
  return file;
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[e2e] ${m}\n`));
  const runDir = options.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-e2e-'));
  fs.mkdirSync(runDir, { recursive: true });
  const cp = new ControlPlane(runDir, log);
  try {
    await cp.start(options);
    return cp;
  } catch (err) {
    await cp.stop({ keepRunDir: true });
    throw new Error(`${(err as Error).message}\n\ncontrol plane logs are in ${runDir}\n${cp.logTails(25)}`);
  }
}

/** Options of {@link ControlPlane.stop}. */
export interface StopOptions {
  /** Keep logs, certificates and etcd data. @default - kept when {@link ControlPlane.markFailed} was called or CDK8S_SPARK_E2E_KEEP=1 */
  readonly keepRunDir?: boolean;
}

/** A running control plane; {@link stop} it when done (exit handlers stop it too). */
export class ControlPlane {
  private readonly processes: ManagedProcess[] = [];
  private readonly reaper: Reaper;
  private failed = false;
  /** Set by {@link stop}: components that exit from then on are not started again. */
  private stopping = false;
  private connectionData: ClusterConnection | undefined;

  /** @internal use {@link startControlPlane} */
  public constructor(public readonly runDir: string, private readonly log: (m: string) => void) {
    this.reaper = new Reaper(runDir);
  }

  /** How to reach it; plain data to hand to other processes. */
  public get connection(): ClusterConnection {
    if (!this.connectionData) {
      throw new Error('the control plane is not started');
    }
    return this.connectionData;
  }

  /** kubectl, applyManifests and credentials, as the admin. */
  public get cluster(): Cluster {
    return new Cluster(this.connection);
  }

  /** A TokenRequest token for `namespace/serviceAccount`. */
  public tokenFor(namespace: string, serviceAccount: string, options?: TokenOptions): Promise<string> {
    return this.cluster.tokenFor(namespace, serviceAccount, options);
  }

  /** A kubeconfig path that acts as `namespace/serviceAccount`. */
  public kubeconfigFor(namespace: string, serviceAccount: string, options?: TokenOptions): Promise<string> {
    return this.cluster.kubeconfigFor(namespace, serviceAccount, options);
  }

  /** Remember that something went wrong, so {@link stop} keeps the run folder for post-mortems. */
  public markFailed(): void {
    this.failed = true;
  }

  /** The end of every component's log, for error messages. */
  public logTails(lines = 40): string {
    return this.processes
      .map((p) => `--- ${p.name} (${p.describeExit() ?? 'running'}): ${p.logFile}\n${tailFile(p.logFile, lines)}`)
      .join('\n');
  }

  /**
   * Stops every component (newest first; SIGTERM, then SIGKILL after 10 s) and removes the run
   * folder unless it is to be kept.
   */
  public async stop(options: StopOptions = {}): Promise<void> {
    this.stopping = true;
    for (const p of [...this.processes].reverse()) {
      await p.stop(10_000);
    }
    await this.reaper.release();
    const keep = options.keepRunDir ?? (this.failed || process.env.CDK8S_SPARK_E2E_KEEP === '1');
    if (keep) {
      this.log(`control plane stopped; logs kept in ${this.runDir}`);
    } else {
      fs.rmSync(this.runDir, { recursive: true, force: true });
    }
  }

  /** @internal */
  public async start(options: ControlPlaneOptions): Promise<void> {
    const started = Date.now();
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const binDir = options.binDir ?? (await resolveBinDir());
    const bin = (name: string) => path.join(binDir, name);
    const versions = pinnedVersions();
    const kubernetesVersion = versions.KUBERNETES_VERSION ?? 'unknown';
    this.log(`run folder ${this.runDir}`);

    const dir = (name: string) => {
      const d = path.join(this.runDir, name);
      fs.mkdirSync(d, { recursive: true, mode: 0o700 });
      return d;
    };
    const home = dir('home');
    // No developer config (~/.kube, ~/.kwok) and no KUBECONFIG may leak into a component.
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, KUBECONFIG: undefined };
    const [etcdPort, etcdPeerPort, apiserverPort, kcmPort, schedulerPort, kwokPort] = await freeLoopbackPorts(6);
    const server = `https://127.0.0.1:${apiserverPort}`;

    const pki: Pki = await createPki(dir('pki'), {
      serverIps: ['127.0.0.1', KUBERNETES_SERVICE_IP],
      serverDnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    });
    const kubeconfigs = dir('kubeconfigs');
    const kubeconfig = (name: string, pair: { cert: string; key: string }) =>
      writeKubeconfig(path.join(kubeconfigs, `${name}.yaml`), {
        server,
        caFile: pki.ca.cert,
        user: name,
        credentials: { clientCertificate: pair.cert, clientKey: pair.key },
      });
    const adminKubeconfig = kubeconfig('admin', pki.admin);

    // etcd
    const etcd = this.spawn('etcd', bin('etcd'), [
      '--name=e2e',
      `--data-dir=${dir('etcd-data')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=e2e=http://127.0.0.1:${etcdPeerPort}`,
      // A test cluster is thrown away: durability buys nothing and fsync costs seconds.
      '--unsafe-no-fsync=true',
      // Room for benchmarks that store hundreds of objects at the size limit (the default is 2 GiB).
      '--quota-backend-bytes=8589934592',
      '--log-level=warn',
    ], env);
    await this.waitHealthy(etcd, `http://127.0.0.1:${etcdPort}/health`, {}, (b) => /"health":\s*"true"/.test(b), timeoutMs);

    // kube-apiserver
    const apiserver = this.spawnRestartingOnExit('kube-apiserver', bin('kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // The endpoint reconciler refuses a loopback address for the `kubernetes` Service's endpoints,
      // and nothing runs inside this cluster that would dial them: keep the Service, skip its endpoints.
      '--endpoint-reconciler-type=none',
      `--secure-port=${apiserverPort}`,
      `--cert-dir=${dir('apiserver')}`,
      `--tls-cert-file=${pki.apiserver.cert}`,
      `--tls-private-key-file=${pki.apiserver.key}`,
      `--client-ca-file=${pki.ca.cert}`,
      // A real kubelet (harness/real-node.ts) serves logs to this identity (kwok does not ask for one).
      `--kubelet-client-certificate=${pki.kubeletClient.cert}`,
      `--kubelet-client-key=${pki.kubeletClient.key}`,
      '--authorization-mode=Node,RBAC',
      // Default admission plugins (PodSecurity, ServiceAccount, ...), plus the node guard that
      // goes with the Node authorizer.
      // OwnerReferencesPermissionEnforcement (on in OpenShift): an owner reference with
      // blockOwnerDeletion needs \`update\` on the owner's finalizers, which the operator's RBAC grants.
      '--enable-admission-plugins=NodeRestriction,OwnerReferencesPermissionEnforcement',
      '--allow-privileged=true',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      `--profiling=${options.profiling === true}`,
      // Who asked for what, for service accounts outside kube-system (the operator's components):
      // rbac-used.e2e.test.ts compares it with the RBAC the operator renders.
      `--audit-policy-file=${writeAuditPolicy(dir('audit'))}`,
      `--audit-log-path=${path.join(this.runDir, AUDIT_LOG)}`,
      '--audit-log-maxsize=0',
      // Nodes' Hostname addresses resolve nowhere: logs and port-forwards go to kwok at the fake
      // nodes' InternalIP (127.0.0.1) and their kubelet port, and to the real node's kubelet at its
      // InternalIP (as kubeadm configures it).
      '--kubelet-preferred-address-types=InternalIP',
      '--v=1',
    ], env);
    await this.waitHealthy(apiserver, `${server}/readyz`, { caFile: pki.ca.cert }, (b) => b.trim() === 'ok', timeoutMs);

    // kube-controller-manager: controllers act through their own service accounts
    // (generic-garbage-collector, ...) as in kubeadm clusters, so RBAC is exercised for them too.
    const kcm = this.spawn('kube-controller-manager', bin('kube-controller-manager'), [
      `--kubeconfig=${kubeconfig('kube-controller-manager', pki.controllerManager)}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      `--cert-dir=${dir('kube-controller-manager')}`,
      '--leader-elect=false',
      '--use-service-account-credentials=true',
      `--root-ca-file=${pki.ca.cert}`,
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--cluster-signing-cert-file=${pki.ca.cert}`,
      `--cluster-signing-key-file=${pki.ca.key}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--v=1',
    ], env);

    const scheduler = this.spawn('kube-scheduler', bin('kube-scheduler'), [
      `--kubeconfig=${kubeconfig('kube-scheduler', pki.scheduler)}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
      `--cert-dir=${dir('kube-scheduler')}`,
      '--leader-elect=false',
      '--v=1',
    ], env);

    // kwok's Logs and PortForward CRDs, which it watches from the start (kwok-debugging.ts).
    const kubectl = (args: string[], input?: string) =>
      runKubectl(args, { kubectl: bin('kubectl'), kubeconfig: adminKubeconfig, input, env: { HOME: home } });
    await kubectl(['apply', '-f', '-'], kwokDebuggingCrds().map((c) => stringify(c)).join('---\n'));
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...kwokDebuggingCrds().map((c) => `crd/${(c.metadata as { name: string }).name}`)]);

    const stagesFile = path.join(this.runDir, 'kwok-stages.yaml');
    fs.writeFileSync(stagesFile, kwokStagesYaml({ kubeletVersion: kubernetesVersion, runtimeVersion: `kwok-${versions.KWOK_VERSION ?? ''}` }));
    const kwok = this.spawn('kwok', bin('kwok'), [
      `--kubeconfig=${kubeconfig('kwok', pki.kwok)}`,
      `--config=${stagesFile}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION_KEY}=${FAKE_NODE_ANNOTATION_VALUE}`,
      `--server-address=127.0.0.1:${kwokPort}`,
      // The nodes advertise this port as their kubelet's (daemonEndpoints): kwok's server answers
      // TLS there (a certificate of its own, which the API server does not check without
      // --kubelet-certificate-authority) and plain HTTP (/healthz) on the same port.
      `--node-port=${kwokPort}`,
      `--enable-crds=${KWOK_DEBUGGING_KINDS.join(',')}`,
      '--node-ip=127.0.0.1',
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
    ], env);

    // The three only need the apiserver: start together, wait together.
    const insecure: ProbeTls = {};
    await Promise.all([
      this.waitHealthy(kcm, `https://127.0.0.1:${kcmPort}/healthz`, insecure, (b) => b.trim() === 'ok', timeoutMs),
      this.waitHealthy(scheduler, `https://127.0.0.1:${schedulerPort}/healthz`, insecure, (b) => b.trim() === 'ok', timeoutMs),
      this.waitHealthy(kwok, `http://127.0.0.1:${kwokPort}/healthz`, {}, () => true, timeoutMs),
    ]);

    this.connectionData = {
      server,
      caFile: pki.ca.cert,
      adminKubeconfig,
      binDir,
      runDir: this.runDir,
      kubernetesVersion,
      nodes: [],
      etcdServer: `http://127.0.0.1:${etcdPort}`,
      apiserverPidFile: path.join(this.runDir, 'kube-apiserver.pid'),
      auditLog: path.join(this.runDir, AUDIT_LOG),
    };

    // Fake nodes, registered as a kubelet would, then made Ready by kwok.
    const nodes = fakeNodeManifests(options.nodes ?? 2, options.nodeCapacity);
    if (nodes.length > 0) await this.cluster.kubectl(['create', '-f', '-'], { input: nodes.map((n) => stringify(n)).join('---\n') });
    const names = nodes.map((n) => (n.metadata as { name: string }).name);
    await waitFor('fake nodes Ready', async () => {
      const out = await this.cluster.kubectl(['get', 'nodes', '-l', `${FAKE_NODE_LABEL_KEY}=${FAKE_NODE_LABEL_VALUE}`,
        '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
      const ready = out.split('\n').filter((l) => l.endsWith('=True')).length;
      return ready === names.length;
    }, { timeoutMs, intervalMs: 500, abortIf: () => this.firstExit() });
    // Pods need the `default` ServiceAccount of their namespace, which kube-controller-manager makes.
    await waitFor('ServiceAccount default/default', async () => {
      await this.cluster.kubectl(['get', 'serviceaccount', 'default', '--namespace', 'default']);
      return true;
    }, { timeoutMs, abortIf: () => this.firstExit() });

    this.connectionData = { ...this.connectionData, nodes: names };
    this.log(`control plane ${kubernetesVersion} ready at ${server} in ${((Date.now() - started) / 1000).toFixed(1)}s ` +
      `(${names.length} kwok nodes)`);
  }

  /**
   * {@link spawn}, and the same again whenever the process exits before {@link stop}: a test
   * restarts the component by stopping it (`kill $(cat <runDir>/<name>.pid)`), as a crashed or
   * upgraded API server comes back with the same flags and the same etcd. The pid file follows.
   */
  private spawnRestartingOnExit(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ManagedProcess {
    const p = this.spawn(name, command, args, env);
    fs.writeFileSync(path.join(this.runDir, `${name}.pid`), `${p.pid}\n`);
    void p.exited.then((exit) => {
      if (this.stopping) return;
      this.log(`${name} exited (${exit.signal ?? exit.code}): starting it again`);
      this.processes.splice(this.processes.indexOf(p), 1);
      this.spawnRestartingOnExit(name, command, args, env);
    });
    return p;
  }

  private spawn(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ManagedProcess {
    const p = ManagedProcess.start({ name, command, args, env, cwd: this.runDir, logFile: path.join(this.runDir, `${name}.log`) });
    this.processes.push(p);
    this.reaper.add(p);
    return p;
  }

  private firstExit(): string | undefined {
    for (const p of this.processes) {
      const exit = p.describeExit();
      if (exit) {
        return exit;
      }
    }
    return undefined;
  }

  private async waitHealthy(p: ManagedProcess, url: string, tls: ProbeTls, healthy: (body: string) => boolean, timeoutMs: number) {
    const t0 = Date.now();
    await waitFor(`${p.name} at ${url}`, async () => {
      const res = await httpGet(url, tls);
      if (res.status !== 200 || !healthy(res.body)) {
        throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
      }
      return true;
    }, { timeoutMs, intervalMs: 250, abortIf: () => this.firstExit() });
    this.log(`${p.name} ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
}
