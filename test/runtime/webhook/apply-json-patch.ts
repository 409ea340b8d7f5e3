/**
 * Applies a JSON patch as the API server does (RFC 6902 add, replace, remove on objects): how the
 * tests check that a webhook's patch turns the object into the expected one.
 */
import { JsonPatchOperation } from '../../../src/runtime/webhook/json-patch';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `document` with `patch` applied; `document` is not changed. */
export function applyJsonPatch(document: unknown, patch: readonly JsonPatchOperation[]): unknown {
  let result: unknown = structuredClone(document);
  for (const operation of patch) {
    const tokens = operation.path === '' ? [] : operation.path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (tokens.length === 0) {
      if (operation.op === 'remove') throw new Error('cannot remove the whole document');
      result = structuredClone(operation.value);
      continue;
    }
    let parent: unknown = result;
    for (const token of tokens.slice(0, -1)) {
      if (!isPlainObject(parent) && !Array.isArray(parent)) throw new Error(`${operation.path}: no parent object`);
      parent = Object.hasOwn(parent as object, token) ? (parent as Record<string, unknown>)[token] : undefined;
    }
    if (!isPlainObject(parent)) throw new Error(`${operation.path}: the parent is not an object`);
    const last = tokens[tokens.length - 1];
    if (operation.op === 'remove') {delete parent[last];} else {
      if (operation.op === 'replace' && !Object.hasOwn(parent, last)) throw new Error(`${operation.path}: nothing to replace`);
      Object.defineProperty(parent, last, { value: structuredClone(operation.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}
