/**
 * Memory as Spark reads it from `spark.{driver,executor}.memory` and `.memoryOverhead`
 * (`JavaUtils.byteStringAs`): binary units, `1g` = 1024m, a plain number means MiB.
 */

/**
 * Spark's floor for driver and executor memory, in MiB: `UnifiedMemoryManager.getMaxMemory` reserves
 * 300 MiB (`RESERVED_SYSTEM_MEMORY_BYTES`) and refuses a heap below 1.5 times that ("System memory ...
 * must be at least ...").
 */
export const SPARK_MIN_MEMORY_MIB = 450;

const UNIT_MIB: Readonly<Record<string, number>> = {
  b: 1 / (1024 * 1024), k: 1 / 1024, kb: 1 / 1024, m: 1, mb: 1, g: 1024, gb: 1024, t: 1024 * 1024, tb: 1024 * 1024, p: 1024 ** 3, pb: 1024 ** 3,
};

/**
 * The size in MiB of a Spark memory string (`512m`, `2g`, `1024`), truncated to whole MiB as Spark
 * does (`Utils.memoryStringToMb`); undefined when Spark could not read it.
 */
export function parseSparkMemoryMiB(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) return undefined;
  const unit = match[2].toLowerCase() || 'm';
  const factor = UNIT_MIB[unit];
  return factor === undefined ? undefined : Math.floor(Number(match[1]) * factor);
}

/** A whole number of MiB the way the constructs write it: whole GiB as `<n>g`, the rest as `<n>m`. */
export function formatSparkMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}g` : `${mib}m`;
}
