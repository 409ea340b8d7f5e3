/**
 * A small REST client for the Kubernetes API, the one the runtime and sparkctl both use: JSON
 * requests, lists, watches and other streamed answers (a followed log) over HTTP/2 (the API server
 * speaks it over TLS with ALPN `h2`), with the credentials of a kubeconfig or of the pod's
 * ServiceAccount (`@kubernetes/client-node` reads them). Requests and watches are streams on a small
 * pool of shared, pinged connections (`sessions.ts`), so open watches never hold back a write.
 */
import * as http2 from 'node:http2';
import type * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { ListEnvelope, ListStreamScanner } from './list-stream';
import { Logger } from './log';
import { RateLimiter } from './rate-limiter';
import { SessionPool } from './sessions';

/** An error answer of the API server, with its HTTP code and the `Status` reason (`AlreadyExists`, `Conflict` ...). */
export class KubeError extends Error {
  constructor(public readonly code: number, public readonly reason: string, message: string) {
    super(message);
    this.name = 'KubeError';
  }
}

/** A streamed answer (a watch, a log) that sent nothing for its idle time: the server is there, the stream is silent. */
export class IdleStreamError extends Error {
  constructor(public readonly idleMs: number) {
    super(`the API server sent nothing for ${idleMs} ms`);
    this.name = 'IdleStreamError';
  }
}

/** True when `error` is an API answer with this HTTP code. */
export function isKubeError(error: unknown, code: number): error is KubeError {
  return error instanceof KubeError && error.code === code;
}

/** Query parameters of a request; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/**
 * The error of an error answer: the message of the API server's `Status` when the body is one, else
 * (a proxy or a load balancer answered) the HTTP code and the start of the body.
 */
export function kubeErrorOf(code: number, body: string): KubeError {
  try {
    const status = JSON.parse(body) as { reason?: unknown; message?: unknown } | null;
    if (status && typeof status.message === 'string') return new KubeError(code, typeof status.reason === 'string' ? status.reason : '', status.message);
  } catch {
    // Not a Status.
  }
  const text = body.trim().slice(0, 200);
  return new KubeError(code, '', `the API server answered ${code}${text ? `: ${text}` : ''}`);
}

/** Options of one request. */
export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** Defaults to JSON; `application/merge-patch+json` for merge patches. */
  readonly contentType?: string;
  /** Gives up after this long (ms). */
  readonly timeoutMs?: number;
}

/** Options of a streamed answer ({@link RestClient.stream}, {@link RestClient.read}). */
export interface StreamOptions {
  /** Fails the stream when no byte came for this long (ms). @default - no limit: pings still find a dead connection */
  readonly idleMs?: number;
}

/** Options of {@link RestClient.read}. */
export interface ReadOptions extends StreamOptions {
  /** Ends the stream; the promise then resolves. @default - read to the answer's end */
  readonly signal?: AbortSignal;
}

/**
 * Told of every request when it ends (for metrics): its HTTP verb, the answer's code (undefined when
 * no answer came: a refused connection, a timeout) and how long it took, in seconds. A watch ends,
 * for this, when its answer's headers arrive.
 */
export type RequestObserver = (verb: string, code: number | undefined, seconds: number) => void;

/**
 * Thrown instead of sending a write while `mayWrite` says no: a controller that may have lost its
 * Lease must not act on it.
 */
export class WriteFencedError extends Error {
  constructor(method: string, path: string) {
    super(`${method} ${path} not sent: this replica is not the leader`);
    this.name = 'WriteFencedError';
  }
}

/** How a client is set up besides its credentials. */
export interface RestClientOptions {
  /** Asked before each request that is not a GET; a false answer throws a `WriteFencedError` instead of sending it. */
  readonly mayWrite?: () => boolean;
  /** Told of every request when it ends. @default - nobody */
  readonly observe?: RequestObserver;
  /** Where connections opened and connection trouble (an unanswered ping, a failure) are logged. @default - nowhere */
  readonly log?: Logger;
  /** Waited on before each request, list page and watch is sent (`--kube-api-qps`). @default - no client-side limit */
  readonly rateLimiter?: RateLimiter;
}

