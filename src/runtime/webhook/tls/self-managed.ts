/**
 * Self-managed TLS (`--tls-mode=self-managed`): the webhook keeps its own CA and serving certificate
 * in a Secret shared by its replicas, and keeps the `caBundle` of its two webhook configurations equal
 * to that CA.
 *
 * Every pass (at start, then every `resyncMs`, sooner after a failure) reads the Secret, decides with
 * `decideTls()` and writes what it decided: a create that finds the Secret already there (another
 * replica won the race) or an update at a stale `resourceVersion` (another replica renewed first)
 * reads it again and takes what is there, so replicas agree on one CA. Then it sets the `caBundle`
 * of both webhook configurations with `get` and `update` (they may not exist yet: Argo CD creates
 * them last; a sync may recreate them without `caBundle`), and only then serves a certificate of a
 * new CA, so the API server never meets a certificate it does not trust. A certificate of the same
 * CA is served at once. Failures are logged with the API server's words and tried again with backoff.
 */
import { CA_LIFETIME_MS, CertificateAndKey, SERVING_LIFETIME_MS, createCa, createServingCertificate, serviceDnsNames } from './certificates';
import { TlsDecision, TlsMaterial, decideTls, desiredCaBundle, issuerIn, parseCertificate, secretDataOf, trustedBundle } from './decide';
import { Listeners, ServingTls, TlsSource } from './source';
import { KubeError, RestClient, isKubeError } from '../../kube/rest';
import { Clock } from '../../queue/clock';
import { Logger } from '../../telemetry/log';

/** The labels of the certificate Secret: made and owned by the webhook, not by an install tool. */
export const SECRET_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/part-of': 'cdk8s-spark',
  'app.kubernetes.io/component': 'webhook',
  'app.kubernetes.io/managed-by': 'cdk8s-spark-webhook',
};

