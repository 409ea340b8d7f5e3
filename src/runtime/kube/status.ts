/**
 * Status writes through the `status` subresource with optimistic concurrency: the write carries the
 * resourceVersion the decision was made from, so a status that changed in between answers `409
 * Conflict` and is never overwritten; the caller decides again from the newer object.
 */
import { KubeObject } from './informer';
import { Resource, pathOf } from './resources';
import { RestClient } from '../../kube/rest';

/**
 * Replaces `object`'s status with `status`, if the object is still at the version it was read at;
 * returns the stored object. Only the identity, the version and the status are sent: the status
 * subresource takes everything else from the stored object (the CRD status strategy copies the old
 * object and sets the new status), so a large spec is not sent back with every write.
 */
export async function writeStatus<T extends KubeObject>(rest: RestClient, resource: Resource, object: T, status: unknown): Promise<T> {
  const { name, namespace, uid, resourceVersion } = object.metadata;
  return rest.request<T>('PUT', pathOf(resource, namespace, name, 'status'), {
    body: { apiVersion: object.apiVersion, kind: object.kind, metadata: { name, namespace, uid, resourceVersion }, status },
  });
}
