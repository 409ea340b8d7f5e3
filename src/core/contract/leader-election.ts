/**
 * The timing of the controller's leader election on a `coordination.k8s.io/v1` Lease, written once
 * for the flags, the `SparkOperator` props and the runtime. The defaults are upstream's (and
 * Kubernetes' own controllers').
 */

/** Default of `--leader-election-lease-duration`: how long a standby waits on a silent leader. */
export const DEFAULT_LEASE_DURATION_SECONDS = 15;
/** Default of `--leader-election-renew-deadline`: how long the leader keeps acting without renewing. */
export const DEFAULT_RENEW_DEADLINE_SECONDS = 10;
/** Default of `--leader-election-retry-period`: how often the Lease is tried (renewed or watched). */
export const DEFAULT_RETRY_PERIOD_SECONDS = 2;

/**
 * How much longer than the retry period the renew deadline must be, so that a late retry still
 * renews in time (Kubernetes' leader election jitters its retries by this factor).
 */
export const RETRY_JITTER_FACTOR = 1.2;

/** The three durations of leader election, in whole seconds. */
export interface LeaderElectionTiming {
  readonly leaseDurationSeconds: number;
  readonly renewDeadlineSeconds: number;
  readonly retryPeriodSeconds: number;
}

/** What each duration is called where the problem is reported (flag or prop names). */
export type LeaderElectionTimingNames = { readonly [K in keyof LeaderElectionTiming]: string };

/**
 * Why these durations cannot work together, or undefined. The leader must stop acting before a
 * standby may take its Lease (renew deadline shorter than the lease duration), and must get more
 * than one try per deadline (retry period well inside the renew deadline).
 */
export function leaderElectionTimingProblem(timing: LeaderElectionTiming, names: LeaderElectionTimingNames): string | undefined {
  const { leaseDurationSeconds: lease, renewDeadlineSeconds: renew, retryPeriodSeconds: retry } = timing;
  if (renew >= lease) {
    return `${names.renewDeadlineSeconds} (${renew}s) must be shorter than ${names.leaseDurationSeconds} (${lease}s): `
      + 'the leader must stop acting before a standby may take over';
  }
  if (renew <= RETRY_JITTER_FACTOR * retry) {
    return `${names.renewDeadlineSeconds} (${renew}s) must be longer than ${RETRY_JITTER_FACTOR} times ${names.retryPeriodSeconds} (${retry}s): `
      + 'the leader needs more than one try to renew before the deadline';
  }
  return undefined;
}
