import * as api from './api';
import { SparkPod, SparkPodProps, SparkRole } from './spark-pod';
import { mapOrUndefined } from './util/json';

/**
 * Properties of the driver of a Spark application (`spec.driver`).
 */
export interface SparkDriverProps extends SparkPodProps {
  /**
   * Name of the driver pod (`spark.kubernetes.driver.pod.name`). At most 63 characters.
   *
   * @default '<application name>-driver'
   */
  readonly podName?: string;

  /**
   * API server URL the driver uses to create executors (`spark.kubernetes.driver.master`).
   *
   * @default - Spark's default: https://kubernetes.default.svc
   */
  readonly kubernetesMaster?: string;

  /**
   * Annotations of the headless driver Service (`spark.kubernetes.driver.service.annotation.*`).
   *
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };

  /**
   * Labels of the headless driver Service (`spark.kubernetes.driver.service.label.*`).
   *
   * @default - none
   */
  readonly serviceLabels?: { [key: string]: string };
}

/**
 * The driver of a Spark application: the pod that runs `main()` and asks for executors.
 *
 * Reach it as `app.driver` to add environment variables, mounts, Secrets and scheduling rules after
 * the application is created.
 */
export class SparkDriver extends SparkPod {
  /** @internal */
  public static _create(props: SparkDriverProps = {}): SparkDriver {
    return new SparkDriver(props);
  }

  /** Name of the driver pod, if set explicitly. */
  public readonly podName?: string;

  private readonly driverProps: SparkDriverProps;

  private constructor(props: SparkDriverProps) {
    super(SparkRole.DRIVER, props);
    this.driverProps = props;
    this.podName = props.podName;
  }

  /** @internal */
  public _toKube(defaultServiceAccount?: string): api.DriverSpec {
    const spec: api.DriverSpec = super._toKube(defaultServiceAccount);
    spec.podName = this.podName;
    spec.kubernetesMaster = this.driverProps.kubernetesMaster;
    spec.serviceAnnotations = mapOrUndefined(this.driverProps.serviceAnnotations);
    spec.serviceLabels = mapOrUndefined(this.driverProps.serviceLabels);
    return spec;
  }
}
