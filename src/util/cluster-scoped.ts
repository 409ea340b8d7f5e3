import { ApiObject, Chart, JsonPatch } from 'cdk8s';

/**
 * Marks an API object as cluster-scoped: cdk8s gives every object its chart's namespace, and a
 * namespace on a cluster-scoped object (CRD, ClusterRole, webhook configuration ...) is an error
 * for some tools and noise in every diff.
 */
export function makeClusterScoped(apiObject: ApiObject): void {
  if (Chart.of(apiObject).namespace !== undefined) {
    apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
