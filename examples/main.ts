// The example app: `npm run synth` (cdk8s synth) writes one YAML file per chart into dist/.
// Each example lives in its own file; this file only puts them into one App.
import { App } from 'cdk8s';
import { ConfigAndVolumesChart } from './config-and-volumes';
import { CrdsChart } from './crds';
import { DynamicAllocationChart } from './dynamic-allocation';
import { NightlyChart } from './nightly';
import { OperatorChart } from './operator';
import { PlatformChart } from './platform';
import { PlatformJobsChart } from './platform-jobs';
import { PySparkChart } from './pyspark';
import { SparkPiChart } from './spark-pi';

const app = new App();
new CrdsChart(app, 'spark-crds');
new OperatorChart(app, 'spark-operator');
new SparkPiChart(app, 'spark-pi');
new PySparkChart(app, 'pyspark-pi');
new NightlyChart(app, 'nightly-pi');
new DynamicAllocationChart(app, 'dynamic-allocation');
new ConfigAndVolumesChart(app, 'config-and-volumes');
const platform = new PlatformChart(app, 'platform');
new PlatformJobsChart(app, 'platform-jobs', platform);
app.synth();
