/**
 * CPU amounts as the Kubernetes API server stores them. Spark passes `spark.driver.cores`,
 * `spark.kubernetes.driver.request.cores` and `.limit.cores` to the API as written (`1.5`,
 * `1500m`, `2`); the server keeps the canonical form of each quantity (`1500m`, `2`). Builders
 * that write the canonical form produce the object the server would store, so a comparison of
 * desired and stored objects does not see a difference that is not one.
 */

const SI_SUFFIXES: ReadonlyArray<[bigint, string]> = [
  [10n ** 18n, 'E'], [10n ** 15n, 'P'], [10n ** 12n, 'T'], [10n ** 9n, 'G'], [10n ** 6n, 'M'], [10n ** 3n, 'k'],
];

/**
 * The canonical form of a plain or milli decimal quantity (`0.5` -> `500m`, `1000m` -> `1`,
 * `2000` -> `2k`), rounded up to whole milli-units as the API server does; undefined for any
 * other notation (exponents, binary suffixes), which the caller passes on unchanged.
 */
export function canonicalDecimalQuantity(text: string): string | undefined {
  const match = /^\s*(\d+)(?:\.(\d+))?(m?)\s*$/.exec(text);
  if (!match) return undefined;
  const [, whole, fraction = '', milliSuffix] = match;
  let milli: bigint;
  if (milliSuffix) {
    milli = BigInt(whole) + (/[1-9]/.test(fraction) ? 1n : 0n);
  } else {
    const firstThree = fraction.slice(0, 3).padEnd(3, '0');
    milli = BigInt(whole) * 1000n + BigInt(firstThree) + (/[1-9]/.test(fraction.slice(3)) ? 1n : 0n);
  }
  if (milli % 1000n !== 0n) return `${milli}m`;
  const units = milli / 1000n;
  if (units === 0n) return '0';
  for (const [factor, suffix] of SI_SUFFIXES) {
    if (units % factor === 0n) return `${units / factor}${suffix}`;
  }
  return `${units}`;
}

/** `text` in canonical form when {@link canonicalDecimalQuantity} can read it, else unchanged. */
export function canonicalCpu(text: string): string {
  return canonicalDecimalQuantity(text) ?? text;
}
