import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SPARK_PI } from './spark-pi-yaml';
import { applicationSubmissionId, parseRenderArgs, sparkApplicationId, submissionResourceId } from '../../../src/core';
import { render } from '../../../src/runtime/render/render';


const BAD = `
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: bad
  namespace: spark-jobs
spec:
  type: Scala
  mode: client
  sparkVersion: 3.5.1
  image: apache/spark:3.5.1
  mainClass: Main
  mainApplicationFile: local:///app.jar
  driver: {}
  executor:
    instances: 0
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-an-app
`;

// A file without metadata.uid: <namespace>/<name> stands in for it; the id is the one the controller gives.
const SPARK_PI_SPEC = parse(SPARK_PI).spec;
const SUBMISSION = applicationSubmissionId({ metadata: { namespace: 'spark-jobs', name: 'spark-pi' }, spec: SPARK_PI_SPEC }, 1);
const RESOURCE_ID = submissionResourceId(SUBMISSION);

function documentsOf(stdout: string): any[] {
  return parseAllDocuments(stdout).map((d) => (d as any).toJS());
}

describe('render (pure)', () => {
  test('prints the driver pod, ConfigMap and Service of each application, with upstream\'s defaults applied', () => {
    // WHEN
    const result = render({ fileName: 'app.yaml', text: SPARK_PI, attempt: 1, now: new Date(0) });

    // THEN
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const docs = documentsOf(result.stdout);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Pod/spark-pi-driver', `ConfigMap/spark-drv-${RESOURCE_ID}-conf-map`, `Service/spark-pi-${RESOURCE_ID}-driver-svc`,
    ]);
    // defaults: 1 core and 1g for the driver, as upstream's webhook sets them
    expect(docs[0].spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1408Mi' }, limits: { memory: '1408Mi' } });
    expect(docs[0].metadata.labels['sparkoperator.k8s.io/submission-id']).toBe(SUBMISSION);
    expect(docs[0].metadata.labels['spark-app-selector']).toBe(sparkApplicationId(SUBMISSION));
    expect(docs[1].data['spark.properties']).toContain('\n#Thu Jan 01 00:00:00 UTC 1970\n');
  });

  test('with a batch scheduler, its PodGroup first, as an operator that enables it creates it', () => {
    // WHEN
    const volcano = render({ fileName: 'a', text: SPARK_PI.replace('spec:\n', 'spec:\n  batchScheduler: volcano\n'), attempt: 1, now: new Date(0) });
    const kube = render({ fileName: 'a', text: SPARK_PI.replace('spec:\n', 'spec:\n  batchScheduler: my-coscheduler\n'), attempt: 1, now: new Date(0) });

    // THEN
    expect([volcano.exitCode, volcano.stderr]).toEqual([0, '']);
    expect(documentsOf(volcano.stdout).map((d) => `${d.apiVersion} ${d.kind}/${d.metadata.name}`).slice(0, 2)).toEqual([
      'scheduling.volcano.sh/v1beta1 PodGroup/spark-spark-pi-pg', 'v1 Pod/spark-pi-driver',
    ]);
    expect(documentsOf(kube.stdout).map((d) => `${d.apiVersion} ${d.kind}/${d.metadata.name}`)[0]).toBe('scheduling.x-k8s.io/v1alpha1 PodGroup/spark-pi-pg');
  });

  test('uses the file\'s metadata.uid for the submission id, as the controller does', () => {
    // WHEN
    const { stdout } = render({ fileName: 'a', text: SPARK_PI.replace('namespace: spark-jobs', 'namespace: spark-jobs\n  uid: 6c0ffee0'), attempt: 1, now: new Date(0) });

    // THEN
    expect(documentsOf(stdout)[0].metadata.labels['sparkoperator.k8s.io/submission-id']).toBe(applicationSubmissionId({ metadata: { uid: '6c0ffee0' }, spec: SPARK_PI_SPEC }, 1));
    expect(documentsOf(stdout)[0].metadata.ownerReferences).toEqual([
      { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'spark-pi', uid: '6c0ffee0', controller: true, blockOwnerDeletion: true },
    ]);
  });

  test('says which owner references are left out, as their owners do not exist yet', () => {
    // WHEN
    const { stdout } = render({ fileName: 'app.yaml', text: SPARK_PI, attempt: 1, now: new Date(0) });

    // THEN
    expect(stdout.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      `# submission ${SUBMISSION} of spark-jobs/spark-pi; ownerReferences: the SparkApplication (needs its metadata.uid)`,
      '# ownerReferences: the driver pod (added once it is created, with its uid)',
      '# ownerReferences: the driver pod (added once it is created, with its uid)',
    ]);
  });

  test('is reproducible, and another attempt is another submission', () => {
    // WHEN
    const first = render({ fileName: 'a', text: SPARK_PI, attempt: 1, now: new Date(0) });
    const again = render({ fileName: 'a', text: SPARK_PI, attempt: 1, now: new Date(0) });
    const second = render({ fileName: 'a', text: SPARK_PI, attempt: 2, now: new Date(0) });

    // THEN
    expect(again.stdout).toBe(first.stdout);
    expect(documentsOf(second.stdout)[0].metadata.labels['sparkoperator.k8s.io/submission-id']).toBe(applicationSubmissionId({ metadata: { namespace: 'spark-jobs', name: 'spark-pi' }, spec: SPARK_PI_SPEC }, 2));
  });

  test('reports every problem of every document with its field path, and prints nothing else', () => {
    // WHEN
    const result = render({ fileName: 'bad.yaml', text: BAD, attempt: 1, now: new Date(0) });

    // THEN
    expect(result).toEqual({
      stdout: '',
      stderr: [
        "bad.yaml: document 1 (SparkApplication spark-jobs/bad): 'spec.executor.instances' must be an integer >= 1 (got 0)",
        'bad.yaml: document 2: skipped: kind "ConfigMap" is not a SparkApplication, ScheduledSparkApplication or SparkConnect',
        '',
      ].join('\n'),
      exitCode: 1,
    });
  });

  test('reports a refusal of the native submission like a validation problem', () => {
    const result = render({ fileName: 'c.yaml', text: BAD.split('---')[0].replace('instances: 0', 'instances: 1'), attempt: 1, now: new Date(0) });
    expect(result.stderr).toBe("c.yaml: document 1 (SparkApplication spark-jobs/bad): 'spec.mode' 'client' is not supported: in client mode the driver runs inside the submitting process, and the operator does not run drivers in its own process; use cluster\n");
  });

  test('reports YAML it cannot read on one line, with line and column', () => {
    expect(render({ fileName: 'x.yaml', text: 'a: [1', attempt: 1, now: new Date(0) })).toEqual({
      stdout: '',
      stderr: 'x.yaml: document 1: not valid YAML: line 1, column 6: Flow sequence in block collection must be sufficiently indented and end with a ]\n',
      exitCode: 1,
    });
  });
});

