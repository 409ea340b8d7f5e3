/**
 * The webhook's six paths (mutate and validate, for each kind), as the webhook configurations that
 * `SparkOperator` renders name them: each reads an AdmissionReview, decides (`admit.ts`), logs,
 * counts, and answers. A body that is no AdmissionReview gets HTTP 400; a refusal is a normal
 * answer (HTTP 200, `allowed: false`).
 */
import { admissionReviewResponse, readAdmissionReview } from './admission-review';
import { Admission, AdmittedKind, ValidationContext, mutate, validateRequest } from './admit';
import { AdmissionPathType, WebhookMetrics } from './metrics';
import { JsonHandler } from './server';
import { WEBHOOK_PATHS } from '../../core';
import { Logger } from '../../kube/log';

/** What the paths use. */
export interface RoutesEnvironment {
  readonly validation: ValidationContext;
  readonly log: Logger;
  readonly metrics?: WebhookMetrics;
}

/** The longest message logged for a refusal (the full message goes to the user). */
const MAX_LOGGED_MESSAGE = 1000;

function route(kind: AdmittedKind, webhook: AdmissionPathType, env: RoutesEnvironment): JsonHandler {
  return async (body, arrivedAt) => {
    const started = arrivedAt;
    const read = readAdmissionReview(body);
    if ('error' in read) {
      env.log.warn('not an AdmissionReview', { kind, webhook, error: read.error });
      env.metrics?.observeAdmission(kind, webhook, '', 'error', (performance.now() - started) / 1000);
      return { status: 400, body: { error: read.error } };
    }
    const { request } = read;
    const admission: Admission = webhook === 'mutate'
      ? mutate(request, kind)
      : await validateRequest(request, kind, env.validation);
    const { verdict, refusedBy } = admission;
    const seconds = (performance.now() - started) / 1000;
    env.metrics?.observeAdmission(kind, webhook, request.operation, verdict.allowed ? 'allowed' : 'refused', seconds, refusedBy);
    const { operation, namespace, name, uid } = request;
    const fields = { kind, webhook, operation, namespace, name, user: request.userInfo.username, uid };
    if (!verdict.allowed) env.log.info('refused', { ...fields, rule: refusedBy, message: verdict.message?.slice(0, MAX_LOGGED_MESSAGE) });
    else env.log.debug('admitted', { ...fields, patchOperations: verdict.patch?.length ?? 0 });
    return { status: 200, body: admissionReviewResponse(request.uid, verdict) };
  };
}

/** The route table of the admission server. */
export function admissionRoutes(env: RoutesEnvironment): Record<string, JsonHandler> {
  return {
    [WEBHOOK_PATHS.sparkApplication.mutate]: route('SparkApplication', 'mutate', env),
    [WEBHOOK_PATHS.sparkApplication.validate]: route('SparkApplication', 'validate', env),
    [WEBHOOK_PATHS.scheduledSparkApplication.mutate]: route('ScheduledSparkApplication', 'mutate', env),
    [WEBHOOK_PATHS.scheduledSparkApplication.validate]: route('ScheduledSparkApplication', 'validate', env),
    // No configuration of this release sends SparkConnects here (nothing to default); served so that
    // the configuration of an earlier release, until it is replaced, still has its writes admitted.
    [WEBHOOK_PATHS.sparkConnect.mutate]: route('SparkConnect', 'mutate', env),
    [WEBHOOK_PATHS.sparkConnect.validate]: route('SparkConnect', 'validate', env),
  };
}
