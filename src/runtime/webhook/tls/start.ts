/** The webhook's TLS as its flags ask for it: self-managed through the API server, or from files. */
import { startFileTls } from './files';
import { kubeTlsStore } from './kube-tls-store';
import { startSelfManagedTls } from './self-managed';
import { TlsSource } from './source';
import { WEBHOOK_CERT_DIR, WebhookOptions } from '../../../core';
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';
import { RestClient } from '../../../kube/rest';

/** Each request of self-managed TLS gives up after this long. */
const REQUEST_TIMEOUT_MS = 10_000;

/** What the webhook's TLS needs besides its flags. */
export interface WebhookTlsContext {
  /** Makes the API client (self-managed only: with `--tls-mode=files` the pod has no API token). */
  readonly rest: () => RestClient;
  readonly clock: Clock;
  readonly log: Logger;
  /** Gives up waiting for the first certificate when aborted (a SIGTERM during start). */
  readonly signal?: AbortSignal;
  /** Time between two periodic reads (the Secret and `caBundle`s, or the files). @default 10_000 */
  readonly resyncMs?: number;
}

/**
 * Starts the TLS of `--tls-mode` with the other `--tls-*` flags; resolves with the source of the
 * serving certificate once there is one. Serve with `secureContextOptions(source.current())`, swap
 * in each pair `source.onChange()` gives, and `source.stop()` on shutdown.
 */
export function startWebhookTls(options: WebhookOptions, context: WebhookTlsContext): Promise<TlsSource> {
  const log = context.log.with({ component: 'webhook-tls', tlsMode: options.tlsMode });
  if (options.tlsMode === 'files') {
    return startFileTls({ dir: options.tlsCertDir ?? WEBHOOK_CERT_DIR, clock: context.clock, log, signal: context.signal, pollMs: context.resyncMs });
  }
  // parseArgs() gives each of these a default in self-managed mode; options made by hand may lack one.
  const required = (value: string | undefined, option: keyof WebhookOptions): string => {
    if (value === undefined) throw new Error(`self-managed TLS needs the webhook option '${option}'`);
    return value;
  };
  const secretName = required(options.tlsSecretName, 'tlsSecretName');
  const secretNamespace = required(options.tlsSecretNamespace, 'tlsSecretNamespace');
  return startSelfManagedTls({
    store: kubeTlsStore(context.rest(), {
      secretName,
      secretNamespace,
      webhookConfigurationName: required(options.webhookConfigurationName, 'webhookConfigurationName'),
      timeoutMs: REQUEST_TIMEOUT_MS,
    }),
    clock: context.clock,
    log: log.with({ secret: `${secretNamespace}/${secretName}` }),
    serviceName: required(options.serviceName, 'serviceName'),
    serviceNamespace: required(options.serviceNamespace, 'serviceNamespace'),
    signal: context.signal,
    resyncMs: context.resyncMs,
  });
}
