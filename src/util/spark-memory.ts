import { Size, SizeRoundingBehavior } from 'cdk8s';
import { formatSparkMemory } from '../core';

/**
 * Renders a size the way Spark reads memory confs (`formatSparkMemory`: whole gibibytes as `<n>g`,
 * the rest as `<n>m`).
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
  return formatSparkMemory(mib);
}
