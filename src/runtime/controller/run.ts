/**
 * Starts the `controller` sub-command: the health endpoints, the caches, and, once they are synced
 * and this replica leads, one `Controller` (shell/controller.ts: keyed work queue, workers,
 * retries) per kind around its reconciler; stops them in the
 * reverse order and hands the Lease over.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { allInformers, controllerCaches } from './caches';
import { ControllerOptions, SHUTDOWN_DRAIN_SECONDS, batchSchedulingSettings } from '../../core';
import { ScheduledSparkApplicationReconciler, localTimeZone } from './scheduled/reconciler';
import { Controller } from './shell/controller';
import { SparkApplicationReconciler } from './spark-application/reconciler';
import { SparkConnectReconciler } from './spark-connect/reconciler';
import { Clock } from '../../kube/clock';
import { Logger } from '../../kube/log';
import { TokenBucket } from '../../kube/rate-limiter';
import { RestClient } from '../../kube/rest';
import { EventRecorder } from '../kube/events';
import { LeaderElector } from '../leader/elector';
import { kubeLeaseStore } from '../leader/kube-lease-store';
import { serveHealth } from '../telemetry/health';
import { OperatorMetrics } from '../telemetry/metrics';

/** How long a stopping controller waits for the Events of its last work to be sent. */
const EVENTS_DRAIN_MS = 2000;

/** The `name` of each work queue in the queue metrics. */
const SPARK_APPLICATION_QUEUE = 'sparkapplication';
const SCHEDULED_QUEUE = 'scheduledsparkapplication';
const CONNECT_QUEUE = 'sparkconnect';

/** What the controller runs with besides its flags. */
export interface ControllerEnvironment {
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  readonly clock: Clock;
  /** `spark.master` for the drivers: the API server as pods reach it. */
  readonly sparkMaster: string;
  /** This replica's name in the Lease: unique per process. */
  readonly identity: string;
  /** Called when this replica stops leading without being asked to; it must exit (and restart as a standby). */
  readonly onLostLeadership: (reason: string) => void;
  /** Where the controller's metrics go. @default - none */
  readonly metrics?: OperatorMetrics;
}

/** A started controller. */
export interface RunningController {
  /**
   * Stops taking work, lets work in flight end (abandoning what is left after
   * `SHUTDOWN_DRAIN_SECONDS`), releases the Lease, stops the caches and the health endpoints.
   */
  stop(): Promise<void>;
}

/**
 * Serves the health endpoints, starts the caches for the job namespaces and waits until they are
 * synced (ready), then stands by for the Lease and reconciles while it leads.
 */
