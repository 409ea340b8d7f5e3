/**
 * The admission webhook's TLS: where its serving certificate comes from (a Secret it manages itself,
 * or mounted files) and how the HTTPS server follows its changes.
 */
export { TlsSource, ServingTls, followTlsSource, secureContextOptions } from './source';
export { SelfManagedTlsOptions, startSelfManagedTls } from './self-managed';
export { FileTlsOptions, startFileTls } from './files';
