/**
 * The metrics endpoint: plain HTTP on `--metrics-port`, `GET <--metrics-endpoint>` answers the
 * Prometheus text exposition, anything else 404. Separate from the health server, so a scrape that
 * is slow never delays a probe.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/** What the endpoint serves. */
export interface MetricsSource {
  /** The content type of the exposition. */
  readonly contentType: string;
  /** The Prometheus text exposition. */
  exposition(): Promise<string>;
}

/** A listening metrics server. */
export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  /** Stops listening and closes idle connections; resolves when it is closed. */
  close(): Promise<void>;
}

/** Where and what to serve. */
export interface MetricsServerOptions {
  /** `--metrics-port`; 0 lets the system choose (tests). */
  readonly port: number;
  /** `--metrics-endpoint`: the URL path. */
  readonly path: string;
  readonly metrics: MetricsSource;
  /** The address to listen on. @default - every address (Prometheus scrapes the pod's IP) */
  readonly host?: string;
}

/** Starts serving; rejects when the port cannot be bound (in use, not allowed). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (request.method !== 'GET' || path !== options.path) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    options.metrics.exposition().then(
      (text) => response.writeHead(200, { 'Content-Type': options.metrics.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}
