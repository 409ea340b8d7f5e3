/**
 * The ceiling as a process of its own (bundled by `npm run bench` with esbuild, run by plain node as
 * our controller's bundle is): reads stored SparkApplications as JSON lines on stdin and submits
 * each with {@link submitLikeOurs}, `--workers` at a time (our controller's default, 10), with the
 * credentials of `$KUBECONFIG`. Exits 0 once stdin has ended and every application is done; writes
 * one JSON line per failure on stderr.
 */
import * as readline from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { submitLikeOurs } from './submit';
import { RestClient } from '../../src/kube/rest';

async function main(): Promise<number> {
  const workersArg = process.argv.find((a) => a.startsWith('--workers='));
  const workers = workersArg ? Number(workersArg.split('=')[1]) : 10;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const rest = RestClient.fromKubeConfig(kubeConfig);
  const queue: any[] = [];
  let ended = false;
  // Workers waiting for work: a new line wakes one, the end of stdin wakes all.
  const waiting: Array<() => void> = [];
  let failures = 0;
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    queue.push(JSON.parse(line));
    waiting.shift()?.();
  });
  lines.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w();
  });
  const worker = async () => {
    for (;;) {
      const app = queue.shift();
      if (!app) {
        if (ended) return;
        await new Promise<void>((r) => waiting.push(r));
        continue;
      }
      try {
        await submitLikeOurs(rest, app);
      } catch (error) {
        failures++;
        process.stderr.write(`${JSON.stringify({ name: app.metadata?.name, error: String(error) })}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return failures > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
