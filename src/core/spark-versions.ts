/**
 * Which Spark release changed what a cluster-mode submission creates. The submission builders
 * follow `spec.sparkVersion`, so that the driver pod, its ConfigMap and Service are those the
 * application's own Spark would create.
 */

/** A Spark version as `major.minor.patch` numbers. */
export interface SparkVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** `3.5.1` (and `3.5.1-SNAPSHOT`, `4.0.0-preview2`) as numbers, or undefined when it is not a version. */
export function parseSparkVersion(text: string): SparkVersion | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

/** True when `version` is `major.minor` or later. */
export function sparkVersionAtLeast(version: SparkVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/**
 * The first Spark release of each behaviour the builders reproduce, as `[major, minor]`.
 * (Read from the Spark documentation's "Since Version" column and, for the hostPath type, from
 * the parity captures of Spark 3.5.9 and 4.0.5.)
 */
export const SPARK_FEATURE_SINCE = {
  /** `spark.kubernetes.driver.service.ipFamilyPolicy` / `.ipFamilies` on the driver Service. */
  driverServiceIpFamilies: [3, 4],
  /** `spark.kubernetes.driver.service.label.*` on the driver Service. */
  driverServiceLabels: [3, 4],
  /** `spark.driver.minMemoryOverhead` replaces the fixed 384 MiB minimum of the overhead. */
  minMemoryOverheadConf: [4, 0],
  /** `spark.kubernetes.*.volumes.hostPath.<name>.options.type` reaches the volume (3.x drops it). */
  hostPathVolumeType: [4, 0],
} as const satisfies Record<string, readonly [number, number]>;

/** True when the Spark of `version` has `feature`. */
export function sparkHasFeature(version: SparkVersion, feature: keyof typeof SPARK_FEATURE_SINCE): boolean {
  const [major, minor] = SPARK_FEATURE_SINCE[feature];
  return sparkVersionAtLeast(version, major, minor);
}
