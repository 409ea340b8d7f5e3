/**
 * The SparkConnect controller's shell: it reads the caches (the SparkConnect; its server and
 * executor pods by the informer index of their `connect-name` label; its Service), asks the pure
 * core (`decide`) what to do, creates, rewrites and deletes with idempotent calls, and writes the
 * status through the status subresource. What it creates is owned by the SparkConnect, so the
 * garbage collector deletes it with the SparkConnect.
 */
import { ConnectAction, ConnectDecideOptions, ConnectObserved, ObservedObject, connectFingerprint, decide } from './index';
import { LABELS, SparkConnect } from '../../../api';
import { connectServerPodName, connectServiceName, isOwnedBy } from '../../../core';
import { isFinalApiError } from '../../../kube/api-errors';
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';
import { RestClient, isKubeError } from '../../../kube/rest';
import { EventRecorder } from '../../kube/events';
import { KubeObject, keyOf } from '../../kube/informer';
import { ForeignObjectError, createOrAdopt, deleteIfOwned } from '../../kube/objects';
import { CONFIG_MAPS, SPARK_CONNECTS, pathOf } from '../../kube/resources';
import { ConfigMap } from '../../submission';
import { ControllerCaches, PODS_BY_CONNECT, connectOfPod } from '../caches';
import { CreatedObjects, createdKeyOf } from '../created-objects';
import { ReconcileResult, Reconciler } from '../shell/controller';
import { WrittenStatuses } from '../shell/written-statuses';
import { Cached, trimConnect, trimPod, trimService } from '../trim';
import { withWholeSpec } from '../whole-spec';

type Connect = SparkConnect & KubeObject;

/** What the reconciler works with. */
export interface ConnectReconcilerDependencies {
  readonly rest: RestClient;
  readonly caches: ControllerCaches;
  readonly events: EventRecorder;
  readonly log: Logger;
  readonly clock: Clock;
  readonly decideOptions: ConnectDecideOptions;
}

/** How soon a create the API server refused for good is tried again (the user may have freed the name). */
export const REFUSED_RETRY_MS = 60_000;

export class SparkConnectReconciler implements Reconciler {
  /** Server pods and Services this controller created that the caches may not show yet. */
  private readonly created: CreatedObjects;
  private readonly written: WrittenStatuses<Cached<SparkConnect>>;

  constructor(private readonly deps: ConnectReconcilerDependencies) {
    this.written = new WrittenStatuses(deps.rest, SPARK_CONNECTS, trimConnect);
    this.created = new CreatedObjects(deps.clock);
  }

  /** A SparkConnect's key is queued on every change to it, its pods or its Service. */
  public watch(enqueue: (key: string) => void): void {
    const { caches } = this.deps;
    for (const informer of caches.sparkConnects.all) {
      informer.on({
        added: (connect) => enqueue(keyOf(connect)),
        updated: (_, connect) => enqueue(keyOf(connect)),
        deleted: (connect) => this.written.forget(keyOf(connect)),
      });
    }
    const changed = (kind: string) => (object: KubeObject) => {
      this.created.forget(createdKeyOf(kind, object.metadata.namespace, object.metadata.name));
      const connect = connectOfPod(object);
      if (connect) enqueue(connect);
    };
    for (const [informers, kind] of [[caches.pods.all, 'Pod'], [caches.services.all, 'Service']] as const) {
      for (const informer of informers) {
        const seen = changed(kind);
        informer.on({
          added: seen,
          updated: (old, object) => {
            if (connectOfPod(old) !== connectOfPod(object)) seen(old);
            seen(object);
          },
          deleted: seen,
        });
      }
    }
  }

  /** Decides and acts for the SparkConnect `key`, and writes its status. */
  public async reconcile(key: string): Promise<ReconcileResult> {
    const latest = this.written.latest(key, this.deps.caches.sparkConnects.get(key));
    // Read from the API server when the cache left a large spec out.
    const connect = latest && await withWholeSpec(this.deps.rest, SPARK_CONNECTS, latest);
    if (!connect || connect.metadata.deletionTimestamp) return {};
    const observed = this.observe(key, connect);
    const now = this.deps.clock.now();
    const decision = decide(connect, observed, now, this.deps.decideOptions);
    try {
      for (const action of decision.actions) await this.act(connect, action);
    } catch (error) {
      // A refusal no retry changes becomes the status (Failed) and an Event; anything else is retried with backoff.
      if (!(error instanceof ForeignObjectError) && !isFinalApiError(error)) throw error;
      const refused = decide(connect, { ...observed, refused: (error as Error).message }, now, this.deps.decideOptions);
      for (const action of refused.actions) await this.act(connect, action);
      await this.writeStatus(key, connect, refused.status);
      return { requeueAfterMs: REFUSED_RETRY_MS };
    }
    await this.writeStatus(key, connect, decision.status);
    return {};
  }

