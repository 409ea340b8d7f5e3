/**
 * Who owns what a submission creates, so that garbage collection cleans up:
 * the SparkApplication owns its driver pod (as controller, blocking the owner's deletion, like
 * upstream's webhook step 1); the driver pod owns the ConfigMap and the Service (as Spark's
 * `KubernetesUtils.addOwnerReference` does once the pod exists); the executor template names the
 * application as a non-controller owner (upstream's, for Kueue) next to the controller reference
 * to the driver pod that Spark adds to each executor. Only the operator's own reference blocks the
 * owner's deletion: the driver creates the executors, and with the OwnerReferencesPermissionEnforcement
 * admission plugin (on in OpenShift) `blockOwnerDeletion` would need `update` on
 * `sparkapplications/finalizers`, which the driver's role rightly lacks; garbage collection needs no
 * such flag.
 */
import { KubeObject, OwnerReference } from './kube-objects';
import { GROUP_VERSION, SparkApplication, SPARK_APPLICATION_NAMES } from '../../api';

/** The reference to `app`, or undefined while it has no `metadata.uid` (an application read from a file). */
export function applicationOwnerReference(app: SparkApplication, controller: boolean): OwnerReference | undefined {
  const { name, uid } = app.metadata;
  if (!name || !uid) return undefined;
  return { apiVersion: GROUP_VERSION, kind: SPARK_APPLICATION_NAMES.kind, name, uid, controller, ...controller ? { blockOwnerDeletion: true } : {} };
}

/** `object` with `reference` appended to its owners (unchanged when there is none). */
export function withOwner<T extends KubeObject>(object: T, reference: OwnerReference | undefined): T {
  if (!reference) return object;
  return { ...object, metadata: { ...object.metadata, ownerReferences: [...object.metadata.ownerReferences ?? [], reference] } };
}

/**
 * `object` owned by the created driver pod (it needs the pod's `metadata.uid`): its owner
 * references are replaced by the one to the pod, as Spark does for the ConfigMap and the Service.
 */
export function ownedByDriverPod<T extends KubeObject>(object: T, driverPod: { metadata: { name?: string; uid?: string } }): T {
  const { name, uid } = driverPod.metadata;
  if (!name || !uid) throw new Error('ownedByDriverPod needs the created driver pod (with metadata.name and metadata.uid)');
  return { ...object, metadata: { ...object.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid, controller: true }] } };
}
