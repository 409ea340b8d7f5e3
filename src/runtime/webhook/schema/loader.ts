/**
 * The shell around {@link EmbeddedTypeChecker}: fetches the cluster's `core/v1` OpenAPI v3 document
 * (`GET /openapi/v3`, then the `serverRelativeURL` it lists for `api/v1`), keeps the checker in
 * memory, retries with capped exponential backoff while the API server does not serve it, and looks
 * again now and then for a new document (an upgraded API server publishes a new hash).
 *
 * Until a document is loaded, {@link CoreSchemaLoader.check} finds nothing: the check fails open.
 * These types are validated again, for real, when the controller creates the pods, so missing this
 * early check only makes an error surface later, as it did before; refusing every application
 * because `/openapi/v3` is briefly unavailable would be worse. `loaded` says which case holds.
 *
 * Every authenticated user may read `/openapi/*` (the default `system:discovery` ClusterRole, bound
 * to `system:authenticated`), so the webhook's ServiceAccount needs no RBAC of its own for this.
 */
import { CheckerOptions, EmbeddedTypeChecker } from './checker';
import { Problem } from '../../../core';
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';

/**
 * The part of `RestClient` (`src/kube/rest.ts`) the loader uses: one GET with a timeout.
 * Written out here so that the loader's tests need no HTTP client.
 */
export interface OpenApiClient {
  request<T>(method: string, path: string, options?: { readonly timeoutMs?: number }): Promise<T>;
}

/** The OpenAPI v3 discovery document's key of the core group's version. */
const CORE_V1 = 'api/v1';

/** How long one request may take. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MIN_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** How often the discovery document is read again to see whether `core/v1` changed. */
export const DEFAULT_REFRESH_INTERVAL_MS = 10 * 60_000;

/** The `core/v1` document and the URL (with its content hash) it was read from. */
export interface CoreV1Document {
  readonly url: string;
  readonly document: unknown;
}

