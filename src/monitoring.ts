/**
 * The Prometheus JMX exporter that the operator attaches to the Spark JVMs
 * (`spec.monitoring.prometheus`).
 */
export interface PrometheusExporter {
  /** Path of the JMX exporter Java agent jar inside the image. */
  readonly jmxExporterJar: string;

  /**
   * Port the exporter listens on, 1024-49151.
   *
   * @default 8090
   */
  readonly port?: number;

  /**
   * Name of the exporter's container port.
   *
   * @default 'jmx-exporter'
   */
  readonly portName?: string;

  /**
   * Path of the exporter configuration inside the image.
   *
   * @default - the operator's built-in configuration
   */
  readonly configFile?: string;

  /**
   * Content of the exporter configuration; takes precedence over `configFile`.
   *
   * @default - the operator's built-in configuration
   */
  readonly configuration?: string;
}

/**
 * Metrics of a Spark application (`spec.monitoring`): Spark's metrics system, exposed to
 * Prometheus through the JMX exporter.
 */
export interface SparkMonitoring {
  /**
   * Expose the driver's metrics.
   *
   * @default true
   */
  readonly exposeDriverMetrics?: boolean;

  /**
   * Expose the executors' metrics.
   *
   * @default true
   */
  readonly exposeExecutorMetrics?: boolean;

  /**
   * Content of Spark's `metrics.properties`.
   *
   * @default - the operator's built-in properties
   */
  readonly metricsProperties?: string;

  /**
   * Path of `metrics.properties` inside the image.
   *
   * @default - the operator's built-in properties
   */
  readonly metricsPropertiesFile?: string;

  /**
   * The Prometheus JMX exporter.
   *
   * @default - no exporter
   */
  readonly prometheus?: PrometheusExporter;
}
