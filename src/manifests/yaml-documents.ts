/**
 * How a manifest file is read, the same way for `render` (the runtime bundle) and `sparkctl` (lint,
 * create): YAML documents one at a time, a linear duplicate-key check (the `yaml` package's own one
 * compares each key with every earlier one), and bounds on what a hostile file can make it do:
 * aliases that expand too much ("billion laughs"), too many documents, nesting too deep.
 */
import { Composer, Document, LineCounter, Parser, isMap, isScalar, isSeq } from 'yaml';
import { boundedText } from '../core';

/**
 * The most aliases a document may expand: YAML anchors can make a few lines stand for gigabytes
 * ("billion laughs"); real applications use a handful, if any.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * The most documents one file may hold: far more than any set of applications, and a bound on the
 * time a file of empty documents (`---` repeated) takes.
 */
export const MAX_DOCUMENTS = 10_000;

/**
 * The deepest nesting of objects and lists a document may have. Pods nest about 10 levels; the
 * builders and the YAML writer recurse, and must not run out of stack.
 */
export const MAX_DEPTH = 64;

/**
 * The most input read, over all files: far above any real set of applications, and low enough that
 * `-f /dev/zero` or a runaway pipe fails at once instead of filling memory.
 */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

/** A problem of the YAML itself. */
export interface YamlProblem {
  /** `not valid YAML`, or `not accepted` for valid YAML past the bounds. */
  readonly verdict: 'not valid YAML' | 'not accepted';
  /** What is wrong, in one line, without the place: `the key "a" appears twice in one mapping`. */
  readonly message: string;
  /** Where in the text, when it is at one place. */
  readonly offset?: number;
}

/** One document read: its value, or what is wrong with it (all YAML errors at once, else one problem). */
export type ReadDocument = { readonly object: unknown } | { readonly problems: readonly YamlProblem[] };

/** The documents of `text`, composed one at a time as they are iterated; `lines` knows the lines read so far. */
export function manifestDocuments(text: string): { docs: Iterable<Document.Parsed>; lines: LineCounter } {
  const lines = new LineCounter();
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false });
  return { docs: composer.compose(new Parser(lines.addNewLine).parse(text), true, text.length), lines };
}

/** Reads one document to JSON, or says what is wrong with it: its YAML errors, a duplicate key, aliases or nesting past the bounds. */
export function readManifestDocument(doc: Document.Parsed): ReadDocument {
  const notValid = (message: string, offset?: number): YamlProblem => ({ verdict: 'not valid YAML', message, offset });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return notValid(/call stack/i.test(first) ? 'nested too deeply to read' : boundedText(first), e.pos[0]);
      }),
    };
  }
  const duplicate = duplicateKey(doc.contents);
  if (duplicate) return { problems: [notValid(`the key ${JSON.stringify(boundedText(duplicate.key, 200))} appears twice in one mapping`, duplicate.offset)] };
  let object: unknown;
  try {
    object = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) return { problems: [notValid('nested too deeply to read')] };
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return { problems: [{ verdict: 'not accepted', message: `its aliases expand too much (more than ${MAX_ALIAS_COUNT} per anchor), as in a "billion laughs" attack` }] };
    }
    return { problems: [notValid(boundedText(String(error)))] };
  }
  const tooDeep = pathNestedTooDeep(object);
  if (tooDeep !== undefined) {
    return { problems: [{ verdict: 'not accepted', message: `nested more than ${MAX_DEPTH} levels deep (at ${boundedText(tooDeep, 200)}), deeper than any Kubernetes object needs` }] };
  }
  return { object };
}

/** The path of the first value of `root` nested deeper than {@link MAX_DEPTH}, if any (iterative). */
function pathNestedTooDeep(root: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: root, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH) return path;
    for (const [key, child] of Object.entries(value)) {
      stack.push({ value: child, depth: depth + 1, path: Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key });
    }
  }
  return undefined;
}

/**
 * The first key of a mapping that appears twice in it, with its position. Linear: one set per
 * mapping. Iterative, so deep nesting cannot overflow the stack.
 */
function duplicateKey(root: unknown): { key: string; offset: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          const text = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(text)) return { key: String(key.value), offset: key.range?.[0] ?? 0 };
          seen.add(text);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}
