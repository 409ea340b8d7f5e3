/**
 * The `sparkoperator.k8s.io/v1alpha1` SparkConnect: a long-running Spark Connect server (a driver
 * that serves gRPC clients at port 15002), its Service and its executors. Field for field the
 * upstream API (`api/v1alpha1/sparkconnect_types.go` of kubeflow/spark-operator), with its JSON names.
 */
import { JsonObject, ObjectMeta, PodTemplateSpec } from './core';
import { DynamicAllocation } from './spark-application';

/** Every `status.state`; `''` is "new" (not reconciled yet). */
export const SPARK_CONNECT_STATES = ['Provisioning', 'Ready', 'NotReady', 'Failed'] as const;
/** `status.state`. */
export type SparkConnectState = '' | typeof SPARK_CONNECT_STATES[number];

/** The full SparkConnect object. */
export interface SparkConnect {
  apiVersion: 'sparkoperator.k8s.io/v1alpha1';
  kind: 'SparkConnect';
  metadata: ObjectMeta;
  spec: SparkConnectSpec;
  status?: SparkConnectStatus;
}

/** `spec`. */
export interface SparkConnectSpec {
  /** The Spark version of the image, e.g. `4.0.1`. */
  sparkVersion: string;
  /** The image of the server and the executors, unless their templates name one. */
  image?: string;
  /** Hadoop properties; each key gets the `spark.hadoop.` prefix unless it has it. */
  hadoopConf?: Record<string, string>;
  sparkConf?: Record<string, string>;
  server: ServerSpec;
  executor: ConnectExecutorSpec;
  dynamicAllocation?: DynamicAllocation;
}

/** What the server and the executors have in common (upstream's v1alpha1 `SparkPodSpec`). */
export interface ConnectPodSpec {
  /** `spark.driver.cores` / `spark.executor.cores`. */
  cores?: number;
  /** `spark.driver.memory` / `spark.executor.memory`, as Spark reads it (`512m`, `2g`). */
  memory?: string;
  /** A core/v1 PodTemplateSpec for what no field covers. */
  template?: PodTemplateSpec;
}

/** `spec.server`. */
export interface ServerSpec extends ConnectPodSpec {
  /** A core/v1 Service to expose the server with: its name, labels, annotations and spec (type ...). */
  service?: JsonObject;
}

/** `spec.executor`. */
export interface ConnectExecutorSpec extends ConnectPodSpec {
  /** `spark.executor.instances`. */
  instances?: number;
}

/** A meta/v1 Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** `status`, written only by the operator. */
export interface SparkConnectStatus {
  conditions?: Condition[];
  state?: SparkConnectState;
  server?: SparkConnectServerStatus;
  /** Executor pods by their phase in lower case (`running: 2`). */
  executors?: Record<string, number>;
  startTime?: string | null;
  lastUpdateTime?: string | null;
}

/** `status.server`. */
export interface SparkConnectServerStatus {
  podName?: string;
  podIp?: string;
  serviceName?: string;
}

/** The one condition type upstream writes, and its reasons. */
export const SPARK_CONNECT_CONDITIONS = {
  serverPodReady: 'ServerPodReady',
  reasons: { ready: 'ServerPodReady', notReady: 'ServerPodNotReady' },
} as const;
