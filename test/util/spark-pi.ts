import { Chart, Testing } from 'cdk8s';
import { crdValidationErrors } from './crd-validator';
import { SparkApplicationSpecProps } from '../../src';

/** The smallest valid SparkApplication props: SparkPi from the Apache image. */
export const SPARK_PI: SparkApplicationSpecProps = {
  image: 'apache/spark:3.5.1',
  sparkVersion: '3.5.1',
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
};

/** The one SparkApplication in a chart, checked against the CRD schema on the way. */
export function synthApp(chart: Chart): any {
  const apps = Testing.synth(chart).filter((o) => o.kind === 'SparkApplication');
  expect(apps).toHaveLength(1);
  expect(crdValidationErrors(apps[0])).toEqual([]);
  return apps[0];
}
