/**
 * Starts the ceiling process (bench/ceiling/main.ts, bundled) and feeds it stored applications.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The bundle `npm run bench` writes before it starts. */
export const CEILING_BUNDLE = path.resolve(__dirname, '..', '..', 'build', 'bench', 'ceiling.js');

/** A running ceiling process. */
export class CeilingProcess {
  /** Starts it with the credentials of `kubeconfig`, `workers` submissions at a time; its stderr goes to `logFile`. */
  public static start(kubeconfig: string, workers: number, logFile: string): CeilingProcess {
    if (!fs.existsSync(CEILING_BUNDLE)) throw new Error(`${CEILING_BUNDLE} is missing: run the bench through 'npm run bench'`);
    const fd = fs.openSync(logFile, 'a');
    try {
      const child = spawn(process.execPath, [CEILING_BUNDLE, `--workers=${workers}`], {
        env: { PATH: process.env.PATH, KUBECONFIG: kubeconfig },
        stdio: ['pipe', fd, fd],
        detached: true,
      });
      return new CeilingProcess(child);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Resolves with the exit code once it has ended. */
  public readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const kill = () => this.kill();
    process.once('exit', kill);
    void this.exited.then(() => process.removeListener('exit', kill));
  }

  /** Its process id. */
  public get pid(): number {
    return this.child.pid!;
  }

  /** Hands it one stored application. */
  public submit(app: Record<string, any>): void {
    this.child.stdin!.write(`${JSON.stringify(app)}\n`);
  }

  /** No more applications: it exits once the ones it has are done. */
  public end(): void {
    this.child.stdin!.end();
  }

  /** SIGKILLs its process group (exit handlers). */
  public kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
