import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkApplication } from '../src';

/**
 * A job that grows and shrinks with its work: Spark starts 2 executors, adds more (up to 10) while
 * tasks wait and removes idle ones (down to 1). Executors holding shuffle data are kept for up to 10
 * minutes (shuffle tracking; there is no external shuffle service on Kubernetes). The executors
 * prefer to spread over nodes.
 */
export class DynamicAllocationChart extends Chart {
  /** @param serviceAccount the drivers' service account in `spark-jobs` (the operator's driver RBAC) */
  constructor(scope: Construct, id: string, serviceAccount: kplus.IServiceAccount) {
    super(scope, id, { namespace: 'spark-jobs' });

    const app = new SparkApplication(this, 'elastic-pi', {
      metadata: { name: 'elastic-pi' },
      image: 'apache/spark:3.5.1',
      sparkVersion: '3.5.1',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      arguments: ['100000'],
      serviceAccount,
      dynamicAllocation: {
        minExecutors: 1,
        initialExecutors: 2,
        maxExecutors: 10,
        shuffleTrackingTimeout: Duration.minutes(10),
      },
      executor: { cores: 2, memory: Size.gibibytes(2) },
    });

    const executors = kplus.Pods.select(this, 'executors', {
      labels: { 'spark-role': 'executor', 'sparkoperator.k8s.io/app-name': 'elastic-pi' },
    });
    app.executor.scheduling.separate(executors, { weight: 50 });
  }
}
