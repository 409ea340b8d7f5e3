/**
 * The Lease of leader election on the API server: read it, create it, replace it at the
 * `resourceVersion` last read (a conflict means another replica wrote first).
 */
import { LeaseRecord } from './lease-step';
import { RestClient, isKubeError } from '../kube/rest';

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

interface Lease {
  readonly metadata: { readonly resourceVersion?: string };
  readonly spec?: LeaseRecord;
}

/**
 * The Lease `namespace/name` through `rest` (a client of the elector's own, whose writes are not
 * fenced); each request gives up after `timeoutMs`.
 */
export function kubeLeaseStore(rest: RestClient, namespace: string, name: string, timeoutMs: number): LeaseStore {
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
  const stored = (lease: Lease): StoredLease => ({ resourceVersion: lease.metadata.resourceVersion ?? '', spec: lease.spec ?? {} });
  const body = (spec: LeaseRecord, resourceVersion?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...resourceVersion === undefined ? {} : { resourceVersion } },
    spec,
  });
  return {
    description: `${namespace}/${name}`,
    read: async () => {
      try {
        return stored(await rest.request<Lease>('GET', `${collection}/${name}`, { timeoutMs }));
      } catch (error) {
        if (isKubeError(error, 404)) return undefined;
        throw error;
      }
    },
    create: async (spec) => stored(await rest.request<Lease>('POST', collection, { body: body(spec), timeoutMs })),
    replace: async (current, spec) => stored(await rest.request<Lease>('PUT', `${collection}/${name}`, { body: body(spec, current.resourceVersion), timeoutMs })),
  };
}
