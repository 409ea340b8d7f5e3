/**
 * Starts the `controller` sub-command: the caches, then, once they are synced, the reconcilers
 * behind one keyed work queue per kind; stops them in the reverse order.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { allInformers, controllerCaches } from './caches';
import { ControllerOptions } from '../../core';
import { EventRecorder } from '../kube/events';
import { RestClient } from '../kube/rest';
import { Clock } from '../queue/clock';
import { DEFAULT_BACKOFF, WorkQueue } from '../queue/work-queue';
import { Logger } from '../telemetry/log';
import { OperatorMetrics } from '../telemetry/metrics';
import { ScheduledSparkApplicationReconciler, localTimeZone } from './scheduled/reconciler';
import { SparkApplicationReconciler } from './spark-application/reconciler';

/** The `name` of each work queue in the queue metrics. */
const SPARK_APPLICATION_QUEUE = 'sparkapplication';
const SCHEDULED_QUEUE = 'scheduledsparkapplication';

/** What the controller runs with besides its flags. */
export interface ControllerEnvironment {
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  readonly clock: Clock;
  /** `spark.master` for the drivers: the API server as pods reach it. */
  readonly sparkMaster: string;
  /** Where the controller's metrics go. @default - none */
  readonly metrics?: OperatorMetrics;
}

/** A started controller. */
export interface RunningController {
  /** Stops taking work, lets work in flight end, stops the caches. */
  stop(): Promise<void>;
}

/** Starts the caches for the job namespaces, waits until they are synced, then starts reconciling. */
export async function runController(options: ControllerOptions, env: ControllerEnvironment): Promise<RunningController> {
  const { metrics } = env;
  const rest = RestClient.fromKubeConfig(env.kubeConfig, metrics && ((verb, code, seconds) => metrics.observeRequest(verb, code, seconds)));
  const caches = controllerCaches(rest, options, env.clock, env.log);
  metrics?.watchCaches({ applications: () => caches.applications.list(), pods: () => caches.pods.list() });
  const reconciler = new SparkApplicationReconciler({
    rest,
    caches,
    events: new EventRecorder(rest, env.log, () => env.clock.now()),
    log: env.log,
    clock: env.clock,
    decideOptions: {
      driverPodCreationGracePeriodSeconds: options.driverPodCreationGracePeriodSeconds,
      driverPendingTimeoutSeconds: options.driverPendingTimeoutSeconds > 0 ? options.driverPendingTimeoutSeconds : undefined,
      maxTrackedExecutors: options.maxTrackedExecutors,
      defaultTimeToLiveSeconds: options.defaultTimeToLiveSeconds,
      uiIngress: options.ingressUrlFormat !== undefined,
    },
    ingressUrlFormat: options.ingressUrlFormat,
    sparkMaster: env.sparkMaster,
    metrics,
  });
  const queue: WorkQueue = new WorkQueue((key) => reconciler.reconcile(key, queue), env.clock, {
    workers: options.workers,
    ...DEFAULT_BACKOFF,
    onError: (key, error, attempt) => {
      env.log.warn('reconcile failed, retrying', { key, attempt, error: String(error) });
      metrics?.queueRetried(SPARK_APPLICATION_QUEUE);
    },
    // Deciding from half-filled caches would take a running driver for a missing one.
    paused: true,
  });
  reconciler.watch(queue);
  metrics?.watchQueue(SPARK_APPLICATION_QUEUE, () => queue.depth);
  const scheduled = new ScheduledSparkApplicationReconciler({
    rest,
    caches,
    events: new EventRecorder(rest, env.log, () => env.clock.now()),
    log: env.log,
    clock: env.clock,
    decideOptions: { localTimeZone: localTimeZone() },
  });
  const scheduledQueue: WorkQueue = new WorkQueue((key) => scheduled.reconcile(key, scheduledQueue), env.clock, {
    workers: options.workers,
    ...DEFAULT_BACKOFF,
    onError: (key, error, attempt) => {
      env.log.warn('reconcile failed, retrying', { kind: 'ScheduledSparkApplication', key, attempt, error: String(error) });
      metrics?.queueRetried(SCHEDULED_QUEUE);
    },
    // Deciding from half-filled caches would miss a run that exists and create it again.
    paused: true,
  });
  scheduled.watch(scheduledQueue);
  metrics?.watchQueue(SCHEDULED_QUEUE, () => scheduledQueue.depth);
  const informers = allInformers(caches);
  for (const informer of informers) informer.start();
  await Promise.all(informers.map((i) => i.waitForSync()));
  env.log.info('caches synced', {
    namespaces: options.allNamespaces ? 'all' : options.namespaces,
    applications: caches.applications.list().length,
    scheduledApplications: caches.scheduledApplications.list().length,
    pods: caches.pods.list().length,
  });
  queue.start();
  scheduledQueue.start();
  return {
    stop: async () => {
      await Promise.all([queue.shutDown(), scheduledQueue.shutDown()]);
      for (const informer of informers) informer.stop();
    },
  };
}