export async function runController(options: ControllerOptions, env: ControllerEnvironment): Promise<RunningController> {
  const { metrics } = env;
  let phase: 'syncing' | 'ready' | 'stopping' = 'syncing';
  // A standby is ready too: it has its caches and takes over the moment the Lease is free.
  const health = await serveHealth(options.healthProbePort, () => {
    if (phase === 'syncing') return 'the caches are not synced yet';
    if (phase === 'stopping') return 'stopping';
    // A replica that can never lead (no Lease namespace, RBAC refuses the Lease) must not look healthy.
    const problem = elector.problem;
    return problem === undefined ? undefined : `cannot take part in leader election: ${problem}`;
  });
  // A client of its own, whose writes are not fenced, on connections of its own: a try must not
  // outlive the renew deadline, whatever the controller's traffic.
  const leaseRest = RestClient.fromKubeConfig(env.kubeConfig, { log: env.log.with({ client: 'lease' }) });
  const elector: LeaderElector = new LeaderElector({
    store: kubeLeaseStore(leaseRest, options.leaderElectionLockNamespace, options.leaderElectionLockName,
      options.renewDeadlineSeconds * 1000),
    clock: env.clock,
    log: env.log,
    identity: env.identity,
    timing: options,
    onStartedLeading: () => {
      applications.start();
      schedules.start();
      connects.start();
    },
    onStoppedLeading: env.onLostLeadership,
    onTryFailed: metrics && ((code) => metrics.leaseTryFailed(code)),
  });
  // Every write of the controller waits on the Lease: a replica that may have lost it sends none.
  const rest = RestClient.fromKubeConfig(env.kubeConfig, {
    mayWrite: () => elector.mayAct(),
    log: env.log.with({ client: 'controller' }),
    observe: metrics && ((verb, code, seconds) => metrics.observeRequest(verb, code, seconds)),
    rateLimiter: options.kubeApiQps > 0 ? new TokenBucket(options.kubeApiQps, options.kubeApiBurst ?? options.kubeApiQps, env.clock) : undefined,
  });
  const caches = controllerCaches(rest, options, env.clock, env.log);
  const events = new EventRecorder(rest, env.log, () => env.clock.now(), { onDropped: metrics && (() => metrics.eventDropped()) });
  metrics?.watchCaches({
    applications: () => caches.applications.list(),
    pods: () => caches.pods.list(),
    leading: () => elector.mayAct(),
    sparkConnects: () => caches.sparkConnects.list(),
  });
  const reconciler = new SparkApplicationReconciler({
    rest,
    caches,
    events,
    log: env.log,
    clock: env.clock,
    decideOptions: {
      driverPodCreationGracePeriodSeconds: options.driverPodCreationGracePeriodSeconds,
      driverPendingTimeoutSeconds: options.driverPendingTimeoutSeconds > 0 ? options.driverPendingTimeoutSeconds : undefined,
      maxTrackedExecutors: options.maxTrackedExecutors,
      defaultTimeToLiveSeconds: options.defaultTimeToLiveSeconds,
      uiIngress: options.ingressUrlFormat !== undefined,
      protectedServiceAccounts: options.protectedServiceAccounts,
      batchScheduling: batchSchedulingSettings(options),
    },
    ingressUrlFormat: options.ingressUrlFormat,
    sparkMaster: env.sparkMaster,
    metrics,
  });
  const shell = { workers: options.workers, clock: env.clock, log: env.log, metrics };
  const applications = new Controller(reconciler, { name: SPARK_APPLICATION_QUEUE, ...shell });
  const scheduled = new ScheduledSparkApplicationReconciler({
    rest,
    caches,
    events,
    log: env.log,
    clock: env.clock,
    decideOptions: { localTimeZone: localTimeZone() },
  });
  const schedules = new Controller(scheduled, { name: SCHEDULED_QUEUE, ...shell });
  const connects = new Controller(new SparkConnectReconciler({
    rest,
    caches,
    events,
    log: env.log,
    clock: env.clock,
    decideOptions: { sparkMaster: env.sparkMaster, protectedServiceAccounts: options.protectedServiceAccounts },
  }), { name: CONNECT_QUEUE, ...shell });
  const informers = allInformers(caches);
  for (const informer of informers) informer.start();
  await Promise.all(informers.map((i) => i.waitForSync()));
  env.log.info('caches synced', {
    namespaces: options.allNamespaces ? 'all' : options.namespaces,
    applications: caches.applications.list().length,
    scheduledApplications: caches.scheduledApplications.list().length,
    sparkConnects: caches.sparkConnects.list().length,
    pods: caches.pods.list().length,
  });
  phase = 'ready';
  elector.start();
  return {
    stop: async () => {
      phase = 'stopping';
      const controllers = [applications, schedules, connects];
      const drained = await settlesWithin(Promise.all(controllers.map((c) => c.shutDown())), SHUTDOWN_DRAIN_SECONDS * 1000, env.clock);
      if (!drained) {
        // Safe: every step is idempotent and the next leader starts each key from the cluster's state.
        env.log.warn('abandoning work in flight', { keys: controllers.reduce((sum, c) => sum + c.busy, 0), afterSeconds: SHUTDOWN_DRAIN_SECONDS });
      }
      // The Events of the work that ended are sent while this replica still may write.
      if (!await settlesWithin(events.whenSent(), EVENTS_DRAIN_MS, env.clock)) {
        env.log.warn('abandoning events not sent yet', { events: events.pending });
      }
      await elector.stop();
      for (const informer of informers) informer.stop();
      rest.close();
      leaseRest.close();
      await health.close();
    },
  };
}

/** True when `work` settles within `ms`, false when the time runs out first. */
function settlesWithin(work: Promise<unknown>, ms: number, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = clock.after(ms, () => resolve(false));
    void work.finally(() => {
      cancel();
      resolve(true);
    });
  });
}
