/**
 * The checks the API server makes with our CRDs' structural schemas before any rule runs: each
 * field has the schema's type, and (with strict field validation, `kubectl`'s default) no field is
 * unknown. Pure and over any JSON, so that `render` and `sparkctl lint` refuse a file exactly where
 * the cluster would, with the field path and the field meant.
 *
 * The field list is the CRD's own schema (built from the wire model in `src/api`), not a second
 * list: a field added there is known here. Embedded Kubernetes types that the CRD passes through
 * (`x-kubernetes-preserve-unknown-fields`) are checked only as far as the schema types them; the
 * API server checks the rest when the operator creates the pods.
 */
import { scheduledSparkApplicationCrd } from './scheduled-spark-application-crd';
import { JSONSchemaProps, obj, str, stringMap } from './schema';
import { sparkApplicationCrd } from './spark-application-crd';
import { sparkConnectCrd } from './spark-connect-crd';
import { SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES, SPARK_CONNECT_NAMES } from '../api';
import { Problem, ProblemList, boundedText } from '../core/problems';
import { isObject, shown } from '../core/validation/checks';

/**
 * `metadata`, as the API server decodes it (meta/v1 ObjectMeta): the CRD leaves it to the server,
 * which refuses unknown fields in it like anywhere else.
 */
const OBJECT_META: JSONSchemaProps = obj({
  name: str(),
  generateName: str(),
  namespace: str(),
  selfLink: str(),
  uid: str(),
  resourceVersion: str(),
  generation: { type: 'integer' },
  creationTimestamp: { type: 'string', nullable: true },
  deletionTimestamp: { type: 'string', nullable: true },
  deletionGracePeriodSeconds: { type: 'integer' },
  labels: stringMap(),
  annotations: stringMap(),
  ownerReferences: { type: 'array', items: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  finalizers: { type: 'array', items: str() },
  managedFields: { type: 'array', items: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
});

let schemas: Record<string, JSONSchemaProps> | undefined;

/** The kinds with a schema here. */
const STRUCTURAL_KINDS: readonly string[] = [SPARK_APPLICATION_NAMES.kind, SCHEDULED_SPARK_APPLICATION_NAMES.kind, SPARK_CONNECT_NAMES.kind];

function schemaOf(kind: string): JSONSchemaProps | undefined {
  schemas ??= Object.fromEntries([sparkApplicationCrd(), scheduledSparkApplicationCrd(), sparkConnectCrd()].map((crd) => {
    const root = crd.spec.versions[0].schema.openAPIV3Schema;
    return [crd.spec.names.kind, { ...root, properties: { ...root.properties, metadata: OBJECT_META } }];
  }));
  return schemas[kind];
}

/** How far apart two names are: edits (insert, delete, replace, swap of neighbours) from one to the other. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/** The known name closest to `name`, if one is close enough to be a typo of it. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameButCase = known.find((k) => k.toLowerCase() === lower);
  if (sameButCase) return sameButCase;
  // Long names are rarely a typo of a name far shorter; compare only names of a similar length.
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean',
};

function hasType(value: unknown, schema: JSONSchemaProps): boolean {
  if (value === null) return schema.nullable === true;
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  switch (schema.type) {
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    default: return true;
  }
}

function expected(schema: JSONSchemaProps): string {
  if (schema['x-kubernetes-int-or-string']) return 'an integer or a string';
  return TYPE_NAMES[schema.type ?? ''] ?? 'a value';
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Where else `key` is a field, one level up or down: a field indented at the wrong level. */
type Parent = { readonly path: string; readonly schema: JSONSchemaProps };

function elsewhere(key: string, path: string, schema: JSONSchemaProps, parent: Parent | undefined): string | undefined {
  for (const [child, childSchema] of Object.entries(schema.properties ?? {})) {
    if (childSchema.properties?.[key]) return join(join(path, child), key);
  }
  if (parent?.schema.properties?.[key]) return join(parent.path, key);
  return undefined;
}

/**
 * Walks `value` against `schema`. Iterative with an explicit stack: a deeply nested file must not
 * overflow the call stack.
 */
/** A problem of the structural check; an unknown field also says where the field itself is. */
export interface StructuralProblem extends Problem {
  /** The path of the unknown field itself (`spec.mainApplicationfile`), to place it in a file; `path` is its parent's. */
  readonly field?: string;
}

function walk(problems: ProblemList, root: unknown, rootSchema: JSONSchemaProps, unknownFields: boolean, fields: Map<number, string>): void {
  type Item = { value: unknown; schema: JSONSchemaProps; path: string; parent?: Parent };
  const stack: Item[] = [{ value: root, schema: rootSchema, path: '' }];
  while (stack.length > 0) {
    const { value, schema, path, parent } = stack.pop()!;
    // Not JSON: an object built in code may carry a field set to undefined, which means unset.
    if (value === undefined) continue;
    if (!hasType(value, schema)) {
      problems.add(path, `must be ${expected(schema)} (got ${shown(value)})`);
      continue;
    }
    if (Array.isArray(value) && schema.items) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], schema: schema.items, path: `${path}[${i}]` });
      continue;
    }
    if (!isObject(value)) continue;
    const properties = schema.properties ?? {};
    const known = Object.keys(properties);
    const children: Item[] = [];
    for (const [key, child] of Object.entries(value)) {
      const childSchema = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : schema.additionalProperties;
      if (childSchema) {
        children.push({ value: child, schema: childSchema, path: join(path, key), parent: { path, schema } });
      } else if (unknownFields && !schema['x-kubernetes-preserve-unknown-fields']) {
        const typo = closestName(key, known);
        const moved = typo ? undefined : elsewhere(key, path, schema, parent);
        const hint = typo ? ` (did you mean ${JSON.stringify(typo)}?)` : moved ? ` (did you mean ${JSON.stringify(moved)}? it may be indented at the wrong level)` : '';
        fields.set(problems.toArray().length, boundedText(join(path, key), 250));
        problems.add(path, `has unknown field ${JSON.stringify(key)}${hint}`);
      }
    }
    // Reversed onto the stack, so that fields are visited in the order of the file.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/**
 * The problems the API server's structural schema finds in a SparkApplication,
 * ScheduledSparkApplication or SparkConnect (any JSON): wrong types and unknown fields, each with its path
 * (`''` is the object itself). Empty for another kind: it has no schema here.
 */
