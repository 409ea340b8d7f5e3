import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';

/** How to start one component of the control plane. */
export interface StartProcessOptions {
  /** Short name used in messages and as the log file's name ("etcd", "kube-apiserver"). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr both go here (appended), after a first line with the command. */
  readonly logFile: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (for example ENOENT). */
  readonly error?: Error;
}

/**
 * A component running in its own process group, so that stopping it also stops anything it forked.
 *
 * Its output goes to a file, not to a pipe: nothing in this process has to keep reading, a
 * component can never block on a full pipe, and the log survives for post-mortems.
 */
export class ManagedProcess {
  /** Starts the process; does not wait for it to be ready. */
  public static start(options: StartProcessOptions): ManagedProcess {
    const fd = fs.openSync(options.logFile, 'a');
    try {
      fs.writeSync(fd, `$ ${[options.command, ...options.args].join(' ')}\n`);
      const child = spawn(options.command, [...options.args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true, // setsid(): a new process group whose id is the child's pid
        stdio: ['ignore', fd, fd],
      });
      return new ManagedProcess(options.name, options.logFile, child);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The process id, which is also its process group id. */
  public readonly pid: number | undefined;
  /** Resolves when the process has exited (or failed to start). */
  public readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | undefined;
  private readonly child: ChildProcess;

  private constructor(
    public readonly name: string,
    public readonly logFile: string,
    child: ChildProcess,
  ) {
    this.child = child;
    this.pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
      child.once('error', (error) => {
        this.exit ??= { code: null, signal: null, error };
        resolve(this.exit);
      });
    });
    // Never keep the test runner alive because of a component.
    child.unref();
  }

  /** True until the process has exited. */
  public get running(): boolean {
    return this.exit === undefined;
  }

  /** "exited with code 1" and the like once it has exited, otherwise undefined. */
  public describeExit(): string | undefined {
    const exit = this.exit;
    if (!exit) {
      return undefined;
    }
    if (exit.error) {
      return `${this.name} could not be started: ${exit.error.message}`;
    }
    return exit.signal ? `${this.name} was killed by ${exit.signal}` : `${this.name} exited with code ${exit.code}`;
  }

  /**
   * Stops the whole process group: SIGTERM, then SIGKILL if it is still there after `graceMs`.
   * Safe to call more than once and on a process that already exited.
   */
  public async stop(graceMs = 10_000): Promise<void> {
    if (this.running) {
      // While we wait for it, the child must keep this process alive (it is unref'd otherwise).
      this.child.ref();
      this.signalGroup('SIGTERM');
      if ((await raceTimeout(this.exited, graceMs)) === 'timeout') {
        this.signalGroup('SIGKILL');
        await raceTimeout(this.exited, 5_000);
      }
      this.child.unref();
    }
    // Whatever the leader forked and left behind in its group goes too.
    this.signalGroup('SIGKILL');
  }

  /** SIGKILLs the process group at once; for exit handlers, which cannot wait. */
  public killNow(): void {
    this.signalGroup('SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) {
      return;
    }
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already empty.
    }
  }
}

async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The last `lines` lines of a log file (or a note that it is missing), for failure messages. */
export function tailFile(file: string, lines = 30): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch (err) {
    return `(cannot read ${file}: ${(err as Error).message})`;
  }
}
