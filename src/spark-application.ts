import { ApiObject, ApiObjectMetadata, Lazy, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as api from './api';
import { DNS_LABEL_MAX_LENGTH, DRIVER_POD_SUFFIX, validateSparkApplication } from './core';
import { SparkApplicationBase, SparkApplicationSpecProps } from './spark-application-base';
import { locatedError } from './util/located';

/**
 * A SparkApplication, or a reference to one.
 *
 * It is an API resource, so cdk8s-plus roles can grant access to it:
 * `role.allowRead(app)`.
 */
export interface ISparkApplication extends kplus.IResource {
  /** The namespace of the application, if known at synth time. */
  readonly namespace?: string;
}

/**
 * Properties of {@link SparkApplication}.
 */
export interface SparkApplicationProps extends SparkApplicationSpecProps {
  /**
   * Metadata of the SparkApplication: name, namespace, labels (copied to the driver and executor
   * pods), annotations.
   *
   * @default - a name generated from the construct path (at most 56 characters, so that the
   * driver pod name `<name>-driver` fits in 63); the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Create the application without running it; setting it on a running application stops it and
   * deletes its pods.
   *
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A Spark job run by the Spark operator (`sparkoperator.k8s.io/v1beta2` SparkApplication): one
 * driver pod that asks for executor pods, all cleaned up when the job ends.
 *
 * Everything the upstream webhook would default is written out (type, mode, restart policy, cores,
 * memory, executor count), so the YAML means the same with or without a webhook. Props are checked
 * when the construct is created; `addX()` calls made later still land in the YAML.
 *
 * @example
 *
 * const rbac = new SparkRbac(chart, 'rbac');
 * new SparkApplication(chart, 'pi', {
 *   image: 'apache/spark:3.5.1',
 *   sparkVersion: '3.5.1',
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
 *   serviceAccount: rbac,
 *   executor: { instances: 2, memory: Size.mebibytes(512) },
 * });
 */
export class SparkApplication extends SparkApplicationBase implements ISparkApplication {
  /** The resource type, for RBAC rules about SparkApplications. */
  public readonly resourceType = api.SPARK_APPLICATION_NAMES.plural;

  /** Whether the application is created suspended. */
  public readonly suspend: boolean;

  /** @see SparkApplicationBase.apiObject */
  protected readonly apiObject: ApiObject;

  /** The object's own labels, for the checks of `_problemsOf()`. */
  private readonly ownLabels?: { readonly [key: string]: string };

  constructor(scope: Construct, id: string, props: SparkApplicationProps) {
    super(scope, id, props);
    try {
      this.suspend = props.suspend ?? false;
      this.ownLabels = props.metadata?.labels;
      const name = props.metadata?.name ?? Names.toDnsLabel(this, { maxLen: DNS_LABEL_MAX_LENGTH - DRIVER_POD_SUFFIX.length });

      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: api.GROUP_VERSION,
        kind: api.SPARK_APPLICATION_NAMES.kind,
        metadata: { ...props.metadata, name },
        spec: Lazy.any({ produce: () => this._specToSynthesize() }),
      });
      this._throwFirstProblem();
    } catch (error) {
      throw locatedError(this, error);
    }
  }

  /** @internal */
  protected _problemsOf(spec: api.SparkApplicationSpec): string[] {
    const metadata = { name: this.name, namespace: this.namespace, labels: this._labels(this.ownLabels) };
    const object = { ...api.SPARK_APPLICATION_TYPE_META, metadata, spec };
    return this._describeProblems(validateSparkApplication(object), 'spec');
  }

  /** @internal */
  public _toKube(): api.SparkApplicationSpec {
    const spec = this._toSpec();
    // `suspend: false` is the meaning of an absent field; only write it when it changes something.
    return this.suspend ? { ...spec, suspend: true } : spec;
  }
}
