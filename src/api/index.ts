/**
 * The wire model: the JSON of SparkApplication and ScheduledSparkApplication (v1beta2) and of
 * SparkConnect (v1alpha1) as stored in the cluster. Shared by the CRD builders, the constructs and
 * the runtime; not part of the jsii API.
 */
export * from './constants';
export * from './core';
export * from './spark-application';
export * from './scheduled-spark-application';
export * from './spark-connect';
