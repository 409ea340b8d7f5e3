// The example app: `npm run synth` (cdk8s synth) writes one YAML file per chart into dist/.
// Each example lives in its own file; this file only puts them into one App.
import { App } from 'cdk8s';
import { CrdsChart } from './crds';
import { OperatorChart } from './operator';

const app = new App();
new CrdsChart(app, 'spark-crds');
new OperatorChart(app, 'spark-operator');
app.synth();
