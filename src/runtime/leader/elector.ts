/**
 * The shell of leader election: tries the Lease every retry period, writes what `nextLeaseStep()`
 * decides, and tells the controller when it starts and stops leading.
 *
 * Safety: the leader may act only until `renewDeadline` after the start of its last successful
 * renewal (`mayAct()`); the controller's writes are fenced by it. The renew deadline is shorter
 * than the lease duration, and a standby counts the lease duration from when it last saw the Lease
 * change, which is after the renewal started; so the old leader has stopped before a new one can
 * start. A leader that misses the deadline stops for good (the process exits and restarts as a
 * standby), as Kubernetes' controllers do.
 */
import { nextLeaseStep, releasedLease } from './lease-step';
import { LeaseStore, StoredLease } from './lease-store';
import { LeaderElectionTiming, RETRY_JITTER_FACTOR } from '../../core';
import { Clock } from '../../kube/clock';
import { Logger } from '../../kube/log';

/** What the elector needs. */
export interface LeaderElectorOptions {
  /** The Lease (its writes are never fenced). */
  readonly store: LeaseStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** This replica's identity in `holderIdentity`. */
  readonly identity: string;
  readonly timing: LeaderElectionTiming;
  /** Called once, when this replica becomes the leader. */
  readonly onStartedLeading: () => void;
  /** Called once, when a leader stops leading without being asked to (deadline missed, Lease taken). */
  readonly onStoppedLeading: (reason: string) => void;
  /** A number in [0, 1) that spreads the standbys' tries; `Math.random` by default. */
  readonly random?: () => number;
  /**
   * Told of each try that failed for another reason than another replica writing first: the HTTP
   * code of the API server's answer, or `<error>` when none came (for a metric).
   */
  readonly onTryFailed?: (code: string) => void;
}

/**
 * How many tries in a row may fail before the replica reports that it cannot take part in leader
 * election (a missing namespace, a refused Lease): one failure can be a blip, three are a cause.
 */
export const FAILED_TRIES_BEFORE_PROBLEM = 3;
/** How often a failure that goes on is logged again at warn, at most. */
export const FAILURE_LOG_INTERVAL_MS = 60_000;

/** The HTTP code of an API error (`KubeError` and the client library's errors carry one), if any. */
function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Where leader election stands. */
export type ElectionState = 'standby' | 'leading' | 'stopped';

export class LeaderElector {
  private state: ElectionState = 'standby';
  /** The Lease as last seen, and when (our clock) it was first seen so. */
  private observed?: { lease?: StoredLease; json: string; atMs: number };
  /** The start of the last successful renewal: acting is allowed until it plus the renew deadline. */
  private renewedAtMs?: number;
  private cancelTry?: () => void;
  private cancelDeadline?: () => void;
  private trying?: Promise<void>;
  /** Tries that failed in a row (conflicts not counted), the last failure, and when it was last logged at warn. */
  private failedTries = 0;
  private lastFailure?: string;
  private lastWarned?: { message: string; atMs: number };

  constructor(private readonly options: LeaderElectorOptions) {}

  /**
   * Why this replica cannot take part in leader election (the API server's words), once
   * {@link FAILED_TRIES_BEFORE_PROBLEM} tries in a row have failed; undefined otherwise. A replica that
   * can never lead must say so (in `/readyz`), not stand by in silence.
   */
  public get problem(): string | undefined {
    return this.failedTries >= FAILED_TRIES_BEFORE_PROBLEM ? this.lastFailure : undefined;
  }

  /** Where the election stands. */
  public get status(): ElectionState {
    return this.state;
  }

  /** Starts trying the Lease. */
  public start(): void {
    this.schedule(0);
  }

  /** True while this replica leads and its last renewal is within the renew deadline. */
  public mayAct(): boolean {
    return this.state === 'leading' && this.renewedAtMs !== undefined
      && this.nowMs() < this.renewedAtMs + this.options.timing.renewDeadlineSeconds * 1000;
  }

  /**
   * Stops trying; a leader that still holds the Lease releases it, so that a standby takes over at
   * its next try. Call it after the controller has stopped acting.
   */
  public async stop(): Promise<void> {
    this.state = 'stopped';
    this.cancelTry?.();
    this.cancelDeadline?.();
    await this.trying;
    const lease = this.observed?.lease;
    if (lease?.spec?.holderIdentity !== this.options.identity) return;
    try {
      // At the resourceVersion we last wrote: if another replica has taken the Lease since, this conflicts and changes nothing.
      await this.options.store.replace(lease, releasedLease(lease.spec, this.nowMs()));
      this.options.log.info('released the lease', { lease: this.leaseName() });
    } catch (error) {
      // A standby then takes over after the lease duration instead of at once.
      this.options.log.warn('could not release the lease', { lease: this.leaseName(), error: String(error) });
    }
  }

