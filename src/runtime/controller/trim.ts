/**
 * What the caches keep of each object: the fields the controller reads, nothing else (no
 * `managedFields`, no pod specs), so that memory grows with the number of objects, not their size.
 */
import { ScheduledSparkApplication, SparkApplication } from '../../api';
import { KubeObject } from '../kube/informer';

type Metadata = KubeObject['metadata'];

// The trims read what the API server sent and trust none of it: a field of the wrong type is left
// out (or read as empty), never an exception, so one odd object cannot stop an informer.

/** The metadata fields decisions and writes use. */
function trimMetadata(value: unknown): Metadata {
  const metadata = recordOf(value);
  const { name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, labels, annotations, ownerReferences } = metadata;
  return {
    name: stringOf(name),
    namespace: stringOf(namespace),
    uid: stringOf(uid),
    resourceVersion: stringOf(resourceVersion),
    generation,
    creationTimestamp,
    deletionTimestamp,
    labels: isRecord(labels) ? labels : undefined,
    annotations: isRecord(annotations) ? annotations : undefined,
    ownerReferences: Array.isArray(ownerReferences) ? ownerReferences : undefined,
  };
}

/** A SparkApplication as the controller reads it: all of its spec and status, trimmed metadata. */
export function trimApplication(object: KubeObject): SparkApplication & KubeObject {
  const app = recordOf(object);
  return trimResource(app) as SparkApplication & KubeObject;
}

/** A ScheduledSparkApplication as the controller reads it: all of its spec and status, trimmed metadata. */
export function trimScheduledApplication(object: KubeObject): ScheduledSparkApplication & KubeObject {
  const app = recordOf(object);
  return trimResource(app) as ScheduledSparkApplication & KubeObject;
}

/** A Service or Ingress as the controller reads it: identity and spec (the UI address). */
export function trimService(object: KubeObject): KubeObject {
  const service = recordOf(object);
  const { status: _status, ...trimmed } = trimResource(service);
  return trimmed;
}

/** A pod as the controller reads it: identity, labels, phase, IP, conditions and container states. */
export function trimPod(object: KubeObject): KubeObject {
  const pod = recordOf(object);
  const status = recordOf(pod.status);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: trimMetadata(pod.metadata),
    status: {
      phase: stringOf(status.phase),
      reason: stringOf(status.reason),
      message: stringOf(status.message),
      podIP: stringOf(status.podIP),
      conditions: recordsOf(status.conditions).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
      containerStatuses: recordsOf(status.containerStatuses).map((c) => ({ name: c.name, state: objectOrUndefined(c.state) })),
    },
  };
}

/** Identity, trimmed metadata, spec and status. */
function trimResource(object: Record<string, any>): any {
  return {
    apiVersion: stringOf(object.apiVersion),
    kind: stringOf(object.kind),
    metadata: trimMetadata(object.metadata),
    spec: objectOrUndefined(object.spec),
    status: objectOrUndefined(object.status),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` if it is a JSON object, else an empty one. */
function recordOf(value: unknown): Record<string, any> {
  return isRecord(value) ? value : {};
}

function objectOrUndefined(value: unknown): Record<string, any> | undefined {
  return isRecord(value) ? value : undefined;
}

/** The JSON objects of `value` if it is a list, else none. */
function recordsOf(value: unknown): Array<Record<string, any>> {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
