import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { RUNTIME_BUNDLE, RunningOperator, startController } from './harness/operator';
import { uniqueName } from './harness/suite';

const cluster = new Cluster(readConnection());

/** Runs the bundle with `args` and no cluster. */
function bundle(...args: string[]) {
  const result = spawnSync(process.execPath, [RUNTIME_BUNDLE, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the runtime bundle as a process', () => {
  test('--help on the bundle and on each sub-command', () => {
    expect(bundle('--help')).toMatchObject({ code: 0, stderr: '' });
    expect(bundle('--help').stdout).toContain('controller  Runs the SparkApplication and ScheduledSparkApplication controllers.');
    const help = bundle('controller', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: controller \[flags\]/);
    expect(help.stdout).toMatch(/\n {2}--leader-election-lock-namespace=<ns> +the namespace of that Lease \(default: the operator namespace\)\n/);
    expect(bundle('webhook', '--help').stdout).toMatch(/^Usage: webhook \[flags\]/);
  });

  test('bad arguments: every problem on stderr, exit code 2, no stack trace', () => {
    expect(bundle('controller', '--workers=0', '--colour')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --workers must be an integer from 1 to 1000 (got "0")\nerror: unknown argument "--colour" for \'controller\' (see \'controller --help\')\n',
    });
    expect(bundle('operate')).toEqual({ code: 2, stdout: '', stderr: 'error: unknown sub-command "operate": use controller, webhook or render\n' });
  });
});

describe('render, a sub-command of the bundle', () => {
  test('prints the driver pod, ConfigMap and Service of a file; a bad file gets field paths and exit code 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(good, [
      'apiVersion: sparkoperator.k8s.io/v1beta2', 'kind: SparkApplication', 'metadata: {name: spark-pi, namespace: jobs}',
      'spec: {type: Scala, sparkVersion: 3.5.1, image: "apache/spark:3.5.1", mainClass: org.apache.spark.examples.SparkPi,',
      '  mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar", driver: {}, executor: {}}', '',
    ].join('\n'));
    const rendered = bundle('render', '-f', good);
    expect(rendered.code).toBe(0);
    expect(rendered.stderr).toBe('');
    expect(parseAllDocuments(rendered.stdout).map((d) => (d.toJS() as any).kind)).toEqual(['Pod', 'ConfigMap', 'Service']);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(good, 'utf8').replace('local:///opt', '/opt'));
    const refused = bundle('render', '-f', bad);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain("'spec.mainApplicationFile' must be a URI with a scheme");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('the controller with the RBAC and arguments SparkOperator synthesizes', () => {
  const jobNamespaces = [uniqueName('jobs-a'), uniqueName('jobs-b')];
  let operator: RunningOperator;

  beforeAll(async () => {
    for (const namespace of jobNamespaces) await cluster.createNamespace(namespace);
    operator = await startController(cluster, { jobNamespaces, namespace: uniqueName('spark-operator') });
  });

  afterAll(async () => {
    await operator?.stop();
  });

  test('runs the Deployment\'s own arguments, lists and watches every job namespace, and is refused nothing', async () => {
    expect(operator.args.slice(0, 2)).toEqual(['controller', `--namespaces=${jobNamespaces.join(',')}`]);
    const lines = operator.logLines();
    expect(lines.find((l) => l.msg === 'caches synced')).toMatchObject({ level: 'info', namespaces: jobNamespaces, applications: 0, pods: 0 });
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  test('stops on SIGTERM with exit code 0', async () => {
    await operator.stop();
    expect(await operator.process.exited).toMatchObject({ code: 0 });
  });
});
