/** The Lease of leader election on the API server (`coordination.k8s.io/v1`). */
import { LeaseRecord } from './lease-step';
import { LeaseStore, StoredLease } from './lease-store';
import { RestClient, isKubeError } from '../../kube/rest';

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
