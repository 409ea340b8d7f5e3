/**
 * A real node beside the e2e control plane: containerd (Debian's, with Debian's runc and CNI plugins)
 * and a kubelet built from the control plane's own Kubernetes modules, registered with the control
 * plane as `system:node:<name>`, so pods scheduled there really run; with kube-proxy (Services as
 * iptables rules) and CoreDNS as a cluster runs it: a Deployment in kube-system behind the `kube-dns`
 * Service, whose ClusterIP the kubelet gives pods as their nameserver.
 *
 * The node lives in a network namespace of its own, joined to the host by a veth pair: its bridge,
 * its routes and whatever iptables rules its CNI plugins make stay in there and go with it, and its
 * fixed ports (the kubelet's 10250) cannot collide with another run. The kubelet reaches the API
 * server (which listens on loopback only) through a TCP relay in this process on the host's end of the
 * pair (so does kube-proxy; pods reach it as the `kubernetes` Service); the API server dials the kubelet at the node's InternalIP, through the pair.
 *
 * Every process of the node (its three programs, containerd's shims, the containers) runs in cgroups under
 * one root of its own, which is how {@link RealNode.stop}, the exit handler and a watchdog (for a
 * test process that dies without running any handler) find and kill them all. Then they unmount
 * whatever is mounted under the node's folder, delete the namespace, the cgroups, containerd's shim
 * sockets, the CNI cache entries and the folder, and put back the kernel settings the kubelet
 * changed: one generated script (`cleanup.sh`), the same on every path.
 *
 * Needs root, cgroups v1 (this machine's hybrid mode; `failCgroupV1: false`) or v2, and the Debian
 * packages of node/install.sh.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { KubeObject } from './apply';
import { NODE_MODULE_DIR, OfflineImage, offlineImageFromDir, offlineImages, resolveCorednsBinDir, resolveNodeBinDir } from './binaries';
import { Cluster } from './cluster';
import { SERVICE_CIDR, serviceCidrAddress } from './control-plane';
import { httpGet } from './http-probe';
import { issueClientCertificate } from './pki';
import { ManagedProcess, tailFile } from './process-group';
import { waitFor } from './wait';

/** Label and taint key of the real node: only pods that tolerate it (and select it) land there. */
export const REAL_NODE_KEY = 'e2e.cdk8s-spark.dev/real-node';

/** The toleration and node selector a pod needs to run on the real node. */
export function onRealNode(): { tolerations: Record<string, string>[]; nodeSelector: Record<string, string> } {
  return {
    tolerations: [{ key: REAL_NODE_KEY, operator: 'Exists', effect: 'NoSchedule' }],
    nodeSelector: { [REAL_NODE_KEY]: 'true' },
  };
}

/** The name of {@link realNodePlacement}'s policy and binding. */
export const REAL_NODE_PLACEMENT = 'e2e-real-node-placement';

/**
 * A MutatingAdmissionPolicy (GA in Kubernetes 1.36) and its binding that give every pod created in a
 * namespace labelled `REAL_NODE_KEY=true` the node selector and toleration of {@link onRealNode}, so
 * that YAML written for any cluster (the README's) runs on the real node as it is. Pods elsewhere are
 * untouched. (Upstream's PodNodeSelector and PodTolerationRestriction admission plugins would do it by
 * namespace annotations, but the latter also gives every pod a memory-pressure toleration, which
 * would change the pods the parity suite compares.)
 */
export function realNodePlacement(): KubeObject[] {
  const key = JSON.stringify(REAL_NODE_KEY);
  const toleration = `Object.spec.tolerations{key: ${key}, operator: "Exists", effect: "NoSchedule"}`;
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: REAL_NODE_PLACEMENT },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
        failurePolicy: 'Fail',
        reinvocationPolicy: 'Never',
        mutations: [{
          patchType: 'JSONPatch',
          jsonPatch: {
            expression: [
              '(has(object.spec.tolerations)',
              `  ? [JSONPatch{op: "add", path: "/spec/tolerations/-", value: ${toleration}}]`,
              `  : [JSONPatch{op: "add", path: "/spec/tolerations", value: [${toleration}]}]) +`,
              '(has(object.spec.nodeSelector)',
              `  ? [JSONPatch{op: "add", path: "/spec/nodeSelector/" + jsonpatch.escapeKey(${key}), value: "true"}]`,
              `  : [JSONPatch{op: "add", path: "/spec/nodeSelector", value: {${key}: "true"}}])`,
            ].join('\n'),
          },
        }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: { name: REAL_NODE_PLACEMENT },
      spec: { policyName: REAL_NODE_PLACEMENT, matchResources: { namespaceSelector: { matchLabels: { [REAL_NODE_KEY]: 'true' } } } },
    },
  ];
}

/** Options of {@link startRealNode}. */
export interface RealNodeOptions {
  /** Images of node/images.sh to import (the sandbox image `pause` always is). @default ['busybox'] */
  readonly images?: readonly string[];
  /** Time for the node to become Ready. @default 120_000 */
  readonly readyTimeoutMs?: number;
  /** Progress messages. @default - written to stderr */
  readonly log?: (message: string) => void;
  /**
   * Registers the node with the taint {@link REAL_NODE_KEY}, so that only pods that tolerate it land
   * there. A cluster whose only node is this one (`npm run cluster`) leaves it off.
   * @default true
   */
  readonly taint?: boolean;
}

