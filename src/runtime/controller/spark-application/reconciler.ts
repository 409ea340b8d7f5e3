/**
 * The SparkApplication controller's shell: it reads the caches, asks the pure core (`decide`) what
 * to do, carries out the actions with idempotent API calls, and writes the status through the
 * status subresource. Every key is worked on by one worker at a time (the queue sees to that);
 * anything that fails is retried by the queue with backoff, and a crash at any point repeats the
 * same decision from the same inputs (deterministic names, creates that accept our own objects).
 */
import {
  Action, DecideOptions, Decision, Observed, cachedSpecChangeInvalidates, decide, observe, observedDriverPodName, resourcesToDelete,
  statusWorthWriting,
} from './index';
import { driverIngressObjects, driverPodDisruptionBudget, uiIngress, uiService } from './operator-objects';
import { SparkApplication } from '../../../api';
import { applyDefaults, describeProblem, isOwnedBy, uiIngressName, uiServiceName } from '../../../core';
import { isFinalApiError, mayBeNotReadyYet } from '../../../kube/api-errors';
import { Clock } from '../../../kube/clock';
import { Logger } from '../../../kube/log';
import { KubeError, RestClient } from '../../../kube/rest';
import { EventRecorder } from '../../kube/events';
import { KubeObject, keyOf } from '../../kube/informer';
import { ForeignObjectError, createOrAdopt, deleteIfOwned, deleteIfPresent } from '../../kube/objects';
import { SPARK_APPLICATIONS, pathOf, resourceOf } from '../../kube/resources';
import { PodGroup, buildSubmission, ownedByDriverPod } from '../../submission';
import { ApplicationMetrics } from '../../telemetry/metrics';
import { BackgroundCreates } from '../background-creates';
import { ControllerCaches, PODS_BY_APPLICATION, applicationOfPod } from '../caches';
import { CreatedObjects, createdKeyOf } from '../created-objects';
import { ReconcileResult, Reconciler } from '../shell/controller';
import { WrittenStatuses } from '../shell/written-statuses';
import { Cached, trimApplication, trimPod, trimService } from '../trim';
import { withWholeSpec } from '../whole-spec';

type App = SparkApplication & KubeObject;

/** What the reconciler works with. */
export interface ReconcilerDependencies {
  readonly rest: RestClient;
  readonly caches: ControllerCaches;
  readonly events: EventRecorder;
  readonly log: Logger;
  readonly clock: Clock;
  readonly decideOptions: DecideOptions;
  /** `--ingress-url-format`, if set. */
  readonly ingressUrlFormat?: string;
  /** `spark.master` the drivers use to reach the API server. */
  readonly sparkMaster: string;
  /** Counts the changes of each decision whose status write succeeded. @default - no metrics */
  readonly metrics?: ApplicationMetrics;
}

/** A `submit` the API server (or the builders) refused for good: it becomes SUBMISSION_FAILED. */
class SubmitRefused extends Error {}

/**
 * How long a submission refused by the authorizer (403, `User ... cannot create resource ...`) or
 * for want of a discovery mapping is retried before it counts as refused. An API server that has
 * just started refuses so for a few seconds, until its RBAC and discovery caches are filled; a
 * missing RoleBinding fixed meanwhile lets the submission through too. Refusals by admission
 * (PodSecurity, a webhook) are final at once.
 */
export const FORBIDDEN_RETRY_MS = 30_000;

/**
 * The most decide-and-act passes of one reconcile: the submission, then what the decision asks of
 * the objects it just created (a driver's PDB and ingresses), then the status.
 */
const MAX_PASSES = 3;

/**
 * Actions of a submission that no worker waits for: the UI objects that follow its `submit` are
 * created in the background (`background-creates.ts`), since the API server allocates ClusterIPs one
 * at a time.
 */
const ALONGSIDE_SUBMIT: ReadonlySet<Action['type']> = new Set(['ensureUiService', 'ensureUiIngress']);

/** The reason of the Warning Event for a side object whose name is taken by an object that is not the application's. */
export const NAME_TAKEN_REASON = 'SparkApplicationNameTaken';

