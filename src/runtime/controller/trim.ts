/**
 * What the caches keep of each object: the fields the controller reads, nothing else (no
 * `managedFields`, no annotations, no pod specs), so that memory grows with the number of objects,
 * not their size. A spec (of an application, a schedule or a SparkConnect) is kept only while it is small: a larger one (up to the API
 * server's 1.5 MB) is left out of the cache, which keeps its size and fingerprint instead, and the
 * reconciler reads the whole object when it works on it (`whole-spec.ts`).
 */
import { ScheduledSparkApplication, SparkApplication, SparkConnect } from '../../api';
import { specFingerprint } from '../../core';
import { KubeObject } from '../kube/informer';

type Metadata = KubeObject['metadata'];

// The trims read what the API server sent and trust none of it: a field of the wrong type is left
// out (or read as empty), never an exception, so one odd object cannot stop an informer.

/** The metadata fields decisions and writes use. */
function trimMetadata(value: unknown): Metadata {
  const metadata = recordOf(value);
  const { name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, labels, ownerReferences } = metadata;
  return {
    name: stringOf(name),
    namespace: stringOf(namespace),
    uid: stringOf(uid),
    resourceVersion: stringOf(resourceVersion),
    generation,
    creationTimestamp,
    deletionTimestamp,
    labels: isRecord(labels) ? labels : undefined,
    ownerReferences: Array.isArray(ownerReferences) ? ownerReferences : undefined,
  };
}

/**
 * Specs longer than this, as JSON text, are left out of the cache. Ours and upstream's examples are
 * 1 to 5 KiB; pod templates and long configurations still fit.
 */
export const CACHED_SPEC_MAX_CHARS = 32 * 1024;

/** What the cache keeps of a spec it leaves out. */
export interface OmittedSpec {
  /** The length of the spec as JSON text. */
  readonly chars: number;
  /** `specFingerprint()` of the spec, for telling spec changes. */
  readonly fingerprint: string;
}

/** An application or schedule as a cache holds it: `spec` is undefined when `omittedSpec` is set. */
export type Cached<T> = T & KubeObject & { readonly omittedSpec?: OmittedSpec };

/** A SparkApplication as the controller reads it: trimmed metadata, its status, and its spec unless that is large. */
export function trimApplication(object: KubeObject): Cached<SparkApplication> {
  return trimOmittingLargeSpec(recordOf(object)) as Cached<SparkApplication>;
}

/** A ScheduledSparkApplication as the controller reads it: trimmed metadata, its status, and its spec unless that is large. */
export function trimScheduledApplication(object: KubeObject): Cached<ScheduledSparkApplication> {
  return trimOmittingLargeSpec(recordOf(object)) as Cached<ScheduledSparkApplication>;
}

/** An application, schedule or SparkConnect read whole from the API server: trimmed metadata, spec and status. */
export function trimKeepingSpec<T extends SparkApplication | ScheduledSparkApplication | SparkConnect>(object: KubeObject): T & KubeObject {
  return trimResource(recordOf(object)) as T & KubeObject;
}

function trimOmittingLargeSpec(object: Record<string, any>): any {
  const trimmed = trimResource(object);
  const chars = trimmed.spec === undefined ? 0 : JSON.stringify(trimmed.spec).length;
  if (chars <= CACHED_SPEC_MAX_CHARS) return trimmed;
  const omittedSpec: OmittedSpec = { chars, fingerprint: specFingerprint(trimmed.spec) };
  return { ...trimmed, spec: undefined, omittedSpec };
}

/**
 * A SparkConnect as the controller reads it: trimmed metadata, its status, and its spec unless that
 * is large (pod templates and a Service of its own can make it so), as for the other kinds.
 */
export function trimConnect(object: KubeObject): Cached<SparkConnect> {
  return trimOmittingLargeSpec(recordOf(object)) as Cached<SparkConnect>;
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
      conditions: recordsOf(status.conditions).map((c) => ({
        type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime,
      })),
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
