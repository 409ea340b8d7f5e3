import { Size, SizeRoundingBehavior } from 'cdk8s';

/**
 * Spark's floor for driver and executor memory, in MiB: `UnifiedMemoryManager.getMaxMemory` reserves
 * 300 MiB (`RESERVED_SYSTEM_MEMORY_BYTES`) and refuses a heap below 1.5 times that ("System memory ...
 * must be at least ..." for `spark.driver.memory`, "Executor memory ... must be at least ..." for
 * `spark.executor.memory`).
 */
export const SPARK_MIN_MEMORY_MIB = 450;

/**
 * Renders a size the way Spark's `JavaUtils.byteStringAs` reads memory confs (binary units, `1g` =
 * 1024m): whole gibibytes as `<n>g`, everything else as `<n>m`.
 *
 * Spark counts driver and executor memory in whole MiB (`Utils.memoryStringToMb` truncates), so a size
 * that is not a whole number of MiB is rejected instead of silently rounded.
 *
 * @param size the size to render
 * @param prop the prop name for the error message
 */
export function sparkMemory(size: Size, prop: string): string {
  const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(mib) || mib <= 0) {
    throw new Error(`'${prop}' must be a positive whole number of mebibytes (Spark counts memory in MiB), got ${mib} MiB`);
  }
  return mib % 1024 === 0 ? `${mib / 1024}g` : `${mib}m`;
}

/** The size in MiB, for comparisons (assumes `sparkMemory` accepted it). */
export function mebibytes(size: Size): number {
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}
