/** The API resources the runtime reads and writes, and their REST paths. */
import {
  API_GROUP, API_VERSION, CONNECT_GROUP_VERSION, SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES, SPARK_CONNECT_NAMES,
} from '../../api';
import { KUBE_SCHEDULER_POD_GROUP, PodGroupKind, VOLCANO_POD_GROUP } from '../../core';

/** Where a kind of object lives in the REST API. */
export interface Resource {
  /** `v1` (core) or `<group>/<version>`. */
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
}

function resource(apiVersion: string, kind: string, plural: string): Resource {
  return { apiVersion, kind, plural };
}

export const PODS = resource('v1', 'Pod', 'pods');
export const SERVICES = resource('v1', 'Service', 'services');
export const CONFIG_MAPS = resource('v1', 'ConfigMap', 'configmaps');
export const EVENTS = resource('v1', 'Event', 'events');
export const INGRESSES = resource('networking.k8s.io/v1', 'Ingress', 'ingresses');
export const POD_DISRUPTION_BUDGETS = resource('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets');
export const LEASES = resource('coordination.k8s.io/v1', 'Lease', 'leases');
export const SPARK_APPLICATIONS = resource(`${API_GROUP}/${API_VERSION}`, SPARK_APPLICATION_NAMES.kind, SPARK_APPLICATION_NAMES.plural);
export const SCHEDULED_SPARK_APPLICATIONS = resource(`${API_GROUP}/${API_VERSION}`, SCHEDULED_SPARK_APPLICATION_NAMES.kind, SCHEDULED_SPARK_APPLICATION_NAMES.plural);
export const SPARK_CONNECTS = resource(CONNECT_GROUP_VERSION, SPARK_CONNECT_NAMES.kind, SPARK_CONNECT_NAMES.plural);

const podGroups = (kind: PodGroupKind) => resource(kind.apiVersion, kind.kind, kind.resource);
export const VOLCANO_POD_GROUPS = podGroups(VOLCANO_POD_GROUP);
export const KUBE_SCHEDULER_POD_GROUPS = podGroups(KUBE_SCHEDULER_POD_GROUP);

/** The resource of an object by its `apiVersion` and `kind`. */
export function resourceOf(object: { apiVersion?: string; kind?: string }): Resource {
  const found = [
    PODS, SERVICES, CONFIG_MAPS, EVENTS, INGRESSES, POD_DISRUPTION_BUDGETS, LEASES, SPARK_APPLICATIONS, SCHEDULED_SPARK_APPLICATIONS,
    SPARK_CONNECTS, VOLCANO_POD_GROUPS, KUBE_SCHEDULER_POD_GROUPS,
  ]
    .find((r) => r.apiVersion === object.apiVersion && r.kind === object.kind);
  if (!found) throw new Error(`the runtime does not manage ${object.apiVersion}/${object.kind}`);
  return found;
}

/** The path of a collection (no `name`), an object, or its subresource; no namespace: every namespace. */
export function pathOf(r: Resource, namespace?: string, name?: string, subresource?: string): string {
  const root = r.apiVersion === 'v1' ? '/api/v1' : `/apis/${r.apiVersion}`;
  return [root, namespace !== undefined ? `namespaces/${namespace}` : undefined, r.plural, name, subresource]
    .filter((part) => part !== undefined).join('/');
}
