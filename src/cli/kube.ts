/**
 * sparkctl's way to the API server: the kubeconfig, context and namespace chosen as kubectl chooses
 * them, read by `@kubernetes/client-node` (which also turns every kind of credential, exec plugins
 * included, into request options), and JSON requests over Node's http(s). A request that fails
 * becomes one sentence: the API server's own message, or what stopped the connection.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import { Writable } from 'node:stream';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { CliError, apiErrorOf } from './errors';
import { Target, chooseTarget } from './target';

/** Options of one request. */
export interface RequestOptions {
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
  /** `application/json` unless told (`application/merge-patch+json` for a merge patch). */
  readonly contentType?: string;
}

/** Options of a streamed request ({@link Kube.stream}). */
export interface StreamOptions {
  readonly query?: Record<string, string | undefined>;
  /** Ends the request; the promise then resolves. */
  readonly signal?: AbortSignal;
  /** Gives up (rejects) when no byte came for this long. @default - waits for ever (a followed log may be quiet) */
  readonly idleMs?: number;
}

/** A client of one cluster, for one namespace (the flag's, else the context's, else `default`). */
export class Kube {
  /** Reads the kubeconfig (the flag's file, else `$KUBECONFIG`, else `~/.kube/config`) and picks the context. */
  public static load(target: Target): Kube {
    const config = new KubeConfig();
    try {
      if (target.kubeconfig !== undefined) config.loadFromFile(target.kubeconfig);
      else config.loadFromDefault();
    } catch (error) {
      const where = target.kubeconfig ?? 'the kubeconfig';
      throw new CliError(`cannot read ${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { server, namespace } = chooseTarget(config, target);
    return new Kube(config, server, namespace);
  }

  private constructor(private readonly config: KubeConfig, public readonly server: URL, public readonly namespace: string) {}

  /** Sends one request; resolves with the parsed JSON answer, rejects with an `ApiError` or a `CliError`. */
  public async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(path, this.server);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const requestOptions: https.RequestOptions = {};
    await this.config.applyToHTTPSOptions(requestOptions);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...requestOptions.headers as Record<string, string>, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    const transport = url.protocol === 'http:' ? http : https;
    const { code, text } = await new Promise<{ code: number; text: string }>((resolve, reject) => {
      const request = transport.request(url, { ...requestOptions, method, headers, timeout: 30_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ code: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
      request.on('error', (error) => reject(new CliError(`cannot reach the API server at ${this.server.origin}: ${error.message}`)));
      request.end(body);
    });
    if (code >= 400) throw apiErrorOf(code, text);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /**
   * A GET whose answer is read as it comes (a followed log, a watch): `onData` gets each chunk, and
   * what it throws ends the request with that error. Resolves when the server ends the answer or
   * `signal` aborts; rejects with the API server's error.
   */
  public async stream(path: string, options: StreamOptions, onData: (chunk: Buffer) => void): Promise<void> {
    if (options.signal?.aborted) return;
    const url = new URL(path, this.server);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const requestOptions: https.RequestOptions = {};
    await this.config.applyToHTTPSOptions(requestOptions);
    const transport = url.protocol === 'http:' ? http : https;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        request.destroy();
        resolve();
      };
      const request = transport.request(url, { ...requestOptions, method: 'GET', headers: { ...requestOptions.headers as Record<string, string> } }, (response) => {
        const code = response.statusCode ?? 0;
        if (code >= 400) {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => reject(apiErrorOf(code, Buffer.concat(chunks).toString('utf8'))));
          return;
        }
        response.on('data', (chunk: Buffer) => {
          try {
            onData(chunk);
          } catch (error) {
            // What the caller refused (an error event of a watch) ends the request with its error.
            request.destroy();
            reject(error);
          }
        });
        response.on('end', resolve);
        response.on('error', (error) => (options.signal?.aborted ? resolve() : reject(error)));
      });
      if (options.idleMs !== undefined) {
        request.setTimeout(options.idleMs, () => request.destroy(new CliError(`the API server sent nothing for ${Math.round(options.idleMs! / 1000)} s`)));
      }
      request.on('error', (error) => {
        if (options.signal?.aborted) resolve();
        else reject(error instanceof CliError ? error : new CliError(`cannot reach the API server at ${this.server.origin}: ${error.message}`));
      });
      request.on('close', () => options.signal?.removeEventListener('abort', onAbort));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      request.end();
    });
  }

  /**
   * Carries one local connection to `port` of a pod through the API server (pods/portforward over a
   * WebSocket, `@kubernetes/client-node`'s PortForward): what the pod sends goes to `socket`, what
   * it sends on the error channel to `onError`. The socket is closed when the pod's side closes.
   */
  public async portForward(namespace: string, pod: string, port: number, socket: net.Socket, onError: (message: string) => void): Promise<void> {
    const errors: Buffer[] = [];
    // The error channel: kept whole, told once the connection closes.
    const errorSink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        errors.push(Buffer.from(chunk));
        done();
      },
    });
    const forward = new PortForward(this.config);
    const ws = await forward.portForward(namespace, pod, [port], socket, errorSink, socket) as unknown as {
      on(event: 'close', listener: () => void): void;
      close(): void;
    };
    ws.on('close', () => {
      const message = Buffer.concat(errors).toString('utf8').trim();
      if (message !== '') onError(message);
      socket.end();
    });
    socket.on('error', () => ws.close());
    socket.on('close', () => ws.close());
  }
}
