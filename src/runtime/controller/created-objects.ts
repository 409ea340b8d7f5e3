/**
 * The objects a controller just created, until its caches show them: the API server's answer to
 * the create, kept for a short while. A reconcile reads them as if the cache had them already, so
 * that it neither creates them again (a `POST` answered 409, a Service's ClusterIP allocated and
 * released for nothing) nor waits for a watch event to go on from what it did itself. The same idea
 * as the status writes a reconciler remembers: the cache is the truth, only late.
 *
 * Bounded in size and in time: an object the cache never shows (deleted right away) is forgotten
 * after `ttlMs`, and past `maxEntries` the oldest go first.
 */
import { Clock } from '../../kube/clock';
import { KubeObject } from '../kube/informer';

/** `Kind/namespace/name`: one object of one kind. */
export type CreatedKey = string;

/** The key of `object` (a Pod, Service, Ingress ...). */
export function createdKeyOf(kind: string, namespace: string | undefined, name: string | undefined): CreatedKey {
  return `${kind}/${namespace ?? ''}/${name ?? ''}`;
}

export class CreatedObjects<T extends KubeObject = KubeObject> {
  private readonly entries = new Map<CreatedKey, { object: T; at: number }>();
  /** Counts {@link remember} calls: a reconciler compares it before and after acting, to know whether it created anything. */
  private remembered = 0;

  constructor(private readonly clock: Clock, private readonly ttlMs = 60_000, private readonly maxEntries = 10_000) {}

  /** How many objects have been remembered so far (never decreases). */
  public get generation(): number {
    return this.remembered;
  }

  /** Remembers `object`, as the API server answered its create. */
  public remember(kind: string, object: T): void {
    const key = createdKeyOf(kind, object.metadata.namespace, object.metadata.name);
    this.entries.delete(key);
    this.entries.set(key, { object, at: this.clock.now().getTime() });
    this.remembered++;
    // A Map iterates in insertion order: the first entries are the oldest.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The object created under `key`, if it was created within `ttlMs` and not forgotten since. */
  public get(key: CreatedKey): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.clock.now().getTime() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.object;
  }

  /** Every object remembered and not expired. */
  public list(): T[] {
    const now = this.clock.now().getTime();
    const out: T[] = [];
    for (const [key, entry] of this.entries) {
      if (now - entry.at > this.ttlMs) this.entries.delete(key);
      else out.push(entry.object);
    }
    return out;
  }

  /** Forgets `key`: the cache shows it now, or it was deleted. */
  public forget(key: CreatedKey): void {
    this.entries.delete(key);
  }

  /** How many objects are remembered. */
  public get size(): number {
    return this.entries.size;
  }
}
