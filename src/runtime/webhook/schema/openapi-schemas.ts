/**
 * The `components.schemas` of a Kubernetes OpenAPI v3 document, rewritten into JSON schemas that
 * ajv checks the way the API server decodes: pure, no I/O.
 *
 * What the API server does and the published schema does not say:
 * - strict decoding refuses a field the Go type does not have (`unknown field "hostpath"`), so an
 *   object that lists its `properties` is closed (`additionalProperties: false`);
 * - `IntOrString` and `Quantity` are published as a `oneOf` of types, which becomes a type union
 *   (one clear message instead of one per branch); a Quantity string must also parse
 *   (format `quantity`);
 * - a string enum accepts `""`: Go decodes it as the zero value, which the API server defaults or
 *   reads as "unset" for most enum fields (`imagePullPolicy`, a toleration's `effect`);
 * - `required` lists every field without `omitempty`, but the API server accepts the zero value of
 *   some (an HTTP header's `value`): only the required fields the caller names are kept.
 *
 * Descriptions are dropped (they are most of the document's size and ajv does not need them).
 */

/** A JSON schema object as found in the document. */
type Schema = Record<string, unknown>;

/** The keywords whose values are schemas or lists of schemas, where the rewrite recurses. */
const SUBSCHEMA_KEYWORDS = ['items', 'additionalProperties', 'not'] as const;
const SUBSCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

/** The definition of a Kubernetes quantity (`500m`, `2Gi`), whose strings get the `quantity` format. */
export const QUANTITY_DEFINITION = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** How the rewritten schemas treat `required`. */
export interface RewriteOptions {
  /**
   * The required fields to keep, as `<definition>.<field>` (`io.k8s.api.core.v1.KeyToPath.path`);
   * every other `required` entry is dropped. The published `required` lists every field without
   * `omitempty`, and the API server accepts the zero value of some of them (an HTTP header's
   * `value`, a sleep's `seconds`), so only those it is known to refuse are kept.
   */
  readonly required: ReadonlySet<string>;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The types of a `oneOf` made only of `{ type }` entries (IntOrString, Quantity); undefined otherwise. */
function typeUnion(oneOf: unknown): string[] | undefined {
  if (!Array.isArray(oneOf) || oneOf.length === 0) return undefined;
  const types: string[] = [];
  for (const entry of oneOf) {
    if (!isSchema(entry) || typeof entry.type !== 'string' || Object.keys(entry).length !== 1) return undefined;
    types.push(entry.type);
  }
  return types;
}

/** One schema (and everything below it) rewritten, without `required` (see {@link rewriteComponents}). */
export function rewriteSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (key === 'properties' && isSchema(value)) {
      copy.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, rewriteSchema(sub)]));
    } else if ((SUBSCHEMA_KEYWORDS as readonly string[]).includes(key)) {
      copy[key] = rewriteSchema(value);
    } else if ((SUBSCHEMA_LIST_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
      copy[key] = value.map((sub) => rewriteSchema(sub));
    } else {
      copy[key] = value;
    }
  }
  const union = typeUnion(schema.oneOf);
  if (union && schema.type === undefined) {
    delete copy.oneOf;
    copy.type = union;
  }
  if (copy.format === 'int-or-string') delete copy.format;
  delete copy.required;
  if (Array.isArray(copy.enum) && copy.type === 'string' && !copy.enum.includes('')) copy.enum = [...copy.enum, ''];
  if (isSchema(copy.properties) && copy.additionalProperties === undefined && copy['x-kubernetes-preserve-unknown-fields'] !== true) {
    copy.additionalProperties = false;
  }
  return copy;
}

/**
 * All definitions of `components.schemas` rewritten, as the `components.schemas` of a new document,
 * so that the document's own `$ref`s (`#/components/schemas/io.k8s.api.core.v1.Volume`) still
 * resolve. Each definition keeps the `required` fields that `options.required` names.
 */
export function rewriteComponents(schemas: Record<string, unknown>, options: RewriteOptions): { components: { schemas: Record<string, unknown> } } {
  const rewritten: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const copy = rewriteSchema(schema);
    if (isSchema(copy) && isSchema(schema)) {
      if (name === QUANTITY_DEFINITION) copy.format = 'quantity';
      const required = Array.isArray(schema.required) ? schema.required.filter((field) => options.required.has(`${name}.${String(field)}`)) : [];
      if (required.length > 0) copy.required = required;
    }
    rewritten[name] = copy;
  }
  return { components: { schemas: rewritten } };
}
