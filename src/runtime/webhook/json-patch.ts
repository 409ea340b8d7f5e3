/**
 * RFC 6902 JSON Patch between two JSON documents: what the mutating webhook answers so that the API
 * server turns the object it was given into the defaulted one
 * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response).
 */

/** One JSON Patch operation. */
export type JsonPatchOperation =
  | { readonly op: 'add'; readonly path: string; readonly value: unknown }
  | { readonly op: 'replace'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

/** A JSON Pointer token: `~` and `/` escaped (RFC 6901). */
function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own value of `key` (never one inherited from Object.prototype, such as `toString`). */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const otherKeys = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === otherKeys.length && keys.every((k) => own(b, k) !== undefined && sameJson(a[k], b[k]));
  }
  return false;
}

/**
 * The operations that turn `before` into `after`: objects are compared key by key (a key whose
 * value is `undefined` counts as absent), any other value that differs, arrays included, is
 * replaced whole. Equal documents give an empty patch.
 */
export function jsonPatch(before: unknown, after: unknown, path = ''): JsonPatchOperation[] {
  if (sameJson(before, after)) return [];
  if (!isPlainObject(before) || !isPlainObject(after)) {
    return path === '' || after !== undefined ? [{ op: 'replace', path, value: after }] : [{ op: 'remove', path }];
  }
  const operations: JsonPatchOperation[] = [];
  for (const key of Object.keys(before)) {
    if (before[key] !== undefined && own(after, key) === undefined) operations.push({ op: 'remove', path: `${path}/${pointerToken(key)}` });
  }
  for (const key of Object.keys(after)) {
    if (after[key] === undefined) continue;
    const childPath = `${path}/${pointerToken(key)}`;
    if (own(before, key) === undefined) operations.push({ op: 'add', path: childPath, value: after[key] });
    else operations.push(...jsonPatch(before[key], after[key], childPath));
  }
  return operations;
}
