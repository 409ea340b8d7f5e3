/**
 * Where the Lease of leader election is kept, as the elector needs it: read it, create it, replace
 * it at the `resourceVersion` last read (a conflict means another replica wrote first). The API
 * server's is `kube-lease-store.ts`; the elector's tests keep one in memory.
 */
import { LeaseRecord } from './lease-step';

/** A Lease as the elector sees it: its spec and the version to write over. */
export interface StoredLease {
  readonly resourceVersion: string;
  readonly spec: LeaseRecord;
}

/** Where the Lease lives. */
export interface LeaseStore {
  /** `namespace/name`, for logs. */
  readonly description: string;
  /** The Lease, or undefined when there is none. */
  read(): Promise<StoredLease | undefined>;
  /** Creates the Lease; fails when it exists. */
  create(spec: LeaseRecord): Promise<StoredLease>;
  /** Replaces the Lease at `current.resourceVersion`; fails when it has changed since. */
  replace(current: StoredLease, spec: LeaseRecord): Promise<StoredLease>;
}
