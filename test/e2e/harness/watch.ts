import { KubeConfig, KubernetesObjectApi, Watch } from '@kubernetes/client-node';

/** One event of a watch, in the order the API server sent it. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: any;
  /** When this process received it (`Date.now()`). */
  readonly receivedAt: number;
}

/** What {@link recordWatch} records: one kind in one namespace. */
export interface WatchedCollection {
  /** `v1`, `sparkoperator.k8s.io/v1beta2` ... */
  readonly apiVersion: string;
  readonly kind: string;
  /** The resource's plural name, e.g. `pods`. */
  readonly plural: string;
  readonly namespace: string;
  /** A label selector, e.g. `sparkoperator.k8s.io/launched-by-spark-operator=true`. */
  readonly labelSelector?: string;
}

/**
 * Every event of one collection, from a list taken when the recording starts: a test that needs to
 * know how often something happened (a pod created twice, a status that was written once and
 * overwritten) reads it here, since the objects themselves only show their last version.
 *
 * The API server may end a watch at any time; the recording resumes from the last resourceVersion
 * it saw (bookmarks included), so no event is lost or delivered twice. If it cannot resume (410
 * Gone: the events are no longer kept), `error` says so and the recording is incomplete.
 */
export class WatchRecording {
  /** The events since the start, in order. */
  public readonly events: WatchEvent[] = [];
  /** Set when the recording has a gap; tests must fail then. */
  public error: string | undefined;
  private resourceVersion = '';
  private abort: AbortController | undefined;
  private stopped = false;
  private readonly path: string;

  /** @internal use {@link recordWatch} */
  public constructor(private readonly kubeConfig: KubeConfig, private readonly collection: WatchedCollection) {
    const { apiVersion, namespace, plural } = collection;
    this.path = `/${apiVersion.includes('/') ? 'apis' : 'api'}/${apiVersion}/namespaces/${namespace}/${plural}`;
  }

  /** Lists the collection (what is there already counts as ADDED) and watches from that list on. */
  public async start(): Promise<void> {
    const { apiVersion, kind, namespace, labelSelector } = this.collection;
    const list = await KubernetesObjectApi.makeApiClient(this.kubeConfig)
      .list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
    for (const object of list.items) this.events.push({ type: 'ADDED', object, receivedAt: Date.now() });
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    await this.watch();
  }

  /** Stops watching; the events stay. */
  public stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  /** The events of the object `name`. */
  public eventsOf(name: string): WatchEvent[] {
    return this.events.filter((e) => e.object?.metadata?.name === name);
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    this.abort = await new Watch(this.kubeConfig).watch(this.path, {
      labelSelector: this.collection.labelSelector,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
    }, (type, object) => {
      if (type === 'ERROR') {
        this.error ??= `the watch of ${this.path} failed: ${JSON.stringify(object)}`;
        return;
      }
      if (object?.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
      if (type === 'BOOKMARK') return;
      this.events.push({ type: type as WatchEvent['type'], object, receivedAt: Date.now() });
    }, (err) => {
      if (this.stopped || this.error) return;
      if (err && (err as { name?: string }).name === 'AbortError') return;
      void this.watch().catch((e: unknown) => {
        this.error ??= `cannot resume the watch of ${this.path}: ${String(e)}`;
      });
    });
  }
}

/** Starts recording every event of `collection`, from a list taken now. */
export async function recordWatch(kubeConfig: KubeConfig, collection: WatchedCollection): Promise<WatchRecording> {
  const recording = new WatchRecording(kubeConfig, collection);
  await recording.start();
  return recording;
}
