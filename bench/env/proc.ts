/**
 * What a process costs, read from Linux's /proc: CPU time from /proc/<pid>/stat (its own and that of
 * the children it has waited for, which is where upstream's spark-submit JVMs land), the peak
 * resident set from /proc/<pid>/status (VmHWM), and the resident set of its whole process group
 * sampled over time (the JVMs while they run).
 */
import * as fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on every Linux we run). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds of one process. */
export interface CpuTimes {
  /** user + system time of the process itself. */
  readonly self: number;
  /** user + system time of its children that have exited and been waited for. */
  readonly children: number;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The CPU times of `pid`, or undefined when it is gone. */
export function cpuTimes(pid: number): CpuTimes | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  // After the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12) cutime(13) cstime(14).
  const ticks = (i: number) => Number(f[i]) / CLOCK_TICKS_PER_SECOND;
  return { self: ticks(11) + ticks(12), children: ticks(13) + ticks(14) };
}

/**
 * When `pid` started, in ms since the epoch (10 ms resolution), or undefined when it is gone: its
 * start time in clock ticks since boot (/proc/<pid>/stat) plus the boot time (/proc/stat).
 */
export function startedAtMs(pid: number): number | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  const bootSeconds = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))![1]);
  // starttime(19) after the name.
  return bootSeconds * 1000 + (Number(f[19]) / CLOCK_TICKS_PER_SECOND) * 1000;
}

/** A `kB` field of /proc/<pid>/status (`VmRSS`, `VmHWM`) in MiB, or undefined. */
export function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The processes of process group `pgid` (the leader and whatever it forked). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

/** The summed resident set of process group `pgid`, in MiB. */
export function groupRssMiB(pgid: number): number {
  return groupMembers(pgid).reduce((sum, pid) => sum + (statusMiB(pid, 'VmRSS') ?? 0), 0);
}

/**
 * Finds the process running `binary` (a path) whose command line also contains `marker` (a run
 * folder), so that a control plane of another run on the same machine is never taken for ours.
 */
export function findProcess(binary: string, marker: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0] === binary && argv.some((a) => a.includes(marker))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** What a {@link CostMeter} measured between its start and stop. */
export interface MeasuredCost {
  /** CPU seconds of the process and its waited-for children. */
  readonly cpuSeconds: number;
  /** VmHWM of the process at the stop (its peak since it started), MiB. */
  readonly peakRssMiB: number;
  /** The peak of the process group's summed resident set among the samples, MiB. */
  readonly peakGroupRssMiB: number;
  /** VmRSS of the process at the stop, MiB. */
  readonly rssMiB: number;
}

/** Measures one process (and its group) from `start()` to `stop()`, sampling the group's RSS. */
export class CostMeter {
  private readonly startCpu: CpuTimes;
  private peakGroup = 0;
  private readonly timer: NodeJS.Timeout;

  /** Starts measuring `pid` now; samples the group's RSS every `sampleMs`. */
  constructor(private readonly pid: number, sampleMs = 500) {
    this.startCpu = cpuTimes(pid) ?? { self: 0, children: 0 };
    this.sample();
    this.timer = setInterval(() => this.sample(), sampleMs);
    this.timer.unref();
  }

  /** Stops sampling and returns the cost since the start. */
  public stop(): MeasuredCost {
    clearInterval(this.timer);
    this.sample();
    const now = cpuTimes(this.pid) ?? this.startCpu;
    return {
      cpuSeconds: now.self + now.children - this.startCpu.self - this.startCpu.children,
      peakRssMiB: statusMiB(this.pid, 'VmHWM') ?? NaN,
      peakGroupRssMiB: this.peakGroup,
      rssMiB: statusMiB(this.pid, 'VmRSS') ?? NaN,
    };
  }

  private sample(): void {
    this.peakGroup = Math.max(this.peakGroup, groupRssMiB(this.pid));
  }
}

/** The CPU's model name as /proc/cpuinfo gives it, or `unknown`. */
export function cpuModel(): string {
  return /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
}

/** CPU time of the whole machine since boot, over every core, as the first line of /proc/stat counts it. */
export interface MachineCpu {
  /** Seconds spent on anything but idle and I/O wait. */
  readonly busySeconds: number;
  /** All seconds, busy or not. */
  readonly totalSeconds: number;
}

/** Reads the machine's busy and total CPU seconds from the text of /proc/stat. Pure. */
export function parseMachineCpu(procStat: string): MachineCpu {
  const m = /^cpu\s+(.*)$/m.exec(procStat);
  if (!m) throw new Error('no aggregate cpu line in /proc/stat');
  // user nice system idle iowait irq softirq steal, in ticks (guest times are already in user and nice).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = m[1].trim().split(/\s+/).map(Number).concat([0, 0, 0, 0, 0, 0, 0, 0]);
  const busy = user + nice + system + irq + softirq + steal;
  return { busySeconds: busy / CLOCK_TICKS_PER_SECOND, totalSeconds: (busy + idle + iowait) / CLOCK_TICKS_PER_SECOND };
}

/** The machine's CPU seconds now. */
export function machineCpu(): MachineCpu {
  return parseMachineCpu(fs.readFileSync('/proc/stat', 'utf8'));
}

/**
 * The remote ports of the established TCP connections whose local port is `localPort`, from the
 * text of /proc/net/tcp or /proc/net/tcp6 (addresses and ports in hex, state `01` for established).
 * Pure.
 */
export function establishedPeers(procNetTcp: string, localPort: number): number[] {
  const peers: number[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[3] !== '01') continue;
    if (parseInt(f[1].split(':')[1], 16) === localPort) peers.push(parseInt(f[2].split(':')[1], 16));
  }
  return peers;
}

/** What a {@link ConnectionSampler} saw. */
export interface SampledConnections {
  /** The most established connections at one sample. */
  readonly peakEstablished: number;
  /** Distinct connections (by remote port) seen over all samples: a lower bound of those opened. */
  readonly distinctSeen: number;
  readonly samples: number;
}

/** Samples the established connections to a local port (a server on this machine) until stopped. */
export class ConnectionSampler {
  private peak = 0;
  private readonly seen = new Set<number>();
  private samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly localPort: number, sampleMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), sampleMs);
    this.timer.unref();
  }

  /** Stops sampling and returns what was seen. */
  public stop(): SampledConnections {
    clearInterval(this.timer);
    this.sample();
    return { peakEstablished: this.peak, distinctSeen: this.seen.size, samples: this.samples };
  }

  private sample(): void {
    // A server listening on every address takes IPv4 connections on an IPv6 socket: they are in tcp6.
    const peers = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => establishedPeers(fs.readFileSync(file, 'utf8'), this.localPort));
    this.samples++;
    this.peak = Math.max(this.peak, peers.length);
    for (const p of peers) this.seen.add(p);
  }
}
