"""SparkPi in Python: examples/spark-pi.ts and the operator it runs on (examples/operator.ts).

Synthesizes the charts `spark-operator` and `spark-pi` into $CDK8S_OUTDIR (default: dist/); the
packaging tests check that the YAML is byte for byte the TypeScript examples' YAML.
"""
from cdk8s import ApiObjectMetadata, App, Chart, Size
import cdk8s_plus_28 as kplus
from cdk8s_spark import SparkApplication, SparkDriverProps, SparkExecutorProps, SparkOperator

app = App()

# The operator for the job namespace spark-jobs (examples/operator.ts).
operator_chart = Chart(app, "spark-operator")
kplus.Namespace(operator_chart, "jobs", metadata=ApiObjectMetadata(
    name="spark-jobs", annotations={"argocd.argoproj.io/sync-wave": "-3"}))
operator = SparkOperator(operator_chart, "spark",
                         namespace="spark-operator",
                         create_namespace=True,
                         install_crds=False,
                         job_namespaces=["spark-jobs"])

# SparkPi, running as the drivers' service account the operator renders in spark-jobs.
jobs = Chart(app, "spark-pi", namespace="spark-jobs")
SparkApplication(jobs, "spark-pi",
                 metadata=ApiObjectMetadata(name="spark-pi"),
                 image="apache/spark:3.5.1",
                 spark_version="3.5.1",
                 main_class="org.apache.spark.examples.SparkPi",
                 main_application_file="local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar",
                 arguments=["1000"],
                 service_account=operator.driver_rbac_of("spark-jobs"),
                 driver=SparkDriverProps(memory=Size.mebibytes(512)),
                 executor=SparkExecutorProps(instances=2, memory=Size.mebibytes(512)))

app.synth()
