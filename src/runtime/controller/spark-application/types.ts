/**
 * The inputs and outputs of the SparkApplication controller's pure core ({@link decide}): what the
 * shell observed, the options it runs with, and the decision it carries out. No I/O lives here.
 */
import { ApplicationStateType, PodState, SparkApplicationStatus } from '../../../api';
import { BatchSchedulingSettings } from '../../../core';

/** The fields of a core/v1 Pod that decisions read (the shell trims its cache to these). */
export interface ObservedPod {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `status.phase`: Pending, Running, Succeeded, Failed, Unknown. */
  readonly phase?: string;
  /** `metadata.creationTimestamp` (RFC 3339). */
  readonly creationTimestamp?: string;
  /** `metadata.deletionTimestamp`: set while the pod is being deleted. */
  readonly deletionTimestamp?: string;
  readonly podIP?: string;
  /** `status.reason` (`Evicted`, `DeadlineExceeded` ...): why a pod failed when no container says. */
  readonly reason?: string;
  /** `status.message`: the human-readable detail of `reason`. */
  readonly message?: string;
  /** `status.conditions` (`PodScheduled` false with reason `Unschedulable` ...). */
  readonly conditions?: ReadonlyArray<{
    readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string; readonly lastTransitionTime?: string;
  }>;
  /** `status.containerStatuses`. */
  readonly containerStatuses?: readonly ObservedContainerStatus[];
}

/** One entry of a pod's `status.containerStatuses`. */
export interface ObservedContainerStatus {
  readonly name: string;
  readonly state?: {
    readonly waiting?: { readonly reason?: string; readonly message?: string };
    readonly running?: { readonly startedAt?: string };
    readonly terminated?: { readonly exitCode: number; readonly reason?: string; readonly message?: string };
  };
}

/** What the shell read from the UI Service (`uiServiceName(app)`) once it exists. */
export interface ObservedUiService {
  /** `spec.clusterIP`. */
  readonly clusterIP?: string;
  /** `spec.ports[0].port`: the port of the Spark UI on the Service. */
  readonly port?: number;
}

/** What the shell knows of the UI Ingress (`uiIngressName(app)`) once it exists. */
export interface ObservedUiIngress {
  /** The URL the Ingress serves the UI at (the `--ingress-url-format` expanded for this application). */
  readonly url?: string;
}

/**
 * A `submit` action that failed for good: the API server refused an object (invalid, forbidden,
 * over quota), or a builder could not build it. Transient errors (timeouts, 5xx, conflicts) are
 * not this: the shell retries those with backoff.
 */
export interface SubmitFailure {
  /** The `submissionId` of the failed `submit` action. */
  readonly submissionId: string;
  /** What went wrong, for `status.applicationState.errorMessage` and the Event. */
  readonly message: string;
}

/** What the shell observed in its caches for one application (only objects labelled as ours). */
export interface Observed {
  /**
   * The application's driver pod: the pod named {@link observedDriverPodName} with our
   * `app-name` label, if it exists, whichever submission created it. `decide` reads its
   * `submission-id` label: the pod of the current submission (`status.submissionID`) is tracked, the
   * pod of the submission about to be made is one a crashed shell already created, and any other is
   * a leftover that blocks the next submission.
   */
  readonly driverPod?: ObservedPod;
  /** Executor pods of the current submission (labels app-name + submission-id + spark-role=executor). */
  readonly executorPods: readonly ObservedPod[];
  /**
   * Whether any driver pod, UI Service or UI Ingress of ANY submission of this app still exists
   * (for PENDING_RERUN/SUSPENDING/INVALIDATING and every other submission: wait until gone).
   */
  readonly resourcesRemain: boolean;
  /**
   * The shell's update handler saw a spec change for which {@link specChangeInvalidates} holds, and
   * no decision made with this flag has been written yet. Moves the application to INVALIDATING.
   * @default false
   */
  readonly specChanged?: boolean;
  /**
   * The `submit` action of a decision failed for good; decide again with the same application to
   * get the SUBMISSION_FAILED status (and its retry) to write instead.
   * @default - no failure
   */
  readonly submitFailure?: SubmitFailure;
  /**
   * The UI Service, once the shell has seen it: fills `status.driverInfo.webUIAddress` and `webUIPort`.
   * @default - not seen yet
   */
  readonly uiService?: ObservedUiService;
  /**
   * The UI Ingress, once the shell has seen it: fills `status.driverInfo.webUIIngressAddress`.
   * @default - not seen yet
   */
  readonly uiIngress?: ObservedUiIngress;
  /**
   * An object that is not the application's holds the UI Service's or the UI Ingress's name: asking
   * for it again could never succeed (the first ask recorded a Warning).
   * @default - neither name taken
   */
  readonly uiNamesTaken?: { readonly service?: boolean; readonly ingress?: boolean };
}

