/**
 * Step 10, `PodTemplateConfigMapStep`: the executor pod template, mounted from the driver ConfigMap
 * at `/opt/spark/pod-template/pod-spec-template.yml`, which `spark.kubernetes.executor.podTemplateFile`
 * then names. (Spark keeps the template in a ConfigMap of its own; see `docs/submission.md`.)
 */
import { EXECUTOR_POD_TEMPLATE_PATH, POD_TEMPLATE } from '../constants';
import { SparkPod, addMounts, addVolumes } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep } from './feature-step';

/** Step 10. */
export const podTemplateConfigMapStep: DriverFeatureStep = {
  sparkStep: 'PodTemplateConfigMapStep',
  configurePod(sparkPod: SparkPod, conf: DriverConf): SparkPod {
    if (!conf.conf.has('spark.kubernetes.executor.podTemplateFile')) return sparkPod;
    return {
      pod: addVolumes(sparkPod.pod, {
        name: POD_TEMPLATE.volume,
        configMap: { name: conf.configMapName, items: [{ key: POD_TEMPLATE.key, path: POD_TEMPLATE.file }] },
      }),
      container: addMounts(sparkPod.container, { name: POD_TEMPLATE.volume, mountPath: POD_TEMPLATE.mountPath }),
    };
  },
  systemProperties(conf: DriverConf): Record<string, string> {
    return conf.conf.has('spark.kubernetes.executor.podTemplateFile')
      ? { 'spark.kubernetes.executor.podTemplateFile': EXECUTOR_POD_TEMPLATE_PATH } : {};
  },
};
