import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { SparkApplication } from '../../../src/api';
import { applyDefaults } from '../../../src/core';
import { render } from '../../../src/runtime/render/render';
import { buildSubmission } from '../../../src/runtime/submission';

const SPARK_PI = {
  apiVersion: 'sparkoperator.k8s.io/v1beta2',
  kind: 'SparkApplication',
  metadata: { name: 'spark-pi', namespace: 'spark-jobs' },
  spec: {
    type: 'Scala',
    sparkVersion: '3.5.1',
    image: 'apache/spark:3.5.1',
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
    arguments: ['10'],
    sparkConf: { 'spark.ui.enabled': 'false' },
    deps: { jars: ['local:///opt/a.jar'] },
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    driver: {
      serviceAccount: 'spark',
      env: [{ name: 'A', value: 'b' }],
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
      labels: { team: 'x' },
    },
    executor: { instances: 2, cores: 1, memory: '1g' },
    restartPolicy: { type: 'OnFailure', onFailureRetries: 1 },
  },
};

/** Every path to a value of `object` (the object itself excluded). */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

const PATHS = pathsOf(SPARK_PI);

function valueAt(path: Array<string | number>): unknown {
  return path.reduce((value: any, key) => value[key], SPARK_PI);
}

const OBJECT_PATHS = PATHS.filter((path) => { const v = valueAt(path); return typeof v === 'object' && v !== null && !Array.isArray(v); });

function withValue(path: Array<string | number>, value: unknown): any {
  const copy = structuredClone(SPARK_PI) as any;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key];
  const last = path[path.length - 1];
  // Removed: JSON has no undefined, and an array has no holes.
  if (value === undefined && Array.isArray(target)) target.splice(last as number, 1);
  else if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

/** The valid application with one field replaced by any JSON value (or removed, or a field added). */
const mutated = fc.oneof(
  fc.tuple(fc.constantFrom(...PATHS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), fc.constant(null)))
    .map(([path, value]) => withValue(path, value)),
  fc.tuple(fc.constantFrom(...OBJECT_PATHS), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }))
    .map(([path, key, value]) => withValue([...path, key], value)),
);

function check(text: string, fileName = 'f.yaml'): void {
  const started = Date.now();
  const result = render({ fileName, text, attempt: 1, now: new Date(0) });
  expect(Date.now() - started).toBeLessThan(2_000);
  const lines = result.stderr === '' ? [] : result.stderr.replace(/\n$/, '').split('\n');
  // Every message is one line about one document of the file.
  for (const line of lines) expect(line).toMatch(/^f\.yaml: document \d+(:| \()/);
  if (result.exitCode !== 0) {
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines.length).toBeGreaterThan(0);
  }
}

describe('render (fuzz)', () => {
  test('a valid application with one field changed, as YAML and as JSON: never throws, one line per problem', () => {
    fc.assert(fc.property(mutated, (object) => {
      check(stringify(object));
      check(JSON.stringify(object));
    }), { numRuns: 300 });
  });

  test('any JSON under kind SparkApplication or ScheduledSparkApplication', () => {
    fc.assert(fc.property(
      fc.constantFrom('SparkApplication', 'ScheduledSparkApplication'),
      fc.dictionary(fc.constantFrom('metadata', 'spec', 'status', 'apiVersion', 'other'), fc.jsonValue({ maxDepth: 3 })),
      (kind, rest) => check(stringify({ ...rest, kind })),
    ), { numRuns: 300 });
  });

  test('any text: never throws, bad input is one line per problem and exit 1', () => {
    const yamlish = fc.array(fc.constantFrom('a:', ' b', '- ', '&x ', '*x', '[', ']', '{', '}', '---\n', '\n', '"', "'", ': ', '? ', '!!str ', 'kind: SparkApplication\n', '#', '\t', '|', '>'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), yamlish), (text) => check(text)), { numRuns: 500 });
  });

  test('the shared rules keep the submission from throwing on what the CRD schema would refuse (controller path)', () => {
    // The controller may read objects a light CRD schema let through: validation must catch them.
    fc.assert(fc.property(mutated, (object) => {
      const app = object as SparkApplication;
      const spec = typeof app.spec === 'object' && app.spec !== null && !Array.isArray(app.spec) ? applyDefaults(app.spec) : app.spec;
      expect(() => buildSubmission({ ...app, spec }, { submissionId: '00000000-0000-0000-0000-000000000001', now: new Date(0) })).not.toThrow();
    }), { numRuns: 300 });
  });
});
