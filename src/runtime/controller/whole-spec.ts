/**
 * The whole object, for a reconciler working on an application, schedule or SparkConnect whose spec the cache left
 * out (`trim.ts`, large specs): read from the API server, so decisions always see the whole spec while
 * the cache holds only small ones. A worker holds one such object at a time.
 */
import { Cached, trimKeepingSpec } from './trim';
import { ScheduledSparkApplication, SparkApplication, SparkConnect } from '../../api';
import { RestClient, isKubeError } from '../../kube/rest';
import { KubeObject } from '../kube/informer';
import { Resource, pathOf } from '../kube/resources';

/**
 * `cached` itself when it has its spec; otherwise the object as the API server has it now (never
 * older than `cached`), or undefined when it is gone.
 */
export async function withWholeSpec<T extends SparkApplication | ScheduledSparkApplication | SparkConnect>(rest: RestClient, resource: Resource,
  cached: Cached<T>): Promise<(T & KubeObject) | undefined> {
  if (!cached.omittedSpec) return cached;
  try {
    const whole = await rest.request<KubeObject>('GET', pathOf(resource, cached.metadata.namespace, cached.metadata.name));
    return trimKeepingSpec<T>(whole);
  } catch (error) {
    if (isKubeError(error, 404)) return undefined;
    throw error;
  }
}
