/**
 * The language a Spark application is written in (`spec.type`).
 *
 * It decides how the driver starts the application (a JVM main class, `PythonRunner` or `RRunner`)
 * and Spark's default memory overhead factor (0.1 for JVM applications, 0.4 for Python and R).
 */
export enum SparkApplicationType {
  /** A Java application: needs `mainClass`. */
  JAVA = 'Java',
  /** A Scala application: needs `mainClass`. The upstream default. */
  SCALA = 'Scala',
  /** A PySpark application: `mainApplicationFile` is the `.py` file. */
  PYTHON = 'Python',
  /** A SparkR application: `mainApplicationFile` is the `.R` file. */
  R = 'R',
}
