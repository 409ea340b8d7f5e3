/**
 * A bound on the label sets of the Spark metrics. Their label values come from the labels users put
 * on SparkApplications (`--metrics-labels`), so without a bound every new value would add series for
 * ever: memory grows, and a scrape that has to write them all blocks the process (the leader's Lease
 * renewals included). Past the bound, new label sets share one overflow set whose every value is
 * {@link OVERFLOW_METRICS_LABEL_VALUE}; sets that no application in the caches has any more are
 * forgotten, and their series removed.
 */

/** Label name → value. */
export type Labels = Record<string, string>;

/** The most distinct label sets the Spark metrics keep (besides the overflow set). */
export const MAX_METRICS_LABEL_SETS = 1000;
/** The value of every label of the overflow set. */
export const OVERFLOW_METRICS_LABEL_VALUE = 'Other';

/** The key of a label set. */
export function labelSetKey(labels: Labels): string {
  return JSON.stringify(labels);
}

/** The label sets admitted so far, at most `max`, and the overflow set for the rest. */
export class LabelSetBound {
  private readonly admitted = new Map<string, Labels>();
  private readonly overflow: Labels;
  private readonly overflowKey: string;

  /** @param labelNames the label names of the sets (the overflow set has them all) */
  constructor(labelNames: readonly string[], private readonly max: number = MAX_METRICS_LABEL_SETS) {
    this.overflow = Object.fromEntries(labelNames.map((name) => [name, OVERFLOW_METRICS_LABEL_VALUE]));
    this.overflowKey = labelSetKey(this.overflow);
  }

  /** `labels` when they are admitted or there is room for them; the overflow set otherwise. */
  public admit(labels: Labels): Labels {
    const key = labelSetKey(labels);
    const known = this.admitted.get(key);
    if (known) return known;
    if (key === this.overflowKey || this.admitted.size >= this.max) return this.overflow;
    this.admitted.set(key, labels);
    return labels;
  }

  /**
   * Forgets every admitted set whose key is not in `live` (the sets of the applications that exist
   * now), making room for new ones; returns the forgotten sets, whose series are to be removed.
   */
  public forgetAllBut(live: ReadonlySet<string>): Labels[] {
    const forgotten: Labels[] = [];
    for (const [key, labels] of this.admitted) {
      if (!live.has(key)) {
        this.admitted.delete(key);
        forgotten.push(labels);
      }
    }
    return forgotten;
  }

  /** True when the set of `key` is admitted. */
  public has(key: string): boolean {
    return this.admitted.has(key);
  }

  /** How many sets are admitted. */
  public get size(): number {
    return this.admitted.size;
  }
}
