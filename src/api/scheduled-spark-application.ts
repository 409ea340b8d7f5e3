/**
 * The `sparkoperator.k8s.io/v1beta2` ScheduledSparkApplication: a cron schedule that creates
 * SparkApplications from a template. Field for field the upstream API, with its JSON names.
 */
import { ObjectMeta } from './core';
import { SparkApplicationSpec } from './spark-application';

/** Every `spec.concurrencyPolicy`. */
export const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'] as const;
/** What to do when a run is due while the previous one is still going. */
export type ConcurrencyPolicy = typeof CONCURRENCY_POLICIES[number];

/** `status.scheduleState`; `''` is "new". */
export type ScheduleState = '' | 'Validating' | 'Scheduled' | 'FailedValidation';

/** Every schedule state. */
export const SCHEDULE_STATES: readonly ScheduleState[] = ['', 'Validating', 'Scheduled', 'FailedValidation'];

/** The full ScheduledSparkApplication object. */
export interface ScheduledSparkApplication {
  apiVersion: 'sparkoperator.k8s.io/v1beta2';
  kind: 'ScheduledSparkApplication';
  metadata: ObjectMeta;
  spec: ScheduledSparkApplicationSpec;
  status?: ScheduledSparkApplicationStatus;
}

/** `spec`. */
export interface ScheduledSparkApplicationSpec {
  /** Standard five-field cron, or a descriptor such as `@hourly` / `@every 1h`. */
  schedule: string;
  /** IANA time zone name; empty means the operator's local time. */
  timeZone?: string;
  template: SparkApplicationSpec;
  suspend?: boolean;
  concurrencyPolicy?: ConcurrencyPolicy;
  successfulRunHistoryLimit?: number;
  failedRunHistoryLimit?: number;
}

/** `status`, written only by the operator. */
export interface ScheduledSparkApplicationStatus {
  lastRun?: string | null;
  nextRun?: string | null;
  lastRunName?: string;
  pastSuccessfulRunNames?: string[];
  pastFailedRunNames?: string[];
  scheduleState?: ScheduleState;
  reason?: string;
}
