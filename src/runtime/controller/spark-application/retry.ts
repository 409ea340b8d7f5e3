/**
 * The restart policy (`spec.restartPolicy`): whether a failed submission or a finished run is tried
 * again, and when (upstream `ShouldRetry` and `TimeUntilNextRetryDue`).
 */
import { ShapedStatus, parseTime } from './status';
import { RestartPolicy } from '../../../api';
import { DEFAULT_RETRY_INTERVAL_SECONDS } from '../../../core';

/** Which outcome is to be retried. */
export type RetryCause = 'submission' | 'failure' | 'success';

/**
 * Whether to run again after `cause` (upstream `ShouldRetry`): `Always` after anything; `OnFailure`
 * after a failed submission while `submissionAttempts <= onSubmissionFailureRetries`, after a failed
 * run while `executionAttempts <= onFailureRetries` (the first run counts, so N retries give N + 1
 * runs), never when the limit is unset; `Never` never.
 */
export function shouldRetry(policy: RestartPolicy | undefined, cause: RetryCause, status: ShapedStatus): boolean {
  const type = policy?.type ?? 'Never';
  if (type === 'Always') return true;
  if (type !== 'OnFailure' || cause === 'success') return false;
  if (cause === 'submission') {
    const limit = policy?.onSubmissionFailureRetries;
    return limit !== undefined && (status.submissionAttempts ?? 0) <= limit;
  }
  const limit = policy?.onFailureRetries;
  return limit !== undefined && (status.executionAttempts ?? 0) <= limit;
}

/**
 * Seconds until the retry after `cause` is due; <= 0 when it is due now. Upstream's linear backoff:
 * `interval × submissionAttempts − (now − lastSubmissionAttemptTime)`, with
 * `onSubmissionFailureRetryInterval` after a failed submission and `onFailureRetryInterval` after a
 * failed run, and `submissionAttempts` in both cases (as upstream). Where upstream returns an error
 * (no last submission time or no attempt yet) the retry is due now.
 */
export function secondsUntilRetry(policy: RestartPolicy | undefined, cause: 'submission' | 'failure', status: ShapedStatus, now: Date): number {
  const interval = (cause === 'submission' ? policy?.onSubmissionFailureRetryInterval : policy?.onFailureRetryInterval)
    ?? DEFAULT_RETRY_INTERVAL_SECONDS;
  const attempts = status.submissionAttempts ?? 0;
  const last = parseTime(status.lastSubmissionAttemptTime);
  if (last === undefined || attempts <= 0) return 0;
  return interval * attempts - (now.getTime() - last) / 1000;
}