/** The kernel settings the kubelet sets when `protectKernelDefaults` is false; put back on cleanup. */
const KUBELET_SYSCTLS = ['vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops', 'kernel/keys/root_maxkeys', 'kernel/keys/root_maxbytes'];

/**
 * The machine's own values of {@link KUBELET_SYSCTLS}, written by the first real node that starts
 * while none runs, and put back (then removed) by the last one to go: a node started while another
 * runs would otherwise record the other kubelet's values as the machine's.
 */
const SAVED_SYSCTLS = '/run/cdk8s-spark-e2e-real-node.sysctls';

/** The prefix of every real node's cgroup root (one per node). */
const CGROUP_PREFIX = 'cdk8s-spark-e2e-';

/**
 * Host folders (and iptables' lock file) that containerd, the kubelet or kube-proxy create when
 * missing; removed again when they were new (folders only when empty).
 */
const SHARED_HOST_PATHS = ['/var/log/containers', '/run/containerd/s', '/run/containerd', '/var/lib/cni/results', '/var/lib/cni', '/run/xtables.lock'];

const CNI_PLUGIN_DIR = '/usr/lib/cni';

/** The node's programs, each with a log file of its own. */
export type RealNodeComponent = 'containerd' | 'kubelet' | 'kube-proxy';
const COMPONENTS: readonly RealNodeComponent[] = ['containerd', 'kubelet', 'kube-proxy'];

/** The cluster's DNS domain, as the kubelet and CoreDNS are told. */
export const CLUSTER_DOMAIN = 'cluster.local';

/** The `kube-dns` Service's ClusterIP, the pods' nameserver (the Service range's tenth address, as kubeadm gives it). */
export const CLUSTER_DNS_IP = serviceCidrAddress(10);

/** CoreDNS's port in its pod: not a privileged one, so it runs as a user without capabilities; the Service maps 53 to it. */
const COREDNS_PORT = 1053;

/**
 * CoreDNS as kubeadm installs it, in kube-system: what its kubernetes plugin reads (upstream's
 * `system:coredns` ClusterRole) for its ServiceAccount, its Corefile in a ConfigMap, a Deployment of
 * one pod on the real node running `image`, and the `kube-dns` Service at {@link CLUSTER_DNS_IP}.
 */
function corednsManifests(image: string): KubeObject[] {
  const labels = { 'k8s-app': 'kube-dns' };
  const corefile = [
    `.:${COREDNS_PORT} {`,
    '    errors',
    '    log',
    '    health :8080',
    '    ready :8181',
    // No kubeconfig: the pod's ServiceAccount token and the `kubernetes` Service, as in any cluster.
    `    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {`,
    '        pods insecure',
    '        fallthrough in-addr.arpa ip6.arpa',
    '        ttl 5',
    '    }',
    '}',
    '',
  ].join('\n');
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...onRealNode(),
            serviceAccountName: 'coredns',
            // Its own lookups (none but the API server's address, which it has) go to the node's resolv.conf, not to itself.
            dnsPolicy: 'Default',
            containers: [{
              name: 'coredns',
              image,
              imagePullPolicy: 'Never',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: COREDNS_PORT, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: COREDNS_PORT, protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 1 },
              livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10 },
              securityContext: {
                runAsUser: 65532,
                runAsGroup: 65532,
                runAsNonRoot: true,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
            }],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
      spec: {
        selector: labels,
        clusterIP: CLUSTER_DNS_IP,
        ports: [
          { name: 'dns', port: 53, targetPort: COREDNS_PORT, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: COREDNS_PORT, protocol: 'TCP' },
        ],
      },
    },
  ];
}

/**
 * Starts containerd and a kubelet as a node of `cluster`, imports the sandbox image and `images`,
 * and waits until the Node is Ready. On failure, everything started so far is cleaned up and the
 * error shows the end of both logs.
 */
