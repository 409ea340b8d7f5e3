/** The ScheduledSparkApplication CRD. */
import { CustomResourceDefinition, buildCrd } from './crd';
import { scheduledSparkApplicationSpecSchema, scheduledSparkApplicationStatusSchema } from './scheduled-spark-application-schema';
import { SCHEDULED_SPARK_APPLICATION_NAMES } from '../api';

/**
 * Builds the ScheduledSparkApplication CustomResourceDefinition (names, columns and fields as
 * upstream, plus the schedule's state and next run as columns).
 */
export function scheduledSparkApplicationCrd(): CustomResourceDefinition {
  return buildCrd({
    names: SCHEDULED_SPARK_APPLICATION_NAMES,
    description: 'A cron schedule that creates a SparkApplication from a template at each run.',
    spec: scheduledSparkApplicationSpecSchema(),
    status: scheduledSparkApplicationStatusSchema(),
    printerColumns: [
      { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
      { name: 'TimeZone', type: 'string', jsonPath: '.spec.timeZone' },
      { name: 'Suspend', type: 'string', jsonPath: '.spec.suspend' },
      { name: 'Last Run', type: 'date', jsonPath: '.status.lastRun' },
      { name: 'Last Run Name', type: 'string', jsonPath: '.status.lastRunName' },
      // Ours, before Age as kubectl's own columns are: whether the schedule was accepted, and when
      // it runs next.
      { name: 'State', type: 'string', jsonPath: '.status.scheduleState', description: 'Scheduled, or FailedValidation (the reason is in status.reason)' },
      { name: 'Next Run', type: 'date', jsonPath: '.status.nextRun', description: 'When the next run is due' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
}
