import { SparkApplication } from '../../src/api';

/** A valid, minimal SparkApplication as a user writes it (no defaults applied). */
export function sparkPi(): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'spark-pi', namespace: 'spark-jobs' },
    spec: {
      type: 'Scala',
      sparkVersion: '3.5.1',
      image: 'apache/spark:3.5.1',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      driver: { cores: 1, memory: '512m' },
      executor: { cores: 1, memory: '1g', instances: 2 },
    },
  };
}

/** `sparkPi()` with `change` applied to a deep copy of it. */
export function sparkPiWith(change: (app: any) => void): SparkApplication {
  const app = structuredClone(sparkPi());
  change(app);
  return app;
}