export async function startRealNode(cluster: Cluster, options: RealNodeOptions = {}): Promise<RealNode> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[real-node] ${m}\n`));
  assertHost();
  const node = new RealNode(cluster, log);
  try {
    await node.start(options);
    return node;
  } catch (err) {
    const tails = node.logTails(30);
    await node.stop().catch((e: Error) => log(`cleanup after a failed start: ${e.message}`));
    throw new Error(`${(err as Error).message}\n\n${tails}`);
  }
}

/** A running real node; {@link stop} it when done (an exit handler and a watchdog do it too). */
export class RealNode {
  /** The Node's name. */
  public readonly name: string;
  /** The node's address on its veth (its InternalIP). */
  public readonly address: string;
  /** The image references imported into containerd, by image name (`busybox` ...). */
  public readonly images: Record<string, string> = {};
  private readonly id: string;
  private readonly dir: string;
  private readonly netns: string;
  private readonly vethHost: string;
  private readonly hostAddress: string;
  private readonly podSubnet: string;
  private readonly cgroup: string;
  private readonly cniNetwork: string;
  private readonly processes: ManagedProcess[] = [];
  private relay: net.Server | undefined;
  /** containerd's socket, once it runs. */
  private containerdSocket = '';
  private watchdog: ManagedProcess | undefined;
  private stopped = false;
  private corednsApplied = false;
  private cleanupScript: string | undefined;
  /** containerd shim sockets seen while the node ran (they live in a fixed host folder). */
  private readonly shimSockets = new Set<string>();
  /** Pod sandboxes seen while the node ran (CNI caches their results in a fixed host folder). */
  private readonly sandboxes = new Set<string>();
  /** Host paths that did not exist before the node started (containerd, the kubelet or kube-proxy make them). */
  private newHostPaths: string[] = [];
  private readonly onExit: () => void;

  /** @internal use {@link startRealNode} */
  public constructor(private readonly cluster: Cluster, private readonly log: (m: string) => void) {
    this.onExit = () => this.cleanupNow();
    this.id = randomBytes(3).toString('hex');
    this.name = `real-node-${this.id}`;
    this.dir = path.join(cluster.connection.runDir, this.name);
    this.netns = `cdk8s-e2e-${this.id}`;
    this.vethHost = `ce${this.id}h`;
    this.cgroup = `${CGROUP_PREFIX}${this.id}`;
    this.cniNetwork = `cdk8s-e2e-${this.id}`;
    const octet = pickFreeOctet();
    this.hostAddress = `10.250.${octet}.1`;
    this.address = `10.250.${octet}.2`;
    this.podSubnet = `10.251.${octet}.0/24`;
  }

  /** Where each component logs (kept in the control plane's run folder after the node is gone). */
  public logFile(component: RealNodeComponent): string {
    return path.join(this.cluster.connection.runDir, `${this.name}.${component}.log`);
  }

  /** The end of both logs, for error messages. */
  public logTails(lines = 40): string {
    return COMPONENTS
      .map((c) => `--- ${c}: ${this.logFile(c)}\n${tailFile(this.logFile(c), lines)}`)
      .join('\n');
  }

  /**
   * Removes the node: its pods and Node object from the API, then every process, mount, network
   * namespace, cgroup and folder it made. Safe to call more than once.
   */
  public async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    const t0 = Date.now();
    if (this.processes.length > 0) {
      // CoreDNS's objects, so its Deployment makes no new pod; the pods, while the kubelet can still
      // stop them; then the Node, so later tests see only kwok's.
      if (this.corednsApplied) {
        await this.cluster.kubectl(['delete', '-f', '-', '--ignore-not-found', '--wait=false'],
          { input: corednsManifests(this.images.coredns).map((o) => stringify(o)).join('---\n'), timeoutMs: 30_000 }).catch(() => undefined);
      }
      await this.cluster.kubectl(['delete', 'pods', '--all-namespaces', `--field-selector=spec.nodeName=${this.name}`,
        '--grace-period=0', '--force', '--wait=false'], { timeoutMs: 30_000 }).catch(() => undefined);
      await this.cluster.kubectl(['delete', 'node', this.name, '--ignore-not-found', '--wait=false'], { timeoutMs: 30_000 }).catch(() => undefined);
      await this.cluster.kubectl(['delete', 'endpointslice', this.name, '--namespace', 'default', '--ignore-not-found', '--wait=false'], { timeoutMs: 30_000 })
        .catch(() => undefined);
    }
    for (const p of [...this.processes].reverse()) {
      await p.stop(5_000);
    }
    await new Promise<void>((resolve) => (this.relay ? this.relay.close(() => resolve()) : resolve()));
    this.cleanupNow();
    process.removeListener('exit', this.onExit);
    await this.watchdog?.stop(1_000);
    this.log(`${this.name} removed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }

  /**
   * What is left of the node on this machine: processes, mounts, the network namespace and veth,
   * cgroups, files. Empty after {@link stop}.
   */
  public leftovers(): string[] {
    const found: string[] = [];
    const procs = cgroupDirs(this.cgroup).flatMap((d) => readLines(path.join(d, 'cgroup.procs')));
    if (procs.length > 0) found.push(`processes ${[...new Set(procs)].join(' ')} in cgroup ${this.cgroup}`);
    found.push(...cgroupDirs(this.cgroup).map((d) => `cgroup ${d}`));
    found.push(...mountsUnder(this.dir).map((m) => `mount ${m}`));
    if (fs.existsSync(`/var/run/netns/${this.netns}`)) found.push(`network namespace ${this.netns}`);
    if (fs.existsSync(`/sys/class/net/${this.vethHost}`)) found.push(`network interface ${this.vethHost}`);
    if (fs.existsSync(this.dir)) found.push(`folder ${this.dir}`);
    const results = '/var/lib/cni/results';
    found.push(...safeReaddir(results)
      .filter((f) => f.startsWith(`${this.cniNetwork}-`) || [...this.sandboxes].some((id) => f.includes(`-${id}-`)))
      .map((f) => `CNI cache ${results}/${f}`));
    const logLinks = '/var/log/containers';
    if (fs.existsSync(logLinks)) {
      found.push(...fs.readdirSync(logLinks).map((f) => path.join(logLinks, f))
        .filter((f) => readLinkOrEmpty(f).startsWith(this.dir)).map((f) => `log link ${f}`));
    }
    found.push(...this.newHostPaths.filter((p) => fs.existsSync(p)).map((p) => `host path ${p}`));
    const nodesRunning = cgroupHierarchies().some((h) => safeReaddir(h).some((d) => d.startsWith(CGROUP_PREFIX)));
    if (!nodesRunning && fs.existsSync(SAVED_SYSCTLS)) found.push(`kernel settings not put back (${SAVED_SYSCTLS})`);
    for (const socket of this.shimSockets) {
      if (fs.existsSync(socket)) found.push(`shim socket ${socket}`);
    }
    return found;
  }


  /** @internal */
  public async start(options: RealNodeOptions): Promise<void> {
    const started = Date.now();
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const [binDir, coredns, images] = await Promise.all([
      resolveNodeBinDir(),
      corednsImage(),
      offlineImages(['pause', ...(options.images ?? ['busybox']).filter((i) => i !== 'pause')]),
    ]);
    const d = (...parts: string[]) => {
      const p = path.join(this.dir, ...parts);
      fs.mkdirSync(p, { recursive: true, mode: 0o755 });
      return p;
    };
    d();
    this.log(`${this.name}: ${this.dir} (netns ${this.netns}, cgroup /${this.cgroup}, address ${this.address})`);

    // Cleanup first: from here on, whatever happens, the script knows how to undo it.
    this.newHostPaths = SHARED_HOST_PATHS.filter((p) => !fs.existsSync(p));
    if (!fs.existsSync(SAVED_SYSCTLS)) {
      fs.writeFileSync(SAVED_SYSCTLS, KUBELET_SYSCTLS.map((k) => `${k} ${fs.readFileSync(`/proc/sys/${k}`, 'utf8').trim()}\n`).join(''));
    }
    const cleanup = path.join(this.dir, '..', `${this.name}.cleanup.sh`);
    fs.writeFileSync(cleanup, cleanupScript({
      dir: this.dir,
      netns: this.netns,
      vethHost: this.vethHost,
      cgroup: this.cgroup,
      cniNetwork: this.cniNetwork,
      newHostPaths: this.newHostPaths,
    }), { mode: 0o700 });
    process.on('exit', this.onExit);
    this.watchdog = ManagedProcess.start({
      name: `${this.name}-watchdog`,
      command: 'bash',
      args: ['-c', 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; exec bash "$2"', 'watchdog', String(process.pid), cleanup],
      logFile: path.join(this.cluster.connection.runDir, `${this.name}.watchdog.log`),
    });
    this.cleanupScript = cleanup;

    // cgroups: one root for everything of the node; containerd and the kubelet in <root>/node.
    createCgroups(this.cgroup);

    // Network: the node's namespace, joined to the host by a veth pair; pods on a bridge inside.
    const vethNode = `ce${this.id}n`;
    const ipIn = (...args: string[]) => sh('ip', ['-n', this.netns, ...args]);
    sh('ip', ['netns', 'add', this.netns]);
    sh('ip', ['link', 'add', this.vethHost, 'type', 'veth', 'peer', 'name', vethNode, 'netns', this.netns]);
    sh('ip', ['addr', 'add', `${this.hostAddress}/30`, 'dev', this.vethHost]);
    sh('ip', ['link', 'set', this.vethHost, 'up']);
    ipIn('link', 'set', 'lo', 'up');
    ipIn('addr', 'add', `${this.address}/30`, 'dev', vethNode);
    ipIn('link', 'set', vethNode, 'up');
    ipIn('route', 'add', 'default', 'via', this.hostAddress);
    // The host reaches pods through the node (goes away with the veth), and Services' ClusterIPs too,
    // through the node's kube-proxy, as on a control-plane host that runs kube-proxy: the API server
    // calls a webhook at its Service's ClusterIP.
    sh('ip', ['route', 'add', this.podSubnet, 'via', this.address, 'dev', this.vethHost]);
    sh('ip', ['route', 'add', SERVICE_CIDR, 'via', this.address, 'dev', this.vethHost]);

    // The relay to the API server, on the host's end of the pair.
    const apiserver = new URL(this.cluster.connection.server);
    this.relay = await tcpRelay(this.hostAddress, apiserver.hostname, Number(apiserver.port));
    const relayPort = (this.relay.address() as net.AddressInfo).port;

    // containerd
    const containerdDir = d('containerd');
    const socket = path.join(containerdDir, 'containerd.sock');
    this.containerdSocket = socket;
    const cniConfDir = d('cni', 'net.d');
    fs.writeFileSync(path.join(cniConfDir, '10-bridge.conflist'), JSON.stringify({
      cniVersion: '1.0.0',
      name: this.cniNetwork,
      plugins: [{
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: this.podSubnet }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: d('cni', 'ipam') },
      }],
    }, null, 2));
    const pause = images.find((i) => i.reference.includes('/pause:'))!;
    const containerdConfig = path.join(containerdDir, 'config.toml');
    fs.writeFileSync(containerdConfig, containerdToml({
      root: d('containerd', 'root'),
      state: d('containerd', 'state'),
      socket,
      runcRoot: d('containerd', 'runc'),
      opt: d('containerd', 'opt'),
      sandboxImage: pause.reference,
      cniConfDir,
    }));
    const containerd = this.spawn('containerd', 'containerd', ['--config', containerdConfig, '--log-level', 'info']);
    await waitFor('containerd', () => {
      execFileSync('ctr', ['--address', socket, 'version'], { stdio: 'ignore', timeout: 5_000 });
      return true;
    }, { timeoutMs, intervalMs: 200, abortIf: () => containerd.describeExit() });
    await this.importImages(socket, [...images, coredns]);

    // The kubelet: its own client certificate from the cluster's CA, a kubeconfig through the relay.
    const kubeletDir = d('kubelet');
    const pkiDir = path.dirname(this.cluster.connection.caFile);
    const kubeconfigOf = async (component: RealNodeComponent, subject: string) => {
      const cert = await issueClientCertificate(pkiDir, `${component}-${this.name}`, subject);
      const file = path.join(this.dir, `${component}.kubeconfig.yaml`);
      fs.writeFileSync(file, stringify({
        'apiVersion': 'v1',
        'kind': 'Config',
        // The API server's certificate names localhost and 127.0.0.1, not the relay's address.
        'clusters': [{ name: 'e2e', cluster: { 'server': `https://${this.hostAddress}:${relayPort}`, 'certificate-authority': this.cluster.connection.caFile, 'tls-server-name': 'localhost' } }],
        'users': [{ name: component, user: { 'client-certificate': cert.cert, 'client-key': cert.key } }],
        'contexts': [{ name: 'e2e', context: { cluster: 'e2e', user: component } }],
        'current-context': 'e2e',
      }), { mode: 0o600 });
      return file;
    };
    const kubeconfig = await kubeconfigOf('kubelet', `/O=system:nodes/CN=system:node:${this.name}`);
    const resolvConf = path.join(kubeletDir, 'resolv.conf');
    fs.writeFileSync(resolvConf, '');
    const kubeletConfig = path.join(kubeletDir, 'config.yaml');
    fs.writeFileSync(kubeletConfig, stringify(kubeletConfiguration({
      address: this.address,
      cgroupRoot: `/${this.cgroup}`,
      socket,
      caFile: this.cluster.connection.caFile,
      podLogsDir: d('kubelet', 'pod-logs'),
      volumePluginDir: d('kubelet', 'volume-plugins'),
      resolvConf,
      clusterDns: CLUSTER_DNS_IP,
      taint: options.taint ?? true,
    })));
    const kubelet = this.spawn('kubelet', path.join(binDir, 'kubelet'), [
      `--config=${kubeletConfig}`,
      `--kubeconfig=${kubeconfig}`,
      `--root-dir=${d('kubelet', 'root')}`,
      `--cert-dir=${d('kubelet', 'pki')}`,
      `--hostname-override=${this.name}`,
      `--node-ip=${this.address}`,
      `--node-labels=${REAL_NODE_KEY}=true`,
      '--v=2',
    ]);

    // kube-proxy: Services of the cluster as iptables rules in the node's namespace (where pods' packets are routed).
    const proxyConfig = path.join(this.dir, 'kube-proxy.yaml');
    fs.writeFileSync(proxyConfig, stringify(kubeProxyConfiguration({
      kubeconfig: await kubeconfigOf('kube-proxy', '/CN=system:kube-proxy'),
      nodeName: this.name,
      address: this.address,
      podSubnet: this.podSubnet,
    })));
    const proxy = this.spawn('kube-proxy', path.join(binDir, 'kube-proxy'), [`--config=${proxyConfig}`, '--v=2']);

    const abortIf = () => kubelet.describeExit() ?? containerd.describeExit() ?? proxy.describeExit();
    await Promise.all([
      // Ready, and schedulable: the node lifecycle controller removes its not-ready taints a moment later.
      waitFor(`node ${this.name} Ready without not-ready taints`, async () => {
        const node = await this.cluster.kubectlJson<any>(['get', 'node', this.name]);
        const ready = (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
        const conditionTaints = (node.spec?.taints ?? []).filter((t: any) => t.key.startsWith('node.kubernetes.io/'));
        return ready && conditionTaints.length === 0;
      }, { timeoutMs, intervalMs: 500, abortIf }),
      waitFor('kube-proxy healthy', async () => (await httpGet(`http://${this.address}:10256/healthz`, {})).status === 200,
        { timeoutMs, intervalMs: 250, abortIf }),
    ]);
    // The API server from inside pods (Spark's driver, the operator): the `kubernetes` Service's
    // endpoint is the relay. The API server runs with --endpoint-reconciler-type=none (its loopback
    // address may not be an endpoint), so nobody else writes one.
    await this.cluster.applyManifests([{
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: this.name,
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'e2e.cdk8s-spark.dev' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [this.hostAddress], conditions: { ready: true } }],
      ports: [{ name: 'https', port: relayPort, protocol: 'TCP' }],
    }]);
    // CoreDNS, a pod like any other once the node runs and the `kubernetes` Service reaches the API server.
    // Marked before the apply: a partial apply is cleaned up too.
    this.corednsApplied = true;
    await this.cluster.applyManifests(corednsManifests(this.images.coredns));
    await waitFor('CoreDNS ready (Deployment kube-system/coredns available)', async () => {
      const deployment = await this.cluster.kubectlJson<any>(['get', 'deployment', 'coredns', '-n', 'kube-system']);
      return (deployment.status?.availableReplicas ?? 0) >= 1;
    }, { timeoutMs, intervalMs: 250, abortIf });
    this.recordHostTraces();
    this.log(`${this.name} Ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }

  /** Runs the cleanup script synchronously (also from the exit handler, which cannot wait). */
  private cleanupNow(): void {
    for (const p of this.processes) {
      p.killNow();
    }
    this.relay?.close();
    if (!this.cleanupScript) {
      return;
    }
    this.recordHostTraces();
    const result = spawnSync('bash', [this.cleanupScript], { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) {
      this.log(`cleanup of ${this.name} exited ${result.status}: ${result.stderr}`);
    }
  }

  /**
   * Notes what the node made in host folders: the shim sockets (from the `address` files of
   * containerd's task bundles) and the pod sandboxes (whose ids name CNI's cached results).
   */
  private recordHostTraces(): void {
    for (const id of safeReaddir(path.join(this.dir, 'containerd', 'state', 'io.containerd.grpc.v1.cri', 'sandboxes'))) {
      this.sandboxes.add(id);
    }
    const tasks = path.join(this.dir, 'containerd', 'state', 'io.containerd.runtime.v2.task');
    for (const ns of safeReaddir(tasks)) {
      for (const id of safeReaddir(path.join(tasks, ns))) {
        const address = readLines(path.join(tasks, ns, id, 'address'))[0];
        if (address?.startsWith('unix://')) this.shimSockets.add(address.slice('unix://'.length));
      }
    }
  }

  /** Imports `image` (an OCI archive) into the node's containerd, as the node's images are at its start. */
  public async importImage(image: OfflineImage): Promise<void> {
    await this.importImages(this.containerdSocket, [image]);
  }

  /**
   * Gives the imported image `reference` a second name, `alias` (as `docker tag` does), which the
   * kubelet then finds without pulling: an image YAML names (the operator's default reference) can
   * be one built here.
   */
  public tagImage(reference: string, alias: string): void {
    execFileSync('ctr', ['--address', this.containerdSocket, '--namespace', 'k8s.io', 'images', 'tag', '--force', reference, normalizedReference(alias)],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    this.log(`tagged ${reference} as ${normalizedReference(alias)}`);
  }

  private async importImages(socket: string, images: readonly OfflineImage[]): Promise<void> {
    const t0 = Date.now();
    for (const image of images) {
      execFileSync('ctr', ['--address', socket, '--namespace', 'k8s.io', 'images', 'import', image.archive],
        { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
      const name = /\/([^/:]+):[^/]+$/.exec(image.reference)?.[1] ?? image.reference;
      this.images[name] = image.reference;
    }
    this.log(`imported ${images.map((i) => i.reference).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }

  /** Starts a component in the node's cgroups and network namespace. */
  private spawn(name: RealNodeComponent, command: string, args: string[]): ManagedProcess {
    const procsFiles = cgroupDirs(this.cgroup).map((dir) => path.join(dir, 'node', 'cgroup.procs'));
    const p = ManagedProcess.start({
      name,
      command: 'bash',
      args: ['-c', 'for f in $CGROUP_PROCS; do echo $$ > "$f"; done; exec nsenter --net="/var/run/netns/$NETNS" "$@"', name, command, ...args],
      env: { ...process.env, CGROUP_PROCS: procsFiles.join(' '), NETNS: this.netns, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
      cwd: this.dir,
      logFile: this.logFile(name),
    });
    this.processes.push(p);
    return p;
  }
}

/**
 * An image reference as containerd stores it: Docker Hub's host and `library/` made explicit
 * (`apache/spark:3.5.1` is `docker.io/apache/spark:3.5.1`), `:latest` when there is no tag.
 */
export function normalizedReference(reference: string): string {
  const [first, ...rest] = reference.split('/');
  const hasHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const named = hasHost ? reference : `docker.io/${rest.length === 0 ? `library/${first}` : reference}`;
  return /[:@][^/]*$/.test(named.slice(named.lastIndexOf('/'))) ? named : `${named}:latest`;
}

/** CoreDNS's image: its static binary (node/build.sh coredns) alone, user 65532, packed offline and cached by content. */
async function corednsImage(): Promise<OfflineImage> {
  const binary = path.join(await resolveCorednsBinDir(), 'coredns');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-coredns-image-'));
  try {
    fs.chmodSync(root, 0o755);
    fs.copyFileSync(binary, path.join(root, 'coredns'));
    fs.chmodSync(path.join(root, 'coredns'), 0o755);
    return await offlineImageFromDir('coredns', root, '"User":"65532:65532","Entrypoint":["/coredns"]');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Throws with what to do when this machine cannot run the node. */
function assertHost(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('the real node needs root (containers, network namespaces, cgroups, mounts)');
  }
  const missing = ['containerd', 'ctr', 'runc', 'ip', 'nsenter', 'iptables'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
  }).status !== 0);
  if (!fs.existsSync(path.join(CNI_PLUGIN_DIR, 'bridge'))) missing.push(`${CNI_PLUGIN_DIR}/bridge`);
  if (missing.length > 0) {
    throw new Error(`the real node needs ${missing.join(', ')}: bash ${path.join(NODE_MODULE_DIR, 'install.sh')}`);
  }
}