describe('parseRenderArgs (src/core/contract)', () => {
  test('reads -f, --attempt, --now and --master', () => {
    expect(parseRenderArgs(['-f', 'a.yaml', '--attempt=3', '--now=2026-08-18T10:00:00Z', '--master=k8s://https://10.0.0.1:443'])).toEqual({
      command: 'render', options: { filename: 'a.yaml', attempt: 3, now: new Date('2026-08-18T10:00:00Z'), master: 'k8s://https://10.0.0.1:443' },
    });
    expect(parseRenderArgs(['--filename=a.yaml'])).toEqual({ command: 'render', options: { filename: 'a.yaml', attempt: 1, now: new Date(0) } });
  });

  test('refuses what it cannot read', () => {
    expect(parseRenderArgs(['--attempt=0', '--now=soon', '--what'])).toEqual({
      command: 'error',
      problems: [
        '--attempt must be an integer from 1 to 1000000 (got "0")',
        '--now must be an ISO 8601 time such as 2026-08-18T10:00:00Z (got "soon")',
        'unknown argument "--what" for \'render\' (see \'render --help\')',
      ],
    });
    expect(parseRenderArgs([])).toEqual({ command: 'error', problems: ['--filename=<file.yaml> (or -f <file.yaml>) is required'] });
  });

  test('--help lists the flags', () => {
    const parsed = parseRenderArgs(['--help']);
    expect(parsed.command === 'help' && parsed.text.split('\n').slice(0, 3)).toEqual(['Usage: render [flags]', '', 'Prints the objects the controller would create for the SparkApplications of a file: driver pod, ConfigMap and Service.']);
  });
});

