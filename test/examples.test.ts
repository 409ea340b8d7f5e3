import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigAndVolumesChart } from '../examples/config-and-volumes';
import { DynamicAllocationChart } from '../examples/dynamic-allocation';
import { NightlyChart } from '../examples/nightly';
import { PlatformChart } from '../examples/platform';
import { PySparkChart } from '../examples/pyspark';
import { SparkPiChart } from '../examples/spark-pi';
import { crdValidationErrors } from './util/crd-validator';
import { hasKubeSchema, kubeSchemaErrors } from './util/kube-validator';

const SPARK_KINDS = ['SparkApplication', 'ScheduledSparkApplication'];

const EXAMPLES: Array<[string, new (scope: Construct, id: string) => Chart, string[]]> = [
  ['spark-pi', SparkPiChart, ['SparkApplication/spark-jobs/spark-pi']],
  ['pyspark-pi', PySparkChart, ['SparkApplication/spark-jobs/pyspark-pi']],
  ['nightly-pi', NightlyChart, ['ScheduledSparkApplication/spark-jobs/nightly-pi']],
  ['dynamic-allocation', DynamicAllocationChart, ['SparkApplication/spark-jobs/elastic-pi']],
  ['config-and-volumes', ConfigAndVolumesChart, ['SparkApplication/spark-jobs/load-warehouse']],
  ['platform', PlatformChart, [
    'SparkApplication/team-analytics/spark-pi', 'ScheduledSparkApplication/team-analytics/nightly-pi',
    'SparkApplication/team-ml/spark-pi', 'ScheduledSparkApplication/team-ml/nightly-pi',
  ]],
];

describe('examples', () => {
  test.each(EXAMPLES)('%s synthesizes schema-valid Spark objects', (id, ChartClass, expected) => {
    // GIVEN
    const app = Testing.app();

    // WHEN
    const chart = new ChartClass(app, id);

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
});
