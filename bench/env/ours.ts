/**
 * Our controller as the benchmark runs it: the runtime bundle, as the image would run it, with the
 * RBAC, arguments and ServiceAccount that `SparkOperator` synthesizes (the e2e harness's
 * `startControllerOf`), watching one namespace per phase, with free ports for its metrics and probes.
 */
import { Cluster } from '../../test/e2e/harness/cluster';
import { RunningOperator, startControllerOf, synthesizeOperator } from '../../test/e2e/harness/operator';
import { freeLoopbackPorts } from '../../test/e2e/harness/ports';

/** The namespace of the benchmark's install of our operator. */
export const OURS_OPERATOR_NAMESPACE = 'cdk8s-spark-bench';

/** Our operator install for `jobNamespaces` (RBAC, the drivers' ServiceAccounts, the CRDs). */
export function oursInstall(jobNamespaces: string[]): any[] {
  return synthesizeOperator({ name: 'bench-op', namespace: OURS_OPERATOR_NAMESPACE, jobNamespaces });
}

/** The controller's ServiceAccount in `install` (the ceiling authenticates as it too). */
export function controllerServiceAccount(install: any[]): { namespace: string; name: string } {
  const deployment = install.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'controller');
  return { namespace: deployment.metadata.namespace, name: deployment.spec.template.spec.serviceAccountName };
}

/** Starts our controller for `namespace` only; resolves when its caches are synced. */
export async function startOurs(cluster: Cluster, install: any[], namespace: string, extraArgs: string[] = []): Promise<RunningOperator> {
  const [metrics, probes] = await freeLoopbackPorts(2);
  return startControllerOf(cluster, install, {
    extraArgs: [`--namespaces=${namespace}`, `--metrics-port=${metrics}`, `--health-probe-port=${probes}`, ...extraArgs],
  });
}