export class SparkApplicationReconciler implements Reconciler {
  /** Applications whose spec changed (ignoring `suspend` and `timeToLiveSeconds`) since their last written decision. */
  private readonly specChanged = new Set<string>();
  /** The status writes whose watch events the cache may not show yet. */
  private readonly written: WrittenStatuses<Cached<SparkApplication>>;
  /** Per application and submission id, when its submission was first refused with 403 (see {@link FORBIDDEN_RETRY_MS}). */
  private readonly forbiddenSince = new Map<string, { submissionId: string; at: number }>();
  /** The driver pods, Services and Ingresses this controller created that the caches may not show yet. */
  private readonly created: CreatedObjects;
  /** The UI Services and Ingresses of new submissions, being created without a worker waiting. */
  private readonly background: BackgroundCreates;
  /** Queues a key again: the shell's, once `watch` is called. */
  private enqueue?: (key: string) => void;

  constructor(private readonly deps: ReconcilerDependencies) {
    this.created = new CreatedObjects(deps.clock);
    this.background = new BackgroundCreates(deps.clock, deps.log, (key) => this.enqueue?.(key));
    this.written = new WrittenStatuses(deps.rest, SPARK_APPLICATIONS, trimApplication);
  }

  /** Connects the caches to `enqueue`: an application's key is queued on every change to it or to its pods. */
  public watch(enqueue: (key: string) => void): void {
    this.enqueue = enqueue;
    const { caches } = this.deps;
    for (const informer of caches.applications.all) {
      informer.on({
        added: (app) => enqueue(keyOf(app)),
        updated: (old, app) => {
          if (cachedSpecChangeInvalidates(old, app)) this.specChanged.add(keyOf(app));
          enqueue(keyOf(app));
        },
        deleted: (app) => {
          this.specChanged.delete(keyOf(app));
          this.written.forget(keyOf(app));
          this.forbiddenSince.delete(keyOf(app));
        },
      });
    }
    const enqueueApplicationOf = (object: KubeObject) => {
      const app = applicationOfPod(object);
      if (app) enqueue(app);
    };
    // Once a cache shows an object (or its deletion), what the create answered is no longer needed.
    const seen = (kind: string, object: KubeObject) => this.created.forget(createdKeyOf(kind, object.metadata.namespace, object.metadata.name));
    for (const informer of caches.pods.all) {
      informer.on({
        added: (pod) => { seen('Pod', pod); enqueueApplicationOf(pod); },
        updated: (_, pod) => enqueueApplicationOf(pod),
        deleted: (pod) => { seen('Pod', pod); enqueueApplicationOf(pod); },
      });
    }
    for (const [kind, informers] of [['Service', caches.services.all], ['Ingress', caches.ingresses.all]] as const) {
      const handle = (object: KubeObject) => {
        seen(kind, object);
        enqueueApplicationOf(object);
      };
      for (const informer of informers) informer.on({ added: handle, deleted: handle });
    }
  }

  /** Resolves when the UI objects being created in the background are. */
  public drain(): Promise<void> {
    return this.background.whenIdle();
  }

