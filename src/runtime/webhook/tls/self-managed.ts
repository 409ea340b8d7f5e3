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
import { TlsDecision, TlsMaterial, decideTls, desiredCaBundle, parseCertificate, secretDataOf, trustedBundle } from './decide';
import { Listeners, ServingTls, TlsSource } from './source';
import { TlsStore, WEBHOOK_CONFIGURATION_KINDS, WebhookConfigurationKind, WriteConflictError } from './tls-store';
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';

/** What self-managed TLS needs. */
export interface SelfManagedTlsOptions {
  /** The Secret and the webhook configurations (`kubeTlsStore()` on the API server). */
  readonly store: TlsStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** `--service-name`: the serving certificate is for `<svc>.<ns>.svc` and `<svc>.<ns>.svc.cluster.local`. */
  readonly serviceName: string;
  /** `--service-namespace`. */
  readonly serviceNamespace: string;
  /** Time between two passes (Secret read, `caBundle` check). @default 10_000 */
  readonly resyncMs?: number;
  /** The first wait after a failed pass; it doubles with each failure, up to `resyncMs`. @default 500 */
  readonly initialBackoffMs?: number;
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

/** Tries to write an object this many times in one pass when other replicas keep writing it first. */
const WRITE_TRIES = 3;

class SelfManagedTls implements TlsSource {
  private readonly listeners = new Listeners<ServingTls>();
  private readonly log: Logger;
  private readonly dnsNames: string[];
  private served?: ServingTls & { readonly caCert: string };
  private failures = 0;
  private stopped = false;
  private cancelTimer?: () => void;
  private running?: Promise<void>;
  private ready?: { resolve: () => void; reject: (error: Error) => void };

  constructor(private readonly options: SelfManagedTlsOptions) {
    this.log = options.log;
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
    this.runPass();
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
    this.cancelTimer = this.options.clock.after(ms, () => this.runPass());
  }

  private runPass(): void {
    if (this.stopped) return;
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
  }

  private async pass(): Promise<void> {
    let ok = false;
    try {
      const material = await this.ensureSecret();
      if (this.stopped) return;
      const trusted = trustedBundle(material);
      const caCert = material.ca.cert;
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
    const { store } = this.options;
    for (let attempt = 1; ; attempt++) {
      const secret = await store.readSecret();
      const now = this.options.clock.now();
      const decision = decideTls(secret?.data, now, this.dnsNames);
      if (decision.kind === 'use') return decision.material;
      const material = await this.issue(decision, now);
      this.log.info(decision.kind === 'create-all' ? 'making a new CA and serving certificate' : 'renewing the serving certificate', { reason: decision.reason });
      try {
        if (secret === undefined) await store.createSecret(secretDataOf(material));
        else await store.replaceSecret(secret, secretDataOf(material));
        this.log.info('wrote the certificate Secret', { action: decision.kind, servingNotAfter: notAfterOf(material.serving.cert) });
        return material;
      } catch (error) {
        // Another replica wrote first: its Secret is the one to use.
        if (!(error instanceof WriteConflictError) || attempt >= WRITE_TRIES) throw error;
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
    // A Secret deleted or spoiled takes its CA along; the one this replica serves under is the CA that
    // the configurations trust now, so it stays trusted next to the new one.
    const previousCaCert = decision.previousCaCert ?? (decision.kind === 'create-all' ? this.servedCaIfValid(now) : undefined);
    return { ca, previousCaCert, serving: await createServingCertificate(ca, this.dnsNames, serving) };
  }

  private servedCaIfValid(now: Date): string | undefined {
    const served = this.served === undefined ? undefined : parseCertificate(this.served.caCert);
    return served !== undefined && Date.parse(served.validTo) > now.getTime() ? this.served!.caCert : undefined;
  }

  /** Sets `caBundle` of every webhook of both configurations that exist; a missing one is fine. */
  private async syncCaBundles(trusted: string): Promise<void> {
    for (const kind of WEBHOOK_CONFIGURATION_KINDS) {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.syncCaBundle(kind, trusted);
          break;
        } catch (error) {
          // Another replica (or a sync) changed it since the read: read it again.
          if (!(error instanceof WriteConflictError) || attempt >= WRITE_TRIES) throw error;
          this.log.debug('the webhook configuration changed while its caBundle was set, reading it again', { kind, ...errorFields(error) });
        }
      }
    }
  }

  private async syncCaBundle(kind: WebhookConfigurationKind, trusted: string): Promise<void> {
    const configuration = await this.options.store.readWebhookConfiguration(kind);
    if (configuration === undefined) {
      this.log.debug('webhook configuration not there (yet)', { kind });
      return;
    }
    const now = this.options.clock.now();
    const desired = configuration.caBundles.map((current) => desiredCaBundle(trusted, current, now));
    const changed = desired.filter((bundle, i) => bundle !== configuration.caBundles[i]).length;
    if (changed === 0) return;
    await this.options.store.replaceCaBundles(kind, configuration, desired);
    this.log.info('set the caBundle of the webhook configuration', { kind, webhooks: changed });
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
}

function notAfterOf(pem: string): string | undefined {
  const cert = parseCertificate(pem);
  return cert === undefined ? undefined : new Date(Date.parse(cert.validTo)).toISOString();
}

/** Log fields of a failure: the API server's code, reason and words, or the error's message. */
export function errorFields(error: unknown): Record<string, unknown> {
  const { code, reason } = error as { code?: unknown; reason?: unknown };
  return {
    ...typeof code === 'number' ? { code } : {},
    ...typeof reason === 'string' && reason !== '' ? { reason } : {},
    error: error instanceof Error ? error.message : String(error),
  };
}
