// The example app: `npm run synth` (cdk8s synth) writes one YAML file per chart into dist/.
// Each example lives in its own file; examples/app.ts puts them into one App.
import { App } from 'cdk8s';
import { buildExampleApp } from './app';

const app = new App();
buildExampleApp(app);
app.synth();
