package io.github.cdk8s_spark.examples;

import io.github.cdk8s_spark.SparkApplication;
import io.github.cdk8s_spark.SparkDriverProps;
import io.github.cdk8s_spark.SparkExecutorProps;
import io.github.cdk8s_spark.SparkOperator;
import java.util.List;
import java.util.Map;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Size;
import org.cdk8s.plus28.Namespace;

/**
 * SparkPi in Java: examples/spark-pi.ts and the operator it runs on (examples/operator.ts).
 *
 * <p>Synthesizes the charts {@code spark-operator} and {@code spark-pi} into $CDK8S_OUTDIR (default:
 * dist/); the packaging tests check that the YAML is byte for byte the TypeScript examples' YAML.
 */
public final class SparkPi {
  public static void main(final String[] args) {
    App app = new App();

    // The operator for the job namespace spark-jobs (examples/operator.ts).
    Chart operatorChart = new Chart(app, "spark-operator");
    Namespace.Builder.create(operatorChart, "jobs")
        .metadata(ApiObjectMetadata.builder()
            .name("spark-jobs")
            .annotations(Map.of("argocd.argoproj.io/sync-wave", "-3"))
            .build())
        .build();
    SparkOperator operator = SparkOperator.Builder.create(operatorChart, "spark")
        .namespace("spark-operator")
        .createNamespace(true)
        .installCrds(false)
        .jobNamespaces(List.of("spark-jobs"))
        .build();

    // SparkPi, running as the drivers' service account the operator renders in spark-jobs.
    Chart jobs = new Chart(app, "spark-pi", ChartProps.builder().namespace("spark-jobs").build());
    SparkApplication.Builder.create(jobs, "spark-pi")
        .metadata(ApiObjectMetadata.builder().name("spark-pi").build())
        .image("apache/spark:3.5.1")
        .sparkVersion("3.5.1")
        .mainClass("org.apache.spark.examples.SparkPi")
        .mainApplicationFile("local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar")
        .arguments(List.of("1000"))
        .serviceAccount(operator.driverRbacOf("spark-jobs"))
        .driver(SparkDriverProps.builder().memory(Size.mebibytes(512)).build())
        .executor(SparkExecutorProps.builder().instances(2).memory(Size.mebibytes(512)).build())
        .build();

    app.synth();
  }
}
