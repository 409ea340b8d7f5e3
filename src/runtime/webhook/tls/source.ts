/** What the admission server takes its certificate from, whichever TLS mode provides it. */
import * as tls from 'node:tls';

/** The pair the webhook serves with. */
export interface ServingTls {
  /** The serving certificate, PEM (a chain when the file holds one). */
  readonly cert: string;
  /** Its private key, PEM. */
  readonly key: string;
  /**
   * The CA bundle the webhook configurations should trust (self-managed TLS; the files mode leaves
   * that to cert-manager's CA injector).
   */
  readonly caBundle?: string;
}

/** A serving certificate that may change while the process runs (renewal, rotation on disk). */
export interface TlsSource {
  /** The pair to serve with now. */
  current(): ServingTls;
  /** Calls `listener` with each new pair after it replaces the current one; returns a function that unsubscribes. */
  onChange(listener: (next: ServingTls) => void): () => void;
  /** Stops watching and renewing; resolves when no work is left running. */
  stop(): Promise<void>;
}

/** The TLS options of a server or secure context for `serving`. */
export function secureContextOptions(serving: ServingTls): tls.SecureContextOptions {
  return { cert: serving.cert, key: serving.key };
}

/** A small set of listeners, each called in turn; one that throws does not stop the others. */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  public add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  public notify(value: T, onError: (error: unknown) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        onError(error);
      }
    }
  }
}
