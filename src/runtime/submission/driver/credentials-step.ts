/**
 * Step 2, `DriverKubernetesCredentialsFeatureStep`: the driver's service account
 * (`spark.kubernetes.authenticate.driver.serviceAccountName`). Credentials from files on the
 * submitting machine are refused before (`core/validation/native-submission.ts`), so that is all this step does here.
 */
import { editSpec, SparkPod } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep } from './feature-step';

/** Step 2. */
export const driverCredentialsStep: DriverFeatureStep = {
  sparkStep: 'DriverKubernetesCredentialsFeatureStep',
  configurePod(sparkPod: SparkPod, conf: DriverConf): SparkPod {
    const account = conf.conf.get('spark.kubernetes.authenticate.driver.serviceAccountName');
    if (!account) return sparkPod;
    return { ...sparkPod, pod: editSpec(sparkPod.pod, { serviceAccount: account, serviceAccountName: account }) };
  },
};