/** A third octet for 10.250.X.0/30 (the veth pair) and 10.251.X.0/24 (pods) that no address or route of this host uses. */
function pickFreeOctet(): number {
  const used = sh('ip', ['-4', '-o', 'addr']) + sh('ip', ['-4', 'route']);
  for (let attempt = 0; attempt < 64; attempt++) {
    const octet = randomBytes(1)[0];
    if (!used.includes(`10.250.${octet}.`) && !used.includes(`10.251.${octet}.`)) {
      return octet;
    }
  }
  throw new Error('no free 10.250.X.0/24 and 10.251.X.0/24 found for the real node');
}

/** Every mounted cgroup hierarchy's folder for `cgroup` that exists. */
function cgroupDirs(cgroup: string): string[] {
  return cgroupHierarchies().map((h) => path.join(h, cgroup)).filter((d) => fs.existsSync(d));
}

/** The mount points of the cgroup hierarchies (v1 controllers, named ones, and a v2 one). */
function cgroupHierarchies(): string[] {
  return readLines('/proc/self/mountinfo')
    .map((l) => l.split(' '))
    .filter((f) => {
      const fsType = f[f.indexOf('-') + 1];
      return fsType === 'cgroup' || fsType === 'cgroup2';
    })
    .map((f) => f[4]);
}

