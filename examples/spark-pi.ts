import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkApplication } from '../src';

/**
 * SparkPi, the "hello world" of Spark, in Scala: the examples jar that ships in the Apache image.
 *
 * It runs in `spark-jobs`, the job namespace of `OperatorChart` (examples/operator.ts), whose
 * `SparkOperator` renders the driver service account `spark` there.
 */
export class SparkPiChart extends Chart {
  /** @param serviceAccount the drivers' service account in `spark-jobs` (the operator's driver RBAC) */
  constructor(scope: Construct, id: string, serviceAccount: kplus.IServiceAccount) {
    super(scope, id, { namespace: 'spark-jobs' });

    new SparkApplication(this, 'spark-pi', {
      metadata: { name: 'spark-pi' },
      image: 'apache/spark:3.5.1',
      sparkVersion: '3.5.1',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      arguments: ['1000'],
      serviceAccount,
      driver: { memory: Size.mebibytes(512) },
      executor: { instances: 2, memory: Size.mebibytes(512) },
    });
  }
}
