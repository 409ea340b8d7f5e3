import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoCdSyncWaves } from './argocd';
import { scheduledSparkApplicationCrd, sparkApplicationCrd, sparkConnectCrd } from './crds';
import { makeClusterScoped } from './util/cluster-scoped';

/**
 * Properties of {@link SparkCrds}.
 */
export interface SparkCrdsProps {
  /**
   * Labels added to the three CustomResourceDefinitions.
   *
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the three CustomResourceDefinitions. They win over the annotations this construct
   * sets itself: an `argocd.argoproj.io/sync-options` value here replaces `Prune=false,Delete=false`
   * (repeat those options in it to keep them, e.g. `Prune=false,Delete=false,ServerSideApply=true`).
   *
   * @default - only the `api-approved.kubernetes.io` annotation that the `*.k8s.io` group requires,
   * the sync wave and the sync options
   */
  readonly annotations?: { [key: string]: string };

  /**
   * The Argo CD sync wave of the CRDs (the `crds` wave of the plan), so they are applied before the
   * objects of the same Application that use them.
   *
   * @default ArgoCdSyncWaves.default() - wave "-2"
   */
  readonly syncWaves?: ArgoCdSyncWaves;

  /**
   * Keep the CRDs when Argo CD prunes them or deletes their Application: the annotation
   * `argocd.argoproj.io/sync-options: Prune=false,Delete=false`.
   *
   * Deleting a CRD deletes every SparkApplication, ScheduledSparkApplication or SparkConnect in the cluster,
   * including those of other Applications, so removing the CRDs from Git or deleting the Argo CD
   * Application must not do it. Remove them by hand (`kubectl delete crd`) when you mean it.
   *
   * @default true
   */
  readonly argoCdRetain?: boolean;
}

/** The Argo CD sync options that keep a CRD when it leaves Git (`Prune`) or its Application is deleted (`Delete`). */
const RETAIN_SYNC_OPTIONS = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };

/**
 * The three CustomResourceDefinitions of the `sparkoperator.k8s.io` API: SparkApplication and
 * ScheduledSparkApplication (`v1beta2`), and SparkConnect (`v1alpha1`).
 *
 * They are cluster-scoped (rendered without a namespace) and small enough for a plain client-side
 * `kubectl apply`. Use this construct on its own for charts that install CRDs separately;
 * `SparkOperator` uses it too.
 *
 * For Argo CD they carry, by default, the CRD sync wave and the sync options
 * `Prune=false,Delete=false`: Argo CD never deletes them, because deleting a CRD deletes every
 * object of its kind.
 */
export class SparkCrds extends Construct {
  /** The `sparkapplications.sparkoperator.k8s.io` CRD. */
  public readonly sparkApplicationCrd: ApiObject;

  /** The `scheduledsparkapplications.sparkoperator.k8s.io` CRD. */
  public readonly scheduledSparkApplicationCrd: ApiObject;

  /** The `sparkconnects.sparkoperator.k8s.io` CRD (`v1alpha1`). */
  public readonly sparkConnectCrd: ApiObject;

  constructor(scope: Construct, id: string, props: SparkCrdsProps = {}) {
    super(scope, id);
    const annotations = {
      ...(props.syncWaves ?? ArgoCdSyncWaves.default())._crds(),
      ...((props.argoCdRetain ?? true) ? RETAIN_SYNC_OPTIONS : {}),
      ...props.annotations,
    };
    this.sparkApplicationCrd = this.render('SparkApplication', sparkApplicationCrd(), props.labels, annotations);
    this.scheduledSparkApplicationCrd = this.render('ScheduledSparkApplication', scheduledSparkApplicationCrd(), props.labels, annotations);
    this.sparkConnectCrd = this.render('SparkConnect', sparkConnectCrd(), props.labels, annotations);
  }

  private render(
    id: string,
    crd: ReturnType<typeof sparkApplicationCrd>,
    labels: Record<string, string> | undefined,
    annotations: Record<string, string>,
  ): ApiObject {
    const apiObject = new ApiObject(this, id, {
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: {
        name: crd.metadata.name,
        labels,
        annotations: { ...crd.metadata.annotations, ...annotations },
      },
      spec: crd.spec,
    });
    makeClusterScoped(apiObject);
    return apiObject;
  }
}
