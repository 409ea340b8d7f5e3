/**
 * The OpenAPI schema of SparkApplication `spec` and `status`, built from the wire model in `src/api`.
 * Field names, types, required fields and enums are those of the upstream v1beta2 API.
 */
import {
  JSONSchemaProps, ValidationRule, bool, embedded, enumOf, int32, int64, list, map, obj, quantity,
  str, stringMap, timestamp,
} from './schema';
import {
  APPLICATION_STATES, DEPLOY_MODES, POD_STATES, PYTHON_VERSIONS, RESTART_POLICY_TYPES, SPARK_APPLICATION_TYPES,
} from '../api';
import { OPERATOR_OWNED_SPARK_CONF } from '../core';


const SERVICE_TYPE = str('Kubernetes Service type (ClusterIP, NodePort, LoadBalancer). Defaults to ClusterIP.');

const volume = embedded('core/v1 Volume', { name: str('Volume name, referenced by volumeMounts.') }, ['name']);
const volumeMount = embedded('core/v1 VolumeMount', { name: str(), mountPath: str() }, ['name', 'mountPath']);
const container = embedded('core/v1 Container', { name: str() }, ['name']);
const envVar = embedded('core/v1 EnvVar', { name: str() }, ['name']);
const ingressTLS = list(obj({
  hosts: list(str(), 'Host names the certificate covers.'),
  secretName: str('Secret that holds the certificate and key.'),
}), 'TLS settings of the Ingress (networking/v1 IngressTLS).');

/** Fields that the driver and the executors share (upstream `SparkPodSpec`). */
function sparkPodProperties(role: 'driver' | 'executor'): Record<string, JSONSchemaProps> {
  return {
    template: {
      'type': 'object',
      'description': `Pod template (core/v1 PodTemplateSpec) for the ${role}, for what no other field covers. Needs Spark >= 3.0.0.`,
      'x-kubernetes-preserve-unknown-fields': true,
    },
    cores: int32(`CPU cores: spark.${role}.cores. Defaults to 1.`, { minimum: 1 }),
    coreLimit: str('Hard CPU limit of the pod, e.g. "1200m".'),
    memory: str(`Memory: spark.${role}.memory, in Spark's format ("512m", "2g"). Defaults to 1g.`),
    memoryLimit: str('Hard memory limit of the pod, e.g. "4g".'),
    memoryOverhead: str(`Off-heap memory: spark.${role}.memoryOverhead, in MiB unless a unit is given.`),
    gpu: obj({
      name: str('GPU resource name, e.g. nvidia.com/gpu.'),
      quantity: int64('Number of GPUs.'),
    }, { required: ['name', 'quantity'], description: 'GPU request.' }),
    image: str('Container image; overrides spec.image.'),
    configMaps: list(obj({
      name: str('Name of the ConfigMap.'),
      path: str('Directory it is mounted at.'),
    }, { required: ['name', 'path'] }), 'ConfigMaps mounted at the given paths.'),
    secrets: list(obj({
      name: str('Name of the Secret.'),
      path: str('Directory it is mounted at.'),
      secretType: str('GCPServiceAccount, HadoopDelegationToken or Generic.'),
    }, { required: ['name', 'path', 'secretType'] }), 'Secrets mounted at the given paths.'),
    env: list(envVar, 'Environment variables (core/v1 EnvVar).'),
    envVars: stringMap('Deprecated: use env.'),
    envFrom: list(embedded('core/v1 EnvFromSource'), 'Sources of environment variables (core/v1 EnvFromSource).'),
    envSecretKeyRefs: map(obj({
      name: str('Name of the Secret.'),
      key: str('Key in the Secret.'),
    }, { required: ['name', 'key'] }), 'Deprecated: use env with secretKeyRef.'),
    labels: stringMap('Labels added to the pod.'),
    annotations: stringMap('Annotations added to the pod.'),
    volumeMounts: list(volumeMount, 'Mounts of volumes listed in spec.volumes.'),
    affinity: embedded('core/v1 Affinity'),
    tolerations: list(embedded('core/v1 Toleration'), 'Tolerations (core/v1 Toleration).'),
    podSecurityContext: embedded('core/v1 PodSecurityContext'),
    securityContext: embedded('core/v1 SecurityContext'),
    schedulerName: str('Scheduler that places the pod.'),
    sidecars: list(container, 'Containers run next to the Spark container.'),
    initContainers: list(container, 'Containers run to completion before the Spark container.'),
    hostNetwork: bool('Use the node network namespace.'),
    nodeSelector: stringMap('Node selector; exclusive with spec.nodeSelector.'),
    dnsConfig: embedded('core/v1 PodDNSConfig'),
    terminationGracePeriodSeconds: int64('Grace period for the pod to stop.'),
    serviceAccount: str(`ServiceAccount of the ${role} pod.`),
    hostAliases: list(embedded('core/v1 HostAlias'), 'Entries for /etc/hosts (core/v1 HostAlias).'),
    shareProcessNamespace: bool('Share one process namespace between the containers.'),
    runtimeClassName: str('RuntimeClass of the pod.'),
  };
}

