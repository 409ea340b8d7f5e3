// Our own SparkPi for the end-to-end Spark image (node/images.sh): the pyspark wheel the image is made
// from carries no examples jar, so this stands at the class name and path of Apache's example
// (org.apache.spark.examples.SparkPi in /opt/spark/examples/jars/spark-examples_<scala>-<version>.jar),
// which the README's SparkApplication names. Compiled here, against the image's own Spark jars.
package org.apache.spark.examples;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Estimates Pi by Monte Carlo: each of the N partitions (the first argument, 2 by default) throws
 * 100,000 points at the unit square, and the share that falls inside the quarter circle is Pi / 4.
 * Prints "Pi is roughly 3.14...", as Spark's example does.
 */
public final class SparkPi {
  private static final int POINTS_PER_PARTITION = 100_000;

  private SparkPi() {
  }

  public static void main(String[] args) {
    int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    SparkSession spark = SparkSession.builder().appName("Spark Pi").getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Integer> seeds = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
      long inside = sc.parallelize(seeds, partitions).map(SparkPi::pointsInside).reduce(Long::sum);
      System.out.println("Pi is roughly " + 4.0 * inside / ((long) partitions * POINTS_PER_PARTITION));
    } finally {
      spark.stop();
    }
  }

  /** How many of one partition's points fall inside the quarter circle (seeded by the partition). */
  private static long pointsInside(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long inside = 0;
    for (int i = 0; i < POINTS_PER_PARTITION; i++) {
      double x = random.nextDouble();
      double y = random.nextDouble();
      if (x * x + y * y <= 1) {
        inside++;
      }
    }
    return inside;
  }
}
