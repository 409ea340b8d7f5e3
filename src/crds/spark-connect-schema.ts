/** The OpenAPI schema of SparkConnect `spec` and `status` (upstream v1alpha1). */
import { JSONSchemaProps, ValidationRule, embedded, int32, int64, list, map, obj, str, stringMap, timestamp } from './schema';
import { dynamicAllocationRules, dynamicAllocationSchema } from './spark-application-schema';
import { SPARK_CONNECT_STATES } from '../api';
import { CONNECT_OWNED_SPARK_CONF, SPARK_CONNECT_PORT } from '../core';

function podTemplate(role: string): JSONSchemaProps {
  return {
    'type': 'object',
    'description': `Pod template (core/v1 PodTemplateSpec) of the ${role}, for what no other field covers.`,
    'x-kubernetes-preserve-unknown-fields': true,
  };
}

/**
 * The API server's own line of defence, as for a SparkApplication: the `sparkConf` keys the operator
 * owns in a SparkConnect (`validateSparkConnect()` says why for each, with its field path).
 */
function specRules(): ValidationRule[] {
  const owned = Object.keys(CONNECT_OWNED_SPARK_CONF);
  return [{
    rule: `!has(self.sparkConf) || [${owned.map((k) => `'${k}'`).join(', ')}].all(k, !(k in self.sparkConf))`,
    message: `sparkConf must not set keys the operator owns in a SparkConnect (${owned.join(', ')})`,
    fieldPath: '.sparkConf',
    reason: 'FieldValueForbidden',
  }];
}

/** The schema of a SparkConnect `spec`. */
export function sparkConnectSpecSchema(): JSONSchemaProps {
  return obj({
    sparkVersion: str('Spark version of the image, e.g. "4.0.1".'),
    image: str('Image of the server and the executors, unless their templates name one.'),
    hadoopConf: stringMap('Hadoop properties; each key gets the "spark.hadoop." prefix unless it has it.'),
    sparkConf: stringMap('Spark properties, as spark-submit --conf takes them.'),
    server: obj({
      cores: int32('CPU cores of the server: spark.driver.cores.', { minimum: 1 }),
      memory: str('Memory of the server: spark.driver.memory, in Spark\'s format ("512m", "2g").'),
      template: podTemplate('server'),
      service: embedded('core/v1 Service that exposes the server (name, labels, annotations, spec)'),
    }, { description: 'The Spark Connect server (a Spark driver).' }),
    executor: obj({
      instances: int32('Executors: spark.executor.instances.', { minimum: 0 }),
      cores: int32('CPU cores of each executor: spark.executor.cores.', { minimum: 1 }),
      memory: str('Memory of each executor: spark.executor.memory, in Spark\'s format ("512m", "2g").'),
      template: podTemplate('executors'),
    }, { description: 'The executors.' }),
    dynamicAllocation: dynamicAllocationSchema(dynamicAllocationRules()),
  }, { required: ['sparkVersion', 'server', 'executor'], description: 'Desired state: the server, its executors and their Spark settings.', rules: specRules() });
}

/** The schema of a SparkConnect `status`. */
export function sparkConnectStatusSchema(): JSONSchemaProps {
  return obj({
    conditions: list(obj({
      type: str('Type of the condition (ServerPodReady).'),
      status: str('True, False or Unknown.'),
      observedGeneration: int64('The generation of the SparkConnect the condition was set for.'),
      lastTransitionTime: { type: 'string', format: 'date-time', description: 'When the status last changed.' },
      reason: str('Why, in one CamelCase word.'),
      message: str('Why, in words.'),
    }, { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] }), 'The latest observations of the SparkConnect.'),
    state: str(`State of the SparkConnect: ${SPARK_CONNECT_STATES.join(', ')}.`),
    server: obj({
      podName: str('The server pod.'),
      podIp: str('The IP address of the server pod.'),
      serviceName: str(`The Service in front of the server (gRPC port ${SPARK_CONNECT_PORT}).`),
    }, { description: 'The server.' }),
    executors: map(int32(), 'Executor pods by phase in lower case (running: 2).'),
    startTime: timestamp('When the operator first worked on the SparkConnect.'),
    lastUpdateTime: timestamp('When the operator last changed the status.'),
  }, { description: 'Observed state, written by the operator.' });
}
