/** Step 5, `EnvSecretsFeatureStep`: `spark.kubernetes.driver.secretKeyRef.<ENV>=<secret>:<key>` as env from a secret key. */
import { SparkPod, addEnv } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep } from './feature-step';

/** Step 5. */
export const envSecretsStep: DriverFeatureStep = {
  sparkStep: 'EnvSecretsFeatureStep',
  configurePod({ pod, container }: SparkPod, conf: DriverConf): SparkPod {
    const env = conf.conf.withPrefix('spark.kubernetes.driver.secretKeyRef.').map(([name, ref]) => {
      const [secret, key] = ref.split(':');
      return { name, valueFrom: { secretKeyRef: { key, name: secret } } };
    });
    return { pod, container: addEnv(container, ...env) };
  },
};
