/**
 * Removes `undefined` values recursively (cdk8s drops them at synth time too; doing it here keeps the
 * typed spec equal to the YAML). Empty objects and arrays stay: in Kubernetes JSON they can mean
 * something (`emptyDir: {}`).
 */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== undefined).map((v) => prune(v)) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, prune(v)]),
    ) as T;
  }
  return value;
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
