/**
 * The API client's metrics (client-go's names), shared by every sub-command that talks to the API
 * server: each request's latency by HTTP verb, and a count by verb and answer code.
 */
import { Counter, Histogram, Registry } from 'prom-client';

/** The metric names, never prefixed. */
export const CLIENT_METRICS = {
  requestDuration: 'rest_client_request_duration_seconds',
  requests: 'rest_client_requests_total',
} as const;

/** Upper bounds, in seconds, of the API request latency histogram. */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/** The `code` of a request that got no HTTP answer (refused connection, timeout), as client-go writes it. */
export const NO_ANSWER_CODE = '<error>';

/** The API request metrics of one registry. */
export class ApiClientMetrics {
  private readonly requestDuration: Histogram;
  private readonly requests: Counter;

  constructor(registry: Registry) {
    this.requestDuration = new Histogram({
      name: CLIENT_METRICS.requestDuration,
      help: 'Latency of API server requests until the answer (for watches, its headers), in seconds, by HTTP verb',
      labelNames: ['verb'],
      buckets: REQUEST_DURATION_BUCKETS,
      registers: [registry],
    });
    this.requests = new Counter({
      name: CLIENT_METRICS.requests,
      help: `API server requests by HTTP verb and answer code (${NO_ANSWER_CODE}: no answer)`,
      labelNames: ['verb', 'code'],
      registers: [registry],
    });
  }

  /** Records an API request: its HTTP verb, its answer code (undefined: none) and how long it took. */
  public observeRequest(verb: string, code: number | undefined, seconds: number): void {
    this.requestDuration.observe({ verb }, seconds);
    this.requests.inc({ verb, code: code === undefined ? NO_ANSWER_CODE : String(code) });
  }
}
