/**
 * An informer: a cache of one kind of object, kept current by list + watch, as client-go's. It lists
 * (in pages, read item by item), then watches from the list's resourceVersion with bookmarks; when the watch ends it
 * watches again from the last version it saw; when that version is too old (`410 Gone`) it lists
 * again and reports the difference; on errors it retries with a doubling delay. Handlers hear of
 * every add, update and delete. The cache holds what `trim` keeps of each object (no
 * `managedFields`, nothing the controller never reads), so memory stays flat as objects pile up.
 *
 * Nothing the API server sends can stop it: a watch that stays silent past its deadline
 * (`watch-timing.ts`) is watched again; a line it cannot read (`watch-line.ts`) is logged and the
 * cache is listed again, since the event it carried is lost; list items without metadata are logged
 * and left out.
 */
import { Resource, pathOf } from './resources';
import { cutLine, decodeWatchLine, objectProblem } from './watch-line';
import { DEFAULT_WATCH_TIMING, IdleTimer, WatchTiming, watchIdleMs, watchTimeoutSeconds } from './watch-timing';
import { Clock } from '../../kube/clock';
import { Logger } from '../../kube/log';
import { KubeError, RestClient, isKubeError } from '../../kube/rest';

/** The part of any object an informer needs. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; resourceVersion?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** What happened to an object. */
export interface InformerHandlers<T> {
  added?(object: T): void;
  updated?(old: T, object: T): void;
  deleted?(object: T): void;
}

/** What an informer watches and how. */
export interface InformerOptions<T> {
  readonly resource: Resource;
  /** Only this namespace; undefined: every namespace. */
  readonly namespace?: string;
  /** Only objects with these labels (`a=b,c`). */
  readonly labelSelector?: string;
  /** What the cache keeps of each object. */
  readonly trim: (object: KubeObject) => T;
  readonly clock: Clock;
  readonly log: Logger;
  /** Objects per list page. */
  readonly pageSize?: number;
  /** The time bounds of each watch. @default DEFAULT_WATCH_TIMING */
  readonly watchTiming?: WatchTiming;
}

/** How a watch ended. */
type WatchEnd = 'ended' | 'silent' | 'malformed';

