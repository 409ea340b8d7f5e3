import { App, Chart, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  BatchScheduler, DynamicAllocation, PythonVersion, RestartPolicy, SparkApplicationSpecProps, SparkApplicationType, SparkMonitoring,
  SparkPodProps, SparkSecretType, SparkUiOptions,
} from '../../src';

/**
 * Arbitraries of *valid* construct props: every combination must synthesize to an object that the CRD
 * accepts. Shared by the property tests (schema check) and the e2e suite (the real API server).
 */

const memory = fc.integer({ min: 450, max: 64 * 1024 }).map((mib) => Size.mebibytes(mib));
const labelKey = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const labelValue = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });

/**
 * What a role mounts and runs next to Spark, as plain data: the cdk8s-plus objects (volumes, Secrets,
 * ConfigMaps) are constructs and are made from it per sample, in a scope of their own.
 */
interface PodExtras {
  readonly volumes: Array<{ readonly claim: boolean; readonly readOnly: boolean; readonly subPath?: string }>;
  readonly secrets: SparkSecretType[];
  readonly configMaps: number;
  readonly sidecars: Array<{ readonly command: boolean; readonly cpuMillis?: number }>;
}

const podExtras: fc.Arbitrary<PodExtras> = fc.record({
  volumes: fc.array(fc.record({
    claim: fc.boolean(),
    readOnly: fc.boolean(),
    subPath: fc.option(fc.constantFrom('part', 'a/b'), { nil: undefined }),
  }), { maxLength: 2 }),
  secrets: fc.array(fc.constantFrom(...Object.values(SparkSecretType)), { maxLength: 2 }),
  configMaps: fc.integer({ min: 0, max: 2 }),
  sidecars: fc.array(fc.record({
    command: fc.boolean(),
    cpuMillis: fc.option(fc.integer({ min: 10, max: 500 }), { nil: undefined }),
  }), { maxLength: 2 }),
});

const pod = fc.record({
  cores: fc.integer({ min: 1, max: 16 }),
  memory,
  memoryOverhead: fc.integer({ min: 1, max: 4096 }).map((mib) => Size.mebibytes(mib)),
  coreRequest: fc.integer({ min: 100, max: 8000 }).map((m) => kplus.Cpu.millis(m)),
  labels,
  annotations: labels,
  javaOptions: fc.array(fc.constantFrom('-XX:+UseG1GC', '-Xss4m', '-Dfoo=bar'), { maxLength: 3 }),
  env: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/), fc.string().map((v) => kplus.EnvValue.fromValue(v)), { maxKeys: 3 }),
  gpu: fc.record({ name: fc.constant('nvidia.com/gpu'), quantity: fc.integer({ min: 1, max: 8 }) }),
  terminationGracePeriod: fc.integer({ min: 0, max: 600 }).map((s) => Duration.seconds(s)),
}, { requiredKeys: [] });

/**
 * The role's mounts and sidecars as cdk8s-plus objects. Names are prefixed with the role (two
 * different volumes may not share a name in one application) and numbered (a Secret or ConfigMap
 * becomes a pod volume named after it); mount paths are distinct.
 */
function withExtras<P extends SparkPodProps>(scope: Construct, role: string, props: P, extras: PodExtras): P {
  return {
    ...props,
    volumeMounts: extras.volumes.map((v, i) => {
      const name = `${role}-data-${i}`;
      const volume = v.claim
        ? kplus.Volume.fromPersistentVolumeClaim(scope, name, kplus.PersistentVolumeClaim.fromClaimName(scope, `${name}-claim`, name), { name })
        : kplus.Volume.fromEmptyDir(scope, name, name);
      return { volume, path: `/mnt/data-${i}`, readOnly: v.readOnly, subPath: v.subPath };
    }),
    secrets: extras.secrets.map((type, i) => ({
      secret: kplus.Secret.fromSecretName(scope, `${role}-secret-${i}`, `${role}-secret-${i}`),
      path: `/etc/secrets/${i}`,
      type,
    })),
    configMaps: Array.from({ length: extras.configMaps }, (_, i) => ({
      configMap: kplus.ConfigMap.fromConfigMapName(scope, `${role}-config-${i}`, `${role}-config-${i}`),
      path: `/etc/config/${i}`,
    })),
    sidecars: extras.sidecars.map((c, i) => ({
      name: `sidecar-${i}`,
      image: 'busybox:1.36',
      command: c.command ? ['sleep', 'infinity'] : undefined,
      resources: c.cpuMillis !== undefined ? { cpu: { request: kplus.Cpu.millis(c.cpuMillis) } } : undefined,
    })),
  };
}

