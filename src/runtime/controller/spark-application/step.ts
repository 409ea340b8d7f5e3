/**
 * One step of a decision: what one state's handler concludes, and whether the state it leads to is
 * handled in the same decision. The handlers live in `transitions.ts` and `submit-step.ts`.
 */
import { ShapedStatus } from './status';
import { Action, DecideOptions, Observed } from './types';
import { ApplicationStateType, SparkApplication, SparkApplicationSpec } from '../../../api';

/**
 * How long to wait before looking again for resources being deleted (PENDING_RERUN, SUSPENDING, a
 * submission blocked by leftovers). Pod deletions wake the controller by themselves; this also
 * covers Services and Ingresses, whose deletion the shell may not watch.
 */
export const DELETION_RECHECK_SECONDS = 5;

/** Everything a handler reads. */
export interface StepContext {
  readonly app: SparkApplication;
  /** The state of the status `decide` was given (before any step of this decision). */
  readonly initialState: ApplicationStateType;
  /** `metadata.name`. */
  readonly name: string;
  /** `applyDefaults(app.spec)`, or undefined when the spec is not an object (validation says so at the next submission). */
  readonly spec: SparkApplicationSpec | undefined;
  readonly observed: Observed;
  readonly now: Date;
  readonly options: DecideOptions;
}

/** What one handler concludes. */
export interface Step {
  readonly status: ShapedStatus;
  /** World-changing actions first, then Events (an Event says what was done). */
  readonly actions: readonly Action[];
  readonly requeueAfterSeconds?: number;
  /**
   * Whether the new state's handler runs in the same decision: only when nothing this decision
   * asked for could have changed what that handler reads. A `submit` or `deleteResources` ends
   * the decision: the next one sees the world after it.
   */
  readonly next: boolean;
}

/** Whole seconds to wait, at least 1, for a delay in (possibly fractional) seconds. */
export function requeueSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}

/** A step that changes nothing and waits (for events, or `requeueAfterSeconds`). */
export function wait(status: ShapedStatus, requeueAfterSeconds?: number, actions: readonly Action[] = []): Step {
  return { status, actions, next: false, ...requeueAfterSeconds !== undefined ? { requeueAfterSeconds } : {} };
}