/** Creates `<hierarchy>/<cgroup>/node` in every hierarchy (cpuset ones inherit their parent's CPUs and memory nodes). */
function createCgroups(cgroup: string): void {
  for (const h of cgroupHierarchies()) {
    for (const dir of [path.join(h, cgroup), path.join(h, cgroup, 'node')]) {
      fs.mkdirSync(dir, { recursive: true });
      for (const file of ['cpuset.cpus', 'cpuset.mems']) {
        const own = path.join(dir, file);
        if (fs.existsSync(own) && fs.readFileSync(own, 'utf8').trim() === '') {
          fs.writeFileSync(own, fs.readFileSync(path.join(path.dirname(dir), file), 'utf8'));
        }
      }
    }
  }
}

/** Mount points at or under `dir`, from this process's mount table. */
function mountsUnder(dir: string): string[] {
  return readLines('/proc/self/mountinfo')
    .map((l) => l.split(' ')[4].replace(/\\040/g, ' '))
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
}

/** A TCP relay listening on `host` (port chosen by the system) to `targetHost:targetPort`. */
async function tcpRelay(host: string, targetHost: string, targetPort: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  server.unref();
  return server;
}

interface ContainerdPaths {
  readonly root: string;
  readonly state: string;
  readonly socket: string;
  readonly runcRoot: string;
  readonly opt: string;
  readonly sandboxImage: string;
  readonly cniConfDir: string;
}

