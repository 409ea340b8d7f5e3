/**
 * Creates a reconciler hands off and does not wait for: queued in order, one per object, a few in
 * flight at once. The UI Service of a submission is one: kube-apiserver allocates each dynamic
 * ClusterIP under one lock of its process (`MetaAllocator.AllocateNextService` holds it across the
 * IPAddress object it writes), so under load a Service with a ClusterIP takes hundreds of
 * milliseconds to create while a pod takes tens, and a worker waiting on it would hold back every
 * other application. Few in flight, because more would only wait on that lock while holding the API
 * server's seats (API Priority and Fairness) that the submissions' own requests need. The end of each
 * create queues its owner again, which then writes what it needs from it (the UI address).
 */
import { Clock } from '../../kube/clock';
import { Logger } from '../../kube/log';

/** Background creates sent at once, at most. */
export const MAX_BACKGROUND_CREATES_IN_FLIGHT = 4;

/** Background creates waiting, at most; past that the caller creates in its own time (backpressure). */
export const MAX_BACKGROUND_CREATES_QUEUED = 1000;

/** How long after a failed background create its owner's key is queued again. */
export const BACKGROUND_RETRY_MS = 1000;

/** How a {@link BackgroundCreates} is bounded. */
export interface BackgroundCreatesLimits {
  /** @default MAX_BACKGROUND_CREATES_IN_FLIGHT */
  readonly inFlight?: number;
  /** @default MAX_BACKGROUND_CREATES_QUEUED */
  readonly queued?: number;
}

export class BackgroundCreates {
  /** Waiting creates by object key, in the order they came (a Map keeps insertion order). */
  private readonly waiting = new Map<string, { owner: string; create: () => Promise<void> }>();
  /** Creates sent, by object key, with their owners. */
  private readonly inFlight = new Map<string, string>();
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  /** Called once nothing waits or runs. */
  private idleWaiters: Array<() => void> = [];

  /**
   * `requeue(owner)` queues the owner's key again when its create ends: at once after a success
   * (its decision waits for it), {@link BACKGROUND_RETRY_MS} after a failure.
   */
  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly requeue: (owner: string) => void,
    limits: BackgroundCreatesLimits = {},
  ) {
    this.maxInFlight = limits.inFlight ?? MAX_BACKGROUND_CREATES_IN_FLIGHT;
    this.maxQueued = limits.queued ?? MAX_BACKGROUND_CREATES_QUEUED;
  }

  /**
   * Queues `create` for the object `objectKey` of `owner`: true. A create of the same object that
   * still waits is replaced in its place (the newer one is built from the newer application); one
   * that runs already is left to finish. False when the queue is full: then the caller runs it itself.
   */
  public start(owner: string, objectKey: string, create: () => Promise<void>): boolean {
    if (this.inFlight.has(objectKey)) return true;
    if (!this.waiting.has(objectKey) && this.waiting.size >= this.maxQueued) return false;
    this.waiting.set(objectKey, { owner, create });
    this.sendMore();
    return true;
  }

  /** Drops the create of `objectKey` if it still waits (its object is being deleted). */
  public cancel(objectKey: string): void {
    this.waiting.delete(objectKey);
    this.notifyIfIdle();
  }

  /** Whether the create of `objectKey` is queued or runs now. */
  public pending(objectKey: string): boolean {
    return this.inFlight.has(objectKey) || this.waiting.has(objectKey);
  }

  /** Creates queued or running now. */
  public get size(): number {
    return this.inFlight.size + this.waiting.size;
  }

  /** Resolves once nothing waits or runs (for a stopping controller). */
  public whenIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private sendMore(): void {
    for (const [objectKey, { owner, create }] of this.waiting) {
      if (this.inFlight.size >= this.maxInFlight) return;
      this.waiting.delete(objectKey);
      this.inFlight.set(objectKey, owner);
      void this.run(create).then(() => this.requeue(owner), (error: unknown) => {
        this.log.warn('could not create an object in the background, retrying', { owner, object: objectKey, error: String(error) });
        this.clock.after(BACKGROUND_RETRY_MS, () => this.requeue(owner));
      }).finally(() => {
        this.inFlight.delete(objectKey);
        this.sendMore();
        this.notifyIfIdle();
      });
    }
  }

  /** `create()`, with a create that throws at once failing as one that rejects. */
  private run(create: () => Promise<void>): Promise<void> {
    try {
      return create();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private notifyIfIdle(): void {
    if (this.size > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