/** The two webhook configurations whose `caBundle` is kept, by their REST collection. */
const WEBHOOK_CONFIGURATION_KINDS = [
  { kind: 'ValidatingWebhookConfiguration', collection: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations' },
  { kind: 'MutatingWebhookConfiguration', collection: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations' },
] as const;

/** What self-managed TLS needs. */
export interface SelfManagedTlsOptions {
  /** The API client (the webhook ServiceAccount's credentials). */
  readonly rest: Pick<RestClient, 'request'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** `--tls-secret-name`. */
  readonly secretName: string;
  /** `--tls-secret-namespace`. */
  readonly secretNamespace: string;
  /** `--service-name`: the serving certificate is for `<svc>.<ns>.svc` and `<svc>.<ns>.svc.cluster.local`. */
  readonly serviceName: string;
  /** `--service-namespace`. */
  readonly serviceNamespace: string;
  /** `--webhook-configuration-name`: the Validating- and MutatingWebhookConfiguration. */
  readonly webhookConfigurationName: string;
  /** Time between two passes (Secret read, `caBundle` check). @default 10_000 */
  readonly resyncMs?: number;
  /** The first wait after a failed pass; it doubles with each failure, up to `resyncMs`. @default 500 */
  readonly initialBackoffMs?: number;
  /** Each API request gives up after this long. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** How long a new CA is valid. @default 10 years */
  readonly caLifetimeMs?: number;
  /** How long a new serving certificate is valid. @default 1 year */
  readonly servingLifetimeMs?: number;
  /** Gives up waiting for the first certificate when aborted. @default - waits as long as it takes */
  readonly signal?: AbortSignal;
}

/**
 * Starts self-managed TLS; resolves with the source of the serving certificate once there is one
 * (the first pass that succeeds), and rejects only when `signal` aborts first.
 */
export async function startSelfManagedTls(options: SelfManagedTlsOptions): Promise<TlsSource> {
  const manager = new SelfManagedTls(options);
  await manager.start();
  return manager;
}

interface Secret {
  readonly metadata: { readonly resourceVersion?: string; readonly labels?: Record<string, string>; readonly [key: string]: unknown };
  readonly type?: string;
  readonly data?: Record<string, string>;
}

interface WebhookConfiguration {
  readonly metadata: { readonly resourceVersion?: string };
  readonly webhooks?: Webhook[];
}

interface Webhook {
  readonly name: string;
  readonly clientConfig?: { readonly caBundle?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Tries to write the Secret this many times in one pass when other replicas keep writing it first. */
const WRITE_TRIES = 3;

class SelfManagedTls implements TlsSource {
  private readonly listeners = new Listeners<ServingTls>();
  private readonly log: Logger;
  private readonly secretPath: string;
  private readonly dnsNames: string[];
  private served?: ServingTls & { readonly caCert: string };
  private failures = 0;
  private stopped = false;
  private cancelTimer?: () => void;
  private running?: Promise<void>;
  private ready?: { resolve: () => void; reject: (error: Error) => void };

  constructor(private readonly options: SelfManagedTlsOptions) {
    this.log = options.log.with({ secret: `${options.secretNamespace}/${options.secretName}` });
    this.secretPath = `/api/v1/namespaces/${options.secretNamespace}/secrets`;
    this.dnsNames = serviceDnsNames(options.serviceName, options.serviceNamespace);
  }

  public start(): Promise<void> {
    const firstCertificate = new Promise<void>((resolve, reject) => {
      this.ready = { resolve, reject };
    });
    const { signal } = this.options;
    const onAbort = () => {
      void this.stop();
      this.ready?.reject(new Error('self-managed TLS stopped before it had a certificate'));
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.schedule(0);
    return firstCertificate.finally(() => signal?.removeEventListener('abort', onAbort));
  }

  public current(): ServingTls {
    if (!this.served) throw new Error('self-managed TLS has no certificate yet');
    const { cert, key, caBundle } = this.served;
    return { cert, key, caBundle };
  }

  public onChange(listener: (next: ServingTls) => void): () => void {
    return this.listeners.add(listener);
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    await this.running;
    this.ready?.reject(new Error('self-managed TLS stopped before it had a certificate'));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancelTimer = this.options.clock.after(ms, () => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    });
  }

  private async pass(): Promise<void> {
    let ok = false;
    try {
      const material = await this.ensureSecret();
      if (this.stopped) return;
      const trusted = trustedBundle(material);
      const caCert = issuerIn(material.ca.cert, material.serving.cert) ?? material.ca.cert;
      // A certificate of a CA the configurations may not trust yet waits for the caBundle update;
      // one of the CA we serve with already (or the first one) is served at once.
      const sameCa = this.served === undefined || this.served.caCert === caCert;
      if (sameCa) this.serve(material, trusted, caCert);
      await this.syncCaBundles(trusted);
      if (this.stopped) return;
      if (!sameCa) this.serve(material, trusted, caCert);
      ok = true;
    } catch (error) {
      this.failures++;
      this.log.warn('self-managed TLS pass failed, trying again', { ...errorFields(error), failures: this.failures });
    }
    if (ok) this.failures = 0;
    const resyncMs = this.options.resyncMs ?? 10_000;
    const backoffMs = Math.min(resyncMs, (this.options.initialBackoffMs ?? 500) * 2 ** Math.max(0, this.failures - 1));
    this.schedule(ok ? resyncMs : backoffMs);
  }

  /** Reads the Secret and, when `decideTls()` says so, writes a renewed one; returns what it holds. */
  private async ensureSecret(): Promise<TlsMaterial> {
    for (let attempt = 1; ; attempt++) {
      const secret = await this.readSecret();
      const now = this.options.clock.now();
      const decision = decideTls(secret === undefined ? undefined : decodeData(secret.data), now, this.dnsNames);
      if (decision.kind === 'use') return decision.material;
      const material = await this.issue(decision, now);
      this.log.info(decision.kind === 'create-all' ? 'making a new CA and serving certificate' : 'renewing the serving certificate', { reason: decision.reason });
      try {
        await this.writeSecret(secret, material);
        this.log.info('wrote the certificate Secret', { action: decision.kind, servingNotAfter: notAfterOf(material.serving.cert) });
        return material;
      } catch (error) {
        // AlreadyExists (create) or Conflict (update): another replica wrote first; its Secret is the one to use.
        if (!isKubeError(error, 409) || attempt >= WRITE_TRIES) throw error;
        this.log.info('another replica wrote the certificate Secret first, reading it again', errorFields(error));
      }
    }
  }

  private async issue(decision: Exclude<TlsDecision, { kind: 'use' }>, now: Date): Promise<TlsMaterial> {
    const serving = { now, lifetimeMs: this.options.servingLifetimeMs ?? SERVING_LIFETIME_MS };
    let ca: CertificateAndKey;
    if (decision.kind === 'create-all') {
      ca = await createCa(`${this.options.serviceName}.${this.options.serviceNamespace} webhook CA`, { now, lifetimeMs: this.options.caLifetimeMs ?? CA_LIFETIME_MS });
    } else {
      ca = decision.ca;
    }
    return { ca, previousCaCert: decision.previousCaCert, serving: await createServingCertificate(ca, this.dnsNames, serving) };
  }

  private async readSecret(): Promise<Secret | undefined> {
    try {
      return await this.request<Secret>('GET', `${this.secretPath}/${this.options.secretName}`);
    } catch (error) {
      if (isKubeError(error, 404)) return undefined;
      throw error;
    }
  }

  private async writeSecret(existing: Secret | undefined, material: TlsMaterial): Promise<void> {
    const data = encodeData(secretDataOf(material));
    if (existing === undefined) {
      await this.request('POST', this.secretPath, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: this.options.secretName, namespace: this.options.secretNamespace, labels: SECRET_LABELS },
        type: 'kubernetes.io/tls',
        data,
      });
      return;
    }
    // The type is immutable: a Secret made by someone else keeps its own. The resourceVersion makes
    // the update fail when another replica has written since this one read.
    await this.request('PUT', `${this.secretPath}/${this.options.secretName}`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, ...SECRET_LABELS } },
      type: existing.type,
      data,
    });
  }

  /** Sets `caBundle` of every webhook of both configurations that exist; a missing one is fine. */
  private async syncCaBundles(trusted: string): Promise<void> {
    const name = this.options.webhookConfigurationName;
    for (const { kind, collection } of WEBHOOK_CONFIGURATION_KINDS) {
      let configuration: WebhookConfiguration;
      try {
        configuration = await this.request<WebhookConfiguration>('GET', `${collection}/${name}`);
      } catch (error) {
        if (!isKubeError(error, 404)) throw error;
        this.log.debug('webhook configuration not there (yet)', { kind, name });
        continue;
      }
      const now = this.options.clock.now();
      const changed: string[] = [];
      const webhooks = (configuration.webhooks ?? []).map((webhook) => {
        const current = webhook.clientConfig?.caBundle === undefined ? undefined : Buffer.from(webhook.clientConfig.caBundle, 'base64').toString('utf8');
        const desired = desiredCaBundle(trusted, current, now);
        if (current === desired) return webhook;
        changed.push(webhook.name);
        return { ...webhook, clientConfig: { ...webhook.clientConfig, caBundle: Buffer.from(desired, 'utf8').toString('base64') } };
      });
      if (changed.length === 0) continue;
      // At the resourceVersion read: a sync that recreated it meanwhile makes this fail, and the next pass looks again.
      await this.request('PUT', `${collection}/${name}`, { ...configuration, webhooks });
      this.log.info('set the caBundle of the webhook configuration', { kind, name, webhooks: changed });
    }
  }

  private serve(material: TlsMaterial, trusted: string, caCert: string): void {
    const { cert, key } = material.serving;
    if (this.served?.cert === cert && this.served.key === key && this.served.caBundle === trusted) return;
    const first = this.served === undefined;
    this.served = { cert, key, caBundle: trusted, caCert };
    this.log.info(first ? 'serving certificate loaded' : 'serving certificate replaced', { notAfter: notAfterOf(cert) });
    if (first) this.ready?.resolve();
    else this.listeners.notify(this.current(), (error) => this.log.error('a TLS change listener failed', errorFields(error)));
  }

  private request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.options.rest.request<T>(method, path, { body, timeoutMs: this.options.requestTimeoutMs ?? 10_000 });
  }
}

function decodeData(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

function encodeData(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

function notAfterOf(pem: string): string | undefined {
  const cert = parseCertificate(pem);
  return cert === undefined ? undefined : new Date(Date.parse(cert.validTo)).toISOString();
}

/** Log fields of a failure: the API server's code, reason and words, or the error's message. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof KubeError) return { code: error.code, reason: error.reason, error: error.message };
  return { error: error instanceof Error ? error.message : String(error) };
}
