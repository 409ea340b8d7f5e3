/**
 * One shell for every controller, in the spirit of controller-runtime's `Controller`: it owns the
 * keyed work queue, its workers, their retries and their metrics, and turns a reconciler's answer
 * into the next look at the key. A reconciler only reads, decides, acts and says when to look again
 * (`{ requeueAfterMs }`); it never touches the queue. Informer handlers reach the queue through
 * `enqueue`, which a reconciler's `watch` is given.
 */
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';
import { DEFAULT_BACKOFF, WorkQueue } from '../../queue/work-queue';
import { OperatorMetrics } from '../../telemetry/metrics';

/** What a reconcile asks for next. */
export interface ReconcileResult {
  /** Look at the key again after this long even without an event; undefined: only on events. */
  readonly requeueAfterMs?: number;
}

/** The part of a controller that knows its kind: it works on one key at a time and says when to look again. */
export interface Reconciler {
  /** Connects the caches' events to `enqueue`: every change that may change a decision queues its key. */
  watch(enqueue: (key: string) => void): void;
  /** Decides and acts for `key`. Throwing retries the key with backoff. */
  reconcile(key: string): Promise<ReconcileResult>;
  /** Resolves when the work it started without a worker waiting is done (a stopping controller waits for it). */
  drain?(): Promise<void>;
}

/** How a controller runs. */
export interface ControllerOptions {
  /** The queue's name in the metrics and the kind in log lines (`sparkapplication`). */
  readonly name: string;
  readonly workers: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics?: OperatorMetrics;
}

export class Controller {
  private readonly queue: WorkQueue;

  constructor(private readonly reconciler: Reconciler, options: ControllerOptions) {
    const { name, log, metrics } = options;
    this.queue = new WorkQueue(async (key) => {
      const result = await reconciler.reconcile(key);
      if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    }, options.clock, {
      workers: options.workers,
      ...DEFAULT_BACKOFF,
      onError: (key, error, attempt) => {
        log.warn('reconcile failed, retrying', { controller: name, key, attempt, error: String(error) });
        metrics?.queueRetried(name);
      },
      // Deciding from half-filled caches would take a running driver for a missing one, or create a
      // scheduled run that exists; and only the leader decides. `start()` opens the queue.
      paused: true,
    });
    reconciler.watch((key) => this.queue.add(key));
    metrics?.watchQueue(name, () => this.queue.depth);
  }

  /** Starts working on the keys collected so far (once the caches are synced and this replica leads). */
  public start(): void {
    this.queue.start();
  }

  /** Takes no new key and resolves when the keys in flight, and the work they started, are done. */
  public async shutDown(): Promise<void> {
    await this.queue.shutDown();
    await this.reconciler.drain?.();
  }

  /** Keys being worked on now. */
  public get busy(): number {
    return this.queue.busy;
  }
}