const MIN_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** 429s in a row that are routine (a new CRD's cache initializing); more are throttling worth a warning. */
const QUIET_THROTTLED_WATCHES = 3;

/** `namespace/name`, the key of an object in caches and queues. */
export function keyOf(object: { metadata: { name?: string; namespace?: string } }): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  /** Per index: the values each object files under, and the keys filed under each value. */
  private readonly indexes = new Map<string, { valuesOf: (object: T) => string[]; keys: Map<string, Set<string>> }>();
  private readonly handlers: Array<InformerHandlers<T>> = [];
  private resourceVersion = '';
  /** Aborts the watch open now (set per watch). */
  private watchAbort?: AbortController;
  private running = false;
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private retryMs = MIN_RETRY_MS;
  /** Watches answered 429 since the last one that was not. */
  private throttledInARow = 0;

  constructor(private readonly rest: RestClient, private readonly options: InformerOptions<T>) {}

  /** Adds handlers; they hear of objects listed after this call. */
  public on(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** Starts listing and watching in the background. */
  public start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  /** Stops watching; the cache stays as it is. */
  public stop(): void {
    this.running = false;
    this.watchAbort?.abort();
  }

  /** Resolves once the first list has filled the cache. */
  public waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The cached object `namespace/name`. */
  public get(key: string): T | undefined {
    return this.cache.get(key);
  }

  /**
   * Adds an index, as client-go's indexers: `valuesOf` says under which values an object is filed
   * (`namespace/app` of a pod's app-name label, say), and {@link byIndex} reads them back. It is kept
   * current before the handlers hear of a change. Add indexes before `start()`.
   */
  public addIndex(name: string, valuesOf: (object: T) => string[]): void {
    const keys = new Map<string, Set<string>>();
    this.indexes.set(name, { valuesOf, keys });
    for (const [key, object] of this.cache) this.fileUnder(keys, valuesOf(object), key);
  }

  /** The cached objects the index `name` files under `value`. */
  public byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index ${name}`);
    return [...index.keys.get(value) ?? []].map((key) => this.cache.get(key)!).filter((o) => o !== undefined);
  }

  /** Every cached object. */
  public list(): T[] {
    return [...this.cache.values()];
  }

  private async run(): Promise<void> {
    let mustList = true;
    while (this.running) {
      try {
        if (mustList) {
          await this.relist();
          mustList = false;
        }
        const end = await this.watch();
        if (end === 'malformed') {
          // The event of that line is lost: only a list brings the cache back to the truth. A
          // server that keeps sending junk is listed with the same backoff as failures.
          mustList = true;
          await this.backOff();
        } else {
          this.retryMs = MIN_RETRY_MS;
        }
        this.throttledInARow = 0;
      } catch (error) {
        if (!this.running) return;
        if (isKubeError(error, 410)) {
          // The version watched from is gone (compacted, or older than a restarted server's cache).
          this.options.log.info('watch expired (410 Gone), listing again', { ...this.where(), resourceVersion: this.resourceVersion });
          mustList = true;
          continue;
        }
        // 429: the server asks to come back later, e.g. while the watch cache of a CRD just created
        // initializes ("storage is (re)initializing"); client-go's reflector backs off quietly too.
        // Throttling that goes on (the API server's priority and fairness holding the operator back)
        // is a warning.
        this.throttledInARow = isKubeError(error, 429) ? this.throttledInARow + 1 : 0;
        const quiet = this.throttledInARow > 0 && this.throttledInARow <= QUIET_THROTTLED_WATCHES;
        const count = this.throttledInARow > QUIET_THROTTLED_WATCHES ? { throttledInARow: this.throttledInARow } : {};
        const fields = { ...this.where(), error: String(error), retryMs: this.retryMs, ...count };
        (quiet ? this.options.log.info : this.options.log.warn).call(this.options.log, 'watch failed, retrying', fields);
        await this.backOff();
        mustList = mustList || !this.resourceVersion;
      }
    }
  }

  private async backOff(): Promise<void> {
    await new Promise<void>((resolve) => this.options.clock.after(this.retryMs, resolve));
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
  }

  /** The resource and namespace of this informer, for log lines. */
  private where(): { resource: string; namespace?: string } {
    return { resource: this.options.resource.plural, namespace: this.options.namespace };
  }

  private async relist(): Promise<void> {
    const path = pathOf(this.options.resource, this.options.namespace);
    const seen = new Map<string, T>();
    let continueToken: string | undefined;
    let version = '';
    do {
      // Items are trimmed as they arrive: a page is never held whole (`list-stream.ts`).
      const query = { labelSelector: this.options.labelSelector, limit: this.options.pageSize ?? 500, continue: continueToken };
      const page = await this.rest.list(path, query, (item) => {
        const problem = objectProblem(item);
        if (problem) {
          this.options.log.warn('malformed list item, left out', { ...this.where(), problem, item: cutLine(String(JSON.stringify(item))) });
          return;
        }
        const trimmed = this.options.trim(item as KubeObject);
        seen.set(keyOf(trimmed), trimmed);
      });
      if (!Array.isArray(page.items) || typeof page.metadata?.resourceVersion !== 'string') {
        throw new Error(`the list of ${path} has no items or no metadata.resourceVersion`);
      }
      continueToken = typeof page.metadata.continue === 'string' && page.metadata.continue !== '' ? page.metadata.continue : undefined;
      version = page.metadata.resourceVersion;
    } while (continueToken);
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.remove(key, old);
        this.emit((h) => h.deleted?.(old));
      }
    }
    for (const [key, object] of seen) this.store(key, object);
    this.resourceVersion = version;
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private async watch(): Promise<WatchEnd> {
    const path = pathOf(this.options.resource, this.options.namespace);
    const timing = this.options.watchTiming ?? DEFAULT_WATCH_TIMING;
    const timeoutSeconds = watchTimeoutSeconds(timing);
    const abort = new AbortController();
    this.watchAbort = abort;
    if (!this.running) abort.abort();
    let gone: { code?: number; reason?: string; message?: string } | undefined;
    let end: WatchEnd = 'ended';
    const idle = new IdleTimer(this.options.clock, watchIdleMs(timing, timeoutSeconds), (silentMs) => {
      this.options.log.warn('watch silent past its deadline, watching again', { ...this.where(), timeoutSeconds, silentMs });
      end = 'silent';
      abort.abort();
    });
    try {
      await this.rest.stream(path, {
        watch: 1,
        labelSelector: this.options.labelSelector,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
      }, (line) => {
        if (abort.signal.aborted) return;
        idle.touch();
        const problem = this.apply(line, (status) => { gone = status; });
        if (gone !== undefined) {
          abort.abort();
        } else if (problem !== undefined) {
          this.options.log.warn('malformed watch line, listing again', { ...this.where(), problem, line: cutLine(line) });
          end = 'malformed';
          abort.abort();
        }
      }, abort.signal);
    } finally {
      idle.stop();
    }
    if (gone !== undefined) throw new KubeError(gone.code ?? 500, gone.reason ?? '', gone.message ?? 'watch error');
    return end;
  }

  /** Applies one watch line to the cache; returns what is wrong with it, if anything. Never throws. */
  private apply(line: string, onError: (status: { code?: number; reason?: string; message?: string }) => void): string | undefined {
    const event = decodeWatchLine(line);
    switch (event.type) {
      case 'MALFORMED':
        return event.problem;
      case 'ERROR':
        onError(event.status);
        return undefined;
      case 'BOOKMARK':
        this.resourceVersion = event.resourceVersion;
        return undefined;
    }
    let object: T;
    try {
      object = this.options.trim(event.object);
    } catch (error) {
      return `an object the cache cannot keep (${String(error)})`;
    }
    this.resourceVersion = event.object.metadata.resourceVersion!;
    const key = keyOf(object);
    if (event.type === 'DELETED') {
      const old = this.cache.get(key);
      if (old) this.remove(key, old);
      this.emit((h) => h.deleted?.(old ?? object));
    } else {
      this.store(key, object);
    }
    return undefined;
  }

  private store(key: string, object: T): void {
    const old = this.cache.get(key);
    if (old) this.unfile(key, old);
    this.cache.set(key, object);
    for (const index of this.indexes.values()) this.fileUnder(index.keys, index.valuesOf(object), key);
    if (!old) this.emit((h) => h.added?.(object));
    else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.emit((h) => h.updated?.(old, object));
  }

  private remove(key: string, object: T): void {
    this.unfile(key, object);
    this.cache.delete(key);
  }

  private fileUnder(keys: Map<string, Set<string>>, values: string[], key: string): void {
    for (const value of values) {
      const filed = keys.get(value) ?? new Set<string>();
      filed.add(key);
      keys.set(value, filed);
    }
  }

  /** Takes `key` out of every index, under the values `object` was filed under. */
  private unfile(key: string, object: T): void {
    for (const { valuesOf, keys } of this.indexes.values()) {
      for (const value of valuesOf(object)) {
        const filed = keys.get(value);
        filed?.delete(key);
        if (filed?.size === 0) keys.delete(value);
      }
    }
  }

  private emit(call: (handlers: InformerHandlers<T>) => void): void {
    for (const handlers of this.handlers) {
      try {
        call(handlers);
      } catch (error) {
        this.options.log.error('informer handler failed', { ...this.where(), error: String(error) });
      }
    }
  }
}
