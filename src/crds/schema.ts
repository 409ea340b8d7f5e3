/**
 * A small builder for structural OpenAPI v3 schemas, the dialect of CustomResourceDefinitions.
 * Each helper returns a plain JSON object, so the generated CRD is data that tests can inspect.
 */

/** One CEL validation rule (`x-kubernetes-validations`). */
export interface ValidationRule {
  readonly rule: string;
  readonly message: string;
  /** JSON path, relative to the object the rule sits on, that the error is reported against. */
  readonly fieldPath?: string;
  readonly reason?: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueDuplicate';
}

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps that our CRDs use. */
export interface JSONSchemaProps {
  'type'?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number';
  'format'?: string;
  'description'?: string;
  'properties'?: Record<string, JSONSchemaProps>;
  'required'?: string[];
  'items'?: JSONSchemaProps;
  'additionalProperties'?: JSONSchemaProps;
  'enum'?: string[];
  'minimum'?: number;
  'maximum'?: number;
  'pattern'?: string;
  'nullable'?: boolean;
  'anyOf'?: JSONSchemaProps[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: ValidationRule[];
}

/** Options shared by every helper. */
export interface SchemaOptions {
  readonly description?: string;
}

function withDescription(schema: JSONSchemaProps, description?: string): JSONSchemaProps {
  return description ? { description, ...schema } : schema;
}

/** A string, optionally restricted to `values`. */
export function str(description?: string, extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps {
  return withDescription({ type: 'string', ...extra }, description);
}

/** A closed set of strings. */
export function enumOf(values: readonly string[], description?: string): JSONSchemaProps {
  return str(description, { enum: [...values] });
}

/** A 32-bit integer. */
export function int32(description?: string, extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps {
  return withDescription({ type: 'integer', format: 'int32', ...extra }, description);
}

/** A 64-bit integer. */
export function int64(description?: string, extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps {
  return withDescription({ type: 'integer', format: 'int64', ...extra }, description);
}

/** A boolean. */
export function bool(description?: string): JSONSchemaProps {
  return withDescription({ type: 'boolean' }, description);
}

/** An RFC 3339 timestamp that may be null (metav1.Time with +nullable). */
export function timestamp(description?: string): JSONSchemaProps {
  return withDescription({ type: 'string', format: 'date-time', nullable: true }, description);
}

/** A list. */
export function list(items: JSONSchemaProps, description?: string): JSONSchemaProps {
  return withDescription({ type: 'array', items }, description);
}

/** A map with string keys. */
export function map(values: JSONSchemaProps, description?: string): JSONSchemaProps {
  return withDescription({ type: 'object', additionalProperties: values }, description);
}

/** A map of strings to strings (labels, annotations, Spark configuration). */
export function stringMap(description?: string): JSONSchemaProps {
  return map({ type: 'string' }, description);
}

/** A Kubernetes quantity (`500m`, `2Gi`, `4`): an int-or-string. */
export function quantity(): JSONSchemaProps {
  return {
    'anyOf': [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  };
}

/** Options for {@link obj}. */
export interface ObjectOptions extends SchemaOptions {
  readonly required?: readonly string[];
  readonly rules?: readonly ValidationRule[];
}

/** An object with known properties. */
export function obj(properties: Record<string, JSONSchemaProps>, options: ObjectOptions = {}): JSONSchemaProps {
  const schema: JSONSchemaProps = { type: 'object', properties };
  if (options.required && options.required.length > 0) schema.required = [...options.required];
  if (options.rules && options.rules.length > 0) schema['x-kubernetes-validations'] = [...options.rules];
  return withDescription(schema, options.description);
}

/**
 * A Kubernetes type embedded as-is (a Volume, a Container, an Affinity ...).
 *
 * Trade-off: upstream inlines the full core/v1 schema of every embedded type, which is why its CRDs
 * weigh over 800 KB and cannot be applied client-side. We keep only the identifying fields that
 * upstream requires too (`identity`), typed, and let the rest through unpruned. Nothing upstream
 * accepts is rejected, and the API server still validates these values in full when the operator
 * creates the driver and executor pods from them; a mistake there becomes the application's
 * `errorMessage` instead of an admission error.
 */
export function embedded(kind: string, identity: Record<string, JSONSchemaProps> = {}, required: readonly string[] = []): JSONSchemaProps {
  const schema: JSONSchemaProps = {
    'type': 'object',
    'description': `Kubernetes ${kind}, passed through to the pods.`,
    'x-kubernetes-preserve-unknown-fields': true,
  };
  if (Object.keys(identity).length > 0) schema.properties = identity;
  if (required.length > 0) schema.required = [...required];
  return schema;
}
