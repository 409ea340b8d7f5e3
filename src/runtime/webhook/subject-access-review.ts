/**
 * The SubjectAccessReview that asks the API server whether a user may create pods in a namespace
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access).
 * Apart from the authorizer, so that its cache is tested without loading the API client.
 */
import { SubjectAccessReviewer } from './pod-creation-authorizer';
import { RestClient } from '../kube/rest';

/** How long one SubjectAccessReview may take before the admission gives up on it. */
export const AUTHORIZATION_REQUEST_TIMEOUT_MS = 5_000;

/** A reviewer that sends SubjectAccessReviews through `rest`. */
export function subjectAccessReviewer(rest: RestClient): SubjectAccessReviewer {
  return async (user, namespace) => {
    const review = await rest.request<{ status?: { allowed?: boolean; reason?: string } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          uid: user.uid,
          groups: user.groups,
          extra: user.extra,
          resourceAttributes: { namespace, verb: 'create', group: '', version: 'v1', resource: 'pods' },
        },
      },
      timeoutMs: AUTHORIZATION_REQUEST_TIMEOUT_MS,
    });
    return { allowed: review.status?.allowed === true, reason: review.status?.reason || undefined };
  };
}
