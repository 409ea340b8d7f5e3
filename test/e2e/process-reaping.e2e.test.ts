// The controllers a test starts (harness/operator.ts) go with the test runner however it ends, as
// the control plane's processes do (harness/reaper.ts): an interrupted jest (Ctrl-C, SIGINT) or one
// killed without a word (SIGKILL, its watchdog's case) leaves no `cdk8s-spark-operator.js` running.
// The runner here is a small program (reaped-controller.ts) that starts one controller and waits.
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from './harness/wait';

const REPO = path.join(__dirname, '..', '..');

/** Whether `pid` runs (an exited process its parent has not reaped yet is a zombie, state Z). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** A runner (reaped-controller.ts) and its controller. */
interface Runner {
  readonly runner: ChildProcessWithoutNullStreams;
  /** The signal it was ended by, else its exit code. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  /** The pid of its controller (also its process group). */
  readonly controller: number;
}

/** Starts a runner; resolves once its controller leads. */
async function startRunner(): Promise<Runner> {
  const runner = spawn(process.execPath, [path.join(REPO, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only',
    '--project', path.join(REPO, 'test', 'e2e', 'tsconfig.json'), path.join(REPO, 'test', 'e2e', 'reaped-controller.ts')],
  { cwd: REPO, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  runners.push(runner);
  let output = '';
  runner.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  runner.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => runner.once('exit', (code, signal) => resolve(signal ?? code)));
  const controller = await waitFor('the runner\'s controller', async () => Number(/^controller (\d+)$/m.exec(output)?.[1]) || undefined,
    { timeoutMs: 90_000, intervalMs: 200, abortIf: () => (runner.exitCode === null ? undefined : `the runner exited ${runner.exitCode}:\n${output}`) });
  return { runner, exited, controller };
}

const runners: ChildProcessWithoutNullStreams[] = [];
const controllers: number[] = [];

afterAll(() => {
  for (const runner of runners) runner.kill('SIGKILL');
  // Whatever a failed test left behind.
  for (const pid of controllers) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

test('an interrupted runner (SIGINT) takes its controller along at once', async () => {
  // GIVEN a runner with a running controller
  const { runner, exited, controller } = await startRunner();
  controllers.push(controller);
  expect(alive(controller)).toBe(true);
  // WHEN it gets Ctrl-C
  runner.kill('SIGINT');
  // THEN it ends by that signal, and its controller is gone within a second of it
  expect(await exited).toBe('SIGINT');
  await waitFor('the controller to be gone', () => !alive(controller) || undefined, { timeoutMs: 1_000, intervalMs: 50 });
}, 120_000);

test('a runner killed without a word (SIGKILL) has its controller stopped by the watchdog', async () => {
  // GIVEN a runner with a running controller
  const { runner, exited, controller } = await startRunner();
  controllers.push(controller);
  // WHEN it is killed, so that none of its handlers runs
  runner.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // THEN the watchdog notices within a second and stops the controller (SIGTERM, SIGKILL after 5 s)
  await waitFor('the controller to be gone', () => !alive(controller) || undefined, { timeoutMs: 10_000, intervalMs: 100 });
}, 120_000);
