import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ApplyOptions, KubeObject, ManifestSource, applyCommand, parseApplyOutput } from './apply';
import { ClusterConnection } from './connection';
import { writeKubeconfig } from './kubeconfig';
import { runKubectl } from './kubectl';
import { waitFor } from './wait';

/** Options of {@link Cluster.kubectl}. */
export interface KubectlOptions {
  /** Written to kubectl's stdin. */
  readonly input?: string;
  /** Run as this identity (a kubeconfig path, see {@link Cluster.kubeconfigFor}). @default - the admin */
  readonly kubeconfig?: string;
  /** @default 120_000 */
  readonly timeoutMs?: number;
}

/** Options of {@link Cluster.tokenFor}. */
export interface TokenOptions {
  /** @default 3600 */
  readonly durationSeconds?: number;
  /** @default - the API server's audience */
  readonly audiences?: readonly string[];
}

/** Options of {@link Cluster.kubeconfigFor}. */
export interface KubeconfigForOptions extends TokenOptions {
  /** The API server URL the kubeconfig names (a proxy in front of the control plane). @default - the control plane's */
  readonly server?: string;
}

/** Options of {@link Cluster.createNamespace}. */
export interface NamespaceOptions {
  readonly labels?: Record<string, string>;
}

/**
 * The control plane as tests see it: run kubectl, apply manifests, make namespaces and get the
 * credentials of a service account. Works from the connection data alone, so it is the same in
 * the global setup and in every test file.
 */
export class Cluster {
  public constructor(public readonly connection: ClusterConnection) {}

  /** Path of the kubectl built with the control plane. */
  public get kubectlPath(): string {
    return path.join(this.connection.binDir, 'kubectl');
  }

  /** Runs kubectl (as the admin unless told otherwise) and returns stdout; throws `KubectlError`. */
  public async kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<string> {
    // kubectl keeps discovery on disk for hours and not every command refreshes it on a miss
    // (`kubectl explain` does not): a CRD created a moment ago would be unknown. Each call gets a
    // fresh discovery cache (aggregated discovery makes that two requests); the HTTP cache, which
    // revalidates what it serves (OpenAPI documents), is shared through a symlink.
    const runDir = this.connection.runDir;
    const httpCache = path.join(runDir, 'kubectl-cache', 'http');
    fs.mkdirSync(httpCache, { recursive: true });
    const cacheDir = fs.mkdtempSync(path.join(runDir, 'kubectl-cache', 'call-'));
    fs.symlinkSync(httpCache, path.join(cacheDir, 'http'));
    try {
      return await runKubectl(args, {
        kubectl: this.kubectlPath,
        kubeconfig: options.kubeconfig ?? this.connection.adminKubeconfig,
        input: options.input,
        timeoutMs: options.timeoutMs,
        env: { HOME: path.join(runDir, 'home'), KUBECACHEDIR: cacheDir },
      });
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }

  /** Runs kubectl with `-o json` and parses the output. */
  public async kubectlJson<T = KubeObject>(args: readonly string[], options: KubectlOptions = {}): Promise<T> {
    return JSON.parse(await this.kubectl([...args, '-o', 'json'], options)) as T;
  }

  /**
   * Create-or-update with `kubectl apply` and return the objects as the server answered (with
   * their resourceVersion). Applying the same manifests again changes nothing.
   */
  public async applyManifests(source: ManifestSource, options: ApplyOptions = {}): Promise<KubeObject[]> {
    const { args, input } = applyCommand(source, options);
    return parseApplyOutput(await this.kubectl(args, { input, kubeconfig: options.kubeconfig }));
  }

  /**
   * Creates a namespace and waits for its `default` ServiceAccount (made by kube-controller-manager;
   * pods cannot be created before it exists). Returns the name.
   */
  public async createNamespace(name: string, options: NamespaceOptions = {}): Promise<string> {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: options.labels ?? {} } };
    await this.kubectl(['create', '-f', '-'], { input: stringify(ns) });
    await waitFor(`ServiceAccount ${name}/default`, async () => {
      await this.kubectl(['get', 'serviceaccount', 'default', '--namespace', name]);
      return true;
    }, { timeoutMs: 30_000 });
    return name;
  }

  /** Deletes a namespace without waiting for its contents to go. */
  public async deleteNamespace(name: string): Promise<void> {
    await this.kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
  }

  /**
   * A token for `namespace/serviceAccount` from the TokenRequest API (what a pod's projected
   * token is), so a test can act with exactly the permissions RBAC gives that account.
   */
  public async tokenFor(namespace: string, serviceAccount: string, options: TokenOptions = {}): Promise<string> {
    const args = ['create', 'token', serviceAccount, '--namespace', namespace, `--duration=${options.durationSeconds ?? 3600}s`];
    for (const audience of options.audiences ?? []) {
      args.push('--audience', audience);
    }
    return (await this.kubectl(args)).trim();
  }

  /**
   * Writes a kubeconfig that authenticates as `namespace/serviceAccount` (a fresh token, default
   * namespace `namespace`) and returns its path; pass it to {@link kubectl}, `applyManifests` or a
   * component under test.
   */
  public async kubeconfigFor(namespace: string, serviceAccount: string, options: KubeconfigForOptions = {}): Promise<string> {
    const token = await this.tokenFor(namespace, serviceAccount, options);
    const dir = path.join(this.connection.runDir, 'kubeconfigs');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = options.server ? `sa-${namespace}-${serviceAccount}-via-${new URL(options.server).port}.yaml` : `sa-${namespace}-${serviceAccount}.yaml`;
    return writeKubeconfig(path.join(dir, file), {
      server: options.server ?? this.connection.server,
      caFile: this.connection.caFile,
      user: `system:serviceaccount:${namespace}:${serviceAccount}`,
      credentials: { token },
      namespace,
    });
  }
}
