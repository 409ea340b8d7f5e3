package dev.cdk8s.spark.e2e;

import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark application that asks for executors and then waits for them: its one job needs task
 * slots, which only registered executors give. Where executors never start (kwok plays the pods),
 * it runs until it is stopped; SIGTERM runs SparkContext.stop() from Spark's shutdown hook.
 */
public final class WaitForExecutors {
  private WaitForExecutors() {}

  public static void main(String[] args) {
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf())) {
      long count = sc.parallelize(Arrays.asList(1, 2, 3, 4), 2).count();
      System.out.println("counted " + count + " elements on the executors");
    }
  }
}
