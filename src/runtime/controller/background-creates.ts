/**
 * Creates a reconciler starts and does not wait for: one in flight per object, a bounded number at
 * once. The UI Service of a submission is one: kube-apiserver allocates ClusterIPs one at a time (its
 * MetaAllocator holds a lock across the IPAddress object it writes), so under load a Service with a
 * ClusterIP takes hundreds of milliseconds to create while a pod takes tens, and a worker waiting on
 * it would hold back every other application. The informer's event for the created object queues its
 * application again, which then writes what it needs from it (the UI address).
 */
import { Clock } from '../clock';
import { Logger } from '../telemetry/log';

/** Background creates at once, at most; past that the caller creates in its own time (backpressure). */
export const MAX_BACKGROUND_CREATES = 64;

/** How long after a failed background create its owner's key is queued again. */
export const BACKGROUND_RETRY_MS = 1000;

export class BackgroundCreates {
  private readonly inFlight = new Set<string>();

  /** `retry(owner)` queues the owner's key again after a failure. */
  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly retry: (owner: string) => void,
    private readonly limit = MAX_BACKGROUND_CREATES,
  ) {}

  /**
   * Starts `create` for the object `objectKey` of `owner`, unless it already runs: true. False when
   * as many creates run as allowed: then the caller runs it itself.
   */
  public start(owner: string, objectKey: string, create: () => Promise<void>): boolean {
    if (this.inFlight.has(objectKey)) return true;
    if (this.inFlight.size >= this.limit) return false;
    this.inFlight.add(objectKey);
    void create().catch((error: unknown) => {
      this.log.warn('could not create an object in the background, retrying', { owner, object: objectKey, error: String(error) });
      this.clock.after(BACKGROUND_RETRY_MS, () => this.retry(owner));
    }).finally(() => this.inFlight.delete(objectKey));
    return true;
  }

  /** Whether the create of `objectKey` runs now. */
  public running(objectKey: string): boolean {
    return this.inFlight.has(objectKey);
  }

  /** Creates running now. */
  public get size(): number {
    return this.inFlight.size;
  }
}