const port = list(obj({
  name: str('Name of the port.'),
  protocol: str('TCP, UDP or SCTP.'),
  containerPort: int32('Port number in the container.'),
}, { required: ['name', 'protocol', 'containerPort'] }), 'Extra container ports.');

function driverSchema(): JSONSchemaProps {
  return obj({
    ...sparkPodProperties('driver'),
    podName: str('Name of the driver pod. Defaults to <app>-driver.', {
      pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*',
    }),
    coreRequest: str('CPU request of the driver pod: spark.kubernetes.driver.request.cores, e.g. "500m".'),
    javaOptions: str('Extra JVM options: spark.driver.extraJavaOptions.'),
    lifecycle: embedded('core/v1 Lifecycle'),
    kubernetesMaster: str('API server URL the driver uses. Defaults to https://kubernetes.default.svc.'),
    serviceAnnotations: stringMap('Annotations of the headless driver Service.'),
    serviceLabels: stringMap('Labels of the headless driver Service.'),
    ports: port,
    priorityClassName: str('PriorityClass of the driver pod.'),
  }, { description: 'The driver pod.' });
}

function executorSchema(): JSONSchemaProps {
  return obj({
    ...sparkPodProperties('executor'),
    instances: int32('Number of executors: spark.executor.instances. Defaults to 1.', { minimum: 1 }),
    coreRequest: str('CPU request of each executor pod: spark.kubernetes.executor.request.cores.'),
    javaOptions: str('Extra JVM options: spark.executor.extraJavaOptions.'),
    lifecycle: embedded('core/v1 Lifecycle'),
    deleteOnTermination: bool('Delete executor pods when they end: spark.kubernetes.executor.deleteOnTermination.'),
    ports: port,
    priorityClassName: str('PriorityClass of the executor pods.'),
  }, { description: 'The executor pods.' });
}

/**
 * Cross-field rules that catch real mistakes at admission instead of at run time. Each one rejects
 * only documents that cannot run: Spark itself refuses the same input later, or (mainClass) our
 * native submitter has no JVM to read a jar manifest.
 */
function specRules(): ValidationRule[] {
  const ownedKeys = OPERATOR_OWNED_SPARK_CONF.map((k) => `'${k}'`).join(', ');
  return [
    {
      rule: "!(self.type in ['Java', 'Scala']) || has(self.mainClass)",
      message: 'mainClass is required for Java and Scala applications',
      fieldPath: '.mainClass',
      reason: 'FieldValueRequired',
    },
    {
      rule: `!has(self.sparkConf) || [${ownedKeys}].all(k, !(k in self.sparkConf))`,
      message: `sparkConf must not set keys the operator owns (${OPERATOR_OWNED_SPARK_CONF.join(', ')}); use the spec fields instead`,
      fieldPath: '.sparkConf',
      reason: 'FieldValueForbidden',
    },
    {
      rule: '!has(self.nodeSelector) || size(self.nodeSelector) == 0 || '
        + '((!has(self.driver.nodeSelector) || size(self.driver.nodeSelector) == 0) '
        + '&& (!has(self.executor.nodeSelector) || size(self.executor.nodeSelector) == 0))',
      message: 'spec.nodeSelector is exclusive with driver.nodeSelector and executor.nodeSelector',
      fieldPath: '.nodeSelector',
      reason: 'FieldValueForbidden',
    },
  ];
}

/** The bounds of `dynamicAllocation` that Spark would refuse at start, as CEL rules (both API versions). */
export function dynamicAllocationRules(): ValidationRule[] {
  return [
    {
      rule: '!has(self.minExecutors) || !has(self.maxExecutors) || self.minExecutors <= self.maxExecutors',
      message: 'minExecutors must be <= maxExecutors',
      fieldPath: '.minExecutors',
    },
    {
      rule: '!has(self.initialExecutors) || !has(self.minExecutors) || self.minExecutors <= self.initialExecutors',
      message: 'initialExecutors must be >= minExecutors',
      fieldPath: '.initialExecutors',
    },
    {
      rule: '!has(self.initialExecutors) || !has(self.maxExecutors) || self.initialExecutors <= self.maxExecutors',
      message: 'initialExecutors must be <= maxExecutors',
      fieldPath: '.initialExecutors',
    },
  ];
}

