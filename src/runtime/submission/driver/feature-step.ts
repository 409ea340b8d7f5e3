/**
 * Spark's `KubernetesFeatureConfigStep` for the driver: each step changes the pod and may add
 * system properties (entries of `spark.properties` that override the submit-side configuration).
 */
import { SparkPod } from '../pod-and-container';
import { DriverConf } from './driver-conf';

/** One driver feature step. */
export interface DriverFeatureStep {
  /** The Spark class (`deploy/k8s/features/…`) whose effect the step reproduces. */
  readonly sparkStep: string;
  /** The pod after this step. */
  configurePod(pod: SparkPod, conf: DriverConf): SparkPod;
  /** The step's system properties. */
  systemProperties?(conf: DriverConf): Record<string, string>;
}

/** An integer setting of the configuration (checked before the steps run), or `fallback`. */
export function intConf(conf: DriverConf, key: string, fallback: number): number {
  const text = conf.conf.get(key);
  return text === undefined ? fallback : Number(text);
}
