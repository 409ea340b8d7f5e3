/**
 * The webhook's Prometheus metrics: admission requests by kind, operation and result, their
 * latency, refusals by rule, the SubjectAccessReview cache, the API client and the Node process.
 * Every label takes values from a closed set, so the series are bounded whatever the requests say.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AdmittedKind, RefusalRule } from './admit';
import { ApiClientMetrics } from '../telemetry/client-metrics';

/** The metric names. */
export const WEBHOOK_METRICS = {
  requests: 'webhook_admission_requests_total',
  duration: 'webhook_admission_duration_seconds',
  refusals: 'webhook_admission_refusals_total',
  authorizationCache: 'webhook_authorization_cache_lookups_total',
} as const;

/** Upper bounds, in seconds, of the admission latency histogram (the API server waits 10 s by default). */
export const ADMISSION_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Which webhook: the mutating (defaults) or the validating one. */
export type AdmissionPathType = 'mutate' | 'validate';

/** How a request ended: admitted, refused, or not understood (a 400 answer without a verdict). */
export type AdmissionResult = 'allowed' | 'refused' | 'error';

/** The operation as a bounded label value. */
function operationLabel(operation: string): string {
  return operation === 'CREATE' || operation === 'UPDATE' ? operation : 'OTHER';
}

/** The webhook's metrics, in a registry of their own. */
export class WebhookMetrics {
  /** The registry the metrics endpoint serves. */
  public readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly duration: Histogram;
  private readonly refusals: Counter;
  private readonly cacheLookups: Counter;
  private readonly client: ApiClientMetrics;

  /** @param processMetrics whether to add prom-client's Node process metrics (`process_*`, `nodejs_*`) */
  constructor(processMetrics = true) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: WEBHOOK_METRICS.requests,
      help: 'AdmissionReviews answered, by kind, webhook (mutate or validate), operation and result (allowed, refused, error)',
      labelNames: ['kind', 'webhook', 'operation', 'result'],
      registers,
    });
    this.duration = new Histogram({
      name: WEBHOOK_METRICS.duration,
      help: 'Time from an AdmissionReview\'s arrival (before its body is read) to its answer, in seconds, by kind and webhook; TLS handshakes not included',
      labelNames: ['kind', 'webhook'],
      buckets: ADMISSION_DURATION_BUCKETS,
      registers,
    });
    this.refusals = new Counter({
      name: WEBHOOK_METRICS.refusals,
      help: 'Refused AdmissionReviews by the rule that refused them',
      labelNames: ['rule'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: WEBHOOK_METRICS.authorizationCache,
      help: 'Pod-creation authorization questions, by whether the cache answered them (hit) or a SubjectAccessReview did (miss)',
      labelNames: ['result'],
      registers,
    });
    this.client = new ApiClientMetrics(this.registry);
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The Prometheus text exposition of every metric. */
  public async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link exposition}. */
  public get contentType(): string {
    return this.registry.contentType;
  }

  /** Records one answered AdmissionReview. */
  public observeAdmission(kind: AdmittedKind, webhook: AdmissionPathType, operation: string, result: AdmissionResult, seconds: number,
    refusedBy?: RefusalRule): void {
    this.requests.inc({ kind, webhook, operation: operationLabel(operation), result });
    this.duration.observe({ kind, webhook }, seconds);
    if (refusedBy !== undefined) this.refusals.inc({ rule: refusedBy });
  }

  /** Records an authorization question: answered by the cache, or not. */
  public observeAuthorizationCache(hit: boolean): void {
    this.cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** Records an API request: its HTTP verb, its answer code (undefined: none) and how long it took. */
  public observeRequest(verb: string, code: number | undefined, seconds: number): void {
    this.client.observeRequest(verb, code, seconds);
  }
}
