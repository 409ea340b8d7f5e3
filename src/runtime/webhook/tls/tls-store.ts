/**
 * What self-managed TLS reads and writes, as a store: the certificate Secret and the `caBundle` of
 * the two webhook configurations. `kubeTlsStore()` is the API server's; tests use one in memory.
 */

/** The certificate Secret as read. */
export interface StoredSecret {
  /** Its `data`, decoded. */
  readonly data: Readonly<Record<string, string>>;
  /** The object as the API server returned it, for an update at its `resourceVersion`. */
  readonly object: unknown;
}

/** The two kinds whose `caBundle` is kept. */
export const WEBHOOK_CONFIGURATION_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'] as const;
export type WebhookConfigurationKind = typeof WEBHOOK_CONFIGURATION_KINDS[number];

/** A webhook configuration as read. */
export interface StoredWebhookConfiguration {
  /** The `caBundle` of each of its webhooks, decoded (PEM); `undefined` where there is none. */
  readonly caBundles: ReadonlyArray<string | undefined>;
  /** The object as the API server returned it, for an update at its `resourceVersion`. */
  readonly object: unknown;
}

/**
 * A write that lost to another writer: the Secret was created by someone else first (AlreadyExists),
 * or the object changed since it was read (Conflict).
 */
export class WriteConflictError extends Error {
  constructor(public readonly reason: string, message: string) {
    super(message);
    this.name = 'WriteConflictError';
  }
}

/** The objects of self-managed TLS. Writes that lose to another writer throw a `WriteConflictError`. */
export interface TlsStore {
  /** The Secret, or `undefined` when there is none. */
  readSecret(): Promise<StoredSecret | undefined>;
  /** Creates the Secret with `data` (not encoded). */
  createSecret(data: Readonly<Record<string, string>>): Promise<void>;
  /** Replaces the data of the Secret read as `current`, at its `resourceVersion`. */
  replaceSecret(current: StoredSecret, data: Readonly<Record<string, string>>): Promise<void>;
  /** The configuration of `kind`, or `undefined` when there is none (yet). */
  readWebhookConfiguration(kind: WebhookConfigurationKind): Promise<StoredWebhookConfiguration | undefined>;
  /** Sets the `caBundle` (PEM, one per webhook, in order) of the configuration read as `current`, at its `resourceVersion`. */
  replaceCaBundles(kind: WebhookConfigurationKind, current: StoredWebhookConfiguration, caBundles: readonly string[]): Promise<void>;
}
