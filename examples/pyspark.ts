import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RestartPolicy, SparkApplication, SparkApplicationType } from '../src';

/**
 * A PySpark job: `pi.py` from the examples in the Apache image (which includes Python 3). Python
 * applications need no main class; Spark gives them a larger memory overhead (0.4) by default.
 */
export class PySparkChart extends Chart {
  /** @param serviceAccount the drivers' service account in `spark-jobs` (the operator's driver RBAC) */
  constructor(scope: Construct, id: string, serviceAccount: kplus.IServiceAccount) {
    super(scope, id, { namespace: 'spark-jobs' });

    new SparkApplication(this, 'pyspark-pi', {
      metadata: { name: 'pyspark-pi' },
      type: SparkApplicationType.PYTHON,
      image: 'apache/spark:3.5.1',
      sparkVersion: '3.5.1',
      mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
      arguments: ['100'],
      serviceAccount,
      restartPolicy: RestartPolicy.onFailure({ retries: 2, interval: Duration.seconds(30) }),
      timeToLive: Duration.hours(6),
      driver: { memory: Size.mebibytes(512) },
      executor: { instances: 2, cores: 1, memory: Size.gibibytes(1) },
    });
  }
}