/** How long the credentials read from the kubeconfig are reused (a projected token rotates). */
const CREDENTIALS_TTL_MS = 60_000;
/** How long a request may take once sent, unless its options say otherwise. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** What `applyToHTTPSOptions` gives: the TLS material for the connection and the headers of each request. */
interface Credentials {
  readonly at: number;
  readonly tls: http2.SecureClientSessionOptions;
  /** The TLS material as one string: when it changes, the pool's sessions are drained. */
  readonly tlsKey: string;
  readonly headers: Record<string, string>;
}

/** The answer to one request: its HTTP code and its body. */
interface Answer {
  readonly status: number;
  readonly text: string;
}

export class RestClient {
  /** A client for the current context of `kubeConfig`. */
  public static fromKubeConfig(kubeConfig: KubeConfig, options: RestClientOptions = {}): RestClient {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    return new RestClient(kubeConfig, new URL(cluster.server), options);
  }

  private readonly pool: SessionPool;
  private credentials?: Credentials;

  private constructor(private readonly kubeConfig: KubeConfig, private readonly server: URL, private readonly clientOptions: RestClientOptions) {
    this.pool = new SessionPool({
      connect: () => {
        const session = http2.connect(this.server.origin, {
          ...this.credentials?.tls,
          // Large list pages arrive in fewer round trips than with HTTP/2's 64 KiB default windows.
          settings: { initialWindowSize: STREAM_WINDOW_BYTES },
          maxSessionMemory: 64,
        });
        session.once('connect', () => session.setLocalWindowSize(CONNECTION_WINDOW_BYTES));
        return session;
      },
      log: clientOptions.log,
    });
  }

