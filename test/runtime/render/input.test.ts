import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { SPARK_PI } from './spark-pi-yaml';
import { closestName, structuralProblems } from '../../../src/crds/structural-check';
import { MAX_INPUT_BYTES } from '../../../src/manifests/yaml-documents';
import { renderCommand } from '../../../src/runtime/render/command';
import { render } from '../../../src/runtime/render/render';


const NIGHTLY = `apiVersion: sparkoperator.k8s.io/v1beta2
kind: ScheduledSparkApplication
metadata:
  name: nightly
  namespace: jobs
spec:
  schedule: "0 2 * * *"
  timeZone: Europe/Berlin
  template:
    type: Python
    sparkVersion: 3.5.1
    image: apache/spark:3.5.1
    mainApplicationFile: local:///app.py
`;

const HEAD = 'a.yaml: document 1 (SparkApplication spark-jobs/spark-pi)';

function renderText(text: string) {
  return render({ fileName: 'a.yaml', text, attempt: 1, now: new Date(0) });
}

function objectsOf(stdout: string): any[] {
  return parseAllDocuments(stdout).map((d) => (d as any).toJS());
}

describe('render refuses wrong types with the field path', () => {
  test.each([
    ['driver: 5', SPARK_PI.replace('  driver:\n    serviceAccount: spark\n', '  driver: 5\n'), "'spec.driver' must be an object (got 5)"],
    ['arguments as a string', SPARK_PI.replace('  executor:', '  arguments: "str"\n  executor:'), "'spec.arguments' must be a list (got 'str')"],
    ['deps.jars as a string', SPARK_PI.replace('  executor:', '  deps:\n    jars: a.jar\n  executor:'), "'spec.deps.jars' must be a list (got 'a.jar')"],
    ['a null env entry', SPARK_PI.replace('serviceAccount: spark', 'serviceAccount: spark\n    env: [null]'), "'spec.driver.env[0]' must be an object (got null)"],
    ['a null claim', SPARK_PI.replace('  executor:', '  volumes:\n  - name: v\n    persistentVolumeClaim: null\n  executor:'), "'spec.volumes[0].persistentVolumeClaim' must be an object (got null)"],
    ['cores as a string', SPARK_PI.replace('instances: 2', 'instances: "2"'), "'spec.executor.instances' must be an integer (got '2')"],
  ])('%s', (_, text, problem) => {
    // WHEN
    const result = renderText(text);

    // THEN
    expect(result).toEqual({ stdout: '', stderr: `${HEAD}: ${problem}\n`, exitCode: 1 });
  });
});

describe('render refuses unknown fields as the API server\'s strict decoding does', () => {
  test('a typo: the field meant is suggested', () => {
    expect(renderText(SPARK_PI.replace('mainApplicationFile', 'mainApplicationfile'))).toEqual({
      stdout: '',
      stderr: `${HEAD}: 'spec' has unknown field "mainApplicationfile" (did you mean "mainApplicationFile"?)\n`,
      exitCode: 1,
    });
  });

  test('a field indented at the wrong level: where it belongs is suggested', () => {
    // GIVEN driver at the top level instead of under spec
    const text = SPARK_PI.replace('  driver:\n    serviceAccount: spark\n  executor:\n    instances: 2\n', 'driver:\n  serviceAccount: spark\n');

    // THEN
    expect(renderText(text).stderr).toBe(`${HEAD}: the object has unknown field "driver" (did you mean "spec.driver"? it may be indented at the wrong level)\n`);
  });

  test('unknown fields of metadata and of nested objects', () => {
    const text = SPARK_PI.replace('  namespace: spark-jobs', '  namespace: spark-jobs\n  lables: {}').replace('instances: 2', 'instances: 2\n    memroy: 1g\n    nonsense: 1');
    expect(renderText(text).stderr).toBe([
      `${HEAD}: 'metadata' has unknown field "lables" (did you mean "labels"?)`,
      `${HEAD}: 'spec.executor' has unknown field "memroy" (did you mean "memory"?)`,
      `${HEAD}: 'spec.executor' has unknown field "nonsense"`,
      '',
    ].join('\n'));
  });

  test('fields of embedded Kubernetes types the CRD passes through are left to the API server', () => {
    const text = SPARK_PI.replace('serviceAccount: spark', 'serviceAccount: spark\n    env: [{ name: A, value: b, anything: 1 }]');
    expect(renderText(text).exitCode).toBe(0);
  });

  test('closestName: case, swapped letters and small typos; nothing for a name far from any', () => {
    expect(closestName('mainapplicationfile', ['mainApplicationFile', 'mainClass'])).toBe('mainApplicationFile');
    expect(closestName('lables', ['labels', 'annotations'])).toBe('labels');
    expect(closestName('sparkConff', ['sparkConf', 'hadoopConf'])).toBe('sparkConf');
    expect(closestName('xyz', ['labels'])).toBeUndefined();
  });

  test('structuralProblems has nothing to say about other kinds', () => {
    expect(structuralProblems({ kind: 'ConfigMap', data: { a: 1 } })).toEqual([]);
  });
});

