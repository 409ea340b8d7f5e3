/**
 * Spec changes and submission ids. Both rest on one fingerprint of the effective spec: the spec with
 * `applyDefaults()` applied, without `suspend` and `timeToLiveSeconds` (the two fields upstream lets
 * change without a rerun).
 */
import { ShapedStatus } from './status';
import { SparkApplication, SparkApplicationSpec } from '../../../api';
import { applicationSubmissionId, applyDefaults, specFingerprint } from '../../../core';
import type { Cached } from '../trim';

/** The spec as submissions see it: defaults applied; undefined when `spec` is not an object at all. */
export function effectiveSpec(spec: unknown): SparkApplicationSpec | undefined {
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? applyDefaults(spec as SparkApplicationSpec) : undefined;
}


/**
 * Whether an update from `oldSpec` to `newSpec` invalidates the current run (upstream's
 * SparkApplication event filter on Update): any change of the effective spec other than `suspend`
 * and `timeToLiveSeconds`. Writing out a default (`mode: cluster`) is no change. The shell's update
 * handler calls it and passes the answer as `Observed.specChanged`.
 */
export function specChangeInvalidates(oldSpec: unknown, newSpec: unknown): boolean {
  return specFingerprint(oldSpec) !== specFingerprint(newSpec);
}

/**
 * {@link specChangeInvalidates} for two versions of an application as the cache holds them: the
 * cache keeps only the fingerprint of a large spec.
 */
export function cachedSpecChangeInvalidates(old: Cached<SparkApplication>, updated: Cached<SparkApplication>): boolean {
  const fingerprintOf = (app: Cached<SparkApplication>) => app.omittedSpec?.fingerprint ?? specFingerprint(app.spec);
  return fingerprintOf(old) !== fingerprintOf(updated);
}

/**
 * The id of the application's next submission: `submissionId()` of the uid and the spec's
 * fingerprint, for attempt `submissionAttempts + 1`. Deterministic, so a shell that crashed after
 * submitting and before writing the status submits the same id again (and finds its pod). The
 * fingerprint is there because INVALIDATING resets `submissionAttempts`: with the uid alone, the
 * first submission of a changed spec would reuse the id (and the names derived from it) of the
 * first submission of the old spec; and a driver pod created from an older spec never passes for
 * the next submission.
 */
export function nextSubmissionId(app: Pick<SparkApplication, 'metadata' | 'spec'>, status: ShapedStatus): string {
  return applicationSubmissionId(app, (status.submissionAttempts ?? 0) + 1);
}
