/**
 * Options for a batch scheduler such as Volcano or YuniKorn (`spec.batchSchedulerOptions`).
 */
export interface BatchSchedulerOptions {
  /**
   * Queue the application is placed in.
   *
   * @default - the scheduler's default queue
   */
  readonly queue?: string;

  /**
   * PriorityClass the batch scheduler uses for the application.
   *
   * @default - none
   */
  readonly priorityClassName?: string;

  /**
   * Resources to reserve for the whole application, as Kubernetes quantities
   * (`{ cpu: '10', memory: '40Gi' }`).
   *
   * @default - computed by the scheduler from the driver and executors
   */
  readonly resources?: { [resource: string]: string };
}
