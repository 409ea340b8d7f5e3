/**
 * SparkPi from the Apache image as the e2e tests submit it. The fake kubelet runs its driver as the
 * driver's annotations say (`podOutcomeAnnotations`); no container runs.
 */

/** The ServiceAccount `SparkOperator` renders for drivers in each job namespace. */
export const DRIVER_ACCOUNT = 'spark';

/** The SparkPi spec with small pods; `driver` fields and `spec` fields given here win. */
export function sparkPiSpec(driver: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): Record<string, any> {
  return {
    type: 'Scala',
    mode: 'cluster',
    sparkVersion: '3.5.1',
    image: 'apache/spark:3.5.1',
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
    driver: { cores: 1, memory: '512m', serviceAccount: DRIVER_ACCOUNT, ...driver },
    executor: { cores: 1, memory: '512m', instances: 1 },
    ...spec,
  };
}
