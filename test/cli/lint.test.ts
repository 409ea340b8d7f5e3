import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { parseDocument } from 'yaml';
import { buildExampleApp } from '../../examples/app';
import { formatFinding, lintText, offsetOfPath, pathSegments } from '../../src/cli/lint';

/** A valid SparkApplication as YAML, lines numbered from 1 as an editor shows them. */
const VALID = `apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: spark-pi
  namespace: jobs
spec:
  type: Scala
  mode: cluster
  image: apache/spark:3.5.1
  sparkVersion: 3.5.1
  mainClass: org.apache.spark.examples.SparkPi
  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar
  driver:
    cores: 1
    memory: 512m
  executor:
    instances: 2
    cores: 1
    memory: 1g
`;

describe('sparkctl lint', () => {
  test('a valid application has no findings', () => {
    // WHEN
    const result = lintText('app.yaml', VALID);

    // THEN
    expect(result).toEqual({ findings: [], checked: 1, skipped: 0 });
  });

  test('each problem is placed at the line and column of its field, all at once', () => {
    // GIVEN two mistakes
    const text = VALID.replace('instances: 2', 'instances: 0').replace('mainApplicationFile: local:///', 'mainApplicationFile: /');

    // WHEN
    const lines = lintText('app.yaml', text).findings.map(formatFinding);

    // THEN
    expect(lines).toEqual([
      "app.yaml:12:3: spec.mainApplicationFile: must be a URI with a scheme, such as local:///opt/spark/app.jar for a file in the image or s3a://bucket/app.py (got '/opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar')",
      'app.yaml:17:5: spec.executor.instances: must be an integer >= 1 (got 0)',
    ]);
  });

  test('an unknown field is refused at its own key, with the field meant, as the API server refuses it', () => {
    // GIVEN a typo
    const text = VALID.replace('mainApplicationFile:', 'mainApplicationfile:');

    // WHEN
    const lines = lintText('app.yaml', text).findings.map(formatFinding);

    // THEN only the schema's finding: the rules would also miss mainApplicationFile
    expect(lines).toEqual(['app.yaml:12:3: spec: has unknown field "mainApplicationfile" (did you mean "mainApplicationFile"?)']);
  });

  test('a field of the wrong type is refused at its key', () => {
    const lines = lintText('app.yaml', VALID.replace('instances: 2', 'instances: "2"')).findings.map(formatFinding);
    expect(lines).toEqual(["app.yaml:17:5: spec.executor.instances: must be an integer (got '2')"]);
  });

  test('an alias bomb is a finding, not a crash', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    expect(lintText('b.yaml', bomb).findings.map(formatFinding)).toEqual(['b.yaml:1:1: not accepted: its aliases expand too much (more than 100 per anchor), as in a "billion laughs" attack']);
  });

  test('a key twice in one mapping is a finding at the second one, as render reports it', () => {
    // GIVEN an application whose sparkConf has one key twice, among many
    const conf = Array.from({ length: 2000 }, (_, i) => `    spark.custom.key${i}: "v"`).join('\n');
    const text = `apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata:\n  name: pi\nspec:\n  sparkConf:\n${conf}\n    spark.custom.key7: "again"\n`;
    // WHEN linted THEN one finding, at the repeated key's line and column
    expect(lintText('d.yaml', text).findings.map(formatFinding)).toEqual(['d.yaml:2007:5: not valid YAML: the key "spark.custom.key7" appears twice in one mapping']);
  });

  test('a missing field is shown at its parent key', () => {
    // GIVEN a Scala application without mainClass
    const text = VALID.replace(/ {2}mainClass: .*\n/, '');

    // WHEN
    const [finding] = lintText('app.yaml', text).findings;

    // THEN the spec: line (6), with the field path of the missing field
    expect(finding).toMatchObject({ line: 6, column: 1, path: 'spec.mainClass' });
  });

  test('in a multi-document file only the Spark kinds are checked, each at its own lines', () => {
    // GIVEN a ConfigMap, then a broken application
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: b\n---\n${VALID.replace('cores: 1\n    memory: 512m', 'cores: 0\n    memory: 512m')}`;

    // WHEN
    const result = lintText('dist/jobs.k8s.yaml', text);

    // THEN
    expect(result.checked).toBe(1);
    expect(result.skipped).toBe(1);
    expect(result.findings.map(formatFinding)).toEqual(['dist/jobs.k8s.yaml:21:5: spec.driver.cores: must be an integer >= 1 (got 0)']);
  });

  test('YAML that does not parse is a finding with its position and no field path', () => {
    // WHEN
    const [finding] = lintText('bad.yaml', 'kind: SparkApplication\nspec: [\n').findings;

    // THEN
    expect(finding.path).toBe('');
    expect(formatFinding(finding)).toMatch(/^bad\.yaml:\d+:\d+: not valid YAML: /);
  });

  test('a ScheduledSparkApplication is checked with its template', () => {
    // GIVEN
    const template = VALID.split('spec:\n')[1].replace(/^/gm, '    ').replace('instances: 2', 'instances: 0');
    const text = `apiVersion: sparkoperator.k8s.io/v1beta2\nkind: ScheduledSparkApplication\nmetadata:\n  name: nightly\nspec:\n  schedule: "not a schedule"\n  template:\n${template}`;

    // WHEN
    const paths = lintText('nightly.yaml', text).findings.map((f) => `${f.line}:${f.column} ${f.path}`);

    // THEN
    expect(paths).toEqual(['6:3 spec.schedule', '18:9 spec.template.executor.instances']);
  });

  test('every Spark object the examples app synthesizes passes', () => {
    // GIVEN the example app written to files, as cdk8s synth writes dist/
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkctl-lint-'));
    try {
      const app = new App({ outdir });
      buildExampleApp(app);
      app.synth();

      // WHEN
      const results = fs.readdirSync(outdir).map((file) => lintText(file, fs.readFileSync(path.join(outdir, file), 'utf8')));

      // THEN
      expect(results.flatMap((r) => r.findings).map(formatFinding)).toEqual([]);
      expect(results.reduce((n, r) => n + r.checked, 0)).toBeGreaterThanOrEqual(9);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('field paths in the YAML source', () => {
  test('segments of a path: names, indexes, quoted keys', () => {
    expect(pathSegments('spec.driverIngressOptions[1].servicePort')).toEqual(['spec', 'driverIngressOptions', 1, 'servicePort']);
    expect(pathSegments("spec.sparkConf['spark.driver.memory']")).toEqual(['spec', 'sparkConf', 'spark.driver.memory']);
  });

  test('a key with dots (sparkConf) is matched whole, and list items by index', () => {
    // GIVEN
    const text = 'spec:\n  sparkConf:\n    spark.driver.memory: 1g\n  volumes:\n    - name: a\n    - name: b\n';
    const document = parseDocument(text);

    // THEN
    expect(offsetOfPath(document, 'spec.sparkConf.spark.driver.memory')).toBe(text.indexOf('spark.driver.memory'));
    expect(offsetOfPath(document, 'spec.volumes[1].name')).toBe(text.lastIndexOf('name'));
  });
});
