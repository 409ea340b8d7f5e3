import { Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  DynamicAllocation, RestartPolicy, SparkApplicationSpecProps, SparkApplicationType, SparkPodProps,
} from '../../src';

/**
 * Arbitraries of *valid* construct props: every combination must synthesize to an object that the CRD
 * accepts. Shared by the property tests (schema check) and the e2e suite (the real API server).
 */

const memory = fc.integer({ min: 450, max: 64 * 1024 }).map((mib) => Size.mebibytes(mib));
const labelKey = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const labelValue = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });

const pod: fc.Arbitrary<SparkPodProps> = fc.record({
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

export const application: fc.Arbitrary<SparkApplicationSpecProps> = fc.record({
  type: fc.constantFrom(...Object.values(SparkApplicationType)),
  version: fc.constantFrom('3.3.4', '3.4.3', '3.5.1', '4.0.0'),
  driver: pod,
  executor: fc.tuple(pod, fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }))
    .map(([p, instances]) => ({ ...p, instances })),
  dynamicAllocation: fc.option(dynamicAllocation, { nil: undefined }),
  restartPolicy,
  sparkConf: fc.dictionary(fc.constantFrom('spark.eventLog.enabled', 'spark.sql.shuffle.partitions', 'spark.ui.port'), fc.string(), { maxKeys: 3 }),
  hadoopConf: fc.dictionary(fc.constantFrom('fs.s3a.endpoint', 'fs.s3a.path.style.access'), fc.string(), { maxKeys: 2 }),
  arguments: fc.array(fc.string(), { maxLength: 4 }),
  timeToLive: fc.option(fc.integer({ min: 0, max: 86400 * 7 }).map((s) => Duration.seconds(s)), { nil: undefined }),
  jars: fc.array(fc.constantFrom('local:///opt/a.jar', 's3a://b/c.jar'), { maxLength: 2 }),
}).map((r) => ({
  image: 'apache/spark:3.5.1',
  sparkVersion: r.version,
  type: r.type,
  mainClass: r.type === SparkApplicationType.JAVA || r.type === SparkApplicationType.SCALA ? 'org.example.Main' : undefined,
  mainApplicationFile: 'local:///opt/app/main',
  driver: r.driver,
  executor: r.executor,
  dynamicAllocation: r.dynamicAllocation,
  restartPolicy: r.restartPolicy,
  sparkConf: r.sparkConf,
  hadoopConf: r.hadoopConf,
  arguments: r.arguments,
  timeToLive: r.timeToLive,
  dependencies: { jars: r.jars },
}));

const cronField = (min: number, max: number) => fc.oneof(
  fc.constant('*'),
  fc.integer({ min, max }).map(String),
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  fc.integer({ min: 1, max: max - min + 1 }).map((step) => `*/${step}`),
);
export const cron = fc.record({
  minute: cronField(0, 59),
  hour: cronField(0, 23),
  day: cronField(1, 31),
  month: cronField(1, 12),
  weekDay: cronField(0, 6),
}).map((fields) => Cron.schedule(fields));
