/**
 * Submitting: the step of every state that submits (New, PENDING_RERUN, RESUMING and a due retry of
 * SUBMISSION_FAILED), as upstream's `submitSparkApplication`, with the checks upstream leaves to
 * `spark-submit` or to luck.
 */
import { applicationEvent } from './events';
import { nextSubmissionId } from './spec-change';
import { ShapedStatus, withState } from './status';
import { DELETION_RECHECK_SECONDS, Step, StepContext, wait } from './step';
import { LABELS } from '../../../api';
import {
  driverPodName, formatTime, invalidMessage, protectedServiceAccountProblems, uiIngressName, uiServiceName, validateSparkApplication,
} from '../../../core';

/**
 * Submits the application's next attempt, or says why not yet:
 *
 * - an invalid application (`validateSparkApplication`, the webhook's rules: without a webhook
 *   nothing else stops it), or one whose pods would run as a protected ServiceAccount (the
 *   operator's own), is FAILED, with every problem's field path in `errorMessage`;
 * - `observed.submitFailure` for the next id is SUBMISSION_FAILED (the attempt counts, as upstream);
 * - a leftover driver pod (any pod with the driver's name that this submission did not create),
 *   UI Service or UI Ingress is deleted first and the submission waits until they are gone, since
 *   the new driver pod takes the same name (upstream waits so in PENDING_RERUN and SUBMISSION_FAILED);
 * - a driver pod that already carries the next submission id is this very submission, made by a
 *   shell that crashed before writing the status: submitted again (idempotent), not deleted;
 * - otherwise `submit` with the UI Service (and Ingress), and SUBMITTED with both attempt counters up
 *   by one and the UI objects' names.
 */
export function submitStep(status: ShapedStatus, ctx: StepContext): Step {
  const { app, observed, now } = ctx;
  const problems = [
    ...validateSparkApplication(app),
    ...protectedServiceAccountProblems(app, app.metadata?.namespace ?? '', ctx.options.protectedServiceAccounts ?? []),
  ];
  if (problems.length > 0 || ctx.spec === undefined) {
    const errorMessage = invalidMessage('SparkApplication', problems.length > 0 ? problems : [{ path: 'spec', message: 'is required and must be an object' }]);
    const failed = { ...withState(status, 'FAILED', errorMessage), terminationTime: formatTime(now) };
    return { status: failed, actions: [applicationEvent('FAILED', ctx.name, errorMessage)!], next: true };
  }

  // Upstream sets the id, the pod name, the time and the submission count before it submits, so a
  // failed submission records them too; only a successful one counts as an execution.
  const id = nextSubmissionId(app, status);
  const attempted: ShapedStatus = {
    ...status,
    submissionID: id,
    lastSubmissionAttemptTime: formatTime(now),
    submissionAttempts: (status.submissionAttempts ?? 0) + 1,
    driverInfo: { podName: driverPodName({ metadata: app.metadata, spec: ctx.spec }) },
  };
  // The shell tried this very submission and it was refused: record that (whatever it left behind,
  // a retry deletes first).
  const failure = observed.submitFailure;
  if (failure !== undefined && failure.submissionId === id) {
    const failed = withState(attempted, 'SUBMISSION_FAILED', failure.message);
    return { status: failed, actions: [applicationEvent('SUBMISSION_FAILED', ctx.name, failure.message)!], next: true };
  }

  const pod = observed.driverPod;
  const ours = pod !== undefined && pod.deletionTimestamp === undefined && pod.labels[LABELS.submissionId] === id;
  if (!ours && (observed.resourcesRemain || pod !== undefined)) {
    return wait(status, DELETION_RECHECK_SECONDS, [{ type: 'deleteResources' }]);
  }
  // The UI objects go with the submission (the shell creates them alongside the driver pod), so
  // that the status written for it already names them; later passes only keep them.
  const driverInfo = {
    ...attempted.driverInfo,
    webUIServiceName: uiServiceName(ctx.name),
    ...ctx.options.uiIngress ? { webUIIngressName: uiIngressName(ctx.name) } : {},
  };
  const submitted = withState({ ...attempted, driverInfo, executionAttempts: (status.executionAttempts ?? 0) + 1 }, 'SUBMITTED');
  return {
    status: submitted,
    actions: [
      { type: 'submit', submissionId: id },
      { type: 'ensureUiService' },
      ...ctx.options.uiIngress ? [{ type: 'ensureUiIngress' } as const] : [],
      applicationEvent('SUBMITTED', ctx.name)!,
    ],
    next: false,
  };
}
