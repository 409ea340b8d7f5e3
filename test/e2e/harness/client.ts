import { KubeConfig } from '@kubernetes/client-node';
import { e2eCluster } from './suite';

/** A client-node KubeConfig loaded from a kubeconfig file (for example one from `kubeconfigFor`). */
export function kubeConfigFromFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/** A client-node KubeConfig of the run's admin (`system:masters`). */
export function adminKubeConfig(): KubeConfig {
  return kubeConfigFromFile(e2eCluster().connection.adminKubeconfig);
}
