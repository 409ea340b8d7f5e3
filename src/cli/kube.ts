/**
 * sparkctl's way to the API server: the kubeconfig, context and namespace chosen as kubectl chooses
 * them (`target.ts`), read by `@kubernetes/client-node` (which also turns every kind of credential,
 * exec plugins included, into request options), and the runtime's own client (`src/kube/rest.ts`)
 * for requests, watches and logs, with its timeouts and its `KubeError`s. What sparkctl adds is the
 * one sentence of a request that never reached the API server, and port-forwarding.
 */
import type * as net from 'node:net';
import { Writable } from 'node:stream';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { CliError } from './errors';
import { catching, requestFailure } from './request-errors';
import { Target, chooseTarget } from './target';
import { Query, RequestOptions, RestClient } from '../kube/rest';

/** Options of a streamed request ({@link Kube.watch}, {@link Kube.read}). */
export interface StreamOptions {
  readonly query?: Query;
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
    // chooseTarget makes `--context` the current one, which is the one the client connects to.
    const { server, namespace } = chooseTarget(config, target);
    return new Kube(config, RestClient.fromKubeConfig(config), server, namespace);
  }

  private constructor(private readonly config: KubeConfig, private readonly rest: RestClient,
    public readonly server: URL, public readonly namespace: string) {}

  /** Sends one request; resolves with the parsed JSON answer, rejects with a `KubeError` or a `CliError`. */
  public async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    try {
      return await this.rest.request<T>(method, path, options);
    } catch (error) {
      throw requestFailure(error, this.server.origin);
    }
  }

  /**
   * A watch: `onLine` gets each line, and what it throws ends the watch with that error. Resolves
   * when the server ends the watch or `signal` aborts; rejects with the API server's error.
   */
  public async watch(path: string, options: StreamOptions & { signal: AbortSignal }, onLine: (line: string) => void): Promise<void> {
    const caller = catching(onLine);
    try {
      await this.rest.stream(path, options.query ?? {}, caller.handler, options.signal, { idleMs: options.idleMs });
    } catch (error) {
      throw requestFailure(error, this.server.origin, caller.thrown());
    }
  }

  /**
   * A GET whose answer is read as it comes (a followed log): `onText` gets each piece. Resolves
   * when the server ends the answer or `signal` aborts; rejects with the API server's error.
   */
  public async read(path: string, options: StreamOptions, onText: (text: string) => void): Promise<void> {
    const caller = catching(onText);
    try {
      await this.rest.read(path, options.query ?? {}, caller.handler, { signal: options.signal, idleMs: options.idleMs });
    } catch (error) {
      throw requestFailure(error, this.server.origin, caller.thrown());
    }
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