  /** Decides and acts for the application `key`, then writes its status. */
  public async reconcile(key: string): Promise<ReconcileResult> {
    const app = await this.current(key);
    // Deleted: the garbage collector removes what it owned (no finalizers, ever).
    if (!app || app.metadata.deletionTimestamp) return {};
    const now = this.deps.clock.now();
    const specChanged = this.specChanged.has(key);
    // Decide, act, and decide again from what the actions created (the driver pod), as the next
    // watch events would show it, until nothing new is created: one status write then carries the
    // submission (the UI Service's address follows with the next one: statusWorthWriting).
    let current: App = app;
    let decision: Decision | undefined;
    const changes: Decision['changes'][number][] = [];
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const generation = this.created.generation;
      const observed = { ...this.observe(current, key), specChanged: pass === 0 && specChanged };
      decision = decide(current, observed, now, this.deps.decideOptions);
      try {
        await this.carryOut(current, decision.status, decision.actions);
      } catch (error) {
        if (!(error instanceof SubmitRefused)) throw error;
        const submit = decision.actions.find((a) => a.type === 'submit') as { submissionId: string };
        const submitFailure = { submissionId: submit.submissionId, message: error.message };
        decision = decide(current, { ...observed, submitFailure }, now, this.deps.decideOptions);
        await this.carryOut(current, decision.status, decision.actions.filter((a) => a.type !== 'submit'));
      }
      changes.push(...decision.changes);
      current = { ...current, status: decision.status };
      if (this.created.generation === generation) break;
    }
    decision = { ...decision!, changes };
    if (statusWorthWriting(app.status, decision.status)) {
      await this.written.write(key, app, decision.status);
      // Counted here and only here: this write is conditional on the version decided from, so each
      // change is written, and counted, by one controller once (docs/controller.md, "Metrics").
      this.deps.metrics?.recordChanges(app, decision.status, decision.changes, now);
      const before = app.status?.applicationState?.state ?? '';
      const after = decision.status.applicationState?.state ?? '';
      if (before !== after) {
        this.deps.log.info('state changed', {
          namespace: app.metadata.namespace,
          name: app.metadata.name,
          from: before,
          state: after,
          attempt: decision.status.submissionAttempts,
          error: decision.status.applicationState?.errorMessage,
        });
      }
    }
    if (specChanged) this.specChanged.delete(key);
    return { requeueAfterMs: decision.requeueAfterMs };
  }

  /**
   * The application as it is now, with its whole spec: the cache, unless it still shows the version
   * our last status write replaced; read from the API server when the cache left its spec out.
   */
  private async current(key: string): Promise<App | undefined> {
    const latest = this.written.latest(key, this.deps.caches.applications.get(key));
    return latest && withWholeSpec(this.deps.rest, SPARK_APPLICATIONS, latest);
  }

  /** The pods, Services and Ingresses of `app` in the caches (or just created), as `decide` reads them. */
  private observe(app: App, key: string): Observed {
    const { caches } = this.deps;
    const namespace = app.metadata.namespace!;
    // The caches, or what this controller just created and they do not show yet.
    const cachedOrCreated = (cache: { get(key: string): KubeObject | undefined }, kind: string, name: string) =>
      cache.get(`${namespace}/${name}`) ?? this.created.get(createdKeyOf(kind, namespace, name));
    return observe(app, {
      pods: caches.pods.byIndex(PODS_BY_APPLICATION, key),
      driverPod: cachedOrCreated(caches.pods, 'Pod', observedDriverPodName(app)),
      uiService: cachedOrCreated(caches.services, 'Service', uiServiceName(app.metadata.name!)),
      uiIngress: cachedOrCreated(caches.ingresses, 'Ingress', uiIngressName(app.metadata.name!)),
    }, { specChanged: this.specChanged.has(key), ingressUrlFormat: this.deps.ingressUrlFormat });
  }

  /**
   * The actions in their order, but for the UI objects of a submission, which are started in the
   * background beside its driver pod: the worker does not wait for them. Events are recorded as they
   * come and sent in the background (they are best effort and never fail or slow a reconcile).
   */
  private async carryOut(app: App, decided: SparkApplication['status'], actions: readonly Action[]): Promise<void> {
    // The UI objects carry the submission id the decision gives (a new application's first).
    const withDecided: App = { ...app, status: decided };
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i];
      if (action.type === 'submit') {
        // The UI objects that follow a submission need nothing of it (the application owns them).
        while (i + 1 < actions.length && ALONGSIDE_SUBMIT.has(actions[i + 1].type) && this.startInBackground(withDecided, actions[i + 1])) i++;
      }
      await this.act(ALONGSIDE_SUBMIT.has(action.type) ? withDecided : app, action);
    }
  }

  /**
   * Starts the create of a submission's UI Service or Ingress without a worker waiting for it; its
   * end queues the application again. False when as many creates wait as allowed: then the worker
   * carries the action out itself (backpressure).
   */
  private startInBackground(app: App, action: Action): boolean {
    const object = this.uiObject(app, action);
    if (object === undefined || this.present(app, object)) return true;
    const objectKey = createdKeyOf(object.kind!, object.metadata.namespace, object.metadata.name!);
    return this.background.start(keyOf(app), objectKey, () => this.createSide(app, object));
  }

  /** The UI Service or Ingress an `ensureUi*` action asks for (none for an Ingress without `--ingress-url-format`). */
  private uiObject(app: App, action: Action): KubeObject | undefined {
    if (action.type === 'ensureUiService') return uiService(app);
    if (action.type === 'ensureUiIngress' && this.deps.ingressUrlFormat) return uiIngress(app, this.deps.ingressUrlFormat);
    return undefined;
  }

  private async act(app: App, action: Action): Promise<void> {
    const { rest } = this.deps;
    switch (action.type) {
      case 'submit':
        return this.submit(app, action.submissionId);
      case 'deleteResources':
        return this.deleteResources(app);
      case 'ensureUiService':
      case 'ensureUiIngress': {
        const object = this.uiObject(app, action);
        if (object) await this.ensure(app, object);
        return;
      }
      case 'ensureDriverIngresses':
        for (const options of app.spec.driverIngressOptions ?? []) {
          for (const object of driverIngressObjects(app, options)) await this.ensure(app, object);
        }
        return;
      case 'ensureDriverPdb':
        return this.ensure(app, driverPodDisruptionBudget(app));
      case 'deleteDriverPdb':
        await this.deleteOwned(app, driverPodDisruptionBudget(app));
        return;
      case 'deleteApplication':
        this.deps.log.info('time to live expired: deleting', { namespace: app.metadata.namespace, name: app.metadata.name });
        await deleteIfPresent(rest, {
          apiVersion: app.apiVersion, kind: app.kind, metadata: { namespace: app.metadata.namespace, name: app.metadata.name! },
        });
        return;
      case 'event':
        this.deps.events.record(app as any, action.eventType, action.reason, action.message);
        return;
    }
  }

  /**
   * Creates one of the application's side objects (UI Service and Ingress, driver ingresses, PDB),
   * unless it is there already (the application's), was created by this controller moments ago, or
   * is being created in the background.
   */
  private async ensure(app: App, object: KubeObject): Promise<void> {
    const beingCreated = this.background.pending(createdKeyOf(object.kind!, object.metadata.namespace, object.metadata.name));
    if (this.present(app, object) || beingCreated) return;
    await this.createSide(app, object);
  }

  /** Whether `object` is in the caches as the application's own, or was created by this controller moments ago. */
  private present(app: App, object: KubeObject): boolean {
    const { namespace, name } = object.metadata;
    const cached = this.cacheOf(object.kind!)?.get(`${namespace}/${name}`);
    const justCreated = this.created.get(createdKeyOf(object.kind!, namespace, name)) !== undefined;
    return (cached !== undefined && isOwnedBy(cached, app.metadata.uid!)) || justCreated;
  }

  /**
   * Creates a side object. When its name is taken by an object the application does not own, the
   * application goes on without it and a Warning Event says so: retrying could never succeed, and
   * the object there is left alone.
   */
  private async createSide(app: App, object: KubeObject): Promise<void> {
    try {
      const stored = await createOrAdopt(this.deps.rest, object);
      if (this.cacheOf(object.kind!)) this.created.remember(object.kind!, trimService(stored));
    } catch (error) {
      if (!(error instanceof ForeignObjectError)) throw error;
      this.deps.events.record(app as any, 'Warning', NAME_TAKEN_REASON, error.message);
    }
  }

  /** Creates the driver pod, then its ConfigMap and Service owned by it; a refusal that no retry changes is `SubmitRefused`. */
  private async submit(app: App, submissionId: string): Promise<void> {
    const defaulted = { ...app, spec: applyDefaults(app.spec) };
    const built = buildSubmission(defaulted, {
      submissionId, now: this.deps.clock.now(), master: this.deps.sparkMaster, batchScheduling: this.deps.decideOptions.batchScheduling,
    });
    if (!built.submission) throw new SubmitRefused(built.problems.map((p) => describeProblem(p)).join('; '));
    const { driverPod, configMap, service, podGroup } = built.submission;
    try {
      // The batch scheduler groups the driver pod from its creation: the PodGroup goes first.
      if (podGroup) await this.ensurePodGroup(podGroup);
      const pod = await createOrAdopt(this.deps.rest, driverPod as unknown as KubeObject);
      this.created.remember('Pod', trimPod(pod));
      this.forbiddenSince.delete(keyOf(app));
      // The ConfigMap and the Service go away with the pod (Spark's own owner references); they
      // need only the pod's uid, not each other, so they are created together.
      await Promise.all([
        createOrAdopt(this.deps.rest, ownedByDriverPod(configMap, pod) as unknown as KubeObject),
        createOrAdopt(this.deps.rest, ownedByDriverPod(service, pod) as unknown as KubeObject),
      ]);
    } catch (error) {
      if (error instanceof ForeignObjectError) throw new SubmitRefused(error.message);
      if (isFinalApiError(error) && !this.retryWhileNotReady(app, submissionId, error)) {
        throw new SubmitRefused(`the API server refused the submission: ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * Creates the submission's PodGroup, or adopts the application's own from an earlier submission
   * with the spec this one wants (as upstream updates it on each submission).
   */
  private async ensurePodGroup(podGroup: PodGroup): Promise<void> {
    const stored = await createOrAdopt(this.deps.rest, podGroup as unknown as KubeObject);
    const wanted = podGroup.spec as Record<string, unknown>;
    const have = (stored.spec ?? {}) as Record<string, unknown>;
    if (Object.keys(wanted).every((k) => JSON.stringify(have[k]) === JSON.stringify(wanted[k]))) return;
    const resource = resourceOf(podGroup);
    await this.deps.rest.request('PUT', pathOf(resource, podGroup.metadata.namespace, podGroup.metadata.name), {
      body: { ...stored, spec: { ...have, ...wanted } },
    });
  }

  /** Whether a refusal of this submission is still to be retried: one a just-started API server gives, within {@link FORBIDDEN_RETRY_MS} of the first. */
  private retryWhileNotReady(app: App, submissionId: string, error: KubeError): boolean {
    const key = keyOf(app);
    if (!mayBeNotReadyYet(error)) return false;
    const now = this.deps.clock.now().getTime();
    const since = this.forbiddenSince.get(key);
    if (since === undefined || since.submissionId !== submissionId) {
      this.forbiddenSince.set(key, { submissionId, at: now });
      return true;
    }
    if (now - since.at < FORBIDDEN_RETRY_MS) return true;
    this.forbiddenSince.delete(key);
    return false;
  }

  /** The cache of the operator's objects of `kind` (Services and Ingresses labelled as ours), if there is one. */
  private cacheOf(kind: string): { get(key: string): KubeObject | undefined } | undefined {
    return kind === 'Service' ? this.deps.caches.services : kind === 'Ingress' ? this.deps.caches.ingresses : undefined;
  }

  /** Deletes what `resourcesToDelete` names, each only if the application owns it. */
  private async deleteResources(app: App): Promise<void> {
    const { caches } = this.deps;
    const namespace = app.metadata.namespace!;
    const pods = caches.pods.byIndex(PODS_BY_APPLICATION, keyOf(app));
    for (const object of resourcesToDelete(app, pods, this.deps.decideOptions.batchScheduling)) {
      const ref = { apiVersion: object.apiVersion, kind: object.kind, metadata: { namespace, name: object.name } };
      // The caches answer for the kinds they hold: no GET before those deletes.
      const known = (object.known as KubeObject | undefined) ?? this.cacheOf(object.kind)?.get(`${namespace}/${object.name}`);
      this.background.cancel(createdKeyOf(object.kind, namespace, object.name));
      await this.deleteOwned(app, ref, { gracePeriodSeconds: object.gracePeriodSeconds, known });
    }
  }

  /** Deletes `ref` if the application owns it; logs one that has its name and is not the application's. */
  private async deleteOwned(app: App, ref: Parameters<typeof deleteIfOwned>[1], options: Parameters<typeof deleteIfOwned>[3] = {}): Promise<void> {
    const outcome = await deleteIfOwned(this.deps.rest, ref, app.metadata.uid!, options);
    this.created.forget(createdKeyOf(ref.kind, ref.metadata.namespace, ref.metadata.name));
    if (outcome === 'foreign') {
      this.deps.log.warn('not deleting an object the application does not own', {
        namespace: app.metadata.namespace, name: app.metadata.name, kind: ref.kind, object: ref.metadata.name,
      });
    }
  }
}
