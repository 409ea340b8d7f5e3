/**
 * The resources as sparkctl reaches them (SparkApplication and ScheduledSparkApplication at
 * v1beta2, SparkConnect at v1alpha1): their paths, and the 404 told apart: no such object, or no
 * such API (a cluster without the CRDs) in exactly those words.
 */
import { CONNECT_CRD_MISSING_MESSAGE, CRDS_MISSING_MESSAGE, CliError } from './errors';
import type { Kube } from './kube';
import { API_GROUP, API_VERSION, CONNECT_API_VERSION, SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES, SPARK_CONNECT_NAMES } from '../api';
import { KubeError, RequestOptions, isKubeError } from '../kube/rest';

/** The three resources. */
export type SparkResource = typeof SPARK_APPLICATION_NAMES | typeof SCHEDULED_SPARK_APPLICATION_NAMES | typeof SPARK_CONNECT_NAMES;

/** The version a resource is served at: SparkConnect's is upstream's v1alpha1. */
function versionOf(resource: SparkResource): string {
  return resource.kind === SPARK_CONNECT_NAMES.kind ? CONNECT_API_VERSION : API_VERSION;
}

/** The path of a resource's collection in `namespace`, or in every namespace when undefined. */
export function collectionPath(resource: SparkResource, namespace: string | undefined): string {
  const base = `/apis/${API_GROUP}/${versionOf(resource)}`;
  return namespace === undefined ? `${base}/${resource.plural}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
}

/** The path of one object. */
export function objectPath(resource: SparkResource, namespace: string, name: string): string {
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
}

/** How an object is named in messages, as kubectl names it: `sparkapplication/spark-pi`. */
export function objectRef(resource: SparkResource, name: string): string {
  return `${resource.singular}/${name}`;
}

/** Whether the cluster serves `resource` at its version (API discovery). */
export async function serves(kube: Kube, resource: SparkResource): Promise<boolean> {
  try {
    const list = await kube.request<{ resources?: Array<{ name: string }> }>('GET', `/apis/${API_GROUP}/${versionOf(resource)}`);
    return (list.resources ?? []).some((r) => r.name === resource.plural);
  } catch (error) {
    if (isKubeError(error, 404)) return false;
    throw error;
  }
}

/**
 * A request about `resource`: a 404 becomes the CRD message when the cluster does not serve the
 * resource, else `<kind> "<name>" not found in namespace "<ns>"` (for `name`).
 */
export async function sparkRequest<T>(kube: Kube, resource: SparkResource, method: string, path: string,
  options: RequestOptions & { name?: string; namespace?: string } = {}): Promise<T> {
  try {
    return await kube.request<T>(method, path, options);
  } catch (error) {
    if (!isKubeError(error, 404)) throw error;
    if (!(await serves(kube, resource))) {
      throw new CliError(resource.kind === SPARK_CONNECT_NAMES.kind ? CONNECT_CRD_MISSING_MESSAGE : CRDS_MISSING_MESSAGE);
    }
    if (options.name !== undefined) {
      throw new KubeError(404, 'NotFound', `${resource.kind} "${options.name}" not found in namespace "${options.namespace ?? kube.namespace}"`);
    }
    throw error;
  }
}
