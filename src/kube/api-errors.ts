/**
 * Which API answers a retry cannot change: one rule for every reconciler. A final error ends a
 * submission (SUBMISSION_FAILED) or is reported once as a Warning Event; anything else (a conflict,
 * throttling, a server error, a cut connection) is retried by the work queue with backoff.
 */
import { KubeError } from './rest';

/** HTTP codes of requests that are wrong as sent: the same request gets the same answer. */
const FINAL_CODES: ReadonlySet<number> = new Set([400, 403, 404, 405, 406, 413, 415, 422]);

/** The 403s that an API server gives while its RBAC and discovery caches fill, just after it started. */
const MAYBE_NOT_READY = / cannot [a-z]+ resource |cannot find RESTMapping/;

/** True when `error` is an API answer that no retry of the same request changes. */
export function isFinalApiError(error: unknown): error is KubeError {
  return error instanceof KubeError && FINAL_CODES.has(error.code);
}

/**
 * True for a final error that a just-started API server also gives for a while (the authorizer's
 * `User ... cannot create resource ...`, a missing discovery mapping): worth retrying for a bounded
 * time before it counts as final. Refusals by admission (PodSecurity, a webhook) are not.
 */
export function mayBeNotReadyYet(error: KubeError): boolean {
  return error.code === 403 && MAYBE_NOT_READY.test(error.message);
}
