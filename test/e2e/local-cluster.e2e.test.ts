// `npm run cluster` (local-cluster.ts) as a person runs it: it prints the KUBECONFIG line, kubectl with
// it sees the real node Ready, and Ctrl-C (SIGINT) removes everything it made. The program is spawned
// itself (ts-node, as the task runs it), not through npm, whose bundle step the suite has done already.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eCluster } from './harness/suite';
import { waitFor } from './harness/wait';

const REPO = path.join(__dirname, '..', '..');
const cluster = e2eCluster();

// A cold start builds nothing here that the real-node file has not (the same images, cached).
jest.setTimeout(600_000);

let child: ChildProcessWithoutNullStreams | undefined;
let output = '';

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
});

test('npm run cluster prints the KUBECONFIG line of a cluster with a real node, and Ctrl-C removes everything it made', async () => {
  // GIVEN the program, run as the `cluster` task runs it
  child = spawn(process.execPath, [path.join(REPO, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only',
    '--project', path.join(REPO, 'test', 'e2e', 'tsconfig.json'), path.join(REPO, 'test', 'e2e', 'local-cluster.ts')],
  { cwd: REPO, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  // WHEN it is up
  const kubeconfig = await waitFor('the KUBECONFIG line', async () => /^ {2}export KUBECONFIG=(\S+)$/m.exec(output)?.[1],
    { timeoutMs: 480_000, intervalMs: 500, abortIf: () => (child!.exitCode === null ? undefined : `it exited ${child!.exitCode}:\n${output}`) });
  const runDir = path.dirname(path.dirname(kubeconfig));
  // THEN kubectl with that file sees one node, the real one, Ready and untainted, and the operator image is loaded under its default name
  const nodes = JSON.parse(await cluster.kubectl(['get', 'nodes', '-o', 'json'], { kubeconfig })).items;
  expect(nodes.map((n: any) => ({
    ready: n.status.conditions.find((c: any) => c.type === 'Ready')?.status,
    runtime: n.status.nodeInfo.containerRuntimeVersion.split(':')[0],
    taints: n.spec.taints ?? [],
  }))).toEqual([{ ready: 'True', runtime: 'containerd', taints: [] }]);
  expect(output).toMatch(/^ {2}cdk8s-spark\/cdk8s-spark-operator:\S+$/m);
  const nodeId = /^\[cluster\] (real-node-([0-9a-f]{6})): /m.exec(output)!;
  // WHEN Ctrl-C
  child.kill('SIGINT');
  // THEN it exits 0 having removed the node and the control plane: no process, network namespace, cgroup or folder is left
  expect(await exited).toBe(0);
  expect(output).toMatch(/\[cluster\] done, nothing left\n$/);
  expect(fs.existsSync(runDir)).toBe(false);
  expect(fs.existsSync(`/var/run/netns/cdk8s-e2e-${nodeId[2]}`)).toBe(false);
  const cgroup = `cdk8s-spark-e2e-${nodeId[2]}`;
  const hierarchies = ['/sys/fs/cgroup', ...fs.readdirSync('/sys/fs/cgroup').map((d) => path.join('/sys/fs/cgroup', d))];
  expect(hierarchies.filter((h) => fs.existsSync(path.join(h, cgroup)))).toEqual([]);
  const left = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(runDir);
    } catch {
      return false;
    }
  });
  expect(left).toEqual([]);
});
