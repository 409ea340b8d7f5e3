/**
 * Idempotent writes. Every object the operator creates has a deterministic name, so creating it a
 * second time (a restart, a retry) answers `409 AlreadyExists`; that is success when the object there
 * is ours (same owner), and an error on the application when it belongs to something else.
 */
import { KubeObject } from './informer';
import { pathOf, resourceOf } from './resources';
import { LABELS } from '../../api';
import { isOwnedBy } from '../../core';
import { RestClient, isKubeError } from '../../kube/rest';


/** The uid of an object's controller (or first) owner. */
function ownerUid(object: KubeObject): string | undefined {
  const owners = (object.metadata.ownerReferences ?? []) as Array<{ uid: string; controller?: boolean }>;
  return (owners.find((o) => o.controller) ?? owners[0])?.uid;
}

/** Thrown when the name of an object we would create is taken by an object that is not ours. */
export class ForeignObjectError extends Error {
  constructor(public readonly kind: string, public readonly objectName: string) {
    super(`${kind} '${objectName}' already exists and does not belong to this application: delete it or rename the application`);
    this.name = 'ForeignObjectError';
  }
}

/**
 * Creates `object` and returns it as stored; if one with its name exists and is ours (the same
 * owner, and the same `sparkoperator.k8s.io/submission-id` label when `object` has one), returns
 * that one; any other answers `ForeignObjectError`.
 */
export async function createOrAdopt(rest: RestClient, object: KubeObject): Promise<KubeObject> {
  const resource = resourceOf(object);
  const namespace = object.metadata.namespace;
  try {
    return await rest.request<KubeObject>('POST', pathOf(resource, namespace), { body: object });
  } catch (error) {
    if (!isKubeError(error, 409)) throw error;
    const existing = await rest.request<KubeObject>('GET', pathOf(resource, namespace, object.metadata.name));
    if (isSameOwner(existing, object)) return existing;
    throw new ForeignObjectError(resource.kind, object.metadata.name ?? '');
  }
}

/** Ours: the same owner, and the same submission when the wanted object names one. */
function isSameOwner(existing: KubeObject, wanted: KubeObject): boolean {
  const label = LABELS.submissionId;
  const labels = (o: KubeObject) => (o.metadata.labels ?? {}) as Record<string, string>;
  const submission = labels(wanted)[label];
  if (submission !== undefined && labels(existing)[label] !== submission) return false;
  const want = ownerUid(wanted);
  if (want !== undefined) return ownerUid(existing) === want;
  return submission !== undefined;
}

/** Deletes an object; one that is already gone is fine. */
export async function deleteIfPresent(rest: RestClient, object: { apiVersion: string; kind: string; metadata: { namespace?: string; name: string } },
  gracePeriodSeconds?: number): Promise<void> {
  try {
    await rest.request('DELETE', pathOf(resourceOf(object), object.metadata.namespace, object.metadata.name), {
      query: { gracePeriodSeconds },
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
  } catch (error) {
    if (!isKubeError(error, 404)) throw error;
  }
}

/** An object to delete, named. */
type ObjectRef = { apiVersion: string; kind: string; metadata: { namespace?: string; name: string } };

/** What {@link deleteIfOwned} found. */
export type OwnedDeletion = 'deleted' | 'absent' | 'foreign';

/**
 * Deletes the object `ref` names only if it is owned by the object of uid `owner`: a name the operator derives from
 * user input (`spec.driver.podName`, an application's name) may be taken by an object that is not
 * ours, and that one must never be deleted. The delete is conditional on the uid of the object
 * looked at (`preconditions.uid`), so an object replaced in between is left alone too. `known` is
 * the object as a cache has it (no GET then).
 */
export async function deleteIfOwned(rest: RestClient, ref: ObjectRef, owner: string,
  options: { gracePeriodSeconds?: number; known?: KubeObject } = {}): Promise<OwnedDeletion> {
  const path = pathOf(resourceOf(ref), ref.metadata.namespace, ref.metadata.name);
  let existing = options.known;
  if (existing === undefined) {
    try {
      existing = await rest.request<KubeObject>('GET', path);
    } catch (error) {
      if (isKubeError(error, 404)) return 'absent';
      throw error;
    }
  }
  if (!isOwnedBy(existing, owner)) return 'foreign';
  try {
    await rest.request('DELETE', path, {
      query: { gracePeriodSeconds: options.gracePeriodSeconds },
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: { uid: existing.metadata.uid } },
    });
    return 'deleted';
  } catch (error) {
    if (isKubeError(error, 404)) return 'absent';
    // The precondition failed: the object there now is another one.
    if (isKubeError(error, 409)) return 'foreign';
    throw error;
  }
}

