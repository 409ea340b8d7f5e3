/**
 * Which cluster and namespace a command talks to, chosen from a loaded kubeconfig as kubectl
 * chooses: `--context`, else the current context; `-n`, else the context's namespace, else
 * `default`. Pure over the few kubeconfig methods it reads, so that it is tested without the client.
 */
import { CliError } from './errors';

/** Where to connect, as the flags say. */
export interface Target {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
}

/** What `chooseTarget` reads of a loaded kubeconfig (`KubeConfig` of `@kubernetes/client-node` has these). */
export interface KubeconfigView {
  getContextObject(name: string): { namespace?: string } | null;
  setCurrentContext(name: string): void;
  getCurrentContext(): string;
  getCurrentCluster(): { server: string } | null;
}

/** The API server and namespace for `target`; switches `config` to `--context` when given. */
export function chooseTarget(config: KubeconfigView, target: Target): { server: URL; namespace: string } {
  if (target.context !== undefined) {
    if (!config.getContextObject(target.context)) throw new CliError(`context "${target.context}" is not in the kubeconfig`);
    config.setCurrentContext(target.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new CliError('the kubeconfig has no current context: give --context, or set one with kubectl config use-context');
  const contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
  return { server: new URL(cluster.server), namespace: target.namespace ?? (contextNamespace || 'default') };
}
