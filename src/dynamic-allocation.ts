import { Duration } from 'cdk8s';

/**
 * Dynamic allocation of executors (`spec.dynamicAllocation`, `spark.dynamicAllocation.*`): Spark adds
 * executors while tasks wait and removes idle ones.
 *
 * On Kubernetes there is no external shuffle service, so Spark keeps executors that hold shuffle
 * data alive (shuffle tracking, Spark >= 3.0). Set `maxExecutors`: without it Spark may ask for
 * `Int.MaxValue` executors.
 */
export interface DynamicAllocation {
  /**
   * Executors to start with (`spark.dynamicAllocation.initialExecutors`).
   *
   * @default - Spark's default: `minExecutors`
   */
  readonly initialExecutors?: number;

  /**
   * Lower bound of executors (`spark.dynamicAllocation.minExecutors`).
   *
   * @default - Spark's default: 0
   */
  readonly minExecutors?: number;

  /**
   * Upper bound of executors (`spark.dynamicAllocation.maxExecutors`).
   *
   * @default - Spark's default: no bound
   */
  readonly maxExecutors?: number;

  /**
   * Keep executors that hold shuffle data (`spark.dynamicAllocation.shuffleTracking.enabled`).
   * Without an external shuffle service, turning it off loses shuffle data when executors go.
   *
   * @default true - the upstream webhook's default, written explicitly
   */
  readonly shuffleTracking?: boolean;

  /**
   * How long an executor that holds shuffle data is kept when idle
   * (`spark.dynamicAllocation.shuffleTracking.timeout`; rendered in milliseconds).
   *
   * @default - Spark's default: no timeout (kept while its shuffle data is referenced)
   */
  readonly shuffleTrackingTimeout?: Duration;
}
