/**
 * The controller's caches: one informer per job namespace and kind (the RBAC is a Role per job
 * namespace, so a cluster-wide list would be refused), or one per kind with `--all-namespaces`.
 * Pods, Services and ConfigMaps are selected by the operator's labels, so the caches hold only
 * what the operator made; each object is trimmed to what the controller reads.
 */
import { Cached, trimApplication, trimPod, trimScheduledApplication, trimService } from './trim';
import { LABELS, ScheduledSparkApplication, SparkApplication } from '../../api';
import { ControllerOptions } from '../../core';
import { Informer, KubeObject } from '../kube/informer';
import { INGRESSES, PODS, Resource, SCHEDULED_SPARK_APPLICATIONS, SERVICES, SPARK_APPLICATIONS } from '../kube/resources';
import { RestClient } from '../kube/rest';
import { Clock } from '../queue/clock';
import { Logger } from '../telemetry/log';

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
}

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
}

function namespacedCache<T extends KubeObject>(rest: RestClient, options: ControllerOptions, resource: Resource, trim: (o: KubeObject) => T,
  clock: Clock, log: Logger, labelSelector?: string): NamespacedCache<T> {
  const namespaces = options.allNamespaces ? [undefined] : [...options.namespaces ?? []];
  return new NamespacedCache(new Map(namespaces.map((namespace) => [
    namespace ?? '',
    new Informer<T>(rest, { resource, namespace, labelSelector, trim, clock, log }),
  ])));
}

/** Creates (but does not start) the caches for the namespaces `options` names. */
export function controllerCaches(rest: RestClient, options: ControllerOptions, clock: Clock, log: Logger): ControllerCaches {
  return {
    applications: namespacedCache(rest, options, SPARK_APPLICATIONS, trimApplication, clock, log),
    scheduledApplications: namespacedCache(rest, options, SCHEDULED_SPARK_APPLICATIONS, trimScheduledApplication, clock, log),
    pods: namespacedCache(rest, options, PODS, trimPod, clock, log, `${LABELS.launchedBy}=true`),
    services: namespacedCache(rest, options, SERVICES, trimService, clock, log, `${LABELS.createdBy}=true`),
    ingresses: namespacedCache(rest, options, INGRESSES, trimService, clock, log, `${LABELS.createdBy}=true`),
  };
}

/** Every informer of `caches`. */
export function allInformers(caches: ControllerCaches): Array<Informer<KubeObject>> {
  return [
    ...caches.applications.all, ...caches.scheduledApplications.all, ...caches.pods.all, ...caches.services.all, ...caches.ingresses.all,
  ] as Array<Informer<KubeObject>>;
}
