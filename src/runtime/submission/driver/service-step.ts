/**
 * Step 3, `DriverServiceFeatureStep`: the headless Service executors reach the driver through, and
 * the properties that name it (`spark.driver.host=<service>.<namespace>.svc` and the two ports).
 */
import { sparkHasFeature } from '../../../core';
import { DEFAULT_BLOCK_MANAGER_PORT, DEFAULT_DRIVER_PORT, DEFAULT_UI_PORT, PORT_NAMES } from '../constants';
import { Service } from '../kube-objects';
import { SparkPod, nonEmpty } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep, intConf } from './feature-step';

/** The driver's RPC and block manager ports as the Service step reads them (no `spark.blockManager.port` fallback, unlike the container's). */
function servicePorts(conf: DriverConf): { driver: number; blockManager: number; ui: number } {
  return {
    driver: intConf(conf, 'spark.driver.port', DEFAULT_DRIVER_PORT),
    blockManager: intConf(conf, 'spark.driver.blockManager.port', DEFAULT_BLOCK_MANAGER_PORT),
    ui: intConf(conf, 'spark.ui.port', DEFAULT_UI_PORT),
  };
}

/** Step 3: its pod change is none; the Service is {@link driverService}. */
export const driverServiceStep: DriverFeatureStep = {
  sparkStep: 'DriverServiceFeatureStep',
  configurePod(sparkPod: SparkPod): SparkPod {
    return sparkPod;
  },
  systemProperties(conf: DriverConf): Record<string, string> {
    const ports = servicePorts(conf);
    return {
      'spark.driver.host': `${conf.serviceName}.${conf.namespace}.svc`,
      'spark.driver.port': `${ports.driver}`,
      'spark.driver.blockManager.port': `${ports.blockManager}`,
    };
  },
};

/**
 * The headless driver Service: `clusterIP: None`, selecting the driver's labels, with the three
 * ports (`port = targetPort`); labels `spark-app-selector` and `spark.kubernetes.driver.service.label.*`,
 * annotations `spark.kubernetes.driver.service.annotation.*`; IP families from 3.4.
 */
export function driverService(conf: DriverConf): Service {
  const c = conf.conf;
  const ports = servicePorts(conf);
  const ipFamilies = sparkHasFeature(conf.sparkVersion, 'driverServiceIpFamilies');
  const serviceLabels = sparkHasFeature(conf.sparkVersion, 'driverServiceLabels')
    ? Object.fromEntries(c.withPrefix('spark.kubernetes.driver.service.label.')) : {};
  const annotations = nonEmpty(Object.fromEntries(c.withPrefix('spark.kubernetes.driver.service.annotation.')));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: conf.serviceName,
      namespace: conf.namespace,
      labels: { 'spark-app-selector': conf.appId, ...serviceLabels },
      ...annotations ? { annotations } : {},
    },
    spec: {
      clusterIP: 'None',
      ...ipFamilies ? {
        ipFamilyPolicy: c.get('spark.kubernetes.driver.service.ipFamilyPolicy') ?? 'SingleStack',
        ipFamilies: (c.get('spark.kubernetes.driver.service.ipFamilies') ?? 'IPv4').split(',').map((f) => f.trim()),
      } : {},
      selector: { ...conf.labels },
      ports: [
        { name: PORT_NAMES.driver, port: ports.driver, targetPort: ports.driver },
        { name: PORT_NAMES.blockManager, port: ports.blockManager, targetPort: ports.blockManager },
        { name: PORT_NAMES.ui, port: ports.ui, targetPort: ports.ui },
      ],
    },
  };
}
