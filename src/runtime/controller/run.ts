/**
 * Starts the `controller` sub-command: the caches, then the reconcilers once the caches are synced.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { allInformers, controllerCaches } from './caches';
import { ControllerOptions } from '../../core';
import { RestClient } from '../kube/rest';
import { Clock } from '../queue/clock';
import { Logger } from '../telemetry/log';

/** What the controller runs with besides its flags. */
export interface ControllerEnvironment {
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  readonly clock: Clock;
}

/** A started controller. */
export interface RunningController {
  /** Stops taking work, lets work in flight end, stops the caches. */
  stop(): Promise<void>;
}

/** Starts the caches for the job namespaces and waits until they are synced. */
export async function runController(options: ControllerOptions, env: ControllerEnvironment): Promise<RunningController> {
  const rest = RestClient.fromKubeConfig(env.kubeConfig);
  const caches = controllerCaches(rest, options, env.clock, env.log);
  const informers = allInformers(caches);
  for (const informer of informers) informer.start();
  await Promise.all(informers.map((i) => i.waitForSync()));
  env.log.info('caches synced', {
    namespaces: options.allNamespaces ? 'all' : options.namespaces,
    applications: caches.applications.list().length,
    pods: caches.pods.list().length,
  });
  return {
    stop: async () => {
      for (const informer of informers) informer.stop();
    },
  };
}
