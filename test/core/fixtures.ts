import { SparkApplication } from '../../src/api';
import { sparkPiSpec } from '../fixtures/spark-pi-spec';

/** A valid, minimal SparkApplication as a user writes it (no defaults applied). */
export function sparkPi(): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'spark-pi', namespace: 'spark-jobs' },
    spec: sparkPiSpec(),
  };
}

/** `sparkPi()` with `change` applied to a deep copy of it. */
export function sparkPiWith(change: (app: any) => void): SparkApplication {
  const app = structuredClone(sparkPi());
  change(app);
  return app;
}