/** Where the node selector goes: nowhere, the whole application, or one or both roles (never both levels). */
const nodeSelector = fc.oneof(
  fc.constant({}),
  fc.record({ app: labels }),
  fc.record({ driver: labels, executor: labels }, { requiredKeys: [] }),
) as fc.Arbitrary<{ app?: Record<string, string>; driver?: Record<string, string>; executor?: Record<string, string> }>;

const sparkUi = fc.record({
  servicePort: fc.integer({ min: 1, max: 65535 }),
  servicePortName: fc.stringMatching(/^[a-z]([a-z0-9-]{0,12}[a-z0-9])?$/),
  serviceType: fc.constantFrom(kplus.ServiceType.CLUSTER_IP, kplus.ServiceType.NODE_PORT, kplus.ServiceType.LOAD_BALANCER),
  serviceAnnotations: labels,
  serviceLabels: labels,
  ingressAnnotations: labels,
  tls: fc.boolean(),
}, { requiredKeys: [] });

const monitoring: fc.Arbitrary<SparkMonitoring> = fc.record({
  exposeDriverMetrics: fc.boolean(),
  exposeExecutorMetrics: fc.boolean(),
  metricsPropertiesFile: fc.constant('/etc/metrics/conf/metrics.properties'),
  // Ports clear of Spark's own (4040 UI, 7078 driver, 7079 block manager).
  prometheus: fc.record({
    jmxExporterJar: fc.constant('/prometheus/jmx_prometheus_javaagent.jar'),
    port: fc.constantFrom(8090, 9090, 9404),
    portName: fc.constantFrom('jmx-exporter', 'metrics'),
  }, { requiredKeys: ['jmxExporterJar'] }),
}, { requiredKeys: [] });

const dynamicAllocation: fc.Arbitrary<DynamicAllocation> = fc
  .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), fc.boolean())
  .map(([a, b, c, tracking, withTimeout]) => {
    const [min, initial, max] = [a, b, c].sort((x, y) => x - y);
    return {
      minExecutors: min,
      initialExecutors: initial,
      maxExecutors: Math.max(max, 1),
      shuffleTracking: tracking,
      shuffleTrackingTimeout: withTimeout ? Duration.minutes(5) : undefined,
    };
  });

const restartPolicy = fc.oneof(
  fc.constant(RestartPolicy.never()),
  fc.record({ retries: fc.integer({ min: 0, max: 10 }), interval: fc.integer({ min: 1, max: 600 }) })
    .map(({ retries, interval }) => RestartPolicy.onFailure({ retries, interval: Duration.seconds(interval) })),
  fc.integer({ min: 1, max: 600 }).map((s) => RestartPolicy.always({ interval: Duration.seconds(s) })),
);

const batchScheduler: fc.Arbitrary<BatchScheduler> = fc.oneof(
  fc.record({
    queue: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
    priorityClassName: fc.constantFrom('batch', 'batch-high'),
    resources: fc.record({
      cpu: fc.integer({ min: 100, max: 64000 }).map((m) => kplus.Cpu.millis(m)),
      memory: fc.integer({ min: 1, max: 256 * 1024 }).map((mib) => Size.mebibytes(mib)),
      others: fc.dictionary(fc.constantFrom('nvidia.com/gpu', 'ephemeral-storage'), fc.constantFrom('1', '4', '10Gi'), { maxKeys: 2 }),
    }, { requiredKeys: [] }),
  }, { requiredKeys: [] }).map((options) => BatchScheduler.volcano(options)),
  fc.option(fc.constantFrom('root.default', 'root.etl'), { nil: undefined }).map((queue) => BatchScheduler.yunikorn({ queue })),
  fc.constantFrom('scheduler-plugins-scheduler', 'coscheduler').map((name) => BatchScheduler.kubeScheduler(name)),
);

/**
 * Props of a valid application; `suspend` is on both `SparkApplicationProps` and
 * `ScheduledSparkApplicationProps`, so it is generated here too.
 */
