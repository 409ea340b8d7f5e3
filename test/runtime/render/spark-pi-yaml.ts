/** SparkPi as a user writes it in a file that `render` reads (no defaults), shared by the render tests. */
export const SPARK_PI = `apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: spark-pi
  namespace: spark-jobs
spec:
  type: Scala
  sparkVersion: 3.5.1
  image: apache/spark:3.5.1
  mainClass: org.apache.spark.examples.SparkPi
  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar
  driver:
    serviceAccount: spark
  executor:
    instances: 2
`;