  private async writeStatus(key: string, connect: Connect, status: SparkConnect['status']): Promise<void> {
    if (status === connect.status) return;
    await this.written.write(key, connect, status);
    if (status?.state !== connect.status?.state) {
      this.deps.log.info('sparkconnect state changed', {
        namespace: connect.metadata.namespace, name: connect.metadata.name, from: connect.status?.state ?? '', state: status?.state,
      });
    }
  }

  /** The server pod, Service and executors as the caches (or this controller's own creates) show them. */
  private observe(key: string, connect: Connect): ConnectObserved {
    const { caches } = this.deps;
    const namespace = connect.metadata.namespace!;
    const podName = connectServerPodName(connect.metadata.name!);
    const serviceName = connectServiceName(connect);
    const pods = caches.pods.byIndex(PODS_BY_CONNECT, key);
    const serverPod = pods.find((p) => p.metadata.name === podName) ?? this.created.get(createdKeyOf('Pod', namespace, podName));
    const service = caches.services.get(`${namespace}/${serviceName}`) ?? this.created.get(createdKeyOf('Service', namespace, serviceName));
    const executors = pods.filter((p) => (p.metadata.labels as Record<string, string> | undefined)?.[LABELS.sparkRole] === 'executor');
    // The trims keep what decide() reads (labels, owners, phase, conditions, IP) with their API types.
    return {
      serverPod: serverPod as ObservedObject | undefined, service: service as ObservedObject | undefined, executors: executors as ObservedObject[],
    };
  }

  private async act(connect: Connect, action: ConnectAction): Promise<void> {
    const { rest, log } = this.deps;
    const { namespace, name } = connect.metadata;
    switch (action.type) {
      case 'applyConfigMap':
        return this.applyConfigMap(connect, action.configMap);
      case 'createServerPod': {
        const stored = await createOrAdopt(rest, action.pod as unknown as KubeObject);
        this.created.remember('Pod', trimPod(stored));
        log.info('sparkconnect server pod created', { namespace, name, pod: action.pod.metadata.name, fingerprint: connectFingerprint(connect) });
        return;
      }
      case 'deleteServerPod': {
        this.created.forget(createdKeyOf('Pod', namespace, action.name));
        const ref = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name: action.name } };
        const result = await deleteIfOwned(rest, ref, connect.metadata.uid!);
        log.info('sparkconnect server pod deleted', { namespace, name, pod: action.name, result });
        return;
      }
      case 'createService': {
        const stored = await createOrAdopt(rest, action.service as unknown as KubeObject);
        this.created.remember('Service', trimService(stored));
        return;
      }
      case 'event':
        return this.deps.events.record(connect, action.eventType, action.reason, action.message);
    }
  }

  /** Creates the ConfigMap, or rewrites ours when its data differs; one of another owner is refused. */
  private async applyConfigMap(connect: Connect, configMap: ConfigMap): Promise<void> {
    const { rest } = this.deps;
    const { namespace, name } = configMap.metadata;
    try {
      await rest.request('POST', pathOf(CONFIG_MAPS, namespace), { body: configMap });
      return;
    } catch (error) {
      if (!isKubeError(error, 409)) throw error;
    }
    const existing = await rest.request<ConfigMap & KubeObject>('GET', pathOf(CONFIG_MAPS, namespace, name));
    if (!isOwnedBy(existing, connect.metadata.uid!)) throw new ForeignObjectError('ConfigMap', name ?? '');
    if (JSON.stringify(existing.data ?? {}) === JSON.stringify(configMap.data)) return;
    // Conditional on the version read: a conflict is retried with backoff, from a fresh read.
    await rest.request('PUT', pathOf(CONFIG_MAPS, namespace, name), {
      body: {
        ...existing, data: configMap.data, metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, ...configMap.metadata.labels } },
      },
    });
  }
}
