#!/usr/bin/env bash
# Stops the Spark Connect server that start-connect-server.sh started in the background. Our own
# script for the end-to-end Spark image, as Spark ships it
# (https://github.com/apache/spark/blob/v4.0.0/sbin/stop-connect-server.sh): spark-daemon.sh stops
# instance 1 of org.apache.spark.sql.connect.service.SparkConnectServer through its PID file. A
# server run in the foreground (SPARK_NO_DAEMONIZE, as in the operator's server pod) has no PID file:
# the script then says there is nothing to stop, and the kubelet's signals stop the server.
set -o posix

export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
exec "$SPARK_HOME/sbin/spark-daemon.sh" stop org.apache.spark.sql.connect.service.SparkConnectServer 1
