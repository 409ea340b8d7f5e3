/**
 * The Spark image's side of the contract: the arguments its entrypoint (`entrypoint.sh`) takes for
 * a driver, `driver` and then spark-submit's own (`reference/spark-submission.md` A.8).
 */

/** The driver's container arguments, by meaning. */
export const SPARK_DRIVER_ARGS = {
  /** The entrypoint's mode. */
  driver: 'driver',
  /** `--proxy-user <user>`: run as this user (Hadoop impersonation). */
  proxyUser: '--proxy-user',
  /** `--properties-file <file>`: the driver's `spark.properties`. */
  propertiesFile: '--properties-file',
  /** `--class <class>`: the main class (Spark's runner for Python and R). */
  mainClass: '--class',
} as const;
