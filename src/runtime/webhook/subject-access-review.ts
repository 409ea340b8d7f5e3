/**
 * The SubjectAccessReview that asks the API server whether a user may create an object in a namespace
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access).
 * Apart from the authorizer, so that its cache is tested without loading the API client.
 */
import { SubjectAccessReviewer } from './pod-creation-authorizer';
import { RestClient } from '../../kube/rest';

/** How long one SubjectAccessReview may take before the admission gives up on it. */
export const AUTHORIZATION_REQUEST_TIMEOUT_MS = 5_000;

/** A reviewer that sends SubjectAccessReviews through `rest`. */
export function subjectAccessReviewer(rest: RestClient): SubjectAccessReviewer {
  return async (user, namespace, { group, resource }) => {
    type Review = { status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string } };
    const review = await rest.request<Review>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          uid: user.uid,
          groups: user.groups,
          extra: user.extra,
          resourceAttributes: { namespace, verb: 'create', group, resource },
        },
      },
      timeoutMs: AUTHORIZATION_REQUEST_TIMEOUT_MS,
    });
    const status = review.status ?? {};
    // An authorizer that failed is no answer: the request is refused as "try again", not remembered.
    if (status.allowed !== true && status.denied !== true && status.evaluationError) {
      throw new Error(`the authorizer could not decide: ${status.evaluationError}`);
    }
    return { allowed: status.allowed === true, reason: status.reason || undefined };
  };
}
