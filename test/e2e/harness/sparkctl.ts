/**
 * sparkctl as users run it: the bundle the package ships (`bin/sparkctl.js`, written by
 * `npx projen bundle:cli`), as a process with a kubeconfig of the test's choosing.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import { waitFor } from './wait';

/** The bundle `npx projen bundle:cli` writes: the package's `bin`. */
export const SPARKCTL = path.resolve(__dirname, '..', '..', '..', 'bin', 'sparkctl.js');

/** How one sparkctl ended. */
export interface SparkctlResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where sparkctl runs: its `KUBECONFIG`, and a `HOME` of its own. */
export interface SparkctlEnvironment {
  readonly kubeconfig: string;
  readonly home: string;
}

/** Runs sparkctl with `args` to its end, `input` on its standard input. */
export function runSparkctl(env: SparkctlEnvironment, args: string[], input = ''): Promise<SparkctlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SPARKCTL, ...args], {
      env: { PATH: process.env.PATH ?? '', KUBECONFIG: env.kubeconfig, HOME: env.home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A sparkctl that keeps running (`--watch`, `--follow`, `forward`): its output so far, and Ctrl-C. */
export class RunningSparkctl {
  public stdout = '';
  public stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly terminal: boolean) {
    child.stdout.on('data', (d) => (this.stdout += d));
    child.stderr.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  /** Waits until stdout matches `pattern`; returns the match. */
  public async output(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    return waitFor(`sparkctl's output to match ${pattern}`, async () => pattern.exec(this.stdout) ?? undefined,
      { timeoutMs, intervalMs: 100, abortIf: () => (this.child.exitCode !== null ? `sparkctl exited ${this.child.exitCode}: ${this.stderr}` : undefined) });
  }

  /** Ctrl-C (SIGINT, or the key in a terminal), then the exit code; SIGKILL after 10 s so that no process is left behind. */
  public async interrupt(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    if (this.terminal) this.child.stdin.write('\u0003');
    else this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Starts sparkctl with `args`, stdout and stderr piped, or with `terminal` in a pseudo-terminal of
 * util-linux `script` (its output then has the terminal's CRLF line ends). Interrupt it when done.
 */
export function startSparkctl(env: SparkctlEnvironment, args: string[], options: { terminal?: boolean } = {}): RunningSparkctl {
  const processEnv = { PATH: process.env.PATH ?? '', KUBECONFIG: env.kubeconfig, HOME: env.home, TERM: 'xterm' };
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const child = options.terminal
    // `exec`: no shell stays between script and sparkctl to take the Ctrl-C itself.
    ? spawn('script', ['--quiet', '--return', '--command', `exec ${[process.execPath, SPARKCTL, ...args].map(quote).join(' ')}`, '/dev/null'],
      { env: processEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, [SPARKCTL, ...args], { env: processEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  return new RunningSparkctl(child, options.terminal === true);
}
