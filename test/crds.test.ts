import { JSONSchemaProps, scheduledSparkApplicationCrd, sparkApplicationCrd, sparkConnectCrd } from '../src/crds';
import { completeScheduledSparkApplication, completeSparkApplication } from './fixtures/complete-documents';
import { crdValidationErrors } from './util/crd-validator';
import { loadFixtures } from './util/fixtures';

/** Every field path a schema declares (`spec.driver.cores`, `spec.volumes[].name` ...). */
function schemaPaths(schema: JSONSchemaProps, prefix: string): string[] {
  const paths: string[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}.${name}`;
    paths.push(path, ...schemaPaths(child, path));
    if (child.items) paths.push(...schemaPaths(child.items, `${path}[]`));
  }
  return paths;
}

/** Every field path a document sets, in the notation of {@link schemaPaths}. */
function documentPaths(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => documentPaths(item, `${prefix}[]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}.${k}`, ...documentPaths(v, `${prefix}.${k}`)]);
}

/** Fields of a schema without a description; embedded Kubernetes types count as one field. */
function undescribedFields(schema: JSONSchemaProps, prefix: string): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields']) return [];
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    const path = `${prefix}.${name}`;
    return [
      ...(child.description ? [] : [path]),
      ...undescribedFields(child, path),
      ...(child.items ? undescribedFields(child.items, `${path}[]`) : []),
      ...(child.additionalProperties ? undescribedFields(child.additionalProperties, `${path}{}`) : []),
    ];
  });
}

function clone<T>(value: T): any {
  return JSON.parse(JSON.stringify(value));
}

describe.each([
  ['SparkApplication', sparkApplicationCrd, 'sparkapplications', 'sparkapp'],
  ['ScheduledSparkApplication', scheduledSparkApplicationCrd, 'scheduledsparkapplications', 'scheduledsparkapp'],
])('%s CRD', (kind, build, plural, shortName) => {
  const crd = build();

  test('is served and stored as sparkoperator.k8s.io/v1beta2 with the upstream names', () => {
    // THEN
    expect(crd.metadata.name).toBe(`${plural}.sparkoperator.k8s.io`);
    expect(crd.spec.group).toBe('sparkoperator.k8s.io');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toEqual({ kind, listKind: `${kind}List`, plural, singular: plural.replace(/s$/, ''), shortNames: [shortName] });
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1beta2', true, true]]);
    expect(crd.spec.versions[0].subresources).toEqual({ status: {} });
  });

  test('serialized JSON is under 200,000 bytes, so a client-side kubectl apply works', () => {
    // WHEN
    const bytes = Buffer.byteLength(JSON.stringify(crd));
    // THEN
    expect(bytes).toBeLessThan(200_000);
  });

  test('the same code builds the same CRD', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(crd));
  });
});

describe('printer columns', () => {
  test('SparkApplication shows Suspend, Status, Attempts, Start, Finish and Age as upstream, then the error with -o wide', () => {
    const columns = sparkApplicationCrd().spec.versions[0].additionalPrinterColumns;
    expect(columns.map((c) => [c.name, c.type, c.jsonPath, c.priority ?? 0])).toEqual([
      ['Suspend', 'boolean', '.spec.suspend', 0],
      ['Status', 'string', '.status.applicationState.state', 0],
      ['Attempts', 'string', '.status.executionAttempts', 0],
      ['Start', 'string', '.status.lastSubmissionAttemptTime', 0],
      ['Finish', 'string', '.status.terminationTime', 0],
      ['Age', 'date', '.metadata.creationTimestamp', 0],
      ['Error', 'string', '.status.applicationState.errorMessage', 1],
    ]);
  });

  test('ScheduledSparkApplication shows Schedule, TimeZone, Suspend, Last Run and Last Run Name as upstream, then State and Next Run, then Age', () => {
    const columns = scheduledSparkApplicationCrd().spec.versions[0].additionalPrinterColumns;
    expect(columns.map((c) => [c.name, c.type, c.jsonPath, c.priority ?? 0])).toEqual([
      ['Schedule', 'string', '.spec.schedule', 0],
      ['TimeZone', 'string', '.spec.timeZone', 0],
      ['Suspend', 'string', '.spec.suspend', 0],
      ['Last Run', 'date', '.status.lastRun', 0],
      ['Last Run Name', 'string', '.status.lastRunName', 0],
      ['State', 'string', '.status.scheduleState', 0],
      ['Next Run', 'date', '.status.nextRun', 0],
      ['Age', 'date', '.metadata.creationTimestamp', 0],
    ]);
  });

  test('every spec and status column path names a field of the CRD\'s own schema', () => {
    for (const crd of [sparkApplicationCrd(), scheduledSparkApplicationCrd()]) {
      const version = crd.spec.versions[0];
      // metadata has no schema of its own in a CRD (the API server's ObjectMeta).
      for (const column of version.additionalPrinterColumns.filter((c) => !c.jsonPath.startsWith('.metadata.'))) {
        let schema: any = version.schema.openAPIV3Schema;
        for (const key of column.jsonPath.split('.').slice(1)) {
          schema = schema?.properties?.[key];
        }
        expect([crd.spec.names.kind, column.jsonPath, schema === undefined ? 'missing' : 'found']).toEqual([crd.spec.names.kind, column.jsonPath, 'found']);
      }
    }
  });
});

describe('required fields and enums as upstream', () => {
  const spec = sparkApplicationCrd().spec.versions[0].schema.openAPIV3Schema.properties!.spec;

  test('spec requires type, sparkVersion, mainApplicationFile, driver and executor', () => {
    expect(spec.required).toEqual(['type', 'sparkVersion', 'mainApplicationFile', 'driver', 'executor']);
  });

  test('type, mode, pythonVersion and restartPolicy.type are enums', () => {
    expect(spec.properties!.type.enum).toEqual(['Java', 'Python', 'Scala', 'R']);
    expect(spec.properties!.mode.enum).toEqual(['cluster', 'client']);
    expect(spec.properties!.pythonVersion.enum).toEqual(['2', '3']);
    expect(spec.properties!.restartPolicy.properties!.type.enum).toEqual(['Never', 'Always', 'OnFailure']);
  });

  test('ScheduledSparkApplication spec requires schedule and template', () => {
    const scheduledSpec = scheduledSparkApplicationCrd().spec.versions[0].schema.openAPIV3Schema.properties!.spec;
    expect(scheduledSpec.required).toEqual(['schedule', 'template']);
  });

  test.each([
    ['SparkApplication', sparkApplicationCrd],
    ['ScheduledSparkApplication', scheduledSparkApplicationCrd],
  ])('every %s spec and status field, nested ones too, carries a description for kubectl explain', (_kind, build) => {
    const root = build().spec.versions[0].schema.openAPIV3Schema;
    const undescribed = [...undescribedFields(root.properties!.spec, 'spec'), ...undescribedFields(root.properties!.status, 'status')];
    expect(undescribed).toEqual([]);
  });
});

describe('documents that set every field', () => {
  test.each([
    ['SparkApplication', completeSparkApplication, sparkApplicationCrd],
    ['ScheduledSparkApplication', completeScheduledSparkApplication, scheduledSparkApplicationCrd],
  ] as const)('a complete %s is valid', (_kind, doc, build) => {
    // THEN
    expect(crdValidationErrors(clone(doc))).toEqual([]);
    // ...and it sets every field the schema declares, so the schema has no field the model lacks.
    const declared = schemaPaths(build().spec.versions[0].schema.openAPIV3Schema, '');
    const set = new Set(documentPaths(doc, ''));
    expect(declared.filter((p) => !set.has(p))).toEqual([]);
  });
});

describe('example documents written for the upstream operator', () => {
  test.each(loadFixtures('valid'))('%s is accepted', (_file, doc) => {
    expect(crdValidationErrors(doc)).toEqual([]);
  });
});

describe('bad documents are rejected with a message that names the field', () => {
  const base = () => clone(completeSparkApplication);

  test.each([
    ['missing type', (d: any) => { delete d.spec.type; }, 'spec.type: Required value'],
    ['missing mainApplicationFile', (d: any) => { delete d.spec.mainApplicationFile; }, 'spec.mainApplicationFile: Required value'],
    ['missing driver', (d: any) => { delete d.spec.driver; }, 'spec.driver: Required value'],
    ['unknown type', (d: any) => { d.spec.type = 'Go'; }, 'spec.type: Unsupported value: must be one of Java, Python, Scala, R'],
    ['unknown mode', (d: any) => { d.spec.mode = 'local'; }, 'spec.mode: Unsupported value: must be one of cluster, client'],
    ['driver cores 0', (d: any) => { d.spec.driver.cores = 0; }, 'spec.driver.cores: must be >= 1'],
    ['executor instances 0', (d: any) => { d.spec.executor.instances = 0; }, 'spec.executor.instances: must be >= 1'],
    ['negative retries', (d: any) => { d.spec.restartPolicy.onFailureRetries = -1; }, 'spec.restartPolicy.onFailureRetries: must be >= 0'],
    ['retry interval 0', (d: any) => { d.spec.restartPolicy.onFailureRetryInterval = 0; }, 'spec.restartPolicy.onFailureRetryInterval: must be >= 1'],
    ['memory as a number', (d: any) => { d.spec.executor.memory = 512; }, 'spec.executor.memory: must be string'],
    ['exporter port out of range', (d: any) => { d.spec.monitoring.prometheus.port = 80; }, 'spec.monitoring.prometheus.port: must be >= 1024'],
    ['volume without name', (d: any) => { delete d.spec.volumes[0].name; }, 'spec.volumes.0.name: Required value'],
    ['misspelt field', (d: any) => { d.spec.executor.instance = 2; }, 'spec.executor.instance: field not declared in schema'],
    ['secret without secretType', (d: any) => { delete d.spec.driver.secrets[0].secretType; }, 'spec.driver.secrets.0.secretType: Required value'],
  ])('%s', (_name, mutate, message) => {
    // GIVEN
    const doc = base();
    // WHEN
    mutate(doc);
    // THEN
    expect(crdValidationErrors(doc)).toEqual([message]);
  });

  test('a ScheduledSparkApplication without schedule names spec.schedule', () => {
    const doc = clone(completeScheduledSparkApplication);
    delete doc.spec.schedule;
    expect(crdValidationErrors(doc)).toEqual(['spec.schedule: Required value']);
  });

  test('errors inside a ScheduledSparkApplication template name the template field', () => {
    const doc = clone(completeScheduledSparkApplication);
    doc.spec.template.executor.cores = 0;
    expect(crdValidationErrors(doc)).toEqual(['spec.template.executor.cores: must be >= 1']);
  });
});

describe('CEL validation rules', () => {
  const spec = sparkApplicationCrd().spec.versions[0].schema.openAPIV3Schema.properties!.spec;

  test('catch a JVM application without mainClass, reported on spec.mainClass', () => {
    const rule = spec['x-kubernetes-validations']!.find((r) => r.fieldPath === '.mainClass');
    expect(rule).toMatchObject({ rule: "!(self.type in ['Java', 'Scala']) || has(self.mainClass)", reason: 'FieldValueRequired' });
  });

  test('keep dynamic allocation bounds in order: min <= initial <= max', () => {
    const rules = spec.properties!.dynamicAllocation['x-kubernetes-validations']!.map((r) => r.message);
    expect(rules).toEqual([
      'minExecutors must be <= maxExecutors',
      'initialExecutors must be >= minExecutors',
      'initialExecutors must be <= maxExecutors',
    ]);
  });

  test('the ScheduledSparkApplication template carries the same rules', () => {
    const template = scheduledSparkApplicationCrd().spec.versions[0].schema.openAPIV3Schema.properties!.spec.properties!.template;
    expect(template['x-kubernetes-validations']).toEqual(spec['x-kubernetes-validations']);
  });
});

describe('the embedded Kubernetes types stay light', () => {
  test('no embedded core type carries its full schema: a Volume keeps only name', () => {
    const volumes = sparkApplicationCrd().spec.versions[0].schema.openAPIV3Schema.properties!.spec.properties!.volumes;
    expect(volumes.items).toMatchObject({
      'type': 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      'required': ['name'],
      'properties': { name: { type: 'string' } },
    });
  });
});

describe('SparkConnect CRD', () => {
  const crd = sparkConnectCrd();
  const root = crd.spec.versions[0].schema.openAPIV3Schema;

  test('is served and stored as sparkoperator.k8s.io/v1alpha1 with the upstream names and columns', () => {
    expect(crd.metadata.name).toBe('sparkconnects.sparkoperator.k8s.io');
    expect(crd.spec.names).toEqual({ kind: 'SparkConnect', listKind: 'SparkConnectList', plural: 'sparkconnects', singular: 'sparkconnect', shortNames: ['sparkconn'] });
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
    expect(crd.spec.versions[0].subresources).toEqual({ status: {} });
    expect(crd.spec.versions[0].additionalPrinterColumns.map((c) => [c.name, c.jsonPath])).toEqual([
      ['Age', '.metadata.creationTimestamp'], ['Status', '.status.state'], ['PodName', '.status.server.podName'],
    ]);
  });

  test('requires what upstream requires, and lets the pod templates and the Service through', () => {
    const spec = root.properties!.spec;
    expect(spec.required).toEqual(['sparkVersion', 'server', 'executor']);
    expect(spec.properties!.server.properties!.template['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(spec.properties!.executor.properties!.template['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(spec.properties!.server.properties!.service['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(spec.properties!.executor.properties!.instances.minimum).toBe(0);
  });

  test('every field has a description, and the JSON is small (under 10,000 bytes)', () => {
    expect(undescribedFields(root.properties!.spec, 'spec')).toEqual([]);
    expect(undescribedFields(root.properties!.status, 'status')).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(crd))).toBeLessThan(10_000);
  });

  test.each([
    ['executor instances below 0', (d: any) => { d.spec.executor.instances = -1; }, 'spec.executor.instances: must be >= 0'],
    ['no server', (d: any) => { delete d.spec.server; }, 'spec.server: Required value'],
    ['server cores 0', (d: any) => { d.spec.server.cores = 0; }, 'spec.server.cores: must be >= 1'],
  ])('%s is rejected with the field named', (_what, change, message) => {
    // GIVEN upstream's example
    const [[, doc]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
    const bad = clone(doc);
    change(bad);
    // WHEN / THEN
    expect(crdValidationErrors(bad)).toContain(message);
  });
});
