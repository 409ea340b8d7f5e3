/** Step 4, `MountSecretsFeatureStep`: `spark.kubernetes.driver.secrets.<name>=<path>` as a secret volume `<name>-volume` at `<path>`. */
import { podVolumeName } from '../../../core';
import { SparkPod, addMounts, addVolumes } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep } from './feature-step';

/** Step 4. */
export const mountSecretsStep: DriverFeatureStep = {
  sparkStep: 'MountSecretsFeatureStep',
  configurePod({ pod, container }: SparkPod, conf: DriverConf): SparkPod {
    const secrets = conf.conf.withPrefix('spark.kubernetes.driver.secrets.');
    const volumeName = (secret: string) => podVolumeName(secret, '-volume');
    return {
      pod: addVolumes(pod, ...secrets.map(([secret]) => ({ name: volumeName(secret), secret: { secretName: secret } }))),
      container: addMounts(container, ...secrets.map(([secret, path]) => ({ name: volumeName(secret), mountPath: path }))),
    };
  },
};
