/** The SparkApplication CRD. */
import { CustomResourceDefinition, buildCrd } from './crd';
import { sparkApplicationSpecSchema, sparkApplicationStatusSchema } from './spark-application-schema';
import { SPARK_APPLICATION_NAMES } from '../api';

/**
 * Builds the SparkApplication CustomResourceDefinition (names, columns and fields as upstream, plus
 * the error of a failed application as a column of `kubectl get -o wide`).
 */
export function sparkApplicationCrd(): CustomResourceDefinition {
  return buildCrd({
    names: SPARK_APPLICATION_NAMES,
    description: 'A Spark application: one driver pod and its executors, run to completion by the operator.',
    spec: sparkApplicationSpecSchema('Desired state: the application and how to run it.'),
    status: sparkApplicationStatusSchema(),
    printerColumns: [
      { name: 'Suspend', type: 'boolean', jsonPath: '.spec.suspend' },
      { name: 'Status', type: 'string', jsonPath: '.status.applicationState.state' },
      { name: 'Attempts', type: 'string', jsonPath: '.status.executionAttempts' },
      { name: 'Start', type: 'string', jsonPath: '.status.lastSubmissionAttemptTime' },
      { name: 'Finish', type: 'string', jsonPath: '.status.terminationTime' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      // Ours: why a run failed, without `kubectl describe`. Priority 1 (only with -o wide), as
      // the message can be long.
      {
        name: 'Error',
        type: 'string',
        jsonPath: '.status.applicationState.errorMessage',
        description: 'Why the application failed, when it did',
        priority: 1,
      },
    ],
  });
}
