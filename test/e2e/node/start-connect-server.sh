#!/usr/bin/env bash
# Starts Spark Connect's server. Our own script for the end-to-end Spark image (images.sh spark-<v>):
# PyPI's pyspark wheel ships Spark's sbin/spark-daemon.sh but not sbin/start-connect-server.sh,
# which the operator's server pod runs. It behaves as Spark documents and ships it
# (https://spark.apache.org/docs/4.0.0/spark-connect-overview.html,
# https://github.com/apache/spark/blob/v4.0.0/sbin/start-connect-server.sh):
#
#   start-connect-server.sh [--wait] [spark-submit options...]
#
# spark-daemon.sh submits the class org.apache.spark.sql.connect.service.SparkConnectServer as
# instance 1 of that class, with the name "Spark Connect server" and the given options (--master,
# --conf ...). With `--wait`, or with SPARK_NO_DAEMONIZE set (as the operator's server pod sets it),
# the server runs in the foreground and logs to stdout; otherwise in the background, logging to
# $SPARK_LOG_DIR, with a PID file that stop-connect-server.sh uses.
set -o posix

export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
server_class=org.apache.spark.sql.connect.service.SparkConnectServer

case "${1:-}" in
  -h | --help)
    echo "usage: start-connect-server.sh [--wait] [spark-submit options...]" >&2
    exec "$SPARK_HOME/bin/spark-submit" --help
    ;;
  --wait)
    shift
    export SPARK_NO_DAEMONIZE=1
    ;;
esac

. "$SPARK_HOME/bin/load-spark-env.sh"
exec "$SPARK_HOME/sbin/spark-daemon.sh" submit "$server_class" 1 --name "Spark Connect server" "$@"
