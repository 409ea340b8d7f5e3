import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkOperator } from '../src';

/**
 * The operator, installed the GitOps way: controller, admission webhook (self-managed TLS) and RBAC
 * for the job namespace `spark-jobs`, with Argo CD sync waves. Point an Argo CD Application at the
 * synthesized file and add `operator.argoCdIgnoreDifferences()` to its `ignoreDifferences`.
 *
 * The CRDs come from `CrdsChart` (examples/crds.ts) in the same app, so they are rendered once;
 * on its own, leave `installCrds` at its default (true) and the operator renders them too.
 */
export class OperatorChart extends Chart {
  /** The operator, so other charts can read its job namespaces or driver RBAC. */
  public readonly operator: SparkOperator;

  constructor(scope: Construct, id: string) {
    // No chart namespace: the Namespace below is cluster-scoped, and the operator says where it lives.
    super(scope, id);
    // The job namespace, synced in the operator's namespace wave (-3): the operator's Role and the
    // drivers' SparkRbac land in it in the RBAC wave (-1).
    new kplus.Namespace(this, 'jobs', {
      metadata: { name: 'spark-jobs', annotations: { 'argocd.argoproj.io/sync-wave': '-3' } },
    });
    this.operator = new SparkOperator(this, 'spark', {
      namespace: 'spark-operator',
      createNamespace: true,
      installCrds: false,
      jobNamespaces: ['spark-jobs'],
    });
  }
}
