// A test runner in miniature for test/e2e/process-reaping.e2e.test.ts: starts one controller on the
// e2e cluster as a test does (harness/operator.ts), prints `controller <pid>`, and waits to be
// interrupted or killed.
import { startController } from './harness/operator';
import { e2eCluster, uniqueName } from './harness/suite';

async function main(): Promise<void> {
  const cluster = e2eCluster();
  const namespace = uniqueName('reaped-jobs');
  await cluster.createNamespace(namespace);
  const running = await startController(cluster, { jobNamespaces: [namespace], namespace: uniqueName('reaped-operator') });
  process.stdout.write(`controller ${running.process.pid}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
