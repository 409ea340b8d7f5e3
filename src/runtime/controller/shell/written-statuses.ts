/**
 * Status writes, and the memory of them that every reconciler needs: after a write, the cache still
 * shows the version the write replaced until the watch event arrives, and deciding from that older
 * status could undo the newer one (delete the next submission's driver, create a scheduled run
 * twice). So the reconciler reads an object through {@link WrittenStatuses.latest}: the cache, unless
 * it still shows the version a write of ours was based on.
 */
import { RestClient } from '../../../kube/rest';
import { KubeObject } from '../../kube/informer';
import { Resource } from '../../kube/resources';
import { writeStatus } from '../../kube/status';

export class WrittenStatuses<T extends KubeObject> {
  /** Per key: the version a write was based on, and the object as the write stored it (trimmed as the cache trims). */
  private readonly written = new Map<string, { basedOn?: string; stored: T }>();

  /** `trim` keeps of a written object what the cache keeps of it. */
  constructor(private readonly rest: RestClient, private readonly resource: Resource, private readonly trim: (object: KubeObject) => T) {}

  /** The object `key` as it is now: `cached`, unless it still shows the version our last write replaced. */
  public latest(key: string, cached: T | undefined): T | undefined {
    const written = this.written.get(key);
    if (!cached || !written) return cached;
    if (cached.metadata.resourceVersion === written.basedOn) return written.stored;
    // The cache has caught up (our write, or a newer change by someone else).
    this.written.delete(key);
    return cached;
  }

  /**
   * Writes `status` over `object`'s, conditional on `object`'s resourceVersion (a conflict throws,
   * and the key is decided again from the newer object), and remembers what was stored.
   */
  public async write(key: string, object: KubeObject, status: unknown): Promise<void> {
    const stored = await writeStatus(this.rest, this.resource, object, status);
    const metadata = { ...object.metadata, resourceVersion: stored.metadata.resourceVersion };
    this.written.set(key, { basedOn: object.metadata.resourceVersion, stored: this.trim({ ...object, metadata, status: stored.status }) });
  }

  /** Forgets `key` (its object was deleted). */
  public forget(key: string): void {
    this.written.delete(key);
  }
}
