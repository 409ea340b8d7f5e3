import { App, Chart, Testing } from 'cdk8s';
import { ConfigAndVolumesChart } from '../examples/config-and-volumes';
import { CrdsChart } from '../examples/crds';
import { DynamicAllocationChart } from '../examples/dynamic-allocation';
import { NightlyChart } from '../examples/nightly';
import { OperatorChart } from '../examples/operator';
import { PlatformChart } from '../examples/platform';
import { PlatformJobsChart } from '../examples/platform-jobs';
import { PySparkChart } from '../examples/pyspark';
import { SparkPiChart } from '../examples/spark-pi';
import { crdValidationErrors } from './util/crd-validator';
import { hasKubeSchema, kubeSchemaErrors } from './util/kube-validator';

const SPARK_KINDS = ['SparkApplication', 'ScheduledSparkApplication'];
const CLUSTER_SCOPED = [
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
];

const EXAMPLES: Array<[string, (app: App, id: string) => Chart, string[]]> = [
  ['spark-pi', (app, id) => new SparkPiChart(app, id), ['SparkApplication/spark-jobs/spark-pi']],
  ['pyspark-pi', (app, id) => new PySparkChart(app, id), ['SparkApplication/spark-jobs/pyspark-pi']],
  ['nightly-pi', (app, id) => new NightlyChart(app, id), ['ScheduledSparkApplication/spark-jobs/nightly-pi']],
  ['dynamic-allocation', (app, id) => new DynamicAllocationChart(app, id), ['SparkApplication/spark-jobs/elastic-pi']],
  ['config-and-volumes', (app, id) => new ConfigAndVolumesChart(app, id), ['SparkApplication/spark-jobs/load-warehouse']],
  ['platform-jobs', (app, id) => new PlatformJobsChart(app, id, new PlatformChart(app, 'platform')), [
    'SparkApplication/team-analytics/spark-pi', 'ScheduledSparkApplication/team-analytics/nightly-pi',
    'SparkApplication/team-ml/spark-pi', 'ScheduledSparkApplication/team-ml/nightly-pi',
  ]],
];

describe('examples', () => {
  test.each(EXAMPLES)('%s synthesizes schema-valid Spark objects', (id, makeChart, expected) => {
    // GIVEN
    const app = Testing.app();

    // WHEN
    const chart = makeChart(app, id);

    // THEN
    const manifests = Testing.synth(chart);
    const spark = manifests.filter((o) => SPARK_KINDS.includes(o.kind));
    expect(spark.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual(expected);
    for (const obj of spark) {
      expect(crdValidationErrors(obj)).toEqual([]);
    }
    const builtIn = manifests.filter((o) => !SPARK_KINDS.includes(o.kind) && hasKubeSchema(o));
    expect(builtIn.flatMap((o) => kubeSchemaErrors(o))).toEqual([]);
    expect(spark).toMatchSnapshot();
  });

  test('the platform creates team namespaces before anything is put in them', () => {
    // GIVEN
    const chart = new PlatformChart(Testing.app(), 'platform');

    // WHEN
    const manifests = Testing.synth(chart);

    // THEN
    const firstUse = (ns: string) => manifests.findIndex((o) => o.metadata.namespace === ns);
    const created = (ns: string) => manifests.findIndex((o) => o.kind === 'Namespace' && o.metadata.name === ns);
    for (const team of ['team-analytics', 'team-ml']) {
      expect(created(team)).toBeGreaterThanOrEqual(0);
      expect(created(team)).toBeLessThan(firstUse(team));
    }
    const rbac = manifests.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'spark');
    expect(rbac.map((o) => o.metadata.namespace)).toEqual(['team-analytics', 'team-ml']);
  });

  test('the whole example app: cluster-scoped objects carry no namespace, the others do, and no object is rendered twice', () => {
    // GIVEN the app exactly as examples/main.ts builds it
    const app = Testing.app();
    new CrdsChart(app, 'spark-crds');
    new OperatorChart(app, 'spark-operator');
    for (const [id, makeChart] of EXAMPLES) makeChart(app, id);

    // WHEN
    const manifests = app.charts.flatMap((chart) => Testing.synth(chart));

    // THEN
    const wrong = manifests.filter((o) => CLUSTER_SCOPED.includes(o.kind) === ('namespace' in o.metadata))
      .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(wrong).toEqual([]);
    const keys = manifests.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