describe('npm run --silent render -- -f <file>', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function run(text: string): { status: number | null; stdout: string; stderr: string; file: string } {
    const file = path.join(dir, `app-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, text);
    const result = spawnSync('npm', ['run', '--silent', 'render', '--', '-f', file], { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, file };
  }

  test('a good file: the objects as a YAML stream on stdout, nothing on stderr, exit 0', () => {
    // WHEN
    const result = run(SPARK_PI);

    // THEN
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe(render({ fileName: result.file, text: SPARK_PI, attempt: 1, now: new Date(0) }).stdout);
    expect(documentsOf(result.stdout).map((d) => d.kind)).toEqual(['Pod', 'ConfigMap', 'Service']);
  }, 30_000);

  test('a bad file: the problems on stderr, no stack trace, exit 1', () => {
    // WHEN
    const result = run(BAD);

    // THEN
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe([
      `${result.file}: document 1 (SparkApplication spark-jobs/bad): 'spec.executor.instances' must be an integer >= 1 (got 0)`,
      `${result.file}: document 2: skipped: kind "ConfigMap" is not a SparkApplication, ScheduledSparkApplication or SparkConnect`,
      '',
    ].join('\n'));
  }, 30_000);

  test('a file that cannot be read: one line on stderr, exit 1', () => {
    // WHEN
    const missing = path.join(dir, 'missing.yaml');
    const result = spawnSync('npm', ['run', '--silent', 'render', '--', '-f', missing], { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' });

    // THEN
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', `${missing}: cannot be read (ENOENT)\n`]);
  }, 30_000);

  test('bad usage: one line per problem, exit 2, as the bundle\'s render sub-command', () => {
    // WHEN
    const result = spawnSync('npm', ['run', '--silent', 'render', '--', '--bogus'], { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' });

    // THEN
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', 'error: unknown argument "--bogus" for \'render\' (see \'render --help\')\n']);
  }, 30_000);
});

describe('render of a SparkConnect', () => {
  const example = () => fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'valid', 'spark-connect.yaml'), 'utf8');

  test('upstream\'s example renders the ConfigMap, server pod and Service the controller creates, the owner references said to be missing', () => {
    // WHEN
    const result = render({ fileName: 'connect.yaml', text: example(), attempt: 1, now: new Date(0), master: 'k8s://https://10.96.0.1:443' });
    // THEN
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const docs = documentsOf(result.stdout);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/spark-connect-conf', 'Pod/spark-connect-server', 'Service/spark-connect-server']);
    expect(docs.every((d) => d.metadata.ownerReferences === undefined)).toBe(true);
    expect(result.stdout.split('\n')[0]).toBe('# ownerReferences: the SparkConnect default/spark-connect (needs its metadata.uid)');
    expect(docs[1].spec.containers[0].args[0]).toMatch(/^\$\{SPARK_HOME\}\/sbin\/start-connect-server.sh --master k8s:\/\/https:\/\/10.96.0.1:443 --conf spark.kubernetes.namespace=default /);
  });

  test('an invalid SparkConnect is refused with the field path', () => {
    // WHEN
    const result = render({ fileName: 'connect.yaml', text: example().replace('sparkVersion: 4.0.4', 'sparkVersion: four'), attempt: 1, now: new Date(0) });
    // THEN
    expect(result).toEqual({
      exitCode: 1, stdout: '', stderr: "connect.yaml: document 1 (SparkConnect default/spark-connect): 'spec.sparkVersion' must be a Spark version such as '4.0.1' (got 'four')\n",
    });
  });
});