/** containerd 1.6's configuration (version 2): every path in the node's folder, nothing pulled. */
function containerdToml(p: ContainerdPaths): string {
  const q = (s: string) => JSON.stringify(s);
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    `root = ${q(p.root)}`,
    `state = ${q(p.state)}`,
    // Only what a CRI node with overlayfs needs; the others probe the host and log errors.
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]',
    '[grpc]',
    `  address = ${q(p.socket)}`,
    '[ttrpc]',
    `  address = ${q(`${p.socket}.ttrpc`)}`,
    '[metrics]',
    '  address = ""',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(p.opt)}`,
    `[${cri}]`,
    `  sandbox_image = ${q(p.sandboxImage)}`,
    // Pod network namespaces under the state folder, not /var/run/netns, so a cleanup knows them.
    '  netns_mounts_under_state_dir = true',
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    '  enable_selinux = false',
    // This machine's root lacks CAP_SYS_RESOURCE: lowering a process's oom_score_adj (the kubelet asks
    // -998 for sandboxes) fails in runc's nsexec ("failed to update /proc/self/oom_score_adj:
    // Permission denied"). Restricted, containerd raises such values to its own (0).
    '  restrict_oom_score_adj = true',
    '  disable_apparmor = true',
    `[${cri}.containerd]`,
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    `[${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    `[${cri}.containerd.runtimes.runc.options]`,
    '  BinaryName = "runc"',
    `  Root = ${q(p.runcRoot)}`,
    '  SystemdCgroup = false',
    `[${cri}.cni]`,
    `  bin_dir = ${q(CNI_PLUGIN_DIR)}`,
    `  conf_dir = ${q(p.cniConfDir)}`,
    '  max_conf_num = 1',
    '',
  ].join('\n');
}