export function structuralProblems(object: unknown): StructuralProblem[] {
  const kind = isObject(object) ? object.kind : undefined;
  if (typeof kind !== 'string' || !STRUCTURAL_KINDS.includes(kind)) return [];
  const problems = new ProblemList();
  // Required at the top, as in the CRD (deeper, the rules of validate() say what is missing, in their words).
  if ((object as Record<string, unknown>).metadata === undefined) problems.add('metadata', 'is required');
  const fields = new Map<number, string>();
  walk(problems, object, schemaOf(kind)!, true, fields);
  return problems.toArray().map((problem, i) => (fields.has(i) ? { ...problem, field: fields.get(i) } : problem));
}

/**
 * The wrong types alone (unknown fields allowed): what the submission must refuse before it reads
 * an object that reached it past a lighter CRD schema (an older or upstream CRD, or none).
 */
export function typeProblems(object: unknown): Problem[] {
  const kind = isObject(object) ? object.kind : undefined;
  const known = kind === SCHEDULED_SPARK_APPLICATION_NAMES.kind || kind === SPARK_CONNECT_NAMES.kind;
  const schema = schemaOf(known ? kind : SPARK_APPLICATION_NAMES.kind)!;
  const problems = new ProblemList();
  // metadata and spec: what the operator reads to build pods (status is its own writing).
  const { metadata, spec } = isObject(object) ? object : { metadata: undefined, spec: object };
  const read: JSONSchemaProps = { ...schema, properties: { metadata: schema.properties!.metadata, spec: schema.properties!.spec } };
  walk(problems, { metadata, spec }, read, false, new Map());
  return problems.toArray();
}
