import { LABELS, SparkApplication, SparkApplicationStatus } from '../../../src/api';
import { formatTime } from '../../../src/core';
import {
  DecideOptions, Decision, Observed, ObservedPod, decide, nextSubmissionId, shapeStatus,
} from '../../../src/runtime/controller/spark-application';
import { sparkPiSpec } from '../../fixtures/spark-pi-spec';

/** The fixed clock of the tests: 2026-01-01T00:00:00Z plus `seconds`. */
export function at(seconds: number): Date {
  return new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
}

/** `at(seconds)` as the status writes it. */
export function time(seconds: number): string {
  return formatTime(at(seconds));
}

export const UID = '7d3c2f4e-0000-4000-8000-000000000001';

/** A valid SparkApplication as read from the cluster, with `status` and `spec` changes. */
export function app(status?: SparkApplicationStatus, spec: Partial<SparkApplication['spec']> = {}): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'spark-pi', namespace: 'spark-jobs', uid: UID, generation: 1 },
    spec: { ...sparkPiSpec(), ...spec },
    ...status ? { status } : {},
  };
}

/** The options of the tests: upstream's defaults, no pending timeout, no TTL, no Ingress. */
export const OPTIONS: DecideOptions = { driverPodCreationGracePeriodSeconds: 10, maxTrackedExecutors: 1000, uiIngress: false };

/** Nothing observed. */
export const NOTHING: Observed = { executorPods: [], resourcesRemain: false };

/** The id of attempt `attempt` of `app()` with `spec`: what `decide` submits after `attempt - 1` attempts. */
export function idOf(attempt: number, spec: Partial<SparkApplication['spec']> = {}): string {
  return nextSubmissionId(app(undefined, spec), shapeStatus({ driverInfo: {}, submissionAttempts: attempt - 1 }));
}

/** A status of the `attempt`-th submission (made at `at(submittedAt)`), in `state`. */
export function submittedStatus(state: string, attempt = 1, submittedAt = 0, extra: Partial<SparkApplicationStatus> = {}): SparkApplicationStatus {
  return shapeStatus({
    submissionID: idOf(attempt),
    lastSubmissionAttemptTime: time(submittedAt),
    terminationTime: null,
    driverInfo: { podName: 'spark-pi-driver' },
    applicationState: { state: state as any },
    executionAttempts: attempt,
    submissionAttempts: attempt,
    ...extra,
  });
}

type ContainerState = NonNullable<NonNullable<ObservedPod['containerStatuses']>[number]['state']>;

/** The driver pod of submission `submissionId`. */
export function driverPod(phase: string, options: {
  submissionId?: string;
  container?: ContainerState;
  appId?: string;
  created?: number;
  deleting?: boolean;
  conditions?: ObservedPod['conditions'];
  reason?: string;
  message?: string;
  containerName?: string;
} = {}): ObservedPod {
  return {
    name: 'spark-pi-driver',
    labels: {
      [LABELS.appName]: 'spark-pi',
      [LABELS.launchedBy]: 'true',
      [LABELS.sparkRole]: 'driver',
      [LABELS.submissionId]: options.submissionId ?? idOf(1),
      ...options.appId ? { [LABELS.sparkAppSelector]: options.appId } : {},
    },
    phase,
    creationTimestamp: time(options.created ?? 1),
    ...options.deleting ? { deletionTimestamp: time(50) } : {},
    ...options.conditions ? { conditions: options.conditions } : {},
    ...options.reason ? { reason: options.reason } : {},
    ...options.message ? { message: options.message } : {},
    ...options.container ? { containerStatuses: [{ name: options.containerName ?? 'spark-kubernetes-driver', state: options.container }] } : {},
  };
}

/** Executor `id` of submission `submissionId`. */
export function executorPod(
  id: number, phase: string, options: { submissionId?: string; appId?: string; exit?: number; reason?: string; message?: string } = {},
): ObservedPod {
  return {
    name: `spark-pi-5e1a-exec-${id}`,
    labels: {
      [LABELS.appName]: 'spark-pi',
      [LABELS.launchedBy]: 'true',
      [LABELS.sparkRole]: 'executor',
      [LABELS.submissionId]: options.submissionId ?? idOf(1),
      'spark-exec-id': String(id),
      ...options.appId ? { [LABELS.sparkAppSelector]: options.appId } : {},
    },
    phase,
    ...options.message ? { message: options.message } : {},
    ...options.exit !== undefined
      ? { containerStatuses: [{ name: 'spark-kubernetes-executor', state: { terminated: { exitCode: options.exit, reason: options.reason } } }] }
      : {},
  };
}

/** `decide` at `at(seconds)` with the test options (and `options` changes). */
export function decideAt(a: SparkApplication, observed: Observed, seconds: number, options: Partial<DecideOptions> = {}): Decision {
  return decide(a, observed, at(seconds), { ...OPTIONS, ...options });
}

/** The types of the decision's actions, with the event reasons: `['submit', 'event:SparkApplicationSubmitted']`. */
export function actionKinds(decision: Decision): string[] {
  return decision.actions.map((a) => (a.type === 'event' ? `event:${a.reason}` : a.type));
}