describe('render with other kinds and ScheduledSparkApplications', () => {
  test('renders the Spark documents and says on stderr which documents it skipped', () => {
    // GIVEN
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: templates}\n---\n${SPARK_PI}`;

    // WHEN
    const result = renderText(text);

    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('a.yaml: document 1: skipped: kind "ConfigMap" is not a SparkApplication, ScheduledSparkApplication or SparkConnect\n');
    expect(objectsOf(result.stdout).map((o) => o.kind)).toEqual(['Pod', 'ConfigMap', 'Service']);
  });

  test('a ScheduledSparkApplication renders its next run after --now and what that run creates', () => {
    // WHEN
    const result = render({ fileName: 'n.yaml', text: NIGHTLY, attempt: 1, now: new Date('2026-08-18T10:00:00Z') });

    // THEN 02:00 in Berlin (summer time) is 00:00Z of the next day; the run is named by the shared rule
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const [run, pod, configMap, service] = objectsOf(result.stdout);
    expect(run.kind).toBe('SparkApplication');
    expect(run.metadata).toEqual({
      name: `nightly-${Date.parse('2026-08-19T00:00:00Z')}000000`,
      namespace: 'jobs',
      labels: { 'sparkoperator.k8s.io/scheduled-app-name': 'nightly' },
    });
    expect(run.spec.mainApplicationFile).toBe('local:///app.py');
    expect(pod.metadata.name).toBe(`${run.metadata.name}-driver`);
    expect([configMap.kind, service.kind]).toEqual(['ConfigMap', 'Service']);
  });

  test('a suspended ScheduledSparkApplication still renders its next run, and says it is suspended', () => {
    const result = render({ fileName: 'n.yaml', text: NIGHTLY.replace('  schedule:', '  suspend: true\n  schedule:'), attempt: 1, now: new Date(0) });
    expect([result.exitCode, result.stderr]).toEqual([0, 'n.yaml: document 1 (ScheduledSparkApplication jobs/nightly): suspended (spec.suspend): the scheduled controller starts no run until it is resumed; rendered is the run it would start next\n']);
  });

  test('an invalid template is reported with the template\'s paths', () => {
    const result = render({ fileName: 'n.yaml', text: NIGHTLY.replace('type: Python', 'type: Java'), attempt: 1, now: new Date(0) });
    expect(result.stderr).toBe("n.yaml: document 1 (ScheduledSparkApplication jobs/nightly): 'spec.template.mainClass' is required for Java applications; for a non-JVM application set {spec.template.type} to Python or R\n".replace('{spec.template.type}', "'spec.template.type'"));
  });
});

describe('render reads YAML safely', () => {
  test('an alias bomb is refused clearly', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    expect(renderText(bomb)).toEqual({
      stdout: '',
      stderr: 'a.yaml: document 1: not accepted: its aliases expand too much (more than 100 per anchor), as in a "billion laughs" attack\n',
      exitCode: 1,
    });
  });

  test('a duplicate key is refused with its line and column', () => {
    expect(renderText(SPARK_PI.replace('  executor:', '  image: other\n  executor:')).stderr).toBe(
      'a.yaml: document 1: not valid YAML: line 14, column 3: the key "image" appears twice in one mapping\n',
    );
  });

  test('10,000 sparkConf keys are checked for duplicates in linear time', () => {
    // GIVEN
    const keys = Array.from({ length: 10_000 }, (_, i) => `    spark.custom.key${i}: v`).join('\n');
    const text = SPARK_PI.replace('  driver:', `  sparkConf:\n${keys}\n  driver:`);

    // WHEN
    const started = Date.now();
    const result = renderText(text);

    // THEN
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('more than 10,000 documents in one file are refused', () => {
    expect(renderText('---\n'.repeat(10_001))).toEqual({
      stdout: '', stderr: 'a.yaml: has more than 10000 documents, the most render reads from one file\n', exitCode: 1,
    });
  });

  test('nesting the YAML reader cannot follow is one line with where it is', () => {
    const result = renderText(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^a\.yaml: document 1: not valid YAML: line 1, column \d+: nested too deeply to read\n$/);
  });

  test('an object nested deeper than 64 levels is refused before it is built', () => {
    // GIVEN a pod template 70 levels deep (the builders and the YAML writer recurse)
    const nest = `${'{a: '.repeat(70)}1${'}'.repeat(70)}`;
    const result = renderText(SPARK_PI.replace('serviceAccount: spark', `serviceAccount: spark\n    template: {spec: ${nest}}`));

    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`a.yaml: document 1: not accepted: nested more than 64 levels deep (at spec.driver.template.spec${'.a'.repeat(60)}), deeper than any Kubernetes object needs\n`);
  });

  test('a document that is not a mapping is one problem', () => {
    expect(renderText('- a\n- b\n')).toEqual({ stdout: '', stderr: 'a.yaml: document 1: must be a Kubernetes object (a mapping with apiVersion and kind), got ["a","b"]\n', exitCode: 1 });
  });
});

describe('renderCommand: input and exit codes', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-input-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('bad usage exits 2 with one line per problem', async () => {
    expect(await renderCommand(['--bogus', '-f', 'a.yaml'])).toEqual({
      stdout: '', stderr: 'error: unknown argument "--bogus" for \'render\' (see \'render --help\')\n', exitCode: 2,
    });
    expect(await renderCommand([])).toEqual({ stdout: '', stderr: 'error: --filename=<file.yaml> (or -f <file.yaml>) is required\n', exitCode: 2 });
  });

  test('--help exits 0', async () => {
    const result = await renderCommand(['--help']);
    expect([result.exitCode, result.stdout.split('\n')[0]]).toEqual([0, 'Usage: render [flags]']);
  });

  test('a file that cannot be read exits 1', async () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(await renderCommand(['-f', missing])).toEqual({ stdout: '', stderr: `${missing}: cannot be read (ENOENT)\n`, exitCode: 1 });
  });

  test('a directory: every *.yaml and *.yml in it, sorted by name', async () => {
    // GIVEN
    const apps = path.join(dir, 'apps');
    fs.mkdirSync(apps);
    fs.writeFileSync(path.join(apps, 'b.yml'), SPARK_PI.replace('name: spark-pi', 'name: second'));
    fs.writeFileSync(path.join(apps, 'a.yaml'), SPARK_PI.replace('name: spark-pi', 'name: first'));
    fs.writeFileSync(path.join(apps, 'notes.txt'), 'not yaml: [');

    // WHEN
    const result = await renderCommand(['-f', apps]);

    // THEN
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(objectsOf(result.stdout).filter((o) => o.kind === 'Pod').map((o) => o.metadata.name)).toEqual(['first-driver', 'second-driver']);
  });

  test('a directory without YAML files exits 1', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    expect(await renderCommand(['-f', empty])).toEqual({ stdout: '', stderr: `${empty}: is a directory without *.yaml or *.yml files\n`, exitCode: 1 });
  });

  test('stdin is read with -f -', async () => {
    const result = await renderCommand(['-f', '-'], () => Readable.from([Buffer.from(SPARK_PI)]));
    expect([result.exitCode, result.stdout]).toEqual([0, renderText(SPARK_PI).stdout]);
  });

  test('input over the limit is refused without reading it all', async () => {
    // GIVEN an endless stream
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024 * 1024;
        this.push(Buffer.alloc(1024 * 1024, 'a'));
      },
    });

    // WHEN
    const result = await renderCommand(['-f', '-'], () => endless);

    // THEN
    expect(result).toEqual({ stdout: '', stderr: '-: is larger than 10 MiB, the most render reads\n', exitCode: 1 });
    expect(produced).toBeLessThanOrEqual(MAX_INPUT_BYTES + 2 * 1024 * 1024);
  });

  test('a directory over the limit in all is refused, naming the file that crosses it', async () => {
    // GIVEN two files of 6 MiB each
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    for (const name of ['a.yaml', 'b.yaml']) fs.writeFileSync(path.join(big, name), `# ${'x'.repeat(6 * 1024 * 1024)}\n`);

    // THEN
    expect(await renderCommand(['-f', big])).toEqual({
      stdout: '', stderr: `${big}: holds more than 10 MiB of YAML in all (${path.join(big, 'b.yaml')} crosses it), the most render reads\n`, exitCode: 1,
    });
  });

  test('-f /dev/zero is refused at the limit', async () => {
    expect(await renderCommand(['-f', '/dev/zero'])).toEqual({ stdout: '', stderr: '/dev/zero: is larger than 10 MiB, the most render reads\n', exitCode: 1 });
  });
});
