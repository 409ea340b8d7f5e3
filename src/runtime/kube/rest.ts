/**
 * A small REST client for the Kubernetes API: JSON requests and watch streams over HTTPS, with the
 * credentials of a kubeconfig or of the pod's ServiceAccount (`@kubernetes/client-node` reads them).
 * One keep-alive agent serves every request, so a burst of creates reuses connections.
 */
import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** An error answer of the API server, with its HTTP code and the `Status` reason (`AlreadyExists`, `Conflict` ...). */
export class KubeError extends Error {
  constructor(public readonly code: number, public readonly reason: string, message: string) {
    super(message);
    this.name = 'KubeError';
  }
}

/** True when `error` is an API answer with this HTTP code. */
export function isKubeError(error: unknown, code: number): error is KubeError {
  return error instanceof KubeError && error.code === code;
}

/** Query parameters of a request; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** Options of one request. */
export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** Defaults to JSON; `application/merge-patch+json` for merge patches. */
  readonly contentType?: string;
  /** Gives up after this long (ms). */
  readonly timeoutMs?: number;
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
}

/** How long the credentials read from the kubeconfig are reused (a projected token rotates). */
const CREDENTIALS_TTL_MS = 60_000;

export class RestClient {
  /** A client for the current context of `kubeConfig`. */
  public static fromKubeConfig(kubeConfig: KubeConfig, options: RestClientOptions = {}): RestClient {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    return new RestClient(kubeConfig, new URL(cluster.server), options);
  }

  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  private credentials?: { at: number; options: https.RequestOptions };

  private constructor(private readonly kubeConfig: KubeConfig, private readonly server: URL, private readonly clientOptions: RestClientOptions) {}

  /** Sends one request and returns the parsed JSON answer; an error answer throws a `KubeError`. */
  public async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (method !== 'GET' && this.clientOptions.mayWrite && !this.clientOptions.mayWrite()) throw new WriteFencedError(method, path);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const started = performance.now();
    let text: string;
    let response: import('node:http').IncomingMessage;
    try {
      response = await this.send(method, path, options.query, body, options.contentType, options.timeoutMs ?? 30_000);
      text = await readAll(response);
    } catch (error) {
      this.clientOptions.observe?.(method, undefined, (performance.now() - started) / 1000);
      throw error;
    }
    const status = response.statusCode ?? 0;
    this.clientOptions.observe?.(method, status, (performance.now() - started) / 1000);
    if (status >= 400) throw errorOf(status, text);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /**
   * Opens a watch (or any line-delimited stream) and calls `onLine` per line until the server ends
   * it, `signal` aborts it, or it fails. Resolves when it ends; rejects with a `KubeError` when the
   * server refuses it.
   */
  public async stream(path: string, query: Query, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const started = performance.now();
    let response: import('node:http').IncomingMessage;
    try {
      response = await this.send('GET', path, query, undefined, undefined, 0, signal);
    } catch (error) {
      if (!signal.aborted) this.clientOptions.observe?.('GET', undefined, (performance.now() - started) / 1000);
      throw error;
    }
    const status = response.statusCode ?? 0;
    this.clientOptions.observe?.('GET', status, (performance.now() - started) / 1000);
    if (status >= 400) throw errorOf(status, await readAll(response));
    await new Promise<void>((resolve, reject) => {
      let rest = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        for (const line of lines) if (line.trim() !== '') onLine(line);
      });
      response.on('end', () => resolve());
      response.on('close', () => resolve());
      response.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
    });
  }

  private async options(): Promise<https.RequestOptions> {
    const now = Date.now();
    if (!this.credentials || now - this.credentials.at > CREDENTIALS_TTL_MS) {
      const options: https.RequestOptions = {};
      await this.kubeConfig.applyToHTTPSOptions(options);
      this.credentials = { at: now, options };
    }
    return this.credentials.options;
  }

  private async send(method: string, path: string, query: Query | undefined, body: string | undefined, contentType: string | undefined,
    timeoutMs: number, signal?: AbortSignal): Promise<import('node:http').IncomingMessage> {
    const url = new URL(path, this.server);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const base = await this.options();
    return new Promise((resolve, reject) => {
      const request = https.request(url, {
        ...base,
        agent: this.agent,
        method,
        signal,
        headers: {
          ...base.headers,
          Accept: 'application/json',
          ...body !== undefined ? { 'Content-Type': contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(body) } : {},
        },
      }, resolve);
      if (timeoutMs > 0) request.setTimeout(timeoutMs, () => request.destroy(new Error(`${method} ${url.pathname} timed out after ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }
}

function readAll(response: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (c: Buffer) => chunks.push(c));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

function errorOf(code: number, text: string): KubeError {
  try {
    const status = JSON.parse(text) as { reason?: string; message?: string };
    return new KubeError(code, status.reason ?? '', status.message ?? text);
  } catch {
    return new KubeError(code, '', text || `HTTP ${code}`);
  }
}
