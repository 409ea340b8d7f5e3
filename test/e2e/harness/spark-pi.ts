/**
 * SparkPi from the Apache image as the e2e tests submit it. The fake kubelet runs its driver as the
 * driver's annotations say (`podOutcomeAnnotations`); no container runs.
 */
import { sparkPiSpec as baseSparkPiSpec } from '../../fixtures/spark-pi-spec';

/** The ServiceAccount `SparkOperator` renders for drivers in each job namespace. */
export const DRIVER_ACCOUNT = 'spark';

/** The SparkPi spec with small pods; `driver` fields and `spec` fields given here win. */
export function sparkPiSpec(driver: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): Record<string, any> {
  return {
    // The application itself as the unit tests' fixture has it; pods small enough for the fake nodes.
    ...baseSparkPiSpec(),
    mode: 'cluster',
    driver: { cores: 1, memory: '512m', serviceAccount: DRIVER_ACCOUNT, ...driver },
    executor: { cores: 1, memory: '512m', instances: 1 },
    ...spec,
  };
}
