/**
 * A plain-HTTP server for a few GET endpoints (health probes, metrics): each path answers with
 * what its handler returns; any other path is 404, any other method 405.
 */
import * as http from 'node:http';
import { closeServer, listen, requestPath } from './listen';

/** One answer. */
export interface EndpointAnswer {
  readonly status: number;
  readonly body: string;
  /** Defaults to `text/plain; charset=utf-8`. */
  readonly contentType?: string;
}

/** The handler of one path. */
export type EndpointHandler = () => EndpointAnswer | Promise<EndpointAnswer>;

/** A listening server. */
export interface HttpEndpoints {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  /** Stops listening and closes idle connections. */
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: one the system chooses) and serves `routes` (path → handler); rejects when
 * the port cannot be bound.
 *
 * @param host the address to listen on; every address by default (probes and scrapes come to the pod's IP)
 */
export async function serveEndpoints(port: number, routes: Readonly<Record<string, EndpointHandler>>, host?: string): Promise<HttpEndpoints> {
  const server = http.createServer((request, response) => {
    const path = requestPath(request.url);
    const handler = routes[path];
    const answer = (a: EndpointAnswer) => {
      response.writeHead(a.status, { 'Content-Type': a.contentType ?? 'text/plain; charset=utf-8' });
      response.end(a.body);
    };
    if (!handler) return answer({ status: 404, body: `no endpoint ${path}\n` });
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer({ status: 405, body: 'only GET\n' });
    Promise.resolve()
      .then(handler)
      .then(answer, (error: unknown) => answer({ status: 500, body: `${String(error)}\n` }));
  });
  // Probes and scrapes are short; a stuck client must not hold a socket for long.
  server.requestTimeout = 10_000;
  return { port: await listen(server, port, host), close: () => closeServer(server) };
}
