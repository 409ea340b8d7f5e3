/**
 * The controller's Prometheus metrics, with prom-client: upstream's (Kubeflow) Spark metrics with
 * their names, types and labels (`reference/kubeflow-v1beta2.md` §8), so existing dashboards work
 * unchanged, plus the work queues, the API client and the Node process.
 *
 * How each transition is counted once (`docs/controller.md`, "Metrics"): counters and latencies
 * come from the changes of a decision (`Decision.changes`), recorded by the reconciler only after
 * the status write that makes them has succeeded. That write is conditional on the object's
 * `resourceVersion`, so of two writers only one wins, and a restarted controller, or an informer
 * relist, sees the state already written and makes no change. The running gauges are not counted
 * at all: they are computed from the informer caches at each scrape.
 */
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import { ApiClientMetrics, CLIENT_METRICS } from './client-metrics';
import { LabelSetBound, Labels, labelSetKey } from './label-sets';
import { LABELS, SparkApplication, SparkApplicationStatus } from '../../api';
import { NAMESPACE_METRICS_LABEL, UNKNOWN_METRICS_LABEL_VALUE, labelsOf, metricsLabelName } from '../../core';
import { Change } from '../controller/spark-application/types';

/** The flags the metrics are made with (`ControllerOptions`). */
export interface MetricsOptions {
  /** `--metrics-labels`: the label keys (or `namespace`) whose values label the Spark metrics. */
  readonly metricsLabels: readonly string[];
  /** `--metrics-prefix`. */
  readonly metricsPrefix?: string;
  /** `--metrics-job-submit-latency-buckets`, in seconds. */
  readonly submitLatencyBuckets: readonly number[];
  /** `--metrics-job-start-latency-buckets`, in seconds. */
  readonly startLatencyBuckets: readonly number[];
}

/** The Spark metrics, upstream's names without the prefix. */
export const SPARK_METRICS = {
  applicationCount: 'spark_application_count',
  submitCount: 'spark_application_submit_count',
  failedSubmissionCount: 'spark_application_failed_submission_count',
  runningCount: 'spark_application_running_count',
  successCount: 'spark_application_success_count',
  failureCount: 'spark_application_failure_count',
  successExecutionTime: 'spark_application_success_execution_time_seconds',
  failureExecutionTime: 'spark_application_failure_execution_time_seconds',
  submitLatency: 'spark_application_submit_latency_seconds',
  submitLatencyHistogram: 'spark_application_submit_latency_seconds_histogram',
  startLatency: 'spark_application_start_latency_seconds',
  startLatencyHistogram: 'spark_application_start_latency_seconds_histogram',
  executorRunningCount: 'spark_executor_running_count',
  executorSuccessCount: 'spark_executor_success_count',
  executorFailureCount: 'spark_executor_failure_count',
} as const;

/** The metrics of the work queues and the API client (controller-runtime's and client-go's names), never prefixed. */
export const RUNTIME_METRICS = {
  queueDepth: 'workqueue_depth',
  sparkConnectCount: 'sparkconnect_count',
  queueRetries: 'workqueue_retries_total',
  leaseErrors: 'leader_election_lease_errors_total',
  eventsDropped: 'events_dropped_total',
  ...CLIENT_METRICS,
} as const;

/** The fields of an object the gauges read: a cached application or pod. */
export interface CachedObject {
  readonly metadata: { readonly namespace?: string; readonly labels?: unknown };
  readonly status?: unknown;
}

/** The fields of a written status that the latencies and execution times are computed from. */
export type RecordedStatus = Pick<SparkApplicationStatus, 'submissionAttempts' | 'executionAttempts' | 'lastSubmissionAttemptTime' | 'terminationTime'>;

/** What the reconciler records: the changes of a written decision. */
export interface ApplicationMetrics {
  /**
   * Counts the `changes` that the status write of `status` for `app` made, at `now`. Call only after
   * that write succeeded, once per write.
   */
  recordChanges(app: SparkApplication, status: RecordedStatus, changes: readonly Change[], now: Date): void;
}

/** Where the running gauges are read from at each scrape: the informer caches. */
export interface MetricsSources {
  /** Every cached SparkApplication. */
  applications(): ReadonlyArray<SparkApplication>;
  /** Every cached pod the operator launched (drivers and executors). */
  pods(): readonly CachedObject[];
  /**
   * Whether this replica leads. A standby has the same caches; it reports no running objects (its
   * label sets read 0), so that a sum over the replicas counts each object once.
   */
  leading(): boolean;
  /** Every cached SparkConnect. @default - none */
  sparkConnects?(): readonly CachedObject[];
}

