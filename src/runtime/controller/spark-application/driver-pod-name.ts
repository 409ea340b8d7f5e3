/**
 * Which pod the shell hands to `decide` as `Observed.driverPod`: the name is the one recorded in the
 * status (the current submission's driver), else the one the next submission gives its driver.
 */
import { effectiveSpec } from './spec-change';
import { SparkApplication } from '../../../api';
import { DRIVER_POD_SUFFIX, driverPodName } from '../../../core';

/** The name an Observed driver pod is looked up by: the status's driver pod, else the one the next submission makes. */
export function observedDriverPodName(app: SparkApplication): string {
  const recorded = app.status?.driverInfo?.podName;
  if (typeof recorded === 'string' && recorded !== '') return recorded;
  const spec = effectiveSpec(app.spec);
  return spec ? driverPodName({ metadata: app.metadata, spec }) : `${app.metadata?.name ?? ''}${DRIVER_POD_SUFFIX}`;
}
