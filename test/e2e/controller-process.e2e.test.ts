import { spawnSync } from 'node:child_process';
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
    expect(bundle('operate')).toEqual({ code: 2, stdout: '', stderr: 'error: unknown sub-command "operate": use controller or webhook\n' });
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