interface KubeletPaths {
  readonly address: string;
  readonly cgroupRoot: string;
  readonly socket: string;
  readonly caFile: string;
  readonly podLogsDir: string;
  readonly volumePluginDir: string;
  readonly resolvConf: string;
  readonly clusterDns: string;
  readonly taint: boolean;
}

/** The kubelet's configuration file. */
function kubeletConfiguration(p: KubeletPaths): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This machine boots with cgroups v1 (hybrid); kubelet >= 1.35 refuses them unless told.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: p.cgroupRoot,
    containerRuntimeEndpoint: `unix://${p.socket}`,
    imageServiceEndpoint: `unix://${p.socket}`,
    address: p.address,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    // The API server (a client certificate of the cluster's CA) may read logs; nobody else.
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: p.caFile } },
    authorization: { mode: 'Webhook' },
    registerNode: true,
    ...p.taint ? { registerWithTaints: [{ key: REAL_NODE_KEY, value: 'true', effect: 'NoSchedule' }] } : {},
    podLogsDir: p.podLogsDir,
    volumePluginDir: p.volumePluginDir,
    resolvConf: p.resolvConf,
    clusterDomain: CLUSTER_DOMAIN,
    clusterDNS: [p.clusterDns],
    failSwapOn: false,
    // A shared machine's disk is not this node's: no image GC, and evictions only when nearly full.
    imageGCHighThresholdPercent: 100,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    serializeImagePulls: false,
    maxPods: 20,
    nodeStatusReportFrequency: '10s',
    syncFrequency: '10s',
    logging: { format: 'text' },
  };
}

