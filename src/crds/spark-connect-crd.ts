/** The SparkConnect CRD. */
import { CustomResourceDefinition, buildCrd } from './crd';
import { sparkConnectSpecSchema, sparkConnectStatusSchema } from './spark-connect-schema';
import { CONNECT_API_VERSION, SPARK_CONNECT_NAMES } from '../api';

/** Builds the SparkConnect CustomResourceDefinition (v1alpha1; names, columns and fields as upstream). */
export function sparkConnectCrd(): CustomResourceDefinition {
  return buildCrd({
    names: SPARK_CONNECT_NAMES,
    version: CONNECT_API_VERSION,
    description: 'A Spark Connect server: a long-running Spark driver that clients reach at sc://<service>:15002, its Service and its executors.',
    spec: sparkConnectSpecSchema(),
    status: sparkConnectStatusSchema(),
    printerColumns: [
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: 'Status', type: 'string', jsonPath: '.status.state' },
      { name: 'PodName', type: 'string', jsonPath: '.status.server.podName' },
    ],
  });
}
