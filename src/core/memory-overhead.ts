/**
 * The driver container's memory as Spark's `BasicDriverFeatureStep` computes it: request and limit
 * are both `spark.driver.memory` plus an overhead for what lives outside the JVM heap.
 *
 * - overhead = `spark.driver.memoryOverhead` when set, else `max(trunc(factor x memory), minimum)`
 * - factor = `spark.driver.memoryOverheadFactor` when set, else the default factor:
 *   `spark.kubernetes.memoryOverheadFactor` when set, else 0.1 for JVM and 0.4 for Python and R
 * - minimum = 384 MiB; from Spark 4.0 `spark.driver.minMemoryOverhead` (default `384m`)
 *
 * Spark writes the default factor back as `spark.kubernetes.memoryOverheadFactor`, so that the
 * executors (which the driver sizes the same way) inherit it.
 */
import { parseSparkMemoryMiB } from './memory';
import { SparkVersion, sparkHasFeature } from './spark-versions';

/** `spark.driver.memory` when unset. */
export const SPARK_DEFAULT_DRIVER_MEMORY = '1g';
/** The overhead's minimum in MiB (`ResourceProfile.MEMORY_OVERHEAD_MIN_MIB`), and the default of `spark.driver.minMemoryOverhead`. */
export const MEMORY_OVERHEAD_MIN_MIB = 384;
/** The default overhead factor of JVM (Java, Scala) applications (`spark.kubernetes.memoryOverheadFactor`'s default). */
export const JVM_MEMORY_OVERHEAD_FACTOR = 0.1;
/** The default overhead factor of Python and R applications (`NON_JVM_MEMORY_OVERHEAD_FACTOR`). */
export const NON_JVM_MEMORY_OVERHEAD_FACTOR = 0.4;

/** The driver's memory, in MiB, and how it was reached. */
export interface DriverMemory {
  /** `spark.driver.memory`: the JVM heap. */
  readonly memoryMiB: number;
  /** What is added for everything outside the heap. */
  readonly overheadMiB: number;
  /** The container's memory request and limit: memory plus overhead. */
  readonly totalMiB: number;
  /** The factor the overhead was computed with (unused when `spark.driver.memoryOverhead` is set). */
  readonly overheadFactor: number;
  /** The default factor, which Spark writes back as `spark.kubernetes.memoryOverheadFactor`. */
  readonly defaultOverheadFactor: number;
}

/** A Spark configuration value that Spark could not read. */
export interface UnreadableConf {
  readonly key: string;
  readonly value: string;
  /** Why, without the subject: `must be a size as Spark reads it, such as 512m or 2g`. */
  readonly message: string;
}

/** Either the driver's memory or the first value that made it impossible to compute. */
export type DriverMemoryResult =
  | { readonly memory: DriverMemory; readonly unreadable?: undefined }
  | { readonly memory?: undefined; readonly unreadable: UnreadableConf };

const SIZE_MESSAGE = 'must be a size as Spark reads it, such as 512m or 2g';
const FACTOR_MESSAGE = 'must be a number greater than 0';

function factorOf(conf: Readonly<Record<string, string>>, key: string): number | UnreadableConf | undefined {
  const text = conf[key];
  if (text === undefined) return undefined;
  const factor = text.trim() === '' ? NaN : Number(text);
  return factor > 0 ? factor : { key, value: text, message: FACTOR_MESSAGE };
}

function sizeOf(conf: Readonly<Record<string, string>>, key: string, fallback?: string): number | UnreadableConf | undefined {
  const text = conf[key] ?? fallback;
  if (text === undefined) return undefined;
  const mib = parseSparkMemoryMiB(text);
  return mib === undefined ? { key, value: text, message: SIZE_MESSAGE } : mib;
}

function isUnreadable(value: unknown): value is UnreadableConf {
  return typeof value === 'object' && value !== null;
}

/**
 * The default overhead factor: `spark.kubernetes.memoryOverheadFactor` when set, else 0.1 for a
 * JVM application and 0.4 for Python and R.
 */
export function defaultMemoryOverheadFactor(conf: Readonly<Record<string, string>>, jvm: boolean): number | UnreadableConf {
  const factor = factorOf(conf, 'spark.kubernetes.memoryOverheadFactor');
  return factor ?? (jvm ? JVM_MEMORY_OVERHEAD_FACTOR : NON_JVM_MEMORY_OVERHEAD_FACTOR);
}

