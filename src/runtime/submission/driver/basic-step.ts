/**
 * Step 1, `BasicDriverFeatureStep`: the pod's name, labels and annotations, `restartPolicy`, node
 * selector, pull secrets and scheduler; the container's name, image, ports, first environment
 * variables and resources.
 */
import { EnvVar } from '../../../api';
import { SPARK_CONTAINERS, binaryQuantity, canonicalCpu, driverMemory, javaDoubleToString } from '../../../core';
import { DEFAULT_BLOCK_MANAGER_PORT, DEFAULT_DRIVER_PORT, DEFAULT_UI_PORT, PORT_NAMES } from '../constants';
import { ContainerPort, LocalObjectReference } from '../kube-objects';
import { SparkPod, nonEmpty } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep, intConf } from './feature-step';

/** Spark's `Utils.substituteAppNExecIds`: `{{APP_ID}}` and `{{EXECUTOR_ID}}` (empty for the driver) in annotation values. */
export function substituteAppAndExecutorIds(text: string, appId: string, executorId = ''): string {
  return text.split('{{APP_ID}}').join(appId).split('{{EXECUTOR_ID}}').join(executorId);
}

/** The driver's memory (memory plus overhead), as Spark computes it; the conf was checked before. */
function memoryOf(conf: DriverConf) {
  return driverMemory(conf.conf.toRecord(), conf.call.resourceType === 'java', conf.sparkVersion).memory!;
}

/** `spark.driver.resource.<name>.amount` with `.vendor`: extended resource limits `<vendor>/<name>`. */
function resourceLimits(conf: DriverConf): Record<string, string> {
  const limits: Record<string, string> = {};
  for (const [key, amount] of conf.conf.withPrefix('spark.driver.resource.')) {
    const name = key.endsWith('.amount') ? key.slice(0, -'.amount'.length) : undefined;
    const vendor = name === undefined ? undefined : conf.conf.get(`spark.driver.resource.${name}.vendor`);
    if (name !== undefined && vendor) limits[`${vendor}/${name}`] = amount;
  }
  return limits;
}

function ports(conf: DriverConf): ContainerPort[] {
  const blockManagerDefault = intConf(conf, 'spark.blockManager.port', DEFAULT_BLOCK_MANAGER_PORT);
  return [
    { name: PORT_NAMES.driver, containerPort: intConf(conf, 'spark.driver.port', DEFAULT_DRIVER_PORT), protocol: 'TCP' },
    { name: PORT_NAMES.blockManager, containerPort: intConf(conf, 'spark.driver.blockManager.port', blockManagerDefault), protocol: 'TCP' },
    { name: PORT_NAMES.ui, containerPort: intConf(conf, 'spark.ui.port', DEFAULT_UI_PORT), protocol: 'TCP' },
  ];
}

/** Step 1. */
export const basicDriverStep: DriverFeatureStep = {
  sparkStep: 'BasicDriverFeatureStep',

  configurePod({ pod, container }: SparkPod, conf: DriverConf): SparkPod {
    const c = conf.conf;
    const memory = binaryQuantity(memoryOf(conf).totalMiB * 1024);
    const cpuRequest = canonicalCpu(c.get('spark.kubernetes.driver.request.cores') ?? c.get('spark.driver.cores') ?? '1');
    const cpuLimit = c.get('spark.kubernetes.driver.limit.cores');
    const env: EnvVar[] = [
      { name: 'SPARK_USER', value: conf.sparkUser },
      { name: 'SPARK_APPLICATION_ID', value: conf.appId },
      ...c.withPrefix('spark.kubernetes.driverEnv.').map(([name, value]) => ({ name, value })),
      { name: 'SPARK_DRIVER_BIND_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    ];
    const annotations = Object.fromEntries(c.withPrefix('spark.kubernetes.driver.annotation.')
      .map(([key, value]) => [key, substituteAppAndExecutorIds(value, conf.appId)]));
    const pullSecrets: LocalObjectReference[] = (c.get('spark.kubernetes.container.image.pullSecrets') ?? '')
      .split(',').map((s) => s.trim()).filter((s) => s !== '').map((name) => ({ name }));
    const nodeSelector = {
      ...pod.spec.nodeSelector,
      ...Object.fromEntries(c.withPrefix('spark.kubernetes.node.selector.')),
      ...Object.fromEntries(c.withPrefix('spark.kubernetes.driver.node.selector.')),
    };
    const imagePullSecrets = [...pod.spec.imagePullSecrets ?? [], ...pullSecrets];
    const schedulerName = c.get('spark.kubernetes.driver.scheduler.name') ?? c.get('spark.kubernetes.scheduler.name') ?? pod.spec.schedulerName;
    return {
      pod: {
        ...pod,
        metadata: {
          ...pod.metadata,
          name: conf.driverPodName,
          namespace: conf.namespace,
          labels: { ...pod.metadata.labels, ...conf.labels },
          ...nonEmpty({ ...pod.metadata.annotations, ...annotations }) ? { annotations: { ...pod.metadata.annotations, ...annotations } } : {},
        },
        spec: {
          ...pod.spec,
          restartPolicy: 'Never',
          ...nonEmpty(nodeSelector) ? { nodeSelector } : {},
          ...imagePullSecrets.length > 0 ? { imagePullSecrets } : {},
          ...schedulerName ? { schedulerName } : {},
        },
      },
      container: {
        ...container,
        name: container.name ?? SPARK_CONTAINERS.driver,
        image: c.get('spark.kubernetes.driver.container.image') ?? c.get('spark.kubernetes.container.image'),
        imagePullPolicy: c.get('spark.kubernetes.container.image.pullPolicy') ?? 'IfNotPresent',
        ports: [...container.ports ?? [], ...ports(conf)],
        env: [...container.env ?? [], ...env],
        resources: {
          ...container.resources,
          requests: { ...container.resources?.requests, cpu: cpuRequest, memory },
          limits: {
            ...container.resources?.limits,
            ...cpuLimit !== undefined ? { cpu: canonicalCpu(cpuLimit) } : {},
            memory,
            ...resourceLimits(conf),
          },
        },
      },
    };
  },

  systemProperties(conf: DriverConf): Record<string, string> {
    return {
      'spark.kubernetes.driver.pod.name': conf.driverPodName,
      'spark.app.id': conf.appId,
      'spark.kubernetes.submitInDriver': 'true',
      'spark.kubernetes.memoryOverheadFactor': javaDoubleToString(memoryOf(conf).defaultOverheadFactor),
    };
  },
};