/** `dynamicAllocation`, the same in v1beta2 and v1alpha1 (SparkConnect), with `rules` when given. */
export function dynamicAllocationSchema(rules: ValidationRule[] = []): JSONSchemaProps {
  return obj({
    enabled: bool('Enable dynamic allocation.'),
    initialExecutors: int32('Initial number of executors.'),
    minExecutors: int32('Lower bound of executors.'),
    maxExecutors: int32('Upper bound of executors.'),
    shuffleTrackingEnabled: bool('Shuffle tracking. Defaults to true when enabled.'),
    shuffleTrackingTimeout: int64('Milliseconds to keep executors that hold shuffle data.'),
  }, { rules, description: 'Dynamic allocation of executors (Spark >= 3.0).' });
}

/** The schema of a SparkApplication `spec` (also the `template` of a ScheduledSparkApplication). */
export function sparkApplicationSpecSchema(description: string): JSONSchemaProps {
  return obj({
    type: enumOf(SPARK_APPLICATION_TYPES, 'Language of the application.'),
    sparkVersion: str('Spark version the application uses, e.g. "3.5.1".'),
    mode: enumOf(DEPLOY_MODES, 'Deploy mode. Defaults to cluster.'),
    proxyUser: str('User to impersonate: --proxy-user.'),
    image: str('Container image of the driver and executors.'),
    imagePullPolicy: str('Image pull policy (Always, IfNotPresent, Never).'),
    imagePullSecrets: list(str(), 'Names of image pull Secrets.'),
    mainClass: str('Fully-qualified main class (Java and Scala).'),
    mainApplicationFile: str('The application: a jar, Python or R file (local:// inside the image, or a URL).'),
    arguments: list(str(), 'Arguments passed to the application.'),
    sparkConf: stringMap('Spark configuration, as --conf key=value.'),
    hadoopConf: stringMap('Hadoop configuration; each key gets the spark.hadoop. prefix.'),
    sparkConfigMap: str('ConfigMap with Spark configuration files, mounted at /etc/spark/conf (SPARK_CONF_DIR).'),
    hadoopConfigMap: str('ConfigMap with Hadoop configuration files, mounted at /etc/hadoop/conf (HADOOP_CONF_DIR).'),
    volumes: list(volume, 'Volumes that the driver and executors can mount (core/v1 Volume).'),
    driver: driverSchema(),
    executor: executorSchema(),
    deps: obj({
      jars: list(str(), 'Jars on the class path: --jars.'),
      files: list(str(), 'Files in the working directory: --files.'),
      pyFiles: list(str(), 'Python files: --py-files.'),
      packages: list(str(), 'Maven coordinates groupId:artifactId:version: --packages.'),
      excludePackages: list(str(), 'groupId:artifactId to exclude: --exclude-packages.'),
      repositories: list(str(), 'Extra Maven repositories: --repositories.'),
      archives: list(str(), 'Archives extracted in the working directory: --archives.'),
    }, { description: 'Dependencies fetched by Spark.' }),
    restartPolicy: obj({
      type: enumOf(RESTART_POLICY_TYPES, 'When to run the application again. Defaults to Never.'),
      onSubmissionFailureRetries: int32('Retries after a failed submission.', { minimum: 0 }),
      onFailureRetries: int32('Retries after a failed run.', { minimum: 0 }),
      onSubmissionFailureRetryInterval: int64('Seconds between submission retries.', { minimum: 1 }),
      onFailureRetryInterval: int64('Seconds between run retries.', { minimum: 1 }),
    }, { description: 'Restart policy.' }),
    nodeSelector: stringMap('Node selector for driver and executors; exclusive with the per-role nodeSelector.'),
    failureRetries: int32('Unused; kept for compatibility.'),
    retryInterval: int64('Unused; kept for compatibility.'),
    pythonVersion: enumOf(PYTHON_VERSIONS, 'Major Python version: spark.kubernetes.pyspark.pythonVersion.'),
    memoryOverheadFactor: str('spark.kubernetes.memoryOverheadFactor, e.g. "0.2". Defaults to 0.1 (JVM) or 0.4.'),
    monitoring: obj({
      exposeDriverMetrics: bool('Expose driver metrics.'),
      exposeExecutorMetrics: bool('Expose executor metrics.'),
      metricsProperties: str('Content of metrics.properties.'),
      metricsPropertiesFile: str('Path of metrics.properties in the image.'),
      prometheus: obj({
        jmxExporterJar: str('Path of the Prometheus JMX exporter jar in the image.'),
        port: int32('Port of the exporter. Defaults to 8090.', { minimum: 1024, maximum: 49151 }),
        portName: str('Name of the exporter port. Defaults to jmx-exporter.'),
        configFile: str('Path of the exporter configuration in the image.'),
        configuration: str('Content of the exporter configuration.'),
      }, { required: ['jmxExporterJar'], description: 'Prometheus JMX exporter.' }),
    }, { required: ['exposeDriverMetrics', 'exposeExecutorMetrics'], description: 'Metrics.' }),
    batchScheduler: str('Batch scheduler: volcano, yunikorn, or a registered kube-scheduler name.'),
    timeToLiveSeconds: int64('Delete the application this many seconds after it ends.'),
    batchSchedulerOptions: obj({
      queue: str('Queue of the batch scheduler.'),
      priorityClassName: str('PriorityClass used by the batch scheduler.'),
      resources: map(quantity(), 'Resources to reserve (core/v1 ResourceList).'),
    }, { description: 'Batch scheduler options.' }),
    sparkUIOptions: obj({
      servicePort: int32('Port of the UI Service. Defaults to spark.ui.port or 4040.'),
      servicePortName: str('Name of the UI Service port. Defaults to spark-driver-ui-port.'),
      serviceType: SERVICE_TYPE,
      serviceAnnotations: stringMap('Annotations of the UI Service.'),
      serviceLabels: stringMap('Labels of the UI Service.'),
      ingressAnnotations: stringMap('Annotations of the UI Ingress.'),
      ingressTLS,
    }, { description: 'Service and Ingress of the Spark UI.' }),
    driverIngressOptions: list(obj({
      servicePort: int32('Port of the Service.'),
      servicePortName: str('Name of the Service port.'),
      serviceType: SERVICE_TYPE,
      serviceAnnotations: stringMap('Annotations of the Service.'),
      serviceLabels: stringMap('Labels of the Service.'),
      ingressURLFormat: str('URL of the Ingress; {{$appName}}, {{$appNamespace}} and {{$appId}} are replaced.'),
      ingressAnnotations: stringMap('Annotations of the Ingress.'),
      ingressTLS,
    }, { required: ['servicePort', 'servicePortName'] }), 'Extra driver ports exposed by a Service and an Ingress.'),
    dynamicAllocation: dynamicAllocationSchema(dynamicAllocationRules()),
    suspend: bool('Do not run; suspending a running application deletes its pods.'),
    driverPodDisruptionBudget: bool('Protect the driver pod with a PodDisruptionBudget.'),
  }, {
    required: ['type', 'sparkVersion', 'mainApplicationFile', 'driver', 'executor'],
    rules: specRules(),
    description,
  });
}