/** Objects grouped by their label values (keyed by the labels as JSON), with how many there are. */
type Counts = Map<string, { labels: Labels; value: number }>;

/** Seconds from `from` to `to` (RFC 3339 times or a Date), or undefined when either is missing. */
function secondsBetween(from: string | null | undefined, to: string | Date | null | undefined): number | undefined {
  const start = typeof from === 'string' ? Date.parse(from) : NaN;
  const end = to instanceof Date ? to.getTime() : typeof to === 'string' ? Date.parse(to) : NaN;
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : Math.max(0, (end - start) / 1000);
}

/**
 * A gauge set at each scrape from `count`, which groups objects by their label values. A label set
 * that was reported once and has no objects now reads 0 rather than vanishing, as a gauge moved by
 * +1 and -1 (upstream's) would, for as long as `kept` says the set is kept.
 */
function scrapedGauge(registry: Registry, name: string, help: string, labelNames: string[], count: () => Counts,
  kept: (key: string) => boolean): Gauge {
  const seen = new Map<string, Labels>();
  const gauge: Gauge = new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect: () => {
      const counts = count();
      gauge.reset();
      for (const [key, labels] of seen) {
        if (counts.has(key)) continue;
        if (kept(key)) gauge.set(labels, 0);
        else seen.delete(key);
      }
      for (const [key, { labels, value }] of counts) {
        seen.set(key, labels);
        gauge.set(labels, value);
      }
    },
  });
  return gauge;
}

/** The controller's metrics, in a registry of their own. */
export class OperatorMetrics implements ApplicationMetrics {
  /** The registry the metrics endpoint serves. */
  public readonly registry = new Registry();

  private readonly labelKeys: readonly string[];
  private readonly labelNames: string[];
  private readonly applicationCount: Counter;
  private readonly submitCount: Counter;
  private readonly failedSubmissionCount: Counter;
  private readonly successCount: Counter;
  private readonly failureCount: Counter;
  private readonly successExecutionTime: Summary;
  private readonly failureExecutionTime: Summary;
  private readonly submitLatency: Summary;
  private readonly submitLatencyHistogram: Histogram;
  private readonly startLatency: Summary;
  private readonly startLatencyHistogram: Histogram;
  private readonly executorSuccessCount: Counter;
  private readonly executorFailureCount: Counter;
  private readonly queueRetries: Counter;
  private readonly client: ApiClientMetrics;
  private readonly leaseErrors: Counter;
  private readonly eventsDropped: Counter;
  /** The label sets of the Spark metrics, bounded; and every Spark metric, to remove a forgotten set's series. */
  private readonly labelSets: LabelSetBound;
  private readonly labelled: Array<Counter | Summary | Histogram> = [];
  private readonly queues = new Map<string, () => number>();
  private sources?: MetricsSources;

