/**
 * Stage 2: the driver pod as Spark's `KubernetesDriverBuilder` and `Client.run` build it. The
 * feature steps run in Spark's order over the pod template (or an empty pod); then the client
 * adds `SPARK_CONF_DIR`, mounts the driver ConfigMap at `/opt/spark/conf` and appends the Spark
 * container after the template's containers.
 *
 * Steps 8 (`HadoopConfDriverFeatureStep`) and 9 (`KerberosConfDriverFeatureStep`) need files of
 * the submitting machine or change nothing without them; their settings are rejected before
 * (`core/validation/native-submission.ts`), so they do not appear here. `spec.hadoopConfigMap` is mounted the webhook's
 * way instead (stage 4).
 */
import { SPARK_CONF_DIR, SPARK_CONF_VOLUME, SPARK_PROPERTIES_FILE } from '../constants';
import { Pod, Service } from '../kube-objects';
import { SparkPod, addEnv, addMounts, addVolumes, sparkPodFromTemplate } from '../pod-and-container';
import { basicDriverStep } from './basic-step';
import { driverCommandStep } from './command-step';
import { driverCredentialsStep } from './credentials-step';
import { DriverConf } from './driver-conf';
import { envSecretsStep } from './env-secrets-step';
import { DriverFeatureStep } from './feature-step';
import { localDirsStep } from './local-dirs-step';
import { mountSecretsStep } from './mount-secrets-step';
import { mountVolumesStep } from './mount-volumes-step';
import { podTemplateConfigMapStep } from './pod-template-config-map-step';
import { driverService, driverServiceStep } from './service-step';
import { SPARK_CONTAINERS } from '../../../core';

/** Spark's driver feature steps, in Spark's order (`KubernetesDriverBuilder`). */
export const DRIVER_FEATURE_STEPS: readonly DriverFeatureStep[] = [
  basicDriverStep,
  driverCredentialsStep,
  driverServiceStep,
  mountSecretsStep,
  envSecretsStep,
  mountVolumesStep,
  driverCommandStep,
  podTemplateConfigMapStep,
  localDirsStep,
];

/** What Spark's submission makes of the driver: the pod, the Service and `spark.properties`'s entries. */
export interface SparkDriver {
  /** The driver pod as Spark creates it (before the operator's webhook patches). */
  readonly pod: Pod;
  /** The name of the Spark container in {@link pod}. */
  readonly containerName: string;
  /** The submit-side configuration with every step's system properties: the content of `spark.properties`. */
  readonly properties: Record<string, string>;
  readonly service: Service;
}

/** Stage 2 for `conf`. */
export function sparkDriver(conf: DriverConf): SparkDriver {
  let sparkPod: SparkPod = sparkPodFromTemplate(conf.app.spec.driver?.template, SPARK_CONTAINERS.driver);
  const systemProperties: Record<string, string> = {};
  for (const step of DRIVER_FEATURE_STEPS) {
    sparkPod = step.configurePod(sparkPod, conf);
    Object.assign(systemProperties, step.systemProperties?.(conf));
  }
  // Client.run: SPARK_CONF_DIR, the ConfigMap at /opt/spark/conf, the container after the template's.
  const container = addMounts(
    addEnv(sparkPod.container, { name: 'SPARK_CONF_DIR', value: SPARK_CONF_DIR }),
    { name: SPARK_CONF_VOLUME, mountPath: SPARK_CONF_DIR },
  );
  const pod = addVolumes(sparkPod.pod, {
    name: SPARK_CONF_VOLUME,
    configMap: { name: conf.configMapName, items: [{ key: SPARK_PROPERTIES_FILE, path: SPARK_PROPERTIES_FILE, mode: 420 }] },
  });
  return {
    pod: { ...pod, spec: { ...pod.spec, containers: [...pod.spec.containers, container] } },
    containerName: container.name!,
    properties: conf.conf.merged(systemProperties).toRecord(),
    service: driverService(conf),
  };
}