/** The schema of a SparkApplication `status`. */
export function sparkApplicationStatusSchema(): JSONSchemaProps {
  return obj({
    sparkApplicationId: str('spark.app.id of the current run.'),
    submissionID: str('Unique id of the current submission.'),
    lastSubmissionAttemptTime: timestamp('Time of the last submission attempt.'),
    terminationTime: timestamp('Time the application ended.'),
    driverInfo: obj({
      webUIServiceName: str('Service in front of the Spark UI.'),
      webUIAddress: str('<cluster IP>:<port> of the Spark UI.'),
      webUIPort: int32('Port of the Spark UI Service.'),
      webUIIngressName: str('Ingress in front of the Spark UI.'),
      webUIIngressAddress: str('URL of the Spark UI Ingress.'),
      podName: str('Name of the driver pod.'),
    }, { description: 'The driver of the current run.' }),
    applicationState: obj({
      state: str(`State of the application: ${APPLICATION_STATES.map((state) => state || '""').join(', ')}.`),
      errorMessage: str('Why the application failed.'),
    }, { required: ['state'], description: 'State of the application and, when it failed, why.' }),
    executorState: stringMap(`State of each executor pod, by pod name: ${POD_STATES.join(', ')}.`),
    executionAttempts: int32('Runs attempted.'),
    submissionAttempts: int32('Submissions attempted.'),
  }, { required: ['driverInfo'], description: 'Observed state, written by the operator.' });
}
