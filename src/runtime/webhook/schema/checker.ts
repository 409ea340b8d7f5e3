/**
 * Checks the Kubernetes core types a SparkApplication embeds (volumes, containers, affinity ...)
 * against the cluster's own `core/v1` OpenAPI v3 schemas, so that a typo is refused at
 * `kubectl apply` with its field path instead of failing later, when the controller creates a pod.
 * Pure: the document comes in, problems go out; nothing here does I/O or throws on bad input.
 *
 * The CRD keeps these types light (identifying fields, the rest preserved unknown), which is why
 * the check happens here. Compiled validators are cached per definition.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { EMBEDDED_DEFINITIONS, ENFORCED_REQUIRED_FIELDS, EmbeddedField, POD_FIELDS, POD_ROLES, SPEC_FIELDS } from './embedded-fields';
import { rewriteComponents } from './openapi-schemas';
import { Problem } from '../../../core';

/** How much a checker reports. */
export interface CheckerOptions {
  /**
   * The most problems reported for one object; past it, one last problem says how many more there were.
   * @default 20
   */
  readonly maxProblems?: number;
  /**
   * The most characters of a value (or field name) echoed in a message; longer ones end in `...`.
   * @default 64
   */
  readonly maxValueLength?: number;
}

const DEFAULT_MAX_PROBLEMS = 20;
const DEFAULT_MAX_VALUE_LENGTH = 64;

/** The schema ids of the two rewritten copies of the document (with the enforced `required` fields, and with none). */
const FULL_ID = 'core-v1';
const PARTIAL_ID = 'core-v1-partial';

/** Thrown by {@link EmbeddedTypeChecker.fromDocument} for a document without `components.schemas`. */
export class SchemaDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaDocumentError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON value with `null` object fields left out: the API server decodes `null` as the field's
 * zero value (a template's `creationTimestamp: null` is common), so it is never a problem here.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== null) copy[key] = withoutNulls(field);
  return copy;
}

// Kubernetes integer widths and string formats, as Go decodes them.
const INT32 = 2 ** 31;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
// The grammar in the Quantity definition's description: a signed number, then a binary suffix
// (Ki ... Ei), a decimal one (m, k, M ... E; the parser also reads n and u) or an exponent.
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[eE][+-]?\d+|[numkMGTPE])?$/;

/** What a format's value must be, as said in messages. */
const FORMAT_MESSAGES: Record<string, string> = {
  'int32': 'must be a 32-bit integer',
  'int64': 'must be a 64-bit integer',
  'byte': 'must be base64 data',
  'date-time': 'must be an RFC 3339 date-time such as "2006-01-02T15:04:05Z"',
  'quantity': 'must be a quantity such as "500m", "1.5", "2Gi" or "1e3"',
};

function newAjv(): Ajv {
  // strict: false lets the `x-kubernetes-*` keywords through (they describe merges and lists, not
  // validity); allErrors so that one request lists every problem; verbose for the refused values.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, allowUnionTypes: true, validateSchema: false });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) || (Number.isInteger(n) && Math.abs(n) <= 2 ** 63) });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => BASE64.test(s) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('quantity', { type: 'string', validate: (s: string) => QUANTITY.test(s) });
  return ajv;
}

/**
 * A checker of the embedded core types against one `core/v1` OpenAPI v3 document.
 *
 * ```ts
 * const checker = EmbeddedTypeChecker.fromDocument(await fetchCoreV1Document(client));
 * const problems = checker.checkObject(admissionRequest.object); // [] when every embedded type is valid
 * ```
 */
export class EmbeddedTypeChecker {
  /**
   * A checker for `document`, the answer of `GET /openapi/v3/api/v1`. Throws a
   * {@link SchemaDocumentError} when it has no `components.schemas`.
   */
  public static fromDocument(document: unknown, options: CheckerOptions = {}): EmbeddedTypeChecker {
    const schemas = isObject(document) && isObject(document.components) ? document.components.schemas : undefined;
    if (!isObject(schemas)) throw new SchemaDocumentError('the OpenAPI document has no components.schemas');
    return new EmbeddedTypeChecker(schemas, options);
  }

