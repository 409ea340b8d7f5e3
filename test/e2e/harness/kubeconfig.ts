import * as fs from 'node:fs';
import { stringify } from 'yaml';

/** Who a kubeconfig authenticates as: a client certificate or a bearer token. */
export type KubeconfigCredentials =
  | { readonly clientCertificate: string; readonly clientKey: string }
  | { readonly token: string };

/** Everything a kubeconfig file written by {@link writeKubeconfig} holds. */
export interface KubeconfigOptions {
  readonly server: string;
  readonly caFile: string;
  /** Name of the user entry; shows in `kubectl config view`. */
  readonly user: string;
  readonly credentials: KubeconfigCredentials;
  /** Default namespace of the context. */
  readonly namespace?: string;
}

/** Writes a single-context kubeconfig (mode 0600) to `file` and returns `file`. */
export function writeKubeconfig(file: string, options: KubeconfigOptions): string {
  const user =
    'token' in options.credentials
      ? { token: options.credentials.token }
      : { 'client-certificate': options.credentials.clientCertificate, 'client-key': options.credentials.clientKey };
  const config = {
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: 'e2e', cluster: { 'server': options.server, 'certificate-authority': options.caFile } }],
    'users': [{ name: options.user, user }],
    'contexts': [{ name: 'e2e', context: { cluster: 'e2e', user: options.user, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': 'e2e',
    'preferences': {},
  };
  fs.writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}
