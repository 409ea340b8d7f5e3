import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkApplication, SparkApplicationType } from '../src';

/**
 * A PySpark ETL job wired to its surroundings: object-store credentials from a Secret as
 * environment variables, a truststore Secret and a ConfigMap mounted as files, a read-only claim
 * with reference data, and a large scratch disk for shuffle spills.
 *
 * The Secrets and the claim already exist in the namespace (created by whoever owns them; the claim
 * is mounted by the driver and every executor, so it must allow ReadOnlyMany or ReadWriteMany); the
 * ConfigMap is part of this chart. Naming the scratch volume `spark-local-dir-1` makes Spark use it
 * as its local directory instead of a small default emptyDir.
 */
export class ConfigAndVolumesChart extends Chart {
  /** @param serviceAccount the drivers' service account in `spark-jobs` (the operator's driver RBAC) */
  constructor(scope: Construct, id: string, serviceAccount: kplus.IServiceAccount) {
    super(scope, id, { namespace: 'spark-jobs' });

    const s3 = kplus.Secret.fromSecretName(this, 's3', 's3-credentials');
    const truststore = kplus.Secret.fromSecretName(this, 'truststore', 'warehouse-truststore');
    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: 'load-warehouse-config' },
      data: { 'tables.yaml': 'tables:\n  - orders\n  - customers\n' },
    });
    const referenceData = kplus.Volume.fromPersistentVolumeClaim(this, 'reference-data',
      kplus.PersistentVolumeClaim.fromClaimName(this, 'reference-claim', 'reference-data'),
      { name: 'reference-data', readOnly: true });
    const scratch = kplus.Volume.fromEmptyDir(this, 'scratch', 'spark-local-dir-1', { sizeLimit: Size.gibibytes(50) });

    const app = new SparkApplication(this, 'load-warehouse', {
      metadata: { name: 'load-warehouse' },
      type: SparkApplicationType.PYTHON,
      image: 'apache/spark:3.5.1',
      sparkVersion: '3.5.1',
      mainApplicationFile: 's3a://etl-jobs/load_warehouse.py',
      arguments: ['--config', '/etc/load-warehouse/tables.yaml'],
      serviceAccount,
      dependencies: { packages: ['org.apache.hadoop:hadoop-aws:3.3.4'] },
      hadoopConf: { 'fs.s3a.aws.credentials.provider': 'com.amazonaws.auth.EnvironmentVariableCredentialsProvider' },
      sparkConf: {
        'spark.sql.shuffle.partitions': '400',
        // `packages` are resolved by Ivy into its home; the image's user (uid 185) can write only /tmp.
        'spark.jars.ivy': '/tmp/.ivy2',
      },
      executor: { instances: 4, cores: 2, memory: Size.gibibytes(4) },
    });

    // Both roles read from object storage.
    for (const role of [app.driver, app.executor]) {
      role.addEnv('AWS_ACCESS_KEY_ID', kplus.EnvValue.fromSecretValue({ secret: s3, key: 'access-key-id' }));
      role.addEnv('AWS_SECRET_ACCESS_KEY', kplus.EnvValue.fromSecretValue({ secret: s3, key: 'secret-access-key' }));
      role.addSecret(truststore, '/etc/ssl/warehouse');
      role.mount('/data/reference', referenceData, { readOnly: true });
    }
    app.driver.addConfigMap(config, '/etc/load-warehouse');
    app.executor.mount('/var/data/spark', scratch);
  }
}
