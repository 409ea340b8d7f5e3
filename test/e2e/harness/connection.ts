import * as fs from 'node:fs';

/**
 * Everything a test needs to reach the control plane started by the global setup. Plain data,
 * written to a JSON file whose path is in {@link CONNECTION_FILE_ENV}.
 */
export interface ClusterConnection {
  /** https URL of kube-apiserver on loopback. */
  readonly server: string;
  /** CA that signed the apiserver's serving certificate (and every client certificate). */
  readonly caFile: string;
  /** Kubeconfig of a `system:masters` client certificate. */
  readonly adminKubeconfig: string;
  /** Directory of etcd, kube-apiserver, ..., kubectl. */
  readonly binDir: string;
  /** Where the component logs, certificates and kubeconfigs live for this run. */
  readonly runDir: string;
  /** Kubernetes version of the binaries, e.g. "v1.37.2". */
  readonly kubernetesVersion: string;
  /** Names of the kwok-managed nodes, all Ready. */
  readonly nodes: readonly string[];
  /** etcd's client URL (its JSON gateway takes `/v3/kv/compaction`, for tests that compact). */
  readonly etcdServer: string;
  /** The file holding kube-apiserver's pid: a test that stops it sees it started again with the same flags. */
  readonly apiserverPidFile: string;
  /** The API server's audit log: the metadata of every request by a service account outside kube-system. */
  readonly auditLog: string;
}

/** Environment variable that holds the path of the connection JSON file. */
export const CONNECTION_FILE_ENV = 'CDK8S_SPARK_E2E_CLUSTER';

/** Writes `connection` to `file` as JSON. */
export function writeConnection(file: string, connection: ClusterConnection): void {
  fs.writeFileSync(file, JSON.stringify(connection, null, 2) + '\n', { mode: 0o600 });
}

/** Reads the connection written by the global setup, with a clear message when there is none. */
export function readConnection(file = process.env[CONNECTION_FILE_ENV]): ClusterConnection {
  if (!file) {
    throw new Error(`${CONNECTION_FILE_ENV} is not set: run the e2e tests with 'npx jest --config test/e2e/jest.config.js', ` +
      'whose global setup starts the control plane');
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterConnection;
}
