import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { scheduledSparkApplicationCrd, sparkApplicationCrd } from './crds';
import { makeClusterScoped } from './util/cluster-scoped';

/**
 * Properties of {@link SparkCrds}.
 */
export interface SparkCrdsProps {
  /**
   * Labels added to both CustomResourceDefinitions.
   *
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to both CustomResourceDefinitions, for example Argo CD sync options.
   *
   * @default - only the `api-approved.kubernetes.io` annotation that the `*.k8s.io` group requires
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * The two CustomResourceDefinitions of the `sparkoperator.k8s.io/v1beta2` API: SparkApplication and
 * ScheduledSparkApplication.
 *
 * They are cluster-scoped (rendered without a namespace) and small enough for a plain client-side
 * `kubectl apply`. Use this construct on its own for charts that install CRDs separately;
 * `SparkOperator` uses it too.
 */
export class SparkCrds extends Construct {
  /** The `sparkapplications.sparkoperator.k8s.io` CRD. */
  public readonly sparkApplicationCrd: ApiObject;

  /** The `scheduledsparkapplications.sparkoperator.k8s.io` CRD. */
  public readonly scheduledSparkApplicationCrd: ApiObject;

  constructor(scope: Construct, id: string, props: SparkCrdsProps = {}) {
    super(scope, id);
    this.sparkApplicationCrd = this.render('SparkApplication', sparkApplicationCrd(), props);
    this.scheduledSparkApplicationCrd = this.render('ScheduledSparkApplication', scheduledSparkApplicationCrd(), props);
  }

  private render(id: string, crd: ReturnType<typeof sparkApplicationCrd>, props: SparkCrdsProps): ApiObject {
    const apiObject = new ApiObject(this, id, {
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: {
        name: crd.metadata.name,
        labels: props.labels,
        annotations: { ...crd.metadata.annotations, ...props.annotations },
      },
      spec: crd.spec,
    });
    makeClusterScoped(apiObject);
    return apiObject;
  }
}
