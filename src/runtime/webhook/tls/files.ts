/**
 * TLS from files (`--tls-mode=files`): the serving pair `tls.crt` and `tls.key` of a mounted Secret
 * (cert-manager writes it), reloaded without a restart when it changes.
 *
 * The kubelet updates a Secret volume atomically: it writes the new files into a fresh hidden
 * directory and swaps the `..data` symlink to it, so `tls.crt` and `tls.key` (symlinks through
 * `..data`) change together. `fs.watch` on the directory sees the swap at once; a periodic read
 * catches what the watch misses (no inotify, a full watch table). A new pair that cannot be read,
 * or whose key is not the certificate's, is logged and the old pair kept until a good one comes.
 */
import { createHash, createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { parseCertificate } from './decide';
import { Listeners, ServingTls, TlsSource } from './source';
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';

/** The file names in the certificate directory (those of a `kubernetes.io/tls` Secret). */
export const CERT_FILE = 'tls.crt';
export const KEY_FILE = 'tls.key';

/** What TLS from files needs. */
export interface FileTlsOptions {
  /** `--tls-cert-dir`: the directory holding `tls.crt` and `tls.key`. */
  readonly dir: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Time between two reads when the watch says nothing. @default 10_000 */
  readonly pollMs?: number;
  /** How long to wait after a change event for the rest of the swap to happen. @default 100 */
  readonly settleMs?: number;
  /** Gives up waiting for the first good pair when aborted. @default - waits as long as it takes */
  readonly signal?: AbortSignal;
}

/** The pair in the files, or why it cannot be served. */
export type FilePair = { readonly ok: true; readonly serving: ServingTls } | { readonly ok: false; readonly problem: string };

/**
 * Reads and checks the pair in `dir`: both files readable, a PEM certificate, a PEM key that is the
 * certificate's, and a secure context Node accepts. Never throws.
 */
export function readFilePair(dir: string): FilePair {
  let cert: string;
  let key: string;
  try {
    cert = fs.readFileSync(path.join(dir, CERT_FILE), 'utf8');
    key = fs.readFileSync(path.join(dir, KEY_FILE), 'utf8');
  } catch (error) {
    return { ok: false, problem: `cannot read the pair: ${(error as Error).message}` };
  }
  const certificate = parseCertificate(cert);
  if (!certificate) return { ok: false, problem: `${CERT_FILE} is not a PEM certificate` };
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    return { ok: false, problem: `${KEY_FILE} is not a PEM private key` };
  }
  if (!certificate.checkPrivateKey(privateKey)) return { ok: false, problem: `${KEY_FILE} is not the key of ${CERT_FILE}` };
  try {
    tls.createSecureContext({ cert, key });
  } catch (error) {
    return { ok: false, problem: `TLS refuses the pair: ${(error as Error).message}` };
  }
  return { ok: true, serving: { cert, key } };
}

/**
 * Starts serving the pair of `options.dir`; resolves once a good pair has been read (trying again
 * with each change and poll until then), and rejects only when `signal` aborts first.
 */
export async function startFileTls(options: FileTlsOptions): Promise<TlsSource> {
  const source = new FileTls(options);
  await source.start();
  return source;
}

class FileTls implements TlsSource {
  private readonly listeners = new Listeners<ServingTls>();
  private readonly log: Logger;
  private served?: ServingTls;
  /** Fingerprint of the files as last read, good or bad: unchanged files are neither reloaded nor logged again. */
  private lastSeen?: string;
  private watcher?: fs.FSWatcher;
  private cancelPoll?: () => void;
  private cancelSettle?: () => void;
  private stopped = false;
  private ready?: { resolve: () => void; reject: (error: Error) => void };

  constructor(private readonly options: FileTlsOptions) {
    this.log = options.log.with({ dir: options.dir });
  }

  public start(): Promise<void> {
    const firstPair = new Promise<void>((resolve, reject) => {
      this.ready = { resolve, reject };
    });
    const { signal } = this.options;
    const onAbort = () => {
      void this.stop();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.watch();
    this.reload();
    this.schedulePoll();
    return firstPair.finally(() => signal?.removeEventListener('abort', onAbort));
  }

  public current(): ServingTls {
    if (!this.served) throw new Error(`no certificate read from ${this.options.dir} yet`);
    return this.served;
  }

  public onChange(listener: (next: ServingTls) => void): () => void {
    return this.listeners.add(listener);
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.cancelPoll?.();
    this.cancelSettle?.();
    this.ready?.reject(new Error(`TLS from ${this.options.dir} stopped before a certificate was read`));
  }

  private watch(): void {
    try {
      this.watcher = fs.watch(this.options.dir, { persistent: false }, () => this.changed());
      this.watcher.on('error', (error) => {
        this.log.warn('watching the certificate directory failed, reading it periodically only', { error: error.message });
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.log.warn('cannot watch the certificate directory, reading it periodically only', { error: (error as Error).message });
    }
  }

  /** A change event: the swap is several renames, so read once they are all done. */
  private changed(): void {
    if (this.stopped) return;
    this.cancelSettle?.();
    this.cancelSettle = this.options.clock.after(this.options.settleMs ?? 100, () => this.reload());
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.cancelPoll = this.options.clock.after(this.options.pollMs ?? 10_000, () => {
      this.reload();
      this.schedulePoll();
    });
  }

  private reload(): void {
    if (this.stopped) return;
    const fingerprint = fingerprintOf(this.options.dir);
    if (fingerprint === this.lastSeen) return;
    this.lastSeen = fingerprint;
    const pair = readFilePair(this.options.dir);
    if (!pair.ok) {
      this.log.warn(this.served ? 'new certificate files are not usable, keeping the old pair' : 'certificate files are not usable yet', { problem: pair.problem });
      return;
    }
    if (this.served?.cert === pair.serving.cert && this.served.key === pair.serving.key) return;
    const first = this.served === undefined;
    this.served = pair.serving;
    const notAfter = parseCertificate(pair.serving.cert)?.validTo;
    this.log.info(first ? 'serving certificate loaded' : 'serving certificate replaced', { notAfter: notAfter && new Date(Date.parse(notAfter)).toISOString() });
    if (first) this.ready?.resolve();
    else this.listeners.notify(pair.serving, (error) => this.log.error('a TLS change listener failed', { error: String(error) }));
  }
}

/** A hash of both files' content (or of why they cannot be read). */
function fingerprintOf(dir: string): string {
  const hash = createHash('sha256');
  for (const file of [CERT_FILE, KEY_FILE]) {
    try {
      hash.update(fs.readFileSync(path.join(dir, file)));
    } catch (error) {
      hash.update(`unreadable: ${(error as NodeJS.ErrnoException).code}`);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}
