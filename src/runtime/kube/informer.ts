/**
 * An informer: a cache of one kind of object, kept current by list + watch, as client-go's. It lists
 * (in pages), then watches from the list's resourceVersion with bookmarks; when the watch ends it
 * watches again from the last version it saw; when that version is too old (`410 Gone`) it lists
 * again and reports the difference; on errors it retries with a doubling delay. Handlers hear of
 * every add, update and delete. The cache holds what `trim` keeps of each object (no
 * `managedFields`, nothing the controller never reads), so memory stays flat as objects pile up.
 */
import { Resource, pathOf } from './resources';
import { KubeError, RestClient, isKubeError } from './rest';
import { Clock } from '../queue/clock';
import { Logger } from '../telemetry/log';

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
}

const MIN_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/** `namespace/name`, the key of an object in caches and queues. */
export function keyOf(object: { metadata: { name?: string; namespace?: string } }): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: Array<InformerHandlers<T>> = [];
  private resourceVersion = '';
  private abort = new AbortController();
  private running = false;
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private retryMs = MIN_RETRY_MS;

  constructor(private readonly rest: RestClient, private readonly options: InformerOptions<T>) {}

  /** Adds handlers; they hear of objects listed after this call. */
  public on(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** Starts listing and watching in the background. */
  public start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    void this.run();
  }

  /** Stops watching; the cache stays as it is. */
  public stop(): void {
    this.running = false;
    this.abort.abort();
  }

  /** True once the first list has filled the cache. */
  public get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has filled the cache. */
  public waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The cached object `namespace/name`. */
  public get(key: string): T | undefined {
    return this.cache.get(key);
  }

  /** Every cached object. */
  public list(): T[] {
    return [...this.cache.values()];
  }

  /** How many objects the cache holds. */
  public get size(): number {
    return this.cache.size;
  }

  private async run(): Promise<void> {
    let mustList = true;
    while (this.running) {
      try {
        if (mustList) {
          await this.relist();
          mustList = false;
        }
        await this.watch();
        this.retryMs = MIN_RETRY_MS;
      } catch (error) {
        if (!this.running) return;
        if (isKubeError(error, 410)) {
          mustList = true;
          continue;
        }
        this.options.log.warn('watch failed, retrying', { resource: this.options.resource.plural, namespace: this.options.namespace, error: String(error), retryMs: this.retryMs });
        await new Promise<void>((resolve) => this.options.clock.after(this.retryMs, resolve));
        this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
        mustList = mustList || !this.resourceVersion;
      }
    }
  }

  private async relist(): Promise<void> {
    const path = pathOf(this.options.resource, this.options.namespace);
    const seen = new Map<string, T>();
    let continueToken: string | undefined;
    let version = '';
    do {
      const page = await this.rest.request<{ metadata: { resourceVersion: string; continue?: string }; items: KubeObject[] }>('GET', path, {
        query: { labelSelector: this.options.labelSelector, limit: this.options.pageSize ?? 500, continue: continueToken },
      });
      for (const item of page.items) {
        const trimmed = this.options.trim(item);
        seen.set(keyOf(trimmed), trimmed);
      }
      continueToken = page.metadata.continue || undefined;
      version = page.metadata.resourceVersion;
    } while (continueToken);
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
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

  private async watch(): Promise<void> {
    const path = pathOf(this.options.resource, this.options.namespace);
    // The server ends a watch after timeoutSeconds; a spread keeps many informers from reconnecting at once.
    const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
    let gone: unknown;
    await this.rest.stream(path, {
      watch: 1,
      labelSelector: this.options.labelSelector,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
    }, (line) => {
      const event = JSON.parse(line) as { type: string; object: KubeObject & { code?: number; message?: string } };
      if (event.type === 'ERROR') {
        gone = event.object;
        this.abort.abort();
        return;
      }
      const version = event.object.metadata?.resourceVersion;
      if (version) this.resourceVersion = version;
      if (event.type === 'BOOKMARK') return;
      const object = this.options.trim(event.object);
      const key = keyOf(object);
      if (event.type === 'DELETED') {
        const old = this.cache.get(key);
        this.cache.delete(key);
        this.emit((h) => h.deleted?.(old ?? object));
      } else {
        this.store(key, object);
      }
    }, this.abort.signal);
    if (gone !== undefined) {
      this.abort = new AbortController();
      const status = gone as { code?: number; reason?: string; message?: string };
      throw new KubeError(status.code ?? 500, status.reason ?? '', status.message ?? 'watch error');
    }
    if (!this.running) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
  }

  private store(key: string, object: T): void {
    const old = this.cache.get(key);
    this.cache.set(key, object);
    if (!old) this.emit((h) => h.added?.(object));
    else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.emit((h) => h.updated?.(old, object));
  }

  private emit(call: (handlers: InformerHandlers<T>) => void): void {
    for (const handlers of this.handlers) {
      try {
        call(handlers);
      } catch (error) {
        this.options.log.error('informer handler failed', { resource: this.options.resource.plural, error: String(error) });
      }
    }
  }
}
