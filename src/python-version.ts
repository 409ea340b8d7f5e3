/**
 * The major Python version of a PySpark application (`spec.pythonVersion`,
 * `spark.kubernetes.pyspark.pythonVersion`).
 */
export enum PythonVersion {
  /** Python 2; Spark 3.0 and later no longer support it. */
  PYTHON_2 = '2',
  /** Python 3. */
  PYTHON_3 = '3',
}