/** The `serverRelativeURL` of `core/v1` in the OpenAPI v3 discovery document (`/openapi/v3/api/v1?hash=...`). */
export async function discoverCoreV1Url(client: OpenApiClient, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<string> {
  const discovery = await client.request<{ paths?: Record<string, { serverRelativeURL?: unknown }> }>('GET', '/openapi/v3', { timeoutMs });
  const url = discovery?.paths?.[CORE_V1]?.serverRelativeURL;
  if (typeof url !== 'string' || !url.startsWith('/')) throw new Error(`GET /openapi/v3 lists no serverRelativeURL for ${CORE_V1}`);
  return url;
}

/** Reads the cluster's `core/v1` OpenAPI v3 document: discovery, then the document at the URL it lists. */
export async function fetchCoreV1Document(client: OpenApiClient, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<CoreV1Document> {
  const url = await discoverCoreV1Url(client, timeoutMs);
  const document = await client.request<unknown>('GET', url, { timeoutMs });
  return { url, document };
}

/** How a loader is set up. */
export interface CoreSchemaLoaderOptions {
  readonly client: OpenApiClient;
  readonly log: Logger;
  readonly clock: Clock;
  /** @default 30000 */
  readonly requestTimeoutMs?: number;
  /** How often to look for a new document once one is loaded; 0 never looks. @default 600000 (10 minutes) */
  readonly refreshIntervalMs?: number;
  /** Passed to each checker. */
  readonly checker?: CheckerOptions;
}

/** Loads and keeps the checker of the cluster's `core/v1` schemas; see the file's comment. */
export class CoreSchemaLoader {
  private current?: { url: string; checker: EmbeddedTypeChecker };
  private retryMs = MIN_RETRY_MS;
  private loadedWaiters: Array<() => void> = [];

  constructor(private readonly options: CoreSchemaLoaderOptions) {}

  /** True once a document is loaded; until then {@link check} finds nothing. */
  public get loaded(): boolean {
    return this.current !== undefined;
  }

  /** The URL (with its hash) of the loaded document. */
  public get documentUrl(): string | undefined {
    return this.current?.url;
  }

  /** The checker of the loaded document, if one is loaded. */
  public get checker(): EmbeddedTypeChecker | undefined {
    return this.current?.checker;
  }

  /** Resolves once a document is loaded. */
  public waitForLoad(): Promise<void> {
    return this.current ? Promise.resolve() : new Promise((resolve) => this.loadedWaiters.push(resolve));
  }

  /**
   * The problems of the embedded core types of a SparkApplication or ScheduledSparkApplication;
   * on an update (`oldObject` given), only those the update brings in (see
   * `EmbeddedTypeChecker.checkUpdate`). None while no document is loaded (fail open). Never throws.
   */
  public check(object: unknown, oldObject?: unknown): Problem[] {
    const checker = this.current?.checker;
    if (!checker) return [];
    return oldObject === undefined ? checker.checkObject(object) : checker.checkUpdate(object, oldObject);
  }

  /**
   * Loads the document, retrying with backoff until it succeeds, then looks for a new one every
   * `refreshIntervalMs`. Resolves when `signal` aborts.
   */
  public async run(signal: AbortSignal): Promise<void> {
    const refreshMs = this.options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
    while (!signal.aborted) {
      const ok = await this.loadOnce();
      if (signal.aborted) return;
      if (!ok) {
        await this.sleep(this.retryMs, signal);
        this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
        continue;
      }
      this.retryMs = MIN_RETRY_MS;
      if (refreshMs <= 0) return;
      await this.sleep(refreshMs, signal);
    }
  }

  /** One attempt: reads discovery and, when its URL changed, the document. True when a document is loaded afterwards and no error happened. */
  public async loadOnce(): Promise<boolean> {
    const timeoutMs = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const { client, log } = this.options;
    try {
      const url = await discoverCoreV1Url(client, timeoutMs);
      if (url === this.current?.url) return true;
      const started = performance.now();
      const document = await client.request<unknown>('GET', url, { timeoutMs });
      const checker = EmbeddedTypeChecker.fromDocument(document, this.options.checker);
      checker.compileAll();
      const replaced = this.current !== undefined;
      this.current = { url, checker };
      log.info(replaced ? 'core/v1 OpenAPI schemas reloaded' : 'core/v1 OpenAPI schemas loaded', {
        url, ms: Math.round(performance.now() - started), missingDefinitions: checker.missingDefinitions,
      });
      for (const resolve of this.loadedWaiters.splice(0)) resolve();
      return true;
    } catch (error) {
      log.warn(this.current ? 'core/v1 OpenAPI schemas not refreshed, keeping the loaded ones' : 'core/v1 OpenAPI schemas not loaded, embedded types go unchecked until they are',
        { error: String(error), retryMs: this.retryMs });
      return false;
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.options.clock.after(ms, done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** What {@link startEmbeddedTypeChecks} returns: the shape of `runWebhook`'s `embeddedTypes` hook. */
export interface EmbeddedTypeChecks {
  /** The problems of `object`'s embedded core types; none while the schemas are not loaded yet. */
  problems(object: unknown, oldObject?: unknown): Problem[];
  /** True once the schemas are loaded. */
  loaded(): boolean;
  /** Stops loading and refreshing. */
  stop(): void;
}

/**
 * Starts a {@link CoreSchemaLoader} on `client` in the background (load, retry, refresh) and
 * returns its checks: `embeddedTypes: (rest) => startEmbeddedTypeChecks(rest, { log, clock })`.
 */
export function startEmbeddedTypeChecks(client: OpenApiClient, options: Omit<CoreSchemaLoaderOptions, 'client'>): EmbeddedTypeChecks {
  const loader = new CoreSchemaLoader({ ...options, client });
  const abort = new AbortController();
  void loader.run(abort.signal);
  return {
    problems: (object, oldObject) => loader.check(object, oldObject),
    loaded: () => loader.loaded,
    stop: () => abort.abort(),
  };
}
