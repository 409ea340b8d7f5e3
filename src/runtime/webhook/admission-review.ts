/**
 * The `admission.k8s.io/v1` AdmissionReview the API server sends the webhook and the answer it takes
 * back (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request
 * and #response), and a reader that turns any JSON into a request or one clear error.
 */
import { JsonPatchOperation } from './json-patch';

/** Who sent the request being admitted (`request.userInfo`). */
export interface AdmissionUser {
  readonly username: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** The part of `request` the webhook reads. */
export interface AdmissionRequest {
  readonly uid: string;
  /** `SparkApplication` or `ScheduledSparkApplication` (any other kind is refused). */
  readonly kind: string;
  /** `CREATE` or `UPDATE` (the webhook configurations send no others). */
  readonly operation: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Set when the request is for a subresource (the configurations match none). */
  readonly subResource?: string;
  readonly userInfo: AdmissionUser;
  readonly object: unknown;
  /** The object before an UPDATE. */
  readonly oldObject?: unknown;
  readonly dryRun?: boolean;
}

/** The webhook's verdict on one request. */
export interface AdmissionVerdict {
  readonly allowed: boolean;
  /** Why it was refused: shown to the user by `kubectl`. */
  readonly message?: string;
  /** The HTTP-like code of a refusal (`400` invalid, `403` forbidden). */
  readonly code?: number;
  /** Changes the mutating webhook asks for. */
  readonly patch?: readonly JsonPatchOperation[];
  /** Told to the user as warnings (`kubectl` prints them), at most a few. */
  readonly warnings?: readonly string[];
}

/** The AdmissionReview sent back. */
export interface AdmissionReviewResponse {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: {
    readonly uid: string;
    readonly allowed: boolean;
    readonly status?: { readonly code: number; readonly message: string; readonly reason?: string };
    readonly patchType?: 'JSONPatch';
    readonly patch?: string;
    readonly warnings?: readonly string[];
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function userOf(value: unknown): AdmissionUser {
  const user = isObject(value) ? value : {};
  const groups = Array.isArray(user.groups) ? user.groups.filter((g): g is string => typeof g === 'string') : undefined;
  // A null-prototype object: a key such as `__proto__` stays a key (it is passed on to the
  // SubjectAccessReview and the cache key like any other).
  const extra: Record<string, string[]> = Object.create(null);
  if (isObject(user.extra)) {
    for (const [key, values] of Object.entries(user.extra)) {
      if (Array.isArray(values)) extra[key] = values.filter((v): v is string => typeof v === 'string');
    }
  }
  return {
    username: optionalString(user.username) ?? '',
    uid: optionalString(user.uid),
    groups,
    extra: Object.keys(extra).length > 0 ? extra : undefined,
  };
}

/**
 * The request of an AdmissionReview (any JSON), or why it is not one: the message is for the
 * HTTP 400 answer and the log.
 */
export function readAdmissionReview(body: unknown): { request: AdmissionRequest } | { error: string } {
  if (!isObject(body)) return { error: 'the body must be a JSON object (an AdmissionReview)' };
  if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview') {
    return { error: `expected an admission.k8s.io/v1 AdmissionReview (got apiVersion ${JSON.stringify(body.apiVersion)}, kind ${JSON.stringify(body.kind)})` };
  }
  const request = body.request;
  if (!isObject(request)) return { error: 'the AdmissionReview has no request' };
  const uid = optionalString(request.uid);
  if (!uid) return { error: 'the AdmissionReview request has no uid' };
  const kind = isObject(request.kind) ? optionalString(request.kind.kind) : undefined;
  return {
    request: {
      uid,
      kind: kind ?? '',
      operation: optionalString(request.operation) ?? '',
      namespace: optionalString(request.namespace),
      name: optionalString(request.name),
      subResource: optionalString(request.subResource),
      userInfo: userOf(request.userInfo),
      object: request.object,
      oldObject: request.oldObject ?? undefined,
      dryRun: request.dryRun === true,
    },
  };
}

/** The AdmissionReview answering request `uid` with `verdict`. */
export function admissionReviewResponse(uid: string, verdict: AdmissionVerdict): AdmissionReviewResponse {
  const patch = verdict.allowed && verdict.patch && verdict.patch.length > 0 ? verdict.patch : undefined;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid,
      allowed: verdict.allowed,
      ...verdict.allowed ? {} : {
        status: {
          code: verdict.code ?? 400,
          message: verdict.message ?? 'refused',
          reason: verdict.code === 403 ? 'Forbidden' : verdict.code !== undefined && verdict.code >= 500 ? 'InternalError' : 'Invalid',
        },
      },
      ...patch ? { patchType: 'JSONPatch' as const, patch: Buffer.from(JSON.stringify(patch)).toString('base64') } : {},
      ...verdict.warnings && verdict.warnings.length > 0 ? { warnings: verdict.warnings } : {},
    },
  };
}
