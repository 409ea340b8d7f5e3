/**
 * The controller's caches: one informer per job namespace and kind (the RBAC is a Role per job
 * namespace, so a cluster-wide list would be refused), or one per kind with `--all-namespaces`.
 * Pods, Services and ConfigMaps are selected by the operator's labels, so the caches hold only
 * what the operator made; each object is trimmed to what the controller reads.
 */
import { Cached, trimApplication, trimConnect, trimPod, trimScheduledApplication, trimService } from './trim';
import { LABELS, ScheduledSparkApplication, SparkApplication, SparkConnect } from '../../api';
import { ControllerOptions } from '../../core';
import { Clock } from '../../kube/clock';
import { Logger } from '../../kube/log';
import { RestClient } from '../../kube/rest';
import { Informer, KubeObject } from '../kube/informer';
import { INGRESSES, PODS, Resource, SCHEDULED_SPARK_APPLICATIONS, SERVICES, SPARK_APPLICATIONS, SPARK_CONNECTS } from '../kube/resources';

/** A cache per namespace of one kind, read as one. */
export class NamespacedCache<T extends KubeObject> {
  constructor(private readonly informers: ReadonlyMap<string, Informer<T>>) {}

  /** The informers (one per watched namespace; key `''` with `--all-namespaces`). */
  public get all(): Array<Informer<T>> {
    return [...this.informers.values()];
  }

  /** The cached object `namespace/name`. */
  public get(key: string): T | undefined {
    const namespace = key.slice(0, key.indexOf('/'));
    return (this.informers.get(namespace) ?? this.informers.get(''))?.get(key);
  }

  /** Every cached object. */
  public list(): T[] {
    return this.all.flatMap((i) => i.list());
  }

  /** The cached objects the index `name` files under `value` (a `namespace/name` key). */
  public byIndex(name: string, value: string): T[] {
    const namespace = value.slice(0, value.indexOf('/'));
    return (this.informers.get(namespace) ?? this.informers.get(''))?.byIndex(name, value) ?? [];
  }
}

/** Index of the pods by the application they run for: `namespace/<app-name label>`. */
export const PODS_BY_APPLICATION = 'application';
/** Index of the pods by the SparkConnect they serve (server and executors): `namespace/<connect-name label>`. */
export const PODS_BY_CONNECT = 'connect';
/** Index of the SparkApplications by the schedule they are a run of: `namespace/<scheduled-app-name label>`. */
export const RUNS_BY_SCHEDULE = 'schedule';

/** `namespace/<value of label>` of `object`, or none. */
function byLabel(label: string): (object: KubeObject) => string[] {
  return (object) => {
    const value = (object.metadata.labels as Record<string, string> | undefined)?.[label];
    return value ? [`${object.metadata.namespace}/${value}`] : [];
  };
}

/** The application key of a pod (its app-name label), or of a run's schedule: the same rule as the indexes. */
export const applicationOfPod = (pod: KubeObject): string | undefined => byLabel(LABELS.appName)(pod)[0];
export const scheduleOfRun = (run: KubeObject): string | undefined => byLabel(LABELS.scheduledAppName)(run)[0];
export const connectOfPod = (pod: KubeObject): string | undefined => byLabel(LABELS.connectName)(pod)[0];

/** The caches the controllers read. */
export interface ControllerCaches {
  /** The SparkApplications, scheduled runs among them (the ScheduledSparkApplication controller indexes those by label). */
  readonly applications: NamespacedCache<Cached<SparkApplication>>;
  readonly scheduledApplications: NamespacedCache<Cached<ScheduledSparkApplication>>;
  readonly pods: NamespacedCache<KubeObject>;
  /** The Services the operator created (UI, driver ingresses). */
  readonly services: NamespacedCache<KubeObject>;
  /** The Ingresses the operator created. */
  readonly ingresses: NamespacedCache<KubeObject>;
  readonly sparkConnects: NamespacedCache<Cached<SparkConnect>>;
}

function namespacedCache<T extends KubeObject>(rest: RestClient, options: ControllerOptions, resource: Resource, trim: (o: KubeObject) => T,
  clock: Clock, log: Logger, labelSelector?: string, index?: { name: string; valuesOf: (o: KubeObject) => string[] }): NamespacedCache<T> {
  const namespaces = options.allNamespaces ? [undefined] : [...options.namespaces ?? []];
  return new NamespacedCache(new Map(namespaces.map((namespace) => {
    const informer = new Informer<T>(rest, { resource, namespace, labelSelector, trim, clock, log });
    if (index) informer.addIndex(index.name, index.valuesOf);
    return [namespace ?? '', informer];
  })));
}

/** Creates (but does not start) the caches for the namespaces `options` names. */
export function controllerCaches(rest: RestClient, options: ControllerOptions, clock: Clock, log: Logger): ControllerCaches {
  const caches = {
    applications: namespacedCache(rest, options, SPARK_APPLICATIONS, trimApplication, clock, log, undefined,
      { name: RUNS_BY_SCHEDULE, valuesOf: byLabel(LABELS.scheduledAppName) }),
    scheduledApplications: namespacedCache(rest, options, SCHEDULED_SPARK_APPLICATIONS, trimScheduledApplication, clock, log),
    pods: namespacedCache(rest, options, PODS, trimPod, clock, log, `${LABELS.launchedBy}=true`,
      { name: PODS_BY_APPLICATION, valuesOf: byLabel(LABELS.appName) }),
    services: namespacedCache(rest, options, SERVICES, trimService, clock, log, `${LABELS.createdBy}=true`),
    ingresses: namespacedCache(rest, options, INGRESSES, trimService, clock, log, `${LABELS.createdBy}=true`),
    sparkConnects: namespacedCache(rest, options, SPARK_CONNECTS, trimConnect, clock, log),
  };
  for (const informer of caches.pods.all) informer.addIndex(PODS_BY_CONNECT, byLabel(LABELS.connectName));
  return caches;
}

/** Every informer of `caches`. */
export function allInformers(caches: ControllerCaches): Array<Informer<KubeObject>> {
  return [
    ...caches.applications.all, ...caches.scheduledApplications.all, ...caches.pods.all, ...caches.services.all, ...caches.ingresses.all,
    ...caches.sparkConnects.all,
  ] as Array<Informer<KubeObject>>;
}
