// The controller's leader election timing from the SparkOperator props, checked by the shared rule.
import { Duration } from 'cdk8s';
import {
  DEFAULT_LEASE_DURATION_SECONDS, DEFAULT_RENEW_DEADLINE_SECONDS, DEFAULT_RETRY_PERIOD_SECONDS, LeaderElectionTiming,
  leaderElectionTimingProblem,
} from '../core';
import { OperatorLeaderElectionOptions } from '../spark-operator-options';
import { wholeSeconds } from '../util/validation';

const PROP = 'controller.leaderElection';

/** The props' durations in whole seconds (defaults filled); throws with the prop names when they cannot work together. */
export function leaderElectionTiming(options: OperatorLeaderElectionOptions = {}): LeaderElectionTiming {
  const timing: LeaderElectionTiming = {
    leaseDurationSeconds: wholeSeconds(`${PROP}.leaseDuration`, options.leaseDuration ?? Duration.seconds(DEFAULT_LEASE_DURATION_SECONDS), 1),
    renewDeadlineSeconds: wholeSeconds(`${PROP}.renewDeadline`, options.renewDeadline ?? Duration.seconds(DEFAULT_RENEW_DEADLINE_SECONDS), 1),
    retryPeriodSeconds: wholeSeconds(`${PROP}.retryPeriod`, options.retryPeriod ?? Duration.seconds(DEFAULT_RETRY_PERIOD_SECONDS), 1),
  };
  const problem = leaderElectionTimingProblem(timing, {
    leaseDurationSeconds: `'${PROP}.leaseDuration'`,
    renewDeadlineSeconds: `'${PROP}.renewDeadline'`,
    retryPeriodSeconds: `'${PROP}.retryPeriod'`,
  });
  if (problem) throw new Error(problem);
  return timing;
}