interface KubeProxyInputs {
  readonly kubeconfig: string;
  readonly nodeName: string;
  readonly address: string;
  readonly podSubnet: string;
}

/** kube-proxy's configuration: iptables mode, and no change to the host's conntrack settings. */
function kubeProxyConfiguration(p: KubeProxyInputs): Record<string, unknown> {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: p.kubeconfig },
    hostnameOverride: p.nodeName,
    mode: 'iptables',
    clusterCIDR: p.podSubnet,
    healthzBindAddress: `${p.address}:10256`,
    metricsBindAddress: '127.0.0.1:10249',
    // nf_conntrack_max is the whole machine's; 0 leaves it and the timeouts as they are.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s', udpTimeout: '0s', udpStreamTimeout: '0s' },
    // Lowering it needs CAP_SYS_RESOURCE, which root lacks here (see containerd's restrict_oom_score_adj).
    oomScoreAdj: 0,
    logging: { format: 'text' },
  };
}

interface CleanupInputs {
  readonly dir: string;
  readonly netns: string;
  readonly vethHost: string;
  readonly cgroup: string;
  readonly cniNetwork: string;
  readonly newHostPaths: readonly string[];
}

/**
 * The script that removes the node. Idempotent; runs after a clean stop, from the exit handler and
 * from the watchdog (the test process gone), so it relies on nothing but the names it is given.
 */
function cleanupScript(c: CleanupInputs): string {
  const q = (s: string) => `'${s.replace(/'/g, '\'\\\'\'')}'`;
  return `#!/usr/bin/env bash
# Removes the real node ${c.cgroup}: written by harness/real-node.ts, safe to run more than once.
set -u
dir=${q(c.dir)}
cg=${q(c.cgroup)}
hierarchies=$(awk '$(NF-2) == "cgroup" || $(NF-2) == "cgroup2" { print $5 }' /proc/self/mountinfo)

# 1. Every process of the node (kubelet, containerd, shims, containers) lives under the cgroup root.
for attempt in $(seq 1 100); do
  pids=$(for h in $hierarchies; do [ -d "$h/$cg" ] && find "$h/$cg" -name cgroup.procs -exec cat {} +; done 2>/dev/null | sort -u)
  [ -z "$pids" ] && break
  kill -KILL $pids 2>/dev/null
  sleep 0.1
done

# 2. Mounts under the node's folder (overlay root filesystems, volumes, pod network namespaces ...),
#    deepest first, until none is left (mounts can be stacked).
for attempt in $(seq 1 10); do
  mounts=$(awk -v d="$dir" '{ m = $5; gsub(/\\\\040/, " ", m); if (m == d || index(m, d "/") == 1) print m }' /proc/self/mountinfo | sort -r)
  [ -z "$mounts" ] && break
  while IFS= read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done <<<"$mounts"
done

# 3. The network namespace: the bridge, the pods' veths and any iptables rule go with it; the
#    host's end of the pair and its route too.
ip netns delete ${q(c.netns)} 2>/dev/null
ip link delete ${q(c.vethHost)} 2>/dev/null

# 4. cgroups, innermost first.
for h in $hierarchies; do
  [ -d "$h/$cg" ] && find "$h/$cg" -depth -type d -exec rmdir {} + 2>/dev/null
done

# 5. What containerd and the kubelet leave in host folders: shim sockets (named in the task
#    bundles), CNI result caches, the kubelet's log links.
for f in "$dir"/containerd/state/io.containerd.runtime.v2.task/*/*/address; do
  [ -f "$f" ] || continue
  a=$(cat "$f"); a=\${a#unix://}
  case "$a" in /*) rm -f "$a" ;; esac
done
rm -f /var/lib/cni/results/${q(c.cniNetwork)}-*
for s in "$dir"/containerd/*/io.containerd.grpc.v1.cri/sandboxes/*; do
  [ -d "$s" ] && rm -f /var/lib/cni/results/*-"\${s##*/}"-*
done
for l in /var/log/containers/*; do
  [ -L "$l" ] || continue
  case "$(readlink "$l")" in "$dir"/*) rm -f "$l" ;; esac
done
for p in ${c.newHostPaths.map(q).join(' ')}; do
  if [ -d "$p" ]; then rmdir "$p" 2>/dev/null; else rm -f "$p"; fi
done

# 6. The kernel settings the kubelet changed, back to the machine's own when no other real node
#    runs (none has a cgroup root left).
others=$(for h in $hierarchies; do ls -d "$h"/${CGROUP_PREFIX}* 2>/dev/null; done)
if [ -z "$others" ] && [ -f ${SAVED_SYSCTLS} ]; then
  while read -r k v; do
    case "$k" in */*) [ -n "$v" ] && echo "$v" > "/proc/sys/$k" 2>/dev/null ;; esac
  done < ${SAVED_SYSCTLS}
  rm -f ${SAVED_SYSCTLS}
fi

# 7. The folder (never across a mount that step 2 could not remove).
rm -rf --one-file-system "$dir" 2>/dev/null
exit 0
`;
}

function sh(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function readLinkOrEmpty(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '';
  }
}
