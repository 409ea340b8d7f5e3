"""The Spark Connect client of the end-to-end tests: connects to the server at the URL given
(`sc://host:15002`), runs a few queries and prints their results as one JSON object on stdout.

- `sum`: the sum of 1..1000 (500500)
- `count`: the rows of a range of 100,000 in 8 partitions, shuffled into 4 (100000)
- `hosts`: the host names the tasks of a Python UDF ran on, one task per partition of 8: the
  executors' pod names, since no task runs in the server (Kubernetes mode)
- `version`: the server's Spark version
"""
import json
import socket
import sys

from pyspark.sql import SparkSession
from pyspark.sql.functions import udf


def main(url: str) -> None:
    spark = SparkSession.builder.remote(url).getOrCreate()
    try:
        total = spark.range(1, 1001).selectExpr('sum(id) AS total').collect()[0]['total']
        count = spark.range(0, 100_000, 1, 8).repartition(4).count()
        hostname = udf(lambda _: socket.gethostname(), 'string')
        hosts = sorted({row['host'] for row in spark.range(0, 8, 1, 8).select(hostname('id').alias('host')).collect()})
        print(json.dumps({'sum': total, 'count': count, 'hosts': hosts, 'version': spark.version}))
    finally:
        spark.stop()


if __name__ == '__main__':
    main(sys.argv[1])
