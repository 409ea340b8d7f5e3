/**
 * The PodGroup CRDs of Volcano and scheduler-plugins, and upstream's batch-scheduler examples, as
 * test/e2e/batch-crds/build.sh takes them from their Go modules (cached; it prints the directory).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { Cluster } from './cluster';

const run = promisify(execFile);

const BUILD_SCRIPT = path.resolve(__dirname, '..', 'batch-crds', 'build.sh');

/** The directory build.sh made: `crds/` and `examples/`. */
export async function batchCrdsDir(): Promise<string> {
  const { stdout } = await run('bash', [BUILD_SCRIPT], { maxBuffer: 1_048_576, timeout: 30 * 60 * 1000 });
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(path.join(dir, 'complete'))) throw new Error(`build.sh printed '${dir}', which is not a complete build`);
  return dir;
}

/** Applies both PodGroup CRDs and waits until they are Established. */
export async function installPodGroupCrds(cluster: Cluster): Promise<void> {
  const dir = path.join(await batchCrdsDir(), 'crds');
  for (const file of fs.readdirSync(dir).sort()) {
    await cluster.kubectl(['apply', '--server-side', '-f', path.join(dir, file)]);
  }
  await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s',
    'crd/podgroups.scheduling.volcano.sh', 'crd/podgroups.scheduling.x-k8s.io']);
}

/** An example of upstream's (`spark-pi-volcano.yaml` ...), as an object. */
export async function upstreamExample(file: string): Promise<Record<string, any>> {
  return parse(fs.readFileSync(path.join(await batchCrdsDir(), 'examples', file), 'utf8'));
}
