/**
 * Step 7, `DriverCommandFeatureStep`: the container's arguments for the image's entrypoint,
 * `driver [--proxy-user <u>] --properties-file /opt/spark/conf/spark.properties --class <class> <resource> <args>`,
 * and, for Python, `PYSPARK_PYTHON` / `PYSPARK_DRIVER_PYTHON` when `spark.pyspark.python` /
 * `spark.pyspark.driver.python` set them.
 */
import { EnvVar } from '../../../api';
import { SPARK_DRIVER_ARGS } from '../../../core';
import { SPARK_CONF_DIR, SPARK_PROPERTIES_FILE } from '../constants';
import { SparkPod, addEnv } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep } from './feature-step';

/** The driver container's arguments. */
export function driverArgs(conf: DriverConf): string[] {
  const { call } = conf;
  return [
    SPARK_DRIVER_ARGS.driver,
    ...call.proxyUser ? [SPARK_DRIVER_ARGS.proxyUser, call.proxyUser] : [],
    SPARK_DRIVER_ARGS.propertiesFile, `${SPARK_CONF_DIR}/${SPARK_PROPERTIES_FILE}`,
    SPARK_DRIVER_ARGS.mainClass, call.mainClass,
    call.primaryResource,
    ...call.appArgs,
  ];
}

function pythonEnv(conf: DriverConf): EnvVar[] {
  const python = conf.conf.get('spark.pyspark.python');
  const driverPython = conf.conf.get('spark.pyspark.driver.python') ?? python;
  return [
    ...python !== undefined ? [{ name: 'PYSPARK_PYTHON', value: python }] : [],
    ...driverPython !== undefined ? [{ name: 'PYSPARK_DRIVER_PYTHON', value: driverPython }] : [],
  ];
}

/** Step 7. */
export const driverCommandStep: DriverFeatureStep = {
  sparkStep: 'DriverCommandFeatureStep',
  configurePod({ pod, container }: SparkPod, conf: DriverConf): SparkPod {
    const withArgs = { ...container, args: driverArgs(conf) };
    return { pod, container: conf.call.resourceType === 'python' ? addEnv(withArgs, ...pythonEnv(conf)) : withArgs };
  },
  systemProperties(conf: DriverConf): Record<string, string> {
    return { 'spark.kubernetes.resource.type': conf.call.resourceType };
  },
};
