/**
 * Spark's `KubernetesDriverConf` for one submission: the configuration from stage 1 and the
 * identity of the submission (application id, resource names), which Spark would draw at random
 * and the builders derive from the submission id.
 */
import { SparkApplication } from '../../../api';
import {
  SparkConfMap, SparkVersion, defaultSparkLocalDir, driverConfigMapName, driverPodName, driverServiceName, parseSparkVersion,
  sparkAppNameLabel, sparkApplicationId, sparkResourceNamePrefix, submissionResourceId,
} from '../../../core';
import { DEFAULT_SPARK_USER, SubmissionOptions } from '../options';
import { SparkSubmitCall } from '../submit-conf';

/** What every driver feature step reads. */
export interface DriverConf {
  readonly app: SparkApplication;
  /** The submit-side Spark configuration (stage 1). */
  readonly conf: SparkConfMap;
  readonly call: SparkSubmitCall;
  readonly sparkVersion: SparkVersion;
  readonly namespace: string;
  /** `spark.app.id`: `spark-<32 hex>`. */
  readonly appId: string;
  /** The 16 hex digits in the resource names. */
  readonly resourceId: string;
  /** `<app>-<resourceId>`: the prefix of the Service's name. */
  readonly resourceNamePrefix: string;
  readonly driverPodName: string;
  readonly serviceName: string;
  readonly configMapName: string;
  /** `/var/data/spark-<uuid>`, the local directory when none is configured. */
  readonly defaultLocalDir: string;
  /** `SPARK_USER`. */
  readonly sparkUser: string;
  /**
   * `KubernetesDriverConf.labels`: `spark.kubernetes.driver.label.*`, then Spark's presets
   * (`spark-version`, `spark-app-selector`, `spark-app-name`, `spark-role`). The driver pod has
   * these (and its template's), and the Service selects on exactly these.
   */
  readonly labels: Readonly<Record<string, string>>;
}

/** The driver conf of `app`'s submission. The spec's version has been validated. */
export function driverConf(app: SparkApplication, call: SparkSubmitCall, options: SubmissionOptions): DriverConf {
  const conf = call.conf;
  const appName = app.metadata.name!;
  const appId = sparkApplicationId(options.submissionId);
  const resourceId = submissionResourceId(options.submissionId);
  const resourceNamePrefix = sparkResourceNamePrefix(appName, resourceId);
  const sparkVersion = parseSparkVersion(app.spec.sparkVersion)!;
  const labels = {
    ...Object.fromEntries(conf.withPrefix('spark.kubernetes.driver.label.')),
    'spark-version': app.spec.sparkVersion,
    'spark-app-selector': appId,
    'spark-app-name': sparkAppNameLabel(appName),
    'spark-role': 'driver',
  };
  return {
    app,
    conf,
    call,
    sparkVersion,
    namespace: app.metadata.namespace ?? 'default',
    appId,
    resourceId,
    resourceNamePrefix,
    driverPodName: driverPodName(app),
    serviceName: driverServiceName(resourceNamePrefix, resourceId),
    configMapName: driverConfigMapName(resourceId),
    defaultLocalDir: defaultSparkLocalDir(options.submissionId),
    sparkUser: options.sparkUser ?? DEFAULT_SPARK_USER,
    labels,
  };
}
