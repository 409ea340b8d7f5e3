import * as api from './api';
import { SparkPod, SparkPodProps, SparkRole } from './spark-pod';

/**
 * Properties of the executors of a Spark application (`spec.executor`).
 */
export interface SparkExecutorProps extends SparkPodProps {
  /**
   * Number of executors (`spark.executor.instances`). With dynamic allocation it is only a lower
   * bound for the initial number and usually left unset.
   *
   * @default 1 - the upstream webhook's default, written explicitly; unset with dynamic allocation
   */
  readonly instances?: number;

  /**
   * Delete executor pods when they end (`spark.kubernetes.executor.deleteOnTermination`). Set it to
   * false to keep failed executors around for their logs.
   *
   * @default - Spark's default: true
   */
  readonly deleteOnTermination?: boolean;
}

/**
 * The executors of a Spark application: the pods that run tasks.
 *
 * Reach it as `app.executor` to add environment variables, mounts, Secrets and scheduling rules after
 * the application is created.
 */
export class SparkExecutor extends SparkPod {
  /** @internal */
  public static _create(props: SparkExecutorProps = {}): SparkExecutor {
    return new SparkExecutor(props);
  }

  /** Number of executors, if set explicitly. */
  public readonly instances?: number;

  private readonly executorProps: SparkExecutorProps;

  private constructor(props: SparkExecutorProps) {
    super(SparkRole.EXECUTOR, props);
    this.executorProps = props;
    this.instances = props.instances;
  }

  /** @internal */
  public _toKube(defaultServiceAccount?: string): api.ExecutorSpec {
    const spec: api.ExecutorSpec = super._toKube(defaultServiceAccount);
    spec.instances = this.instances;
    spec.deleteOnTermination = this.executorProps.deleteOnTermination;
    return spec;
  }
}
