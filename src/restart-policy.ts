import { Duration } from 'cdk8s';
import * as api from './api';
import { requireInteger, wholeSeconds } from './util/validation';

/**
 * The kind of a {@link RestartPolicy} (`spec.restartPolicy.type`).
 */
export enum RestartPolicyType {
  /** Never run the application again. */
  NEVER = 'Never',
  /** Run it again after a failure, a limited number of times. */
  ON_FAILURE = 'OnFailure',
  /** Run it again whenever it ends, without limit. */
  ALWAYS = 'Always',
}

/**
 * Options of {@link RestartPolicy.onFailure} and {@link RestartPolicy.always}.
 */
export interface RestartPolicyOptions {
  /**
   * How many times a failed run is started again (`onFailureRetries`). Only for
   * `RestartPolicy.onFailure()`: `always()` restarts without limit.
   *
   * @default 0 - a failed run is not started again (only failed submissions are retried)
   */
  readonly retries?: number;

  /**
   * How long to wait before starting a failed run again (`onFailureRetryInterval`). The operator
   * waits this long times the number of attempts so far.
   *
   * @default Duration.seconds(5) - the upstream webhook's default, written explicitly
   */
  readonly interval?: Duration;

  /**
   * How many times a failed submission is retried (`onSubmissionFailureRetries`). Only for
   * `RestartPolicy.onFailure()`.
   *
   * @default 0 - a failed submission is not retried
   */
  readonly submissionRetries?: number;

  /**
   * How long to wait before retrying a failed submission (`onSubmissionFailureRetryInterval`).
   *
   * @default Duration.seconds(5) - the upstream webhook's default, written explicitly
   */
  readonly submissionRetryInterval?: Duration;
}

/** The upstream webhook sets both intervals to 5 seconds when the policy is not Never. */
const DEFAULT_INTERVAL = Duration.seconds(5);

/**
 * When the operator runs an application again (`spec.restartPolicy`).
 *
 * Choose with a factory: `RestartPolicy.never()` (the default), `RestartPolicy.onFailure({...})`
 * or `RestartPolicy.always({...})`.
 */
export class RestartPolicy {
  /**
   * Never run the application again, whatever happens. The upstream default.
   */
  public static never(): RestartPolicy {
    return new RestartPolicy(RestartPolicyType.NEVER, {});
  }

  /**
   * Run the application again after a failed run or a failed submission, a limited number of times.
   *
   * @param options retries and the intervals between them
   */
  public static onFailure(options: RestartPolicyOptions = {}): RestartPolicy {
    requireInteger('restartPolicy.retries', options.retries, 0);
    requireInteger('restartPolicy.submissionRetries', options.submissionRetries, 0);
    return new RestartPolicy(RestartPolicyType.ON_FAILURE, {
      onFailureRetries: options.retries ?? 0,
      onFailureRetryInterval: wholeSeconds('restartPolicy.interval', options.interval ?? DEFAULT_INTERVAL, 1),
      onSubmissionFailureRetries: options.submissionRetries ?? 0,
      onSubmissionFailureRetryInterval: wholeSeconds('restartPolicy.submissionRetryInterval', options.submissionRetryInterval ?? DEFAULT_INTERVAL, 1),
    });
  }

  /**
   * Run the application again whenever it ends, successful or not, without limit: for streaming
   * jobs that must keep running.
   *
   * @param options the intervals between runs; `retries` and `submissionRetries` are rejected
   * because `Always` has no limit
   */
  public static always(options: RestartPolicyOptions = {}): RestartPolicy {
    if (options.retries !== undefined || options.submissionRetries !== undefined) {
      const given = options.retries !== undefined ? `retries: ${options.retries}` : `submissionRetries: ${options.submissionRetries}`;
      throw new Error(`'restartPolicy' retries need RestartPolicy.onFailure(): RestartPolicy.always() restarts without limit (got ${given})`);
    }
    return new RestartPolicy(RestartPolicyType.ALWAYS, {
      onFailureRetryInterval: wholeSeconds('restartPolicy.interval', options.interval ?? DEFAULT_INTERVAL, 1),
      onSubmissionFailureRetryInterval: wholeSeconds('restartPolicy.submissionRetryInterval', options.submissionRetryInterval ?? DEFAULT_INTERVAL, 1),
    });
  }

  /** Which policy this is. */
  public readonly type: RestartPolicyType;

  private constructor(type: RestartPolicyType, private readonly spec: Omit<api.RestartPolicy, 'type'>) {
    this.type = type;
  }

  /** @internal */
  public _toKube(): api.RestartPolicy {
    return { type: this.type, ...this.spec };
  }
}
