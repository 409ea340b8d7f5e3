/**
 * Spark's configuration as the submission sees it: string keys and values, in the order they were
 * first set (a later `set` of the same key replaces the value in place, as a repeated `--conf` does).
 */
export class SparkConfMap {
  private readonly entries = new Map<string, string>();

  /** A map with `entries`, in order. */
  public constructor(entries: Iterable<readonly [string, unknown]> = []) {
    // Values from YAML may be numbers or booleans (`spark.executor.instances: 2`); Spark reads strings.
    for (const [key, value] of entries) this.entries.set(key, String(value));
  }

  /** The value of `key`, if set. */
  public get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** True when `key` is set. */
  public has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Sets `key` (a value of `undefined` leaves the map as it is, so optional fields read naturally). */
  public set(key: string, value: string | number | boolean | undefined): this {
    if (value !== undefined) this.entries.set(key, String(value));
    return this;
  }

  /** Every `[key without prefix, value]` whose key starts with `prefix` (`KubernetesUtils.parsePrefixedKeyValuePairs`). */
  public withPrefix(prefix: string): Array<[string, string]> {
    return [...this.entries].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]);
  }

  /** A copy with `overrides` applied on top (system properties of the feature steps). */
  public merged(overrides: Readonly<Record<string, string>>): SparkConfMap {
    const copy = new SparkConfMap(this.entries);
    for (const [key, value] of Object.entries(overrides)) copy.set(key, value);
    return copy;
  }

  /** The keys in order. */
  public keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The entries as a plain object, in order. */
  public toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries);
  }
}
