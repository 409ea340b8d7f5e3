/**
 * The Spark image's side of the contract: the arguments its entrypoint (`entrypoint.sh`) takes for
 * a driver, `driver` and then spark-submit's own (`reference/spark-submission.md` A.8).
 */

/**
 * Spark's own containers in the pods it builds: the driver's (also a SparkConnect server's) and the
 * executors'. A pod template's container of that name is the one Spark takes as its own
 * (`spark.kubernetes.{driver,executor}.podTemplateContainerName`, as upstream sets them); with none of
 * that name, the first container.
 */
export const SPARK_CONTAINERS = { driver: 'spark-kubernetes-driver', executor: 'spark-kubernetes-executor' } as const;

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

/**
 * How a SparkConnect's server pod starts and stops Spark Connect with the image's own scripts
 * (`sbin/start-connect-server.sh`, which passes its arguments to spark-submit), as upstream does.
 */
export const SPARK_CONNECT_SERVER_ARGS = {
  /** The script that starts the server; in the foreground with `SPARK_NO_DAEMONIZE=true`. */
  start: '${SPARK_HOME}/sbin/start-connect-server.sh',
  /** The `preStop` hook's script. */
  stop: '${SPARK_HOME}/sbin/stop-connect-server.sh',
  /** `--master <url>`: the Kubernetes API server. */
  master: '--master',
  /** `--conf <key>=<value>`: one Spark setting. */
  conf: '--conf',
} as const;
