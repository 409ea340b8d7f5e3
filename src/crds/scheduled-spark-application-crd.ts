/** The ScheduledSparkApplication CRD. */
import { CustomResourceDefinition, buildCrd } from './crd';
import { scheduledSparkApplicationSpecSchema, scheduledSparkApplicationStatusSchema } from './scheduled-spark-application-schema';
import { SCHEDULED_SPARK_APPLICATION_NAMES } from '../api';

/** Builds the ScheduledSparkApplication CustomResourceDefinition (names, columns and fields as upstream). */
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
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
}
