/**
 * Which submission of an application is which: the id of its n-th submission, derived (never
 * random) from the application's identity and what it submits, so that the controller, `render`
 * and a restarted controller all name the same submission the same way.
 */
import { createHash } from 'node:crypto';
import { applyDefaults } from './defaults';
import { SparkApplicationSpec } from '../api';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/**
 * The submission id of an application's `attempt`-th submission (1, 2, ...): UUID-shaped like
 * upstream's, but derived from the application's uid, so that a controller that crashed between
 * creating the driver pod and writing the status submits the same id (and names) again and gets
 * `AlreadyExists` instead of a second driver.
 */
export function submissionId(appUid: string, attempt: number): string {
  const hex = createHash('sha256').update(`${appUid}/${attempt}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** JSON with sorted keys and without `undefined` members: equal for values that mean the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? 'undefined';
}

/**
 * Sixteen hex digits that change exactly when a submission would: the SHA-256 of the spec with
 * `applyDefaults()` applied, as canonical JSON, less `suspend` and `timeToLiveSeconds` (the two
 * fields upstream lets change without a rerun).
 */
export function specFingerprint(spec: unknown): string {
  let relevant: unknown = spec;
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    const { suspend: _suspend, timeToLiveSeconds: _ttl, ...rest } = applyDefaults(spec as SparkApplicationSpec);
    relevant = rest;
  }
  return createHash('sha256').update(canonicalJson(relevant)).digest('hex').slice(0, 16);
}

/**
 * The id of an application's `attempt`-th submission (1, 2, ...): `submissionId()` of its uid
 * (`<namespace>/<name>` for a document not yet in a cluster) and its spec's fingerprint. The
 * fingerprint is there because a spec change resets the attempt count: the first submission of the
 * new spec must not reuse the id (and the names derived from it) of the old spec's first.
 */
export function applicationSubmissionId(
  app: { metadata?: { uid?: string; name?: string; namespace?: string }; spec: unknown }, attempt: number,
): string {
  const identity = app.metadata?.uid ?? `${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`;
  return submissionId(`${identity}/${specFingerprint(app.spec)}`, attempt);
}