  /** Sends one request and returns the parsed JSON answer; an error answer throws a `KubeError`. */
  public async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // The timeout counts the wait for the rate limit's token too.
    const sendTimeoutMs = await this.waitForToken(timeoutMs);
    if (method !== 'GET' && this.clientOptions.mayWrite && !this.clientOptions.mayWrite()) throw new WriteFencedError(method, path);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const started = performance.now();
    let answer: Answer;
    try {
      answer = await this.send(method, path, options.query, body, options.contentType, sendTimeoutMs);
    } catch (error) {
      this.clientOptions.observe?.(method, undefined, (performance.now() - started) / 1000);
      throw error;
    }
    this.clientOptions.observe?.(method, answer.status, (performance.now() - started) / 1000);
    if (answer.status >= 400) throw kubeErrorOf(answer.status, answer.text);
    return (answer.text === '' ? undefined : JSON.parse(answer.text)) as T;
  }

  /** Waits for the rate limit's token, if there is a limit, for up to `timeoutMs`; returns what is left of it. */
  private async waitForToken(timeoutMs: number): Promise<number> {
    const limiter = this.clientOptions.rateLimiter;
    if (!limiter) return timeoutMs;
    const queued = performance.now();
    await limiter.wait(timeoutMs);
    return Math.max(1, Math.round(timeoutMs - (performance.now() - queued)));
  }

  /**
   * Lists one page, handing each item to `onItem` as it arrives, so a page is never held whole
   * (`list-stream.ts`); returns the rest of the list (`metadata.resourceVersion`, `.continue`). Gives
   * up when the answer stalls for the request timeout (a long page that keeps flowing is read to its
   * end); an error answer throws a `KubeError`, a body that is not a list an `Error`.
   */
  public async list(path: string, query: Query, onItem: (item: unknown) => void): Promise<ListEnvelope> {
    await this.clientOptions.rateLimiter?.wait(DEFAULT_REQUEST_TIMEOUT_MS);
    const started = performance.now();
    let status: number | undefined;
    try {
      const opened = await this.open('GET', path, query, undefined, undefined, undefined, DEFAULT_REQUEST_TIMEOUT_MS);
      status = opened.status;
      if (opened.status >= 400) throw kubeErrorOf(opened.status, await readAll(opened.stream));
      // From the answer's headers on, the timeout is one of silence, not of the whole answer.
      opened.cancelTimeout();
      const scanner = new ListStreamScanner(onItem);
      await readChunks(opened.stream, (chunk) => scanner.push(chunk), { idleMs: DEFAULT_REQUEST_TIMEOUT_MS, cutOff: 'the answer was cut off' });
      return scanner.finish();
    } finally {
      this.clientOptions.observe?.('GET', status, (performance.now() - started) / 1000);
    }
  }

  /**
   * Opens a watch (or any line-delimited stream) and calls `onLine` per line until the server ends
   * it, `signal` aborts it, or it fails (the connection closes, a ping goes unanswered, nothing came
   * for `options.idleMs`, `onLine` throws). Resolves when it ends or is aborted; rejects with a
   * `KubeError` when the server refuses it, with what `onLine` threw, else with the failure.
   */
  public async stream(path: string, query: Query, onLine: (line: string) => void, signal: AbortSignal, options: StreamOptions = {}): Promise<void> {
    let rest = '';
    await this.follow(path, query, (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line.trim() !== '' && !signal.aborted) onLine(line);
    }, { ...options, signal }, `watch ${path} cut off`);
  }

  /**
   * A GET whose answer is read as it comes, as text (a followed log): `onText` gets each piece,
   * whole characters only. Resolves when the server ends the answer or `signal` aborts; rejects as
   * {@link stream} does.
   */
  public async read(path: string, query: Query, onText: (text: string) => void, options: ReadOptions = {}): Promise<void> {
    await this.follow(path, query, onText, options, 'the answer was cut off');
  }

  /** Opens a GET (the request timeout counts until its headers) and hands its body to `onChunk` as it comes. */
  private async follow(path: string, query: Query, onChunk: (chunk: string) => void, options: ReadOptions, cutOff: string): Promise<void> {
    const { signal, idleMs } = options;
    const timeoutMs = await this.waitForToken(DEFAULT_REQUEST_TIMEOUT_MS);
    if (signal?.aborted) return;
    const started = performance.now();
    let opened: Awaited<ReturnType<RestClient['open']>>;
    try {
      opened = await this.open('GET', path, query, undefined, undefined, signal, timeoutMs);
    } catch (error) {
      if (signal?.aborted) return;
      this.clientOptions.observe?.('GET', undefined, (performance.now() - started) / 1000);
      throw error;
    }
    this.clientOptions.observe?.('GET', opened.status, (performance.now() - started) / 1000);
    try {
      if (opened.status >= 400) throw kubeErrorOf(opened.status, await readAll(opened.stream));
    } finally {
      opened.cancelTimeout();
    }
    await readChunks(opened.stream, onChunk, { idleMs, signal, cutOff });
  }

  /** Closes the client's connections; requests and watches still open fail. */
  public close(): void {
    this.pool.close();
  }

  private async headers(): Promise<Record<string, string>> {
    const now = Date.now();
    if (!this.credentials || now - this.credentials.at > CREDENTIALS_TTL_MS) {
      const options: https.RequestOptions = {};
      await this.kubeConfig.applyToHTTPSOptions(options);
      const { ca, cert, key, pfx, passphrase, servername, rejectUnauthorized } = options;
      const tls: http2.SecureClientSessionOptions = { ca, cert, key, pfx, passphrase, servername, rejectUnauthorized };
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = String(value);
      if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
      const tlsKey = JSON.stringify([tls.ca, tls.cert, tls.key, tls.pfx, tls.servername, tls.rejectUnauthorized].map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
      // A rotated client certificate or CA: streams open finish on the old connections, new ones use it.
      if (this.credentials && this.credentials.tlsKey !== tlsKey) this.pool.drain();
      this.credentials = { at: now, tls, tlsKey, headers };
    }
    return this.credentials.headers;
  }

  /**
   * Opens a stream and waits for its answer's headers. The request counts as sent once the stream
   * has a slot on a connection: the wait for a connection is bounded on its own (`sessions.ts`).
   */
  private async open(method: string, path: string, query: Query | undefined, body: string | undefined, contentType: string | undefined,
    signal?: AbortSignal, timeoutMs = 0): Promise<{ stream: http2.ClientHttp2Stream; status: number; cancelTimeout: () => void }> {
    const url = new URL(path, this.server);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers = await this.headers();
    const slot = await this.pool.acquire();
    let stream: http2.ClientHttp2Stream;
    try {
      stream = slot.session.request({
        ...headers,
        ':method': method,
        ':path': `${url.pathname}${url.search}`,
        'accept': 'application/json',
        ...body !== undefined ? { 'content-type': contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      }, { endStream: body === undefined, ...signal ? { signal } : {} });
    } catch (error) {
      slot.release();
      throw error;
    }
    stream.once('close', () => slot.release());
    // Failures reach callers through the promises below; one between two of them must not go unhandled.
    stream.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const cancelTimeout = () => clearTimeout(timer);
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        stream.destroy(new Error(`${method} ${url.pathname} timed out after ${timeoutMs} ms`));
        // The server may be slow, or the connection dead: a ping tells which within seconds.
        this.pool.probe(slot.session);
      }, timeoutMs);
      stream.once('close', cancelTimeout);
    }
    if (body !== undefined) stream.end(body);
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => {
        cancelTimeout();
        reject(error);
      };
      stream.once('error', failed);
      stream.once('close', () => failed(new Error(`${method} ${url.pathname} closed before an answer (HTTP/2 code ${stream.rstCode})`)));
      stream.once('response', (responseHeaders) => {
        stream.off('error', failed);
        resolve({ stream, status: Number(responseHeaders[':status'] ?? 0), cancelTimeout });
      });
    });
  }

  private async send(method: string, path: string, query: Query | undefined, body: string | undefined, contentType: string | undefined,
    timeoutMs: number): Promise<Answer> {
    const { stream, status, cancelTimeout } = await this.open(method, path, query, body, contentType, undefined, timeoutMs);
    try {
      return { status, text: await readAll(stream) };
    } finally {
      cancelTimeout();
    }
  }
}

