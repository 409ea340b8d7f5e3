import { App, Chart } from 'cdk8s';
import { ConfigAndVolumesChart } from './config-and-volumes';
import { CrdsChart } from './crds';
import { DynamicAllocationChart } from './dynamic-allocation';
import { NightlyChart } from './nightly';
import { NotebooksChart } from './notebooks';
import { OperatorChart } from './operator';
import { PlatformChart } from './platform';
import { PlatformJobsChart } from './platform-jobs';
import { PySparkChart } from './pyspark';
import { SparkPiChart } from './spark-pi';

/**
 * Puts every example into `app`, one chart each (`dist/<chart id>.k8s.yaml`), and returns them by id.
 * The job charts run as the driver service account that the operator renders for `spark-jobs`.
 */
export function buildExampleApp(app: App): Record<string, Chart> {
  const operator = new OperatorChart(app, 'spark-operator');
  const driver = operator.operator.driverRbacOf('spark-jobs');
  const platform = new PlatformChart(app, 'platform');
  const charts: Chart[] = [
    new CrdsChart(app, 'spark-crds'),
    operator,
    new SparkPiChart(app, 'spark-pi', driver),
    new PySparkChart(app, 'pyspark-pi', driver),
    new NightlyChart(app, 'nightly-pi', driver),
    new DynamicAllocationChart(app, 'dynamic-allocation', driver),
    new ConfigAndVolumesChart(app, 'config-and-volumes', driver),
    new NotebooksChart(app, 'notebooks', driver),
    platform,
    new PlatformJobsChart(app, 'platform-jobs', platform),
  ];
  return Object.fromEntries(charts.map((chart) => [chart.node.id, chart]));
}
