/**
 * sparkctl's way to the API server: the kubeconfig, context and namespace chosen as kubectl chooses
 * them, read by `@kubernetes/client-node` (which also turns every kind of credential, exec plugins
 * included, into request options), and JSON requests over Node's http(s). A request that fails
 * becomes one sentence: the API server's own message, or what stopped the connection.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { CliError, apiErrorOf } from './errors';
import { Target, chooseTarget } from './target';

/** Options of one request. */
export interface RequestOptions {
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
  /** `application/json` unless told (`application/merge-patch+json` for a merge patch). */
  readonly contentType?: string;
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
}
