/**
 * Status writes through the `status` subresource with optimistic concurrency: the write carries the
 * resourceVersion the decision was made from, so a status that changed in between answers `409
 * Conflict` and is never overwritten; the caller decides again from the newer object.
 */
import { KubeObject } from './informer';
import { Resource, pathOf } from './resources';
import { RestClient } from './rest';

/** Replaces `object`'s status with `status`, if the object is still at the version it was read at; returns the stored object. */
export async function writeStatus<T extends KubeObject>(rest: RestClient, resource: Resource, object: T, status: unknown): Promise<T> {
  return rest.request<T>('PUT', pathOf(resource, object.metadata.namespace, object.metadata.name, 'status'), {
    body: { ...object, status },
  });
}
