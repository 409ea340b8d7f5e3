/**
 * The serving certificate the `--tls-mode` flag asks for: self-managed (a CA and certificate in a
 * Secret, `caBundle` kept in the webhook configurations) or read from mounted files.
 */
import { TlsSource, startFileTls, startSelfManagedTls } from './tls';
import { WebhookOptions } from '../../core';
import { RestClient } from '../kube/rest';
import { Clock } from '../queue/clock';
import { Logger } from '../telemetry/log';

/** Starts the TLS source of `options`; resolves once it has a certificate to serve. */
export function webhookTlsSource(options: WebhookOptions, rest: RestClient, clock: Clock, log: Logger): Promise<TlsSource> {
  if (options.tlsMode === 'files') return startFileTls({ dir: options.tlsCertDir!, clock, log });
  return startSelfManagedTls({
    rest,
    clock,
    log,
    secretName: options.tlsSecretName!,
    secretNamespace: options.tlsSecretNamespace!,
    serviceName: options.serviceName!,
    serviceNamespace: options.serviceNamespace!,
    webhookConfigurationName: options.webhookConfigurationName!,
  });
}
