import { spawn } from 'node:child_process';

/** How to run one kubectl command. */
export interface KubectlRunOptions {
  readonly kubectl: string;
  readonly kubeconfig: string;
  /** Written to stdin (for `-f -`). */
  readonly input?: string;
  /** @default 120_000 */
  readonly timeoutMs?: number;
  /** Extra environment (HOME decides where kubectl caches discovery). */
  readonly env?: NodeJS.ProcessEnv;
}

/** A kubectl command that exited non-zero; `stderr` holds the server's message. */
export class KubectlError extends Error {
  public constructor(
    public readonly args: readonly string[],
    public readonly exitCode: number | null,
    public readonly stdout: string,
    public readonly stderr: string,
  ) {
    super(`kubectl ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || stdout.trim()}`);
    this.name = 'KubectlError';
  }
}

/** Runs kubectl with an explicit kubeconfig and returns its stdout; throws {@link KubectlError}. */
export function runKubectl(args: readonly string[], options: KubectlRunOptions): Promise<string> {
  const fullArgs = ['--kubeconfig', options.kubeconfig, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(options.kubectl, fullArgs, {
      env: { ...process.env, KUBECONFIG: undefined, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) {
        resolve(stdout);
      } else {
        reject(new KubectlError(args, code, stdout, stderr));
      }
    });
    child.stdin.on('error', () => undefined); // kubectl may exit before reading all input
    child.stdin.end(options.input ?? '');
  });
}