  /**
   * @param options the flags
   * @param processMetrics whether to add prom-client's Node process metrics (`process_*`, `nodejs_*`)
   */
  constructor(options: MetricsOptions, processMetrics = true) {
    this.labelKeys = [...options.metricsLabels];
    this.labelNames = this.labelKeys.map(metricsLabelName);
    const prefix = options.metricsPrefix ?? '';
    const registers = [this.registry];
    const labelNames = this.labelNames;
    this.labelSets = new LabelSetBound(labelNames);
    const labelled = <T extends Counter | Summary | Histogram>(metric: T): T => {
      this.labelled.push(metric);
      return metric;
    };
    const counter = (name: string, help: string) => labelled(new Counter({ name: prefix + name, help, labelNames, registers }));
    // Upstream's summaries have no quantiles: `_sum` and `_count` only.
    const summary = (name: string, help: string) => labelled(new Summary({ name: prefix + name, help, labelNames, percentiles: [], registers }));
    const histogram = (name: string, help: string, buckets: readonly number[]) =>
      labelled(new Histogram({ name: prefix + name, help, labelNames, buckets: [...buckets], registers }));

    this.applicationCount = counter(SPARK_METRICS.applicationCount, 'SparkApplications the controller took up (left the New state)');
    this.submitCount = counter(SPARK_METRICS.submitCount, 'Submissions that created a driver (entered SUBMITTED)');
    this.failedSubmissionCount = counter(SPARK_METRICS.failedSubmissionCount, 'Submissions refused (entered SUBMISSION_FAILED)');
    this.successCount = counter(SPARK_METRICS.successCount, 'SparkApplications that entered COMPLETED');
    this.failureCount = counter(SPARK_METRICS.failureCount, 'SparkApplications that entered FAILED');
    this.successExecutionTime = summary(SPARK_METRICS.successExecutionTime, 'From the last submission attempt to the termination of COMPLETED applications, in seconds');
    this.failureExecutionTime = summary(SPARK_METRICS.failureExecutionTime, 'From the last submission attempt to the termination of FAILED applications, in seconds');
    this.submitLatency = summary(SPARK_METRICS.submitLatency, 'From creation to the first submission, in seconds');
    this.submitLatencyHistogram = histogram(SPARK_METRICS.submitLatencyHistogram, 'From creation to the first submission, in seconds', options.submitLatencyBuckets);
    this.startLatency = summary(SPARK_METRICS.startLatency, 'From creation until the driver of the first execution runs, in seconds');
    this.startLatencyHistogram = histogram(SPARK_METRICS.startLatencyHistogram, 'From creation until the driver of the first execution runs, in seconds',
      options.startLatencyBuckets);
    this.executorSuccessCount = counter(SPARK_METRICS.executorSuccessCount, 'Executors that entered COMPLETED');
    this.executorFailureCount = counter(SPARK_METRICS.executorFailureCount, 'Executors that entered FAILED');

    const running = (name: string, help: string, count: (sources: MetricsSources) => Counts) =>
      scrapedGauge(this.registry, prefix + name, help, labelNames, () => (this.sources?.leading() ? count(this.sources) : new Map()),
        (key) => this.labelSets.has(key));
    running(SPARK_METRICS.runningCount, 'SparkApplications in the RUNNING state (from the informer caches, at each scrape)',
      (sources) => this.countBy(sources.applications().filter((a) => a.status?.applicationState?.state === 'RUNNING')));
    running(SPARK_METRICS.executorRunningCount, 'Executor pods in the Running phase (from the informer caches, at each scrape)',
      (sources) => this.countBy(sources.pods().filter((p) => labelsOf(p)[LABELS.sparkRole] === 'executor' && (p.status as { phase?: string } | undefined)?.phase === 'Running')));

    // Ours (upstream has no SparkConnect metric): bounded by the job namespaces and the five states.
    const connects: Gauge = new Gauge({
      name: RUNTIME_METRICS.sparkConnectCount,
      help: 'SparkConnects by namespace and status.state (New: not reconciled yet), from the informer caches at each scrape',
      labelNames: ['namespace', 'state'],
      registers,
      collect: () => {
        connects.reset();
        if (!this.sources?.leading()) return;
        for (const connect of this.sources.sparkConnects?.() ?? []) {
          const state = (connect.status as { state?: unknown } | undefined)?.state;
          connects.inc({ namespace: connect.metadata.namespace ?? '', state: typeof state === 'string' && state !== '' ? state : 'New' });
        }
      },
    });
    this.queueRetries = new Counter({ name: RUNTIME_METRICS.queueRetries, help: 'Keys put back on a work queue after their reconcile failed', labelNames: ['name'], registers });
    const depth: Gauge = new Gauge({
      name: RUNTIME_METRICS.queueDepth,
      help: 'Keys waiting in a work queue (not counting delayed ones)',
      labelNames: ['name'],
      registers,
      collect: () => {
        for (const [name, read] of this.queues) depth.set({ name }, read());
      },
    });
    this.client = new ApiClientMetrics(this.registry);
    this.leaseErrors = new Counter({
      name: RUNTIME_METRICS.leaseErrors,
      help: 'Tries to read or write the leader election Lease that failed (not lost to another replica), by HTTP code (<error>: no answer)',
      labelNames: ['code'],
      registers,
    });
    this.eventsDropped = new Counter({
      name: RUNTIME_METRICS.eventsDropped,
      help: 'Kubernetes Events not recorded because the buffer of Events waiting to be sent was full',
      registers,
    });
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The Prometheus text exposition of every metric. */
  public async exposition(): Promise<string> {
    this.forgetGoneLabelSets();
    return this.registry.metrics();
  }

  /**
   * Removes the series of label sets that no application or pod in the caches has any more (their
   * applications were deleted, or relabelled), so that the Spark metrics hold the label sets of the
   * applications that exist, at most `MAX_METRICS_LABEL_SETS` of them.
   */
  private forgetGoneLabelSets(): void {
    if (!this.sources) return;
    const live = new Set<string>();
    for (const object of [...this.sources.applications(), ...this.sources.pods()]) {
      live.add(labelSetKey(this.labelsOf(object.metadata.namespace, labelsOf(object))));
    }
    for (const labels of this.labelSets.forgetAllBut(live)) {
      for (const metric of this.labelled) metric.remove(labels);
    }
  }

  /** The content type of {@link exposition}. */
  public get contentType(): string {
    return this.registry.contentType;
  }

  /** Reads the running gauges from `sources` (the informer caches) at each scrape. */
  public watchCaches(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** Reports `depth()` as the depth of the work queue `name` at each scrape. */
  public watchQueue(name: string, depth: () => number): void {
    this.queues.set(name, depth);
  }

  /** Counts a retry of a key of the work queue `name`. */
  public queueRetried(name: string): void {
    this.queueRetries.inc({ name });
  }

  /** Counts a failed try of the leader election Lease, by the answer's HTTP code. */
  public leaseTryFailed(code: string): void {
    this.leaseErrors.inc({ code });
  }

  /** Counts a Kubernetes Event dropped because its buffer was full. */
  public eventDropped(): void {
    this.eventsDropped.inc();
  }

  /** Records an API request: its HTTP verb, its answer code (undefined: none) and how long it took. */
  public observeRequest(verb: string, code: number | undefined, seconds: number): void {
    this.client.observeRequest(verb, code, seconds);
  }

  public recordChanges(app: SparkApplication, status: RecordedStatus, changes: readonly Change[], now: Date): void {
    const labels = this.labelSets.admit(this.labelsOf(app.metadata?.namespace, app.metadata?.labels));
    const created = app.metadata?.creationTimestamp;
    for (const change of changes) {
      if (change.kind === 'executor') {
        if (change.to === 'COMPLETED') this.executorSuccessCount.inc(labels);
        if (change.to === 'FAILED') this.executorFailureCount.inc(labels);
        continue;
      }
      if (change.from === '') this.applicationCount.inc(labels);
      switch (change.to) {
        case 'SUBMITTED': {
          this.submitCount.inc(labels);
          const latency = secondsBetween(created, now);
          if (status.submissionAttempts === 1 && latency !== undefined) {
            this.submitLatency.observe(labels, latency);
            this.submitLatencyHistogram.observe(labels, latency);
          }
          break;
        }
        case 'SUBMISSION_FAILED':
          this.failedSubmissionCount.inc(labels);
          break;
        case 'RUNNING': {
          const latency = secondsBetween(created, now);
          if (status.executionAttempts === 1 && latency !== undefined) {
            this.startLatency.observe(labels, latency);
            this.startLatencyHistogram.observe(labels, latency);
          }
          break;
        }
        case 'COMPLETED':
        case 'FAILED': {
          (change.to === 'COMPLETED' ? this.successCount : this.failureCount).inc(labels);
          const time = secondsBetween(status.lastSubmissionAttemptTime, status.terminationTime);
          if (time !== undefined) (change.to === 'COMPLETED' ? this.successExecutionTime : this.failureExecutionTime).observe(labels, time);
          break;
        }
        default:
          break;
      }
    }
  }

  /** `objects` grouped by their metrics labels, with their counts. */
  private countBy(objects: readonly CachedObject[]): Counts {
    const counts: Counts = new Map();
    for (const object of objects) {
      const labels = this.labelSets.admit(this.labelsOf(object.metadata.namespace, labelsOf(object)));
      const key = labelSetKey(labels);
      const entry = counts.get(key) ?? { labels, value: 0 };
      entry.value++;
      counts.set(key, entry);
    }
    return counts;
  }

  /** The metrics labels of an object: each configured key's label value, or the namespace, or `Unknown`. */
  private labelsOf(namespace: string | undefined, objectLabels: Readonly<Record<string, string>> | undefined): Labels {
    const labels: Labels = {};
    this.labelKeys.forEach((key, i) => {
      const value = key === NAMESPACE_METRICS_LABEL ? namespace : objectLabels?.[key];
      labels[this.labelNames[i]] = value === undefined || value === '' ? UNKNOWN_METRICS_LABEL_VALUE : value;
    });
    return labels;
  }
}
