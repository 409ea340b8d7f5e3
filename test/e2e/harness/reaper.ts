import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManagedProcess } from './process-group';

// Every reaper that still has processes, for the process-wide exit handlers.
const liveReapers = new Set<Reaper>();
let handlersInstalled = false;

// Kills the recorded process groups once the process that started them is gone, whatever the way
// it went (a crash, `kill -9`, a CI time-out): node's exit handlers do not run in those cases.
const WATCHDOG = `
parent="$1"; groups="$2"
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
[ -f "$groups" ] || exit 0
while read -r g; do kill -TERM -- "-$g" 2>/dev/null; done < "$groups"
sleep 5
while read -r g; do kill -KILL -- "-$g" 2>/dev/null; done < "$groups"
rm -f "$groups"
`;

/**
 * Makes sure the processes of one control plane (or the runtime processes a test starts) do not
 * outlive the process that started them.
 *
 * Three layers: `stop()` of the control plane (the normal path); process exit and signal
 * handlers in this process; and a small watchdog shell process that notices when this process
 * has died without running any handler.
 */
export class Reaper {
  private readonly processes = new Set<ManagedProcess>();
  private readonly groupsFile: string;
  private readonly watchdogLog: string;
  private watchdog: ManagedProcess | undefined;

  /** `name` tells apart the reapers of one run folder (its groups file, its watchdog's log). */
  public constructor(runDir: string, name = '') {
    const suffix = name === '' ? '' : `-${name}`;
    this.groupsFile = path.join(runDir, `process-groups${suffix}`);
    this.watchdogLog = path.join(runDir, `watchdog${suffix}.log`);
    installHandlers();
  }

  /** Starts watching `p`. */
  public add(p: ManagedProcess): void {
    if (p.pid === undefined) {
      return;
    }
    this.processes.add(p);
    liveReapers.add(this);
    fs.appendFileSync(this.groupsFile, `${p.pid}\n`);
    if (!this.watchdog) {
      this.watchdog = ManagedProcess.start({
        name: 'watchdog',
        command: 'bash',
        args: ['-c', WATCHDOG, 'watchdog', String(process.pid), this.groupsFile],
        logFile: this.watchdogLog,
      });
    }
  }

  /** Stops watching `p`, which has exited: its process group id may be reused. */
  public remove(p: ManagedProcess): void {
    if (!this.processes.delete(p)) {
      return;
    }
    try {
      fs.writeFileSync(this.groupsFile, [...this.processes].map((q) => `${q.pid}\n`).join(''));
    } catch {
      // The run folder is gone (the run is over): so is the watchdog's list.
    }
  }

  /** SIGKILLs every process at once (exit handlers). */
  public killAllNow(): void {
    for (const p of this.processes) {
      p.killNow();
    }
    this.watchdog?.killNow();
  }

  /** Called after every process was stopped: the watchdog is no longer needed. */
  public async release(): Promise<void> {
    this.processes.clear();
    liveReapers.delete(this);
    fs.rmSync(this.groupsFile, { force: true });
    await this.watchdog?.stop(1_000);
    this.watchdog = undefined;
  }
}

let runtimeReaper: Reaper | undefined;

/**
 * Reaps `p`, a runtime process (controller, webhook) a test started, as the control plane's are:
 * SIGKILLed when this process exits or gets SIGINT, SIGTERM or SIGHUP (an interrupted jest), and
 * by a watchdog when it dies without a word. One reaper per test process, its files in `runDir`.
 */
export function reapWithThisProcess(p: ManagedProcess, runDir: string): void {
  runtimeReaper ??= new Reaper(runDir, `runtime-${process.pid}`);
  runtimeReaper.add(p);
  void p.exited.then(() => runtimeReaper?.remove(p));
}

function installHandlers(): void {
  if (handlersInstalled) {
    return;
  }
  handlersInstalled = true;
  process.on('exit', () => {
    for (const reaper of liveReapers) {
      reaper.killAllNow();
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const reaper of liveReapers) {
        reaper.killAllNow();
      }
      // Let the default action (or the runner's own handler) take over.
      process.kill(process.pid, signal);
    });
  }
}