  private readonly ajv = newAjv();
  private readonly validators = new Map<string, ValidateFunction | undefined>();
  private readonly maxProblems: number;
  private readonly maxValueLength: number;

  /** The names of the document's definitions (the document itself is not kept: ajv has its rewritten copy). */
  private readonly definitions: ReadonlySet<string>;

  private constructor(schemas: Record<string, unknown>, options: CheckerOptions) {
    this.definitions = new Set(Object.entries(schemas).filter(([, schema]) => isObject(schema)).map(([name]) => name));
    this.maxProblems = Math.max(1, options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
    this.maxValueLength = Math.max(8, options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH);
    this.ajv.addSchema(rewriteComponents(schemas, { required: new Set(ENFORCED_REQUIRED_FIELDS) }), FULL_ID);
    this.ajv.addSchema(rewriteComponents(schemas, { required: new Set() }), PARTIAL_ID);
  }

  /** The definitions of the embedded types that this document lacks (they go unchecked). */
  public get missingDefinitions(): string[] {
    return [...new Set(EMBEDDED_DEFINITIONS.map((f) => f.definition))].filter((d) => !this.definitions.has(d));
  }

  /** Compiles every validator now, so that the first request does not pay for it. */
  public compileAll(): void {
    for (const field of EMBEDDED_DEFINITIONS) this.validator(field);
  }

  /**
   * The problems of a SparkApplication or ScheduledSparkApplication (chosen by its `kind`; anything
   * else has none): each embedded core type checked against its definition, with the path from the
   * object's root. Never throws.
   */
  public checkObject(object: unknown): Problem[] {
    const found = this.specOf(object);
    return found ? this.bounded(this.problemsOfSpec(found.spec, found.path), found.path) : [];
  }

  /**
   * The problems of an update: those of `object` that `oldObject` does not have too (same path and
   * message). An object stored before this check existed, or before the cluster's schemas changed,
   * can still be updated (a label, a finalizer, another field) without first fixing what was
   * already there; what the update brings in is refused. Never throws.
   */
  public checkUpdate(object: unknown, oldObject: unknown): Problem[] {
    const found = this.specOf(object);
    if (!found) return [];
    const problems = this.problemsOfSpec(found.spec, found.path);
    if (problems.length === 0) return problems;
    const before = this.specOf(oldObject);
    const old = new Set(before ? this.problemsOfSpec(before.spec, before.path).map((p) => `${p.path}\n${p.message}`) : []);
    return this.bounded(problems.filter((p) => !old.has(`${p.path}\n${p.message}`)), found.path);
  }

  /**
   * The problems of a SparkApplication spec found at `path` (`spec`, or `spec.template` in a
   * ScheduledSparkApplication). Never throws.
   */
  public checkSpec(spec: unknown, path: string): Problem[] {
    return this.bounded(this.problemsOfSpec(spec, path), path);
  }

  /** The application spec of a Spark object, and its path. */
  private specOf(object: unknown): { spec: unknown; path: string } | undefined {
    if (!isObject(object)) return undefined;
    if (object.kind === 'SparkApplication') return { spec: object.spec, path: 'spec' };
    if (object.kind === 'ScheduledSparkApplication') return { spec: isObject(object.spec) ? object.spec.template : undefined, path: 'spec.template' };
    return undefined;
  }

  /** At most `maxProblems`, then one that says how many more there were. */
  private bounded(problems: Problem[], path: string): Problem[] {
    if (problems.length <= this.maxProblems) return problems;
    const more = problems.length - this.maxProblems;
    return [...problems.slice(0, this.maxProblems), { path, message: `${more} more problem${more === 1 ? '' : 's'} of embedded Kubernetes types not shown` }];
  }

  private problemsOfSpec(spec: unknown, path: string): Problem[] {
    if (!isObject(spec)) return [];
    const problems = this.checkFields(spec, SPEC_FIELDS, path);
    for (const role of POD_ROLES) {
      const pod = spec[role];
      if (isObject(pod)) problems.push(...this.checkFields(pod, POD_FIELDS, `${path}.${role}`));
    }
    return problems;
  }

  private checkFields(holder: Record<string, unknown>, fields: readonly EmbeddedField[], path: string): Problem[] {
    const problems: Problem[] = [];
    for (const field of fields) {
      const value = holder[field.field];
      if (value === undefined || value === null) continue;
      const validate = this.validator(field);
      if (!validate) continue;
      const fieldPath = `${path}.${field.field}`;
      // The CRD's structural schema has already refused a list that is not a list.
      const entries: Array<[unknown, string]> = field.list
        ? (Array.isArray(value) ? value.map((entry, i): [unknown, string] => [entry, `${fieldPath}[${i}]`]) : [])
        : [[value, fieldPath]];
      for (const [entry, entryPath] of entries) {
        try {
          const data = withoutNulls(entry);
          if (validate(data)) continue;
          problems.push(...this.problemsOf(validate.errors ?? [], data, entryPath));
        } catch {
          // Only a value nested deeper than the stack allows gets here (the API server's decoder
          // stops at 10000 levels): it goes unchecked, like every field while no document is loaded.
        }
      }
    }
    return problems;
  }

  private validator(field: EmbeddedField): ValidateFunction | undefined {
    const id = `${field.partial ? PARTIAL_ID : FULL_ID}#/components/schemas/${field.definition}`;
    if (!this.validators.has(id)) {
      // A definition this server does not publish (or that does not compile) goes unchecked rather
      // than refusing everything.
      let validate: ValidateFunction | undefined;
      try {
        validate = this.definitions.has(field.definition) ? this.ajv.getSchema(id) : undefined;
      } catch {
        validate = undefined;
      }
      this.validators.set(id, validate);
    }
    return this.validators.get(id);
  }

  private problemsOf(errors: ErrorObject[], data: unknown, base: string): Problem[] {
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const error of errors) {
      const problem = this.problemOf(error, data, base);
      if (!problem) continue;
      const key = `${problem.path}\n${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
    return problems;
  }

  private problemOf(error: ErrorObject, data: unknown, base: string): Problem | undefined {
    const path = this.fieldPath(error.instancePath, data, base);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = String(params.additionalProperty);
        return { path: this.join(path, name), message: `unknown field ${this.echo(name)}` };
      }
      case 'required':
        return { path: this.join(path, String(params.missingProperty)), message: 'Required value' };
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).filter((v) => v !== '').map((v) => JSON.stringify(v)).sort();
        return { path, message: `Unsupported value: ${this.echo(error.data)}: supported values: ${allowed.join(', ')}` };
      }
      case 'type': {
        const types = Array.isArray(params.type) ? params.type as string[] : String(params.type).split(',');
        return { path, message: `Invalid value: ${this.echo(error.data)}: must be of type ${types.join(' or ')}` };
      }
      case 'format': {
        const format = String(params.format);
        return { path, message: `Invalid value: ${this.echo(error.data)}: ${FORMAT_MESSAGES[format] ?? `must be of format ${format}`}` };
      }
      case 'if':
      case 'oneOf':
      case 'anyOf':
        // Their branches' own errors say what is wrong.
        return undefined;
      default:
        return { path, message: `Invalid value: ${this.echo(error.data)}: ${error.message ?? 'is not valid'}` };
    }
  }

  /** The field path of a JSON pointer into `data`: `[i]` for list entries, `.name` for fields, `[key]` for other map keys. */
  private fieldPath(pointer: string, data: unknown, base: string): string {
    let path = base;
    let node: unknown = data;
    for (const raw of pointer.split('/').slice(1)) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(node)) {
        path += `[${segment}]`;
        node = node[Number(segment)];
      } else {
        path = this.join(path, segment);
        node = isObject(node) ? node[segment] : undefined;
      }
    }
    return path;
  }

  private join(path: string, key: string): string {
    const shown = this.clip(key);
    return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `${path}.${shown}` : `${path}[${shown}]`;
  }

  private clip(text: string): string {
    return text.length > this.maxValueLength ? `${text.slice(0, this.maxValueLength - 3)}...` : text;
  }

  /** A value as JSON, cut to the echo bound. */
  private echo(value: unknown): string {
    let text: string;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
    return this.clip(text);
  }
}
