/**
 * Where the Spark driver runs (`spec.mode`, spark-submit's `--deploy-mode`).
 */
export enum DeployMode {
  /** The driver runs in its own pod, which the operator creates. The upstream default. */
  CLUSTER = 'cluster',
  /** The driver runs in the submitting process (the operator); rarely what you want. */
  CLIENT = 'client',
}
