/**
 * Removes `undefined` values recursively (cdk8s drops them at synth time too; doing it here keeps the
 * typed spec equal to the YAML). Empty objects and arrays stay: in Kubernetes JSON they can mean
 * something (`emptyDir: {}`).
 */
export function prune<T>(value: T): T {
  // Loops, not entries/filter/map, and no call for a scalar (most values): every construct's spec
  // goes through here at each render.
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) if (v !== undefined) out.push(isComposite(v) ? prune(v) : v);
    return out as unknown as T;
  }
  if (isComposite(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = isComposite(v) ? prune(v) : v;
    }
    return out as T;
  }
  return value;
}

/** An object or an array: what `prune` copies. */
function isComposite(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/** `undefined` when the object has no defined value, the object without `undefined` values otherwise. */
export function objectOrUndefined<T extends object>(value: T): T | undefined {
  const pruned = prune(value);
  return Object.keys(pruned).length > 0 ? pruned : undefined;
}

/** `undefined` for an empty map, a copy otherwise. */
export function mapOrUndefined(map: { [key: string]: string } | undefined): Record<string, string> | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  return { ...map };
}

/** `undefined` for an empty array, a copy otherwise. */
export function listOrUndefined<T>(list: readonly T[] | undefined): T[] | undefined {
  if (!list || list.length === 0) return undefined;
  return [...list];
}
