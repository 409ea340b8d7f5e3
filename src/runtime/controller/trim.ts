/**
 * What the caches keep of each object: the fields the controller reads, nothing else (no
 * `managedFields`, no pod specs), so that memory grows with the number of objects, not their size.
 */
import { ScheduledSparkApplication, SparkApplication } from '../../api';
import { KubeObject } from '../kube/informer';

type Metadata = KubeObject['metadata'];

/** The metadata fields decisions and writes use. */
function trimMetadata(metadata: Metadata): Metadata {
  const { name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, labels, annotations, ownerReferences } = metadata;
  return { name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, labels, annotations, ownerReferences };
}

/** A SparkApplication as the controller reads it: all of its spec and status, trimmed metadata. */
export function trimApplication(object: KubeObject): SparkApplication & KubeObject {
  const app = object as unknown as SparkApplication & KubeObject;
  const trimmed = { apiVersion: app.apiVersion, kind: app.kind, metadata: trimMetadata(app.metadata), spec: app.spec, status: app.status };
  return trimmed as SparkApplication & KubeObject;
}

/** A ScheduledSparkApplication as the controller reads it: all of its spec and status, trimmed metadata. */
export function trimScheduledApplication(object: KubeObject): ScheduledSparkApplication & KubeObject {
  const app = object as unknown as ScheduledSparkApplication & KubeObject;
  const trimmed = { apiVersion: app.apiVersion, kind: app.kind, metadata: trimMetadata(app.metadata), spec: app.spec, status: app.status };
  return trimmed as ScheduledSparkApplication & KubeObject;
}

/** A Service or Ingress as the controller reads it: identity and spec (the UI address). */
export function trimService(object: KubeObject): KubeObject {
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: trimMetadata(object.metadata), spec: object.spec };
}

/** A pod as the controller reads it: identity, labels, phase, IP, conditions and container states. */
export function trimPod(object: KubeObject): KubeObject {
  const status = (object.status ?? {}) as Record<string, any>;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: trimMetadata(object.metadata),
    status: {
      phase: status.phase,
      reason: status.reason,
      message: status.message,
      podIP: status.podIP,
      conditions: (status.conditions ?? []).map((c: any) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
      containerStatuses: (status.containerStatuses ?? []).map((c: any) => ({ name: c.name, state: c.state })),
    },
  };
}