/** Each stream's receive window: a 500-object list page in a few round trips. */
const STREAM_WINDOW_BYTES = 1024 * 1024;
/** The receive window of a whole connection, shared by its streams. */
const CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

/** The rest of a stream's body; rejects when the stream fails or closes before its end. */
function readAll(stream: http2.ClientHttp2Stream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => { ended = true; });
    stream.on('error', reject);
    // As for watches: an answer is whole only when the server ended its stream (code 0).
    stream.on('close', () => {
      if (ended && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(`the answer was cut off (HTTP/2 code ${stream.rstCode})`));
    });
  });
}

/** How {@link readChunks} reads. */
interface ChunkOptions {
  /** Fails when no data comes for this long. @default - no limit */
  readonly idleMs?: number;
  /** Once aborted, the end or failure of the stream is its end. */
  readonly signal?: AbortSignal;
  /** What a stream closed before its end fails with, before its HTTP/2 code. */
  readonly cutOff: string;
}

/**
 * Reads a stream's body as text, chunk by chunk, to its end; fails when the stream fails, closes
 * before its end, `onChunk` throws (with what it threw), or no data comes for `idleMs`.
 */
function readChunks(stream: http2.ClientHttp2Stream, onChunk: (chunk: string) => void, options: ChunkOptions): Promise<void> {
  const { idleMs, signal, cutOff } = options;
  return new Promise((resolve, reject) => {
    let ended = false;
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      if (idleMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => stream.destroy(new IdleStreamError(idleMs)), idleMs);
    };
    touch();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      touch();
      try {
        onChunk(chunk);
      } catch (error) {
        // Thrown from an event handler it would take the process down: it fails this stream instead.
        stream.destroy(error as Error);
      }
    });
    stream.on('end', () => { ended = true; });
    stream.on('error', (error) => (signal?.aborted ? resolve() : reject(error)));
    stream.on('close', () => {
      clearTimeout(idle);
      // Only an end the server sent (END_STREAM, code 0) is the answer's end. A stream reset, or one
      // whose connection closed under it (Node ends those too, with code 8, CANCEL), is a failure.
      if (signal?.aborted || (ended && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR)) resolve();
      else reject(new Error(`${cutOff} (HTTP/2 code ${stream.rstCode})`));
    });
  });
}
