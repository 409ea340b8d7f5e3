/**
 * The metrics endpoint: plain HTTP on `--metrics-port`, `GET <--metrics-endpoint>` answers the
 * Prometheus text exposition. Separate from the health server, so a scrape that is slow never
 * delays a probe.
 */
import { HttpEndpoints, serveEndpoints } from './http-endpoints';

/** What the endpoint serves. */
export interface MetricsSource {
  /** The content type of the exposition. */
  readonly contentType: string;
  /** The Prometheus text exposition. */
  exposition(): Promise<string>;
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
export function startMetricsServer(options: MetricsServerOptions): Promise<HttpEndpoints> {
  const { metrics } = options;
  return serveEndpoints(options.port, {
    [options.path]: async () => ({ status: 200, contentType: metrics.contentType, body: await metrics.exposition() }),
  }, options.host);
}
