/**
 * What the benchmark sees of one namespace, through three watches opened before the work starts:
 * when each application's driver pod and UI Service first appeared, when its status first said it
 * was submitted, when it completed, failed or was deleted, and when its driver pod went away. The
 * creation times come from the creator (the moment the API server answered the create).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { LABELS } from '../../src/api';
import { uiServiceName } from '../../src/core';
import { waitFor } from '../../test/e2e/harness/wait';
import { WatchRecording, recordWatch } from '../../test/e2e/harness/watch';

/**
 * The states that mean "spark-submit (or its equivalent) has run": SUBMITTED and the states only a
 * submitted application reaches. Not FAILED: a submission that failed goes SUBMISSION_FAILED ->
 * FAILED without ever being submitted (and one that was, was seen at SUBMITTED or RUNNING first).
 */
const SUBMITTED_OR_LATER = new Set(['SUBMITTED', 'RUNNING', 'SUCCEEDING', 'COMPLETED', 'UNKNOWN']);
/** The states of a submission that failed. */
const SUBMISSION_FAILURES = new Set(['SUBMISSION_FAILED', 'FAILED']);

/** The times (ms since the epoch, as this process received them) of one application's milestones. */
export interface AppTimes {
  created?: number;
  driverPod?: number;
  /** When its UI Service (`<app>-ui-svc`) first appeared. */
  uiService?: number;
  submitted?: number;
  completed?: number;
  failed?: number;
  deleted?: number;
  driverPodDeleted?: number;
  /** The last error message of a failed application. */
  error?: string;
}

/** Watches one namespace's SparkApplications and driver pods. */
export class Observer {
  /** Opens the watches; call before creating anything. */
  public static async start(kubeConfig: KubeConfig, namespace: string): Promise<Observer> {
    // A CRD installed a moment ago answers 429 "storage is (re)initializing" until its watch cache is filled.
    const applications = await waitFor('the SparkApplication watch', () =>
      recordWatch(kubeConfig, { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', plural: 'sparkapplications', namespace }),
    { timeoutMs: 60_000, intervalMs: 1_000 });
    const pods = await recordWatch(kubeConfig, { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespace, labelSelector: 'spark-role=driver' });
    const services = await recordWatch(kubeConfig, { apiVersion: 'v1', kind: 'Service', plural: 'services', namespace, labelSelector: LABELS.appName });
    return new Observer(applications, pods, services);
  }

  /** Every application seen or created, by name. */
  public readonly apps = new Map<string, AppTimes>();
  private appCursor = 0;
  private podCursor = 0;
  private serviceCursor = 0;

  private constructor(
    private readonly applications: WatchRecording,
    private readonly pods: WatchRecording,
    private readonly services: WatchRecording,
  ) {}

  /** Records that `name` was created at `at`. */
  public created(name: string, at: number): void {
    this.times(name).created = at;
  }

  /** Takes in the events received since the last call; returns this. */
  public update(): this {
    const appEvents = this.applications.events;
    for (; this.appCursor < appEvents.length; this.appCursor++) {
      const { type, object, receivedAt } = appEvents[this.appCursor];
      const t = this.times(object.metadata.name);
      const state: string = object.status?.applicationState?.state ?? '';
      if (type === 'DELETED') t.deleted ??= receivedAt;
      if (SUBMITTED_OR_LATER.has(state)) t.submitted ??= receivedAt;
      if (state === 'COMPLETED') t.completed ??= receivedAt;
      if (SUBMISSION_FAILURES.has(state)) {
        t.failed ??= receivedAt;
        t.error = object.status?.applicationState?.errorMessage;
      }
    }
    const podEvents = this.pods.events;
    for (; this.podCursor < podEvents.length; this.podCursor++) {
      const { type, object, receivedAt } = podEvents[this.podCursor];
      const app: string | undefined = object.metadata.labels?.[LABELS.appName] ?? object.metadata.name?.replace(/-driver$/, '');
      if (!app) continue;
      const t = this.times(app);
      t.driverPod ??= receivedAt;
      if (type === 'DELETED') t.driverPodDeleted ??= receivedAt;
    }
    const serviceEvents = this.services.events;
    for (; this.serviceCursor < serviceEvents.length; this.serviceCursor++) {
      const { object, receivedAt } = serviceEvents[this.serviceCursor];
      const app: string | undefined = object.metadata.labels?.[LABELS.appName];
      if (app && object.metadata.name === uiServiceName(app)) this.times(app).uiService ??= receivedAt;
    }
    const error = this.applications.error ?? this.pods.error ?? this.services.error;
    if (error) throw new Error(error);
    return this;
  }

  /** How many applications have reached `milestone`. */
  public count(milestone: keyof Omit<AppTimes, 'error'>): number {
    this.update();
    let n = 0;
    for (const t of this.apps.values()) if (t[milestone] !== undefined) n++;
    return n;
  }

  /** Each application's time of `milestone`, by name (only those that reached it). */
  public timesOf(milestone: keyof Omit<AppTimes, 'error'>): Map<string, number> {
    this.update();
    const out = new Map<string, number>();
    for (const [name, t] of this.apps) if (t[milestone] !== undefined) out.set(name, t[milestone]!);
    return out;
  }

  /** Stops the watches (the times stay). */
  public stop(): void {
    this.update();
    this.applications.stop();
    this.pods.stop();
    this.services.stop();
  }

  private times(name: string): AppTimes {
    let t = this.apps.get(name);
    if (!t) this.apps.set(name, (t = {}));
    return t;
  }
}
