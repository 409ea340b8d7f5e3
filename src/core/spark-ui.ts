/**
 * Where the Spark UI of a driver listens: the rule the controller's UI Service targets and the port
 * `sparkctl forward` reaches, written once.
 */
import type { SparkApplication } from '../api';

/** Spark's UI port when `spark.ui.port` sets none (https://spark.apache.org/docs/latest/configuration.html#spark-ui). */
export const DEFAULT_SPARK_UI_PORT = 4040;

/** The port the Spark UI listens on in the driver: `spark.ui.port` when it is a whole number > 0, else 4040. */
export function sparkUiPort(app: Pick<SparkApplication, 'spec'>): number {
  const configured = Number(app.spec?.sparkConf?.['spark.ui.port']);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_SPARK_UI_PORT;
}