/**
 * The driver container's memory for the Spark configuration `conf` of a JVM (`jvm`) or a Python
 * or R application, as the Spark of `version` computes it.
 */
export function driverMemory(conf: Readonly<Record<string, string>>, jvm: boolean, version: SparkVersion): DriverMemoryResult {
  const memoryMiB = sizeOf(conf, 'spark.driver.memory', SPARK_DEFAULT_DRIVER_MEMORY)!;
  if (isUnreadable(memoryMiB)) return { unreadable: memoryMiB };
  const defaultFactor = defaultMemoryOverheadFactor(conf, jvm);
  if (isUnreadable(defaultFactor)) return { unreadable: defaultFactor };
  const driverFactor = factorOf(conf, 'spark.driver.memoryOverheadFactor');
  if (isUnreadable(driverFactor)) return { unreadable: driverFactor };
  const overheadFactor = driverFactor ?? defaultFactor;
  const minimum = sparkHasFeature(version, 'minMemoryOverheadConf')
    ? sizeOf(conf, 'spark.driver.minMemoryOverhead', `${MEMORY_OVERHEAD_MIN_MIB}m`)!
    : MEMORY_OVERHEAD_MIN_MIB;
  if (isUnreadable(minimum)) return { unreadable: minimum };
  const explicit = sizeOf(conf, 'spark.driver.memoryOverhead');
  if (isUnreadable(explicit)) return { unreadable: explicit };
  // Scala's `(factor * memory).toInt` truncates the double product; JavaScript multiplies the same doubles.
  const overheadMiB = explicit ?? Math.max(Math.trunc(overheadFactor * memoryMiB), minimum);
  return {
    memory: { memoryMiB, overheadMiB, totalMiB: memoryMiB + overheadMiB, overheadFactor, defaultOverheadFactor: defaultFactor },
  };
}

/**
 * A double as Java's `Double.toString` writes it (`0.1`, `1.0`, `1.0E-4`): how Spark writes the
 * default overhead factor into `spark.properties`.
 */
export function javaDoubleToString(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e7)) {
    const [mantissa, exponent] = value.toExponential().split('e');
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace(/^\+/, '')}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/**
 * An executor container's memory request (and limit) in MiB, as the driver of the Spark of `version`
 * asks for it (`ResourceProfile.getResourcesForClusterManager`): `spark.executor.memory` (default
 * `1g`), plus the overhead (`spark.executor.memoryOverhead`, else `max(trunc(factor x memory),
 * minimum)` with `spark.executor.memoryOverheadFactor`, else the default factor the driver passes
 * on), plus `spark.executor.pyspark.memory` for a Python application, plus
 * `spark.memory.offHeap.size` when off-heap memory is enabled.
 */
export function executorMemoryMiB(conf: Readonly<Record<string, string>>, resourceType: 'java' | 'python' | 'r', version: SparkVersion): number | UnreadableConf {
  const memoryMiB = sizeOf(conf, 'spark.executor.memory', SPARK_DEFAULT_DRIVER_MEMORY)!;
  if (isUnreadable(memoryMiB)) return memoryMiB;
  const defaultFactor = defaultMemoryOverheadFactor(conf, resourceType === 'java');
  if (isUnreadable(defaultFactor)) return defaultFactor;
  const executorFactor = factorOf(conf, 'spark.executor.memoryOverheadFactor');
  if (isUnreadable(executorFactor)) return executorFactor;
  const minimum = sparkHasFeature(version, 'minMemoryOverheadConf')
    ? sizeOf(conf, 'spark.executor.minMemoryOverhead', `${MEMORY_OVERHEAD_MIN_MIB}m`)!
    : MEMORY_OVERHEAD_MIN_MIB;
  if (isUnreadable(minimum)) return minimum;
  const explicit = sizeOf(conf, 'spark.executor.memoryOverhead');
  if (isUnreadable(explicit)) return explicit;
  const overheadMiB = explicit ?? Math.max(Math.trunc((executorFactor ?? defaultFactor) * memoryMiB), minimum);
  const pyspark = resourceType === 'python' ? sizeOf(conf, 'spark.executor.pyspark.memory') ?? 0 : 0;
  if (isUnreadable(pyspark)) return pyspark;
  const offHeap = conf['spark.memory.offHeap.enabled'] === 'true' ? sizeOf(conf, 'spark.memory.offHeap.size') ?? 0 : 0;
  if (isUnreadable(offHeap)) return offHeap;
  return memoryMiB + overheadMiB + pyspark + offHeap;
}
