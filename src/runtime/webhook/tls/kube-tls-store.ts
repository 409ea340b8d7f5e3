/**
 * The objects of self-managed TLS on the API server: the certificate Secret (`v1`) and the two
 * webhook configurations (`admissionregistration.k8s.io/v1`), with `get`, `create` and `update`
 * only, as the webhook's RBAC allows.
 */
import { StoredSecret, StoredWebhookConfiguration, TlsStore, WebhookConfigurationKind, WriteConflictError } from './tls-store';
import { RestClient, isKubeError } from '../../../kube/rest';

/** The labels of the certificate Secret: made and owned by the webhook, not by an install tool. */
export const SECRET_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/part-of': 'cdk8s-spark',
  'app.kubernetes.io/component': 'webhook',
  'app.kubernetes.io/managed-by': 'cdk8s-spark-webhook',
};

const COLLECTIONS: Record<WebhookConfigurationKind, string> = {
  ValidatingWebhookConfiguration: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
  MutatingWebhookConfiguration: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
};

/** Where the store's objects are. */
export interface KubeTlsStoreOptions {
  readonly secretName: string;
  readonly secretNamespace: string;
  /** The name of both webhook configurations. */
  readonly webhookConfigurationName: string;
  /** Each request gives up after this long. */
  readonly timeoutMs: number;
}

interface Secret {
  readonly metadata: { readonly labels?: Record<string, string>; readonly [key: string]: unknown };
  readonly type?: string;
  readonly data?: Record<string, string>;
}

interface WebhookConfiguration {
  readonly webhooks?: Array<{ readonly clientConfig?: { readonly caBundle?: string } }>;
}

/** The TLS objects through `rest` (the webhook ServiceAccount's client). */
export function kubeTlsStore(rest: RestClient, options: KubeTlsStoreOptions): TlsStore {
  const secrets = `/api/v1/namespaces/${options.secretNamespace}/secrets`;
  const secretPath = `${secrets}/${options.secretName}`;
  const configurationPath = (kind: WebhookConfigurationKind) => `${COLLECTIONS[kind]}/${options.webhookConfigurationName}`;
  const request = <T>(method: string, path: string, body?: unknown) => rest.request<T>(method, path, { body, timeoutMs: options.timeoutMs });
  const orUndefined = async <T>(read: Promise<T>): Promise<T | undefined> => {
    try {
      return await read;
    } catch (error) {
      if (isKubeError(error, 404)) return undefined;
      throw error;
    }
  };
  const conflictsAsSuch = async (write: Promise<unknown>): Promise<void> => {
    try {
      await write;
    } catch (error) {
      if (isKubeError(error, 409)) throw new WriteConflictError(error.reason, error.message);
      throw error;
    }
  };
  return {
    readSecret: async () => {
      const secret = await orUndefined(request<Secret>('GET', secretPath));
      return secret === undefined ? undefined : { data: decode(secret.data), object: secret };
    },
    createSecret: (data) => conflictsAsSuch(request('POST', secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: options.secretName, namespace: options.secretNamespace, labels: SECRET_LABELS },
      type: 'kubernetes.io/tls',
      data: encode(data),
    })),
    replaceSecret: (current: StoredSecret, data) => {
      const secret = current.object as Secret;
      // The type is immutable: a Secret made by someone else keeps its own. Its resourceVersion
      // (kept from the read) makes the update fail when another replica has written since.
      return conflictsAsSuch(request('PUT', secretPath, {
        ...secret,
        metadata: { ...secret.metadata, labels: { ...secret.metadata.labels, ...SECRET_LABELS } },
        data: encode(data),
      }));
    },
    readWebhookConfiguration: async (kind) => {
      const configuration = await orUndefined(request<WebhookConfiguration>('GET', configurationPath(kind)));
      if (configuration === undefined) return undefined;
      const caBundles = (configuration.webhooks ?? []).map((w) => (w.clientConfig?.caBundle === undefined ? undefined : Buffer.from(w.clientConfig.caBundle, 'base64').toString('utf8')));
      return { caBundles, object: configuration };
    },
    replaceCaBundles: (kind, current: StoredWebhookConfiguration, caBundles) => {
      const configuration = current.object as WebhookConfiguration;
      const webhooks = (configuration.webhooks ?? []).map((webhook, i) => ({
        ...webhook,
        clientConfig: { ...webhook.clientConfig, caBundle: Buffer.from(caBundles[i], 'utf8').toString('base64') },
      }));
      // At the resourceVersion read: a sync that recreated it meanwhile makes this fail, and the next pass looks again.
      return conflictsAsSuch(request('PUT', configurationPath(kind), { ...configuration, webhooks }));
    },
  };
}

function decode(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

function encode(data: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}
