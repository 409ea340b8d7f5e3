import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkConnect } from '../src';

/**
 * A Spark Connect server that a team's notebooks share: one long-running Spark driver that
 * `pyspark[connect]` clients reach at `sc://notebooks-server.spark-jobs.svc:15002`. Notebooks are
 * idle most of the time, so executors come and go with the queries (dynamic allocation, none while
 * nobody queries). The notebooks find the address in the ConfigMap `spark-remote`, as the
 * `SPARK_REMOTE` variable PySpark reads (`envFrom` it into the notebook pods).
 */
export class NotebooksChart extends Chart {
  /** The server. */
  public readonly connect: SparkConnect;

  /** @param serviceAccount the drivers' service account in `spark-jobs` (the operator's driver RBAC): the server creates the executors */
  constructor(scope: Construct, id: string, serviceAccount: kplus.IServiceAccount) {
    super(scope, id, { namespace: 'spark-jobs' });

    this.connect = new SparkConnect(this, 'notebooks', {
      metadata: { name: 'notebooks', labels: { team: 'analytics' } },
      image: 'apache/spark:4.0.1',
      sparkVersion: '4.0.1',
      serviceAccount,
      server: { cores: 2, memory: Size.gibibytes(4) },
      executor: { cores: 2, memory: Size.gibibytes(4) },
      dynamicAllocation: { minExecutors: 0, maxExecutors: 10, shuffleTrackingTimeout: Duration.minutes(30) },
      sparkConf: { 'spark.sql.shuffle.partitions': '64' },
    });

    new kplus.ConfigMap(this, 'spark-remote', {
      metadata: { name: 'spark-remote' },
      data: { SPARK_REMOTE: this.connect.connectUrl },
    });
  }
}
