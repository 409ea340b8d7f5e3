import { Chart, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RestartPolicy, ScheduledSparkApplication } from '../src';

/**
 * A nightly job that must never overlap: at 02:30 Berlin time, and if last night's run is still
 * going, tonight's is skipped (`ConcurrencyPolicy.FORBID`, the default, written out here for the
 * reader). The last three successful runs and the last five failed ones are kept for their logs.
 */
export class NightlyChart extends Chart {
  /** @param serviceAccount the drivers' service account in `spark-jobs` (the operator's driver RBAC) */
  constructor(scope: Construct, id: string, serviceAccount: kplus.IServiceAccount) {
    super(scope, id, { namespace: 'spark-jobs' });

    new ScheduledSparkApplication(this, 'nightly-pi', {
      metadata: { name: 'nightly-pi' },
      schedule: Cron.schedule({ minute: '30', hour: '2' }),
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      successfulRunHistoryLimit: 3,
      failedRunHistoryLimit: 5,

      image: 'apache/spark:3.5.1',
      sparkVersion: '3.5.1',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      arguments: ['10000'],
      serviceAccount,
      restartPolicy: RestartPolicy.onFailure({ retries: 2, interval: Duration.minutes(5) }),
      executor: { instances: 4, cores: 2, memory: Size.gibibytes(2) },
    });
  }
}
