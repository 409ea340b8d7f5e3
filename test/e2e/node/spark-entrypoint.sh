#!/bin/bash
# The entrypoint of the end-to-end Spark image (images.sh spark-<version>): our own, following the
# container contract of Apache Spark's image for Kubernetes (spark-submit's pods run it with these
# arguments and environment; https://spark.apache.org/docs/latest/running-on-kubernetes.html):
#
#   driver ARGS...     spark-submit --deploy-mode client ARGS..., bound to SPARK_DRIVER_BIND_ADDRESS
#   driver-py ARGS...  the same (Spark 2.4's name for a Python driver; spark-submit tells by the file)
#   executor           the KubernetesExecutorBackend, from the SPARK_EXECUTOR_* / SPARK_DRIVER_URL /
#                      SPARK_APPLICATION_ID / SPARK_JAVA_OPT_<n> environment the driver gives it
#   anything else      run as given
#
# tini is PID 1, so signals reach Spark and zombies are reaped.
set -eo pipefail

# A user id the image does not know (a pod's runAsUser) still gets a passwd entry: the JVM and
# Hadoop's UserGroupInformation want a name.
uid="$(id -u)"
if ! getent passwd "$uid" >/dev/null 2>&1 && [ -w /etc/passwd ]; then
  echo "$uid:x:$uid:$(id -g):anonymous uid:$SPARK_HOME:/bin/false" >>/etc/passwd
fi

SPARK_CLASSPATH="${SPARK_CLASSPATH:+$SPARK_CLASSPATH:}${SPARK_HOME}/jars/*"
# SPARK_JAVA_OPT_0, SPARK_JAVA_OPT_1, ... in numeric order.
mapfile -t SPARK_EXECUTOR_JAVA_OPTS < <(env | grep '^SPARK_JAVA_OPT_' | sort -t_ -k4 -n | sed 's/^[^=]*=//')
if [ -n "${SPARK_EXTRA_CLASSPATH:-}" ]; then SPARK_CLASSPATH="$SPARK_CLASSPATH:$SPARK_EXTRA_CLASSPATH"; fi
if [ -n "${HADOOP_CONF_DIR:-}" ]; then SPARK_CLASSPATH="$HADOOP_CONF_DIR:$SPARK_CLASSPATH"; fi
if [ -n "${SPARK_CONF_DIR:-}" ]; then
  SPARK_CLASSPATH="$SPARK_CONF_DIR:$SPARK_CLASSPATH"
elif [ -n "${SPARK_HOME:-}" ]; then
  SPARK_CLASSPATH="$SPARK_HOME/conf:$SPARK_CLASSPATH"
fi
if [ -n "${PYSPARK_PYTHON:-}" ]; then export PYSPARK_PYTHON; fi
if [ -n "${PYSPARK_DRIVER_PYTHON:-}" ]; then export PYSPARK_DRIVER_PYTHON; fi
# The driver binds to its pod's IP (a downward-API env of the driver pod).
SPARK_DRIVER_BIND_ADDRESS="${SPARK_DRIVER_BIND_ADDRESS:-$(hostname -i 2>/dev/null || echo 0.0.0.0)}"

case "${1:-}" in
  driver | driver-py)
    shift 1
    CMD=("$SPARK_HOME/bin/spark-submit"
      --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS"
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS"
      --deploy-mode client
      "$@")
    ;;
  executor)
    shift 1
    CMD=("$JAVA_HOME/bin/java"
      "${SPARK_EXECUTOR_JAVA_OPTS[@]}"
      -Xms"$SPARK_EXECUTOR_MEMORY" -Xmx"$SPARK_EXECUTOR_MEMORY"
      -cp "$SPARK_CLASSPATH${SPARK_DIST_CLASSPATH:+:$SPARK_DIST_CLASSPATH}"
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend
      --driver-url "$SPARK_DRIVER_URL"
      --executor-id "$SPARK_EXECUTOR_ID"
      --cores "$SPARK_EXECUTOR_CORES"
      --app-id "$SPARK_APPLICATION_ID"
      --hostname "$SPARK_EXECUTOR_POD_IP"
      --resourceProfileId "$SPARK_RESOURCE_PROFILE_ID"
      --podName "$SPARK_EXECUTOR_POD_NAME")
    ;;
  *)
    CMD=("$@")
    ;;
esac

exec /usr/bin/tini -s -- "${CMD[@]}"
