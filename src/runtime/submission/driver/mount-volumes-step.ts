/**
 * Step 6, `MountVolumesFeatureStep`: `spark.kubernetes.driver.volumes.<type>.<name>.*` as hostPath,
 * emptyDir, nfs and persistentVolumeClaim volumes with their mounts (for the operator: the
 * `spark-local-dir-*` mounts of `spec.driver.volumeMounts`).
 */
import { parseVolumeConf } from '../../../core';
import { SparkPod, addMounts, addVolumes } from '../pod-and-container';
import { sparkVolume, sparkVolumeMount } from '../volume-conf';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep } from './feature-step';

/** Step 6. */
export const mountVolumesStep: DriverFeatureStep = {
  sparkStep: 'MountVolumesFeatureStep',
  configurePod({ pod, container }: SparkPod, conf: DriverConf): SparkPod {
    const { volumes } = parseVolumeConf(conf.conf, 'spark.kubernetes.driver.volumes.');
    return {
      pod: addVolumes(pod, ...volumes.map((v) => sparkVolume(v, conf.sparkVersion))),
      container: addMounts(container, ...volumes.map(sparkVolumeMount)),
    };
  },
};
