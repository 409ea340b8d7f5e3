/**
 * Creates a reconciler hands off and does not wait for: queued in order, one per object, a few in
 * flight at once. The UI Service of a submission is one: kube-apiserver allocates ClusterIPs one at a
 * time (its MetaAllocator holds a lock across the IPAddress object it writes), so under load a
 * Service with a ClusterIP takes hundreds of milliseconds to create while a pod takes tens, and a
 * worker waiting on it would hold back every other application. Few in flight, because more would
 * only wait on that lock while holding the API server's seats (API Priority and Fairness) that the
 * submissions' own requests need. The informer's event for the created object queues its application
 * again, which then writes what it needs from it (the UI address).
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
  private readonly inFlight = new Set<string>();
  private readonly maxInFlight: number;
  private readonly maxQueued: number;

  /** `retry(owner)` queues the owner's key again after a failure. */
  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly retry: (owner: string) => void,
    limits: BackgroundCreatesLimits = {},
  ) {
    this.maxInFlight = limits.inFlight ?? MAX_BACKGROUND_CREATES_IN_FLIGHT;
    this.maxQueued = limits.queued ?? MAX_BACKGROUND_CREATES_QUEUED;
  }

  /**
   * Queues `create` for the object `objectKey` of `owner`, unless it is queued or runs already: true.
   * False when the queue is full: then the caller runs it itself.
   */
  public start(owner: string, objectKey: string, create: () => Promise<void>): boolean {
    if (this.inFlight.has(objectKey) || this.waiting.has(objectKey)) return true;
    if (this.waiting.size >= this.maxQueued) return false;
    this.waiting.set(objectKey, { owner, create });
    this.sendMore();
    return true;
  }

  /** Whether the create of `objectKey` is queued or runs now. */
  public pending(objectKey: string): boolean {
    return this.inFlight.has(objectKey) || this.waiting.has(objectKey);
  }

  /** Creates queued or running now. */
  public get size(): number {
    return this.inFlight.size + this.waiting.size;
  }

  private sendMore(): void {
    for (const [objectKey, { owner, create }] of this.waiting) {
      if (this.inFlight.size >= this.maxInFlight) return;
      this.waiting.delete(objectKey);
      this.inFlight.add(objectKey);
      void create().catch((error: unknown) => {
        this.log.warn('could not create an object in the background, retrying', { owner, object: objectKey, error: String(error) });
        this.clock.after(BACKGROUND_RETRY_MS, () => this.retry(owner));
      }).finally(() => {
        this.inFlight.delete(objectKey);
        this.sendMore();
      });
    }
  }
}
