/**
 * The admission webhook's TLS: where its serving certificate comes from (a Secret it manages itself,
 * or mounted files) and how the HTTPS server follows its changes.
 */
export { TlsSource, ServingTls, secureContextOptions } from './source';
export { WebhookTlsContext, startWebhookTls } from './start';
export { SelfManagedTlsOptions, startSelfManagedTls } from './self-managed';
export { KubeTlsStoreOptions, kubeTlsStore } from './kube-tls-store';
export { FileTlsOptions, startFileTls } from './files';
