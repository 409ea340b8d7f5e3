/**
 * Validates custom objects against the openAPIV3Schema of our generated CRDs, the way the API server
 * does for structure: types, required fields, enums, bounds, patterns. Stricter in one way: a field
 * the schema does not know is an error (the API server would prune it silently, which hides typos).
 * CEL rules (`x-kubernetes-validations`) are evaluated by the real API server in the e2e suite.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { CustomResourceDefinition, JSONSchemaProps, scheduledSparkApplicationCrd, sparkApplicationCrd, sparkConnectCrd } from '../../src/crds';

const KUBERNETES_KEYWORDS = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-validations',
];

/** Copies a schema, closing every object that lists its properties and does not preserve unknown fields. */
function closeObjects(schema: JSONSchemaProps): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...schema };
  if (schema.properties) {
    copy.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, closeObjects(v)]));
    if (!schema['x-kubernetes-preserve-unknown-fields'] && !schema.additionalProperties) copy.additionalProperties = false;
  }
  if (schema.items) copy.items = closeObjects(schema.items);
  if (schema.additionalProperties) copy.additionalProperties = closeObjects(schema.additionalProperties);
  return copy;
}

function compile(crd: CustomResourceDefinition): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  for (const keyword of KUBERNETES_KEYWORDS) ajv.addKeyword(keyword);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
  return ajv.compile(closeObjects(crd.spec.versions[0].schema.openAPIV3Schema));
}

const validators: Record<string, ValidateFunction> = {
  SparkApplication: compile(sparkApplicationCrd()),
  ScheduledSparkApplication: compile(scheduledSparkApplicationCrd()),
  SparkConnect: compile(sparkConnectCrd()),
};

/** Renders an ajv error the way the API server names fields: `spec.driver.cores: must be >= 1`. */
function describe(error: ErrorObject): string {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  if (error.keyword === 'required') {
    const field = [path, (error.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.');
    return `${field}: Required value`;
  }
  if (error.keyword === 'additionalProperties') {
    const field = [path, (error.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
    return `${field}: field not declared in schema`;
  }
  if (error.keyword === 'enum') {
    return `${path}: Unsupported value: must be one of ${(error.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
  }
  return `${path}: ${error.message}`;
}

/**
 * The schema errors of a SparkApplication or ScheduledSparkApplication (chosen by `kind`), each
 * naming the field; an empty list when the object is valid.
 */
export function crdValidationErrors(obj: { kind?: string } & Record<string, unknown>): string[] {
  const validate = obj.kind ? validators[obj.kind] : undefined;
  if (!validate) throw new Error(`no CRD for kind ${JSON.stringify(obj.kind)}`);
  if (validate(obj)) return [];
  // anyOf (int-or-string) reports each branch; keep one line per field and message.
  return [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'anyOf').map(describe))];
}