export const application: fc.Arbitrary<SparkApplicationSpecProps & { readonly suspend?: boolean }> = fc.record({
  type: fc.constantFrom(...Object.values(SparkApplicationType)),
  version: fc.constantFrom('3.3.4', '3.4.3', '3.5.1', '4.0.0'),
  driver: pod,
  driverExtras: podExtras,
  executor: fc.tuple(pod, fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }))
    .map(([p, instances]) => ({ ...p, instances })),
  executorExtras: podExtras,
  nodeSelector,
  pythonVersion: fc.option(fc.constantFrom(...Object.values(PythonVersion)), { nil: undefined }),
  suspend: fc.option(fc.boolean(), { nil: undefined }),
  sparkUi: fc.option(sparkUi, { nil: undefined }),
  monitoring: fc.option(monitoring, { nil: undefined }),
  dynamicAllocation: fc.option(dynamicAllocation, { nil: undefined }),
  restartPolicy,
  batchScheduler: fc.option(batchScheduler, { nil: undefined }),
  // Free text where Spark takes any; a port where Spark (and the rules) want one.
  sparkConf: fc.record({
    'spark.eventLog.enabled': fc.string(),
    'spark.sql.shuffle.partitions': fc.string(),
    'spark.ui.port': fc.integer({ min: 1, max: 65535 }).map(String),
  }, { requiredKeys: [] }),
  hadoopConf: fc.dictionary(fc.constantFrom('fs.s3a.endpoint', 'fs.s3a.path.style.access'), fc.string(), { maxKeys: 2 }),
  arguments: fc.array(fc.string(), { maxLength: 4 }),
  timeToLive: fc.option(fc.integer({ min: 0, max: 86400 * 7 }).map((s) => Duration.seconds(s)), { nil: undefined }),
  jars: fc.array(fc.constantFrom('local:///opt/a.jar', 's3a://b/c.jar'), { maxLength: 2 }),
}).map((r) => {
  // The cdk8s-plus objects of one sample live in a scope of their own (construct ids are per scope).
  const scope = new Chart(new App(), 'arbitrary');
  const { tls, ...ui } = r.sparkUi ?? {};
  return {
    image: 'apache/spark:3.5.1',
    sparkVersion: r.version,
    type: r.type,
    mainClass: r.type === SparkApplicationType.JAVA || r.type === SparkApplicationType.SCALA ? 'org.example.Main' : undefined,
    // The major Python version only means something to a PySpark application.
    pythonVersion: r.type === SparkApplicationType.PYTHON ? r.pythonVersion : undefined,
    mainApplicationFile: 'local:///opt/app/main',
    driver: withExtras(scope, 'driver', { ...r.driver, nodeSelector: r.nodeSelector.driver }, r.driverExtras),
    executor: withExtras(scope, 'executor', {
      ...r.executor,
      // With dynamic allocation, Spark refuses more fixed executors than the upper bound.
      instances: r.dynamicAllocation && r.executor.instances !== undefined
        ? Math.min(r.executor.instances, r.dynamicAllocation.maxExecutors!) : r.executor.instances,
      nodeSelector: r.nodeSelector.executor,
    }, r.executorExtras),
    nodeSelector: r.nodeSelector.app,
    suspend: r.suspend,
    sparkUi: r.sparkUi ? {
      ...ui,
      ingressTls: tls ? [{ hosts: ['ui.example.com'], secret: kplus.Secret.fromSecretName(scope, 'ui-tls', 'ui-tls') }] : undefined,
    } as SparkUiOptions : undefined,
    monitoring: r.monitoring,
    dynamicAllocation: r.dynamicAllocation,
    restartPolicy: r.restartPolicy,
    batchScheduler: r.batchScheduler,
    sparkConf: r.sparkConf,
    hadoopConf: r.hadoopConf,
    arguments: r.arguments,
    timeToLive: r.timeToLive,
    dependencies: { jars: r.jars },
  };
});

const cronField = (min: number, max: number) => fc.oneof(
  fc.constant('*'),
  fc.integer({ min, max }).map(String),
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  fc.integer({ min: 1, max: max - min + 1 }).map((step) => `*/${step}`),
);
/** Valid schedules: days of the month up to 28, which every month has (the 30th of February never fires, and is refused). */
export const cron = fc.record({
  minute: cronField(0, 59),
  hour: cronField(0, 23),
  day: cronField(1, 28),
  month: cronField(1, 12),
  weekDay: cronField(0, 6),
}).map((fields) => Cron.schedule(fields));
