/** The OpenAPI schema of ScheduledSparkApplication `spec` and `status` (upstream v1beta2). */
import { JSONSchemaProps, bool, int32, list, obj, str, timestamp } from './schema';
import { sparkApplicationSpecSchema } from './spark-application-schema';

/** The schema of a ScheduledSparkApplication `spec`. */
export function scheduledSparkApplicationSpecSchema(): JSONSchemaProps {
  return obj({
    schedule: str('Cron schedule: five fields ("0 2 * * *") or a descriptor ("@hourly", "@every 1h").'),
    timeZone: str('IANA time zone of the schedule, e.g. "Europe/Berlin". Defaults to the operator\'s local time.'),
    template: sparkApplicationSpecSchema('Spec of the SparkApplication created for each run.'),
    suspend: bool('Create no new runs.'),
    // Upstream declares no enum here; we accept any string as it does and judge it in the controller.
    concurrencyPolicy: str('Allow, Forbid or Replace: what to do when a run is due while the last one is still running.'),
    successfulRunHistoryLimit: int32('Completed runs to keep. Defaults to 1.'),
    failedRunHistoryLimit: int32('Failed runs to keep. Defaults to 1.'),
  }, { required: ['schedule', 'template'], description: 'A schedule and the application it runs.' });
}

/** The schema of a ScheduledSparkApplication `status`. */
export function scheduledSparkApplicationStatusSchema(): JSONSchemaProps {
  return obj({
    lastRun: timestamp('Time of the last run.'),
    nextRun: timestamp('Time of the next run.'),
    lastRunName: str('Name of the SparkApplication of the last run.'),
    pastSuccessfulRunNames: list(str(), 'Names of kept completed runs.'),
    pastFailedRunNames: list(str(), 'Names of kept failed runs.'),
    scheduleState: str('"", Validating, Scheduled or FailedValidation.'),
    reason: str('Why the schedule failed validation.'),
  }, { description: 'Observed state, written by the operator.' });
}