  /** A method, not a field test: the state changes while a try awaits the API server. */
  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private schedule(ms: number): void {
    if (this.isStopped()) return;
    this.cancelTry = this.options.clock.after(ms, () => {
      this.trying = this.tryOnce().finally(() => {
        this.trying = undefined;
      });
    });
  }

  private async tryOnce(): Promise<void> {
    const startedMs = this.nowMs();
    const { timing, identity, log } = this.options;
    let action: 'read' | 'create' | 'update' = 'read';
    try {
      const lease = await this.options.store.read();
      if (this.isStopped()) return;
      // Seen now, not when the read started: a standby must count the lease duration from a moment
      // after the holder's renewal, never before it.
      this.observe(lease, this.nowMs());
      const step = nextLeaseStep({
        current: lease?.spec,
        observedAtMs: this.observed!.atMs,
        identity,
        nowMs: this.nowMs(),
        leaseDurationSeconds: timing.leaseDurationSeconds,
      });
      if (step.kind === 'wait') {
        if (this.state === 'leading') return this.lose(`the lease is held by ${step.holder}`);
        log.debug('another replica leads', { lease: this.leaseName(), holder: step.holder });
      } else {
        action = step.kind === 'create' || lease === undefined ? 'create' : 'update';
        const written = step.kind === 'create' || lease === undefined
          ? await this.options.store.create(step.record)
          : await this.options.store.replace(lease, step.record);
        if (this.isStopped()) return;
        this.observe(written, this.nowMs());
        this.renewed(startedMs);
      }
      this.failedTries = 0;
    } catch (error) {
      // A conflict means another replica wrote first; anything else is a failed try. Either way
      // the deadline timer decides whether a leader may go on.
      this.tryFailed(error, action);
    }
    const period = timing.retryPeriodSeconds * 1000;
    // A standby spreads its tries a little, so that standbys do not all write at the same moment.
    const jitter = this.state === 'leading' ? 0 : (this.options.random ?? Math.random)() * (RETRY_JITTER_FACTOR - 1) * period;
    this.schedule(Math.max(0, startedMs + period + jitter - this.nowMs()));
  }

  private tryFailed(error: unknown, action: 'read' | 'create' | 'update'): void {
    const { log } = this.options;
    const code = codeOf(error);
    if (code === 409) {
      log.debug('lease try lost to another replica', { lease: this.leaseName(), error: String(error) });
      return;
    }
    this.failedTries++;
    const message = String(error instanceof Error ? error.message : error);
    this.lastFailure = `cannot ${action} the lease ${this.leaseName()}: ${message}`;
    this.options.onTryFailed?.(code === undefined ? '<error>' : String(code));
    const now = this.nowMs();
    if (this.lastWarned?.message !== message || now - this.lastWarned.atMs >= FAILURE_LOG_INTERVAL_MS) {
      this.lastWarned = { message, atMs: now };
      log.warn('lease try failed', { lease: this.leaseName(), code, error: message, failedTries: this.failedTries });
    }
  }

  private renewed(startedMs: number): void {
    this.renewedAtMs = startedMs;
    this.cancelDeadline?.();
    const deadlineMs = startedMs + this.options.timing.renewDeadlineSeconds * 1000;
    this.cancelDeadline = this.options.clock.after(Math.max(0, deadlineMs - this.nowMs()), () => {
      if (this.state === 'leading' && !this.mayAct()) this.lose(`the lease was not renewed within ${this.options.timing.renewDeadlineSeconds}s`);
    });
    if (this.state === 'standby') {
      this.state = 'leading';
      this.options.log.info('became the leader', { lease: this.leaseName(), identity: this.options.identity });
      this.options.onStartedLeading();
    }
  }

  private lose(reason: string): void {
    this.state = 'stopped';
    this.cancelTry?.();
    this.cancelDeadline?.();
    this.options.log.error('stopped leading', { lease: this.leaseName(), reason });
    this.options.onStoppedLeading(reason);
  }

  private observe(lease: StoredLease | undefined, atMs: number): void {
    const json = JSON.stringify(lease?.spec ?? null);
    if (this.observed?.json !== json) this.observed = { lease, json, atMs };
    else this.observed = { ...this.observed, lease };
  }

  private leaseName(): string {
    return this.options.store.description;
  }

  private nowMs(): number {
    return this.options.clock.now().getTime();
  }
}
