/**
 * Which of the objects the caches hold count for an application, and what `decide` reads of them.
 * Pure: the shell looks the objects up (by the informer index of the application's label, and by the
 * names the application's rules derive) and hands them here; nothing is counted because of a name or
 * a label alone, only what the application owns.
 */
import { driverPodDisruptionBudget, ingressUrl } from './operator-objects';
import { Observed, ObservedPod } from './types';
import { LABELS, SparkApplication } from '../../../api';
import {
  BATCH_SCHEDULING_OFF, BatchSchedulingSettings, batchSchedulerOf, driverIngressName, driverIngressServiceName, isBatchSchedulerProblem, isOwnedBy,
  labelsOf, podGroupKindOf, podGroupName, uiIngressName, uiServiceName,
} from '../../../core';

/** An object as a cache holds it: what these rules read of it. */
export interface FoundObject {
  readonly metadata: {
    readonly name?: string;
    readonly labels?: unknown;
    readonly ownerReferences?: unknown;
    readonly creationTimestamp?: unknown;
    readonly deletionTimestamp?: unknown;
  };
  readonly spec?: unknown;
  readonly status?: unknown;
}

/** What the shell found for one application, in its caches or among the objects it just created. */
export interface FoundObjects {
  /** The pods the caches index under the application (its `app-name` label), of any submission. */
  readonly pods: readonly FoundObject[];
  /** The pod named `observedDriverPodName(app)`. */
  readonly driverPod?: FoundObject;
  /** The object named `uiServiceName(app)`. */
  readonly uiService?: FoundObject;
  /** The object named `uiIngressName(app)`. */
  readonly uiIngress?: FoundObject;
}

/** An application with the identity these rules need. */
type Identified = SparkApplication & { metadata: { name?: string; uid?: string } };

/** What the shell tells {@link observe} beside the objects it found. */
export interface ObserveOptions {
  readonly specChanged: boolean;
  /** `--ingress-url-format`, when set. */
  readonly ingressUrlFormat?: string;
}

/**
 * What `decide` observes for `app` from `found`: its own driver pod (named for it, with its
 * `app-name` label, owned by it), the executors of its current submission, whether any driver pod,
 * UI Service or UI Ingress of it remains, and the UI addresses. `ingressUrlFormat` is
 * `--ingress-url-format`, when set.
 */
export function observe(app: Identified, found: FoundObjects, options: ObserveOptions): Observed {
  const uid = app.metadata.uid!;
  const owned = (o: FoundObject | undefined) => (o !== undefined && isOwnedBy(o, uid) ? o : undefined);
  const submission = app.status?.submissionID;
  const executorPods = found.pods.filter((p) => labelOf(p, LABELS.sparkRole) === 'executor' && labelOf(p, LABELS.submissionId) === submission);
  const service = owned(found.uiService);
  const ingress = owned(found.uiIngress);
  const driver = found.driverPod && labelOf(found.driverPod, LABELS.appName) === app.metadata.name ? owned(found.driverPod) : undefined;
  const spec = (service?.spec ?? {}) as { clusterIP?: string; ports?: Array<{ port?: number }> };
  return {
    driverPod: driver ? observedPod(driver) : undefined,
    executorPods: executorPods.map(observedPod),
    resourcesRemain: found.pods.some((p) => labelOf(p, LABELS.sparkRole) === 'driver' && owned(p) !== undefined)
      || driver !== undefined || service !== undefined || ingress !== undefined,
    specChanged: options.specChanged,
    uiService: service ? { clusterIP: spec.clusterIP, port: spec.ports?.[0]?.port } : undefined,
    uiIngress: ingress && options.ingressUrlFormat ? { url: ingressUrl(options.ingressUrlFormat, app).href } : undefined,
    ...takenNames(found, owned),
  };
}

/** Which UI names an object that is not the application's holds (none: no field). */
function takenNames(found: FoundObjects, owned: (o: FoundObject | undefined) => FoundObject | undefined): Pick<Observed, 'uiNamesTaken'> {
  const service = found.uiService !== undefined && owned(found.uiService) === undefined;
  const ingress = found.uiIngress !== undefined && owned(found.uiIngress) === undefined;
  if (!service && !ingress) return {};
  return { uiNamesTaken: { ...service ? { service } : {}, ...ingress ? { ingress } : {} } };
}

/** An object `deleteResources` deletes if the application owns it. */
export interface OwnedObjectToDelete {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The delete's grace period. @default - the object's own */
  readonly gracePeriodSeconds?: number;
  /** The object as the caches hold it, when they do (the shell then sends no GET before the delete). */
  readonly known?: FoundObject;
}

/**
 * What `deleteResources` deletes, in order, each only if the application owns it: its driver pods
 * (of any submission, as the caches have them), the UI Service (at once, as upstream), the UI
 * Ingress, the Services and Ingresses of its driver ingresses (by name only: what the spec says of
 * them may be unusable, and must not keep the rest from being deleted), the driver's PDB, and the
 * PodGroup of its batch scheduler (with `batchScheduling`), so that the next submission gets its own
 * (a Volcano PodGroup whose pods finished is done, and would not take a new driver).
 */
export function resourcesToDelete(app: Identified, pods: readonly FoundObject[],
  batchScheduling: BatchSchedulingSettings = BATCH_SCHEDULING_OFF): OwnedObjectToDelete[] {
  const name = app.metadata.name!;
  const objects: OwnedObjectToDelete[] = pods
    .filter((p) => labelOf(p, LABELS.sparkRole) === 'driver' && p.metadata.name)
    .map((p) => ({ apiVersion: 'v1', kind: 'Pod', name: p.metadata.name!, known: p }));
  objects.push({ apiVersion: 'v1', kind: 'Service', name: uiServiceName(name), gracePeriodSeconds: 0 });
  objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: uiIngressName(name) });
  for (const options of app.spec.driverIngressOptions ?? []) {
    if (typeof options?.servicePort !== 'number') continue;
    objects.push({ apiVersion: 'v1', kind: 'Service', name: driverIngressServiceName(name, options.servicePort) });
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: driverIngressName(name, options.servicePort) });
  }
  const pdb = driverPodDisruptionBudget(app) as { apiVersion: string; kind: string; metadata: { name: string } };
  objects.push({ apiVersion: pdb.apiVersion, kind: pdb.kind, name: pdb.metadata.name });
  const choice = batchSchedulerOf(app.spec ?? {}, batchScheduling);
  const podGroup = isBatchSchedulerProblem(choice) ? undefined : podGroupKindOf(choice);
  if (podGroup && !isBatchSchedulerProblem(choice)) {
    objects.push({ apiVersion: podGroup.apiVersion, kind: podGroup.kind, name: podGroupName(choice, name)! });
  }
  return objects;
}

/** A cached pod as `decide` reads it. */
export function observedPod(pod: FoundObject): ObservedPod {
  const status = (pod.status ?? {}) as Record<string, any>;
  return {
    name: pod.metadata.name!,
    labels: labelsOf(pod),
    phase: status.phase,
    creationTimestamp: pod.metadata.creationTimestamp as string | undefined,
    deletionTimestamp: pod.metadata.deletionTimestamp as string | undefined,
    podIP: status.podIP,
    reason: status.reason,
    message: status.message,
    conditions: status.conditions,
    containerStatuses: status.containerStatuses,
  };
}

function labelOf(object: FoundObject, label: string): string | undefined {
  return labelsOf(object)[label];
}