/** The controller options that decisions depend on. */
export interface DecideOptions {
  /** How long a SUBMITTED application may have no driver pod before it fails (upstream `--driver-pod-creation-grace-period`, 10). */
  readonly driverPodCreationGracePeriodSeconds: number;
  /**
   * Fail a driver stuck Pending after this long, with the pod's real reason (image pull errors,
   * unschedulable, a missing ConfigMap or Secret). Not in upstream, where such a driver stays
   * SUBMITTED for ever.
   * @default - off
   */
  readonly driverPendingTimeoutSeconds?: number;
  /** The most entries `status.executorState` holds (upstream `--max-tracked-executor-per-app`, 1000). */
  readonly maxTrackedExecutors: number;
  /**
   * `--default-time-to-live`: the time to live of finished applications that set no `timeToLiveSeconds`.
   * @default - kept until deleted
   */
  readonly defaultTimeToLiveSeconds?: number;
  /** `--ingress-url-format` is set: every application gets a UI Ingress. */
  readonly uiIngress: boolean;
  /**
   * `--protected-service-accounts` (`namespace/name`): an application whose pods would run as one is
   * FAILED instead of submitted, as the webhook refuses it (for when the webhook is off or bypassed).
   * @default - none
   */
  readonly protectedServiceAccounts?: readonly string[];
  /**
   * `--enable-batch-scheduler`, `--kube-scheduler-names`, `--default-batch-scheduler`: the submission
   * builds the scheduler's objects, and a driver waiting in the scheduler's queue is not stuck.
   * @default BATCH_SCHEDULING_OFF
   */
  readonly batchScheduling?: BatchSchedulingSettings;
}

/** Upstream's default `--driver-pod-creation-grace-period`, in seconds. */
export const DEFAULT_DRIVER_POD_CREATION_GRACE_PERIOD_SECONDS = 10;
/** Upstream's default `--max-tracked-executor-per-app`. */
export const DEFAULT_MAX_TRACKED_EXECUTORS = 1000;

/** A Kubernetes Event on the SparkApplication. */
export interface EventAction {
  readonly type: 'event';
  readonly eventType: 'Normal' | 'Warning';
  /** Upstream's reasons (`SparkApplicationSubmitted`, `SparkDriverRunning` ...), see `events.ts`. */
  readonly reason: string;
  readonly message: string;
}

/** Something the shell does for a decision; every action is idempotent. */
export type Action =
  /** Create the driver pod, its ConfigMap and its headless Service (the builders), labelled with `submissionId`; an existing pod with the same `submission-id` label is success. */
  | { readonly type: 'submit'; readonly submissionId: string }
  /** Delete the driver pod, UI Service, UI Ingress, driver-ingress Services/Ingresses and driver PDB of every submission. */
  | { readonly type: 'deleteResources' }
  /** Create (or leave) the UI Service `uiServiceName(app)`. */
  | { readonly type: 'ensureUiService' }
  /** Create (or leave) the UI Ingress `uiIngressName(app)`. */
  | { readonly type: 'ensureUiIngress' }
  /** Create (or leave) the Service and Ingress of every `spec.driverIngressOptions` entry. */
  | { readonly type: 'ensureDriverIngresses' }
  /** Create (or leave) the driver's PodDisruptionBudget. */
  | { readonly type: 'ensureDriverPdb' }
  /** Delete the driver's PodDisruptionBudget. */
  | { readonly type: 'deleteDriverPdb' }
  /** Delete the SparkApplication: its time to live is over. */
  | { readonly type: 'deleteApplication' }
  | EventAction;

/**
 * A change of state that a decision makes, for the metrics (the shell counts it once the status that
 * makes it is written): the application entered `to`, or the executor pod `pod` did (`from` absent
 * for an executor seen for the first time).
 */
export type Change =
  | { readonly kind: 'application'; readonly from: ApplicationStateType; readonly to: ApplicationStateType }
  | { readonly kind: 'executor'; readonly pod: string; readonly from?: PodState; readonly to: PodState };

/** What `decide` concluded for one application. */
export interface Decision {
  /** The status to write (the shell writes it through the status subresource only when `statusWorthWriting(current, this)`). */
  readonly status: SparkApplicationStatus;
  /** What to do, in order; the shell carries them out BEFORE writing the status (so a crash in between repeats them idempotently). */
  readonly actions: readonly Action[];
  /** Every change of state on the way from the application's status to `status`, in order (nothing else reads them). */
  readonly changes: readonly Change[];
  /**
   * When to look again even without an event (retry due, TTL, grace period, pending timeout,
   * deletions awaited), in milliseconds (whole seconds, at least 1 s), as the scheduled controller's
   * `decide` says it; undefined = only on events.
   */
  readonly requeueAfterMs?: number;
}
