import { Testing } from 'cdk8s';
import { buildExampleApp } from '../examples/app';
import { PlatformChart } from '../examples/platform';
import { crdValidationErrors } from './util/crd-validator';
import { hasKubeSchema, kubeSchemaErrors } from './util/kube-validator';

const SPARK_KINDS = ['SparkApplication', 'ScheduledSparkApplication', 'SparkConnect'];
const RBAC_KINDS = ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
const CLUSTER_SCOPED = [
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
];

/** The Spark objects each job chart of the example app renders. */
const EXAMPLES: Array<[string, string[]]> = [
  ['spark-pi', ['SparkApplication/spark-jobs/spark-pi']],
  ['pyspark-pi', ['SparkApplication/spark-jobs/pyspark-pi']],
  ['nightly-pi', ['ScheduledSparkApplication/spark-jobs/nightly-pi']],
  ['dynamic-allocation', ['SparkApplication/spark-jobs/elastic-pi']],
  ['config-and-volumes', ['SparkApplication/spark-jobs/load-warehouse']],
  ['notebooks', ['SparkConnect/spark-jobs/notebooks']],
  ['platform-jobs', [
    'SparkApplication/team-analytics/spark-pi', 'ScheduledSparkApplication/team-analytics/nightly-pi',
    'SparkApplication/team-ml/spark-pi', 'ScheduledSparkApplication/team-ml/nightly-pi',
  ]],
];

describe('examples', () => {
  test.each(EXAMPLES)('%s synthesizes schema-valid Spark objects', (id, expected) => {
    // GIVEN the app exactly as examples/main.ts builds it
    const charts = buildExampleApp(Testing.app());

    // WHEN
    const chart = charts[id];

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

  test('the job charts run as the service accounts the operator renders for spark-jobs: drivers and executors apart', () => {
    // GIVEN
    const charts = buildExampleApp(Testing.app());
    const accounts = Testing.synth(charts['spark-operator'])
      .filter((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'spark-jobs').map((o) => o.metadata.name);

    // WHEN
    const specs = ['spark-pi', 'pyspark-pi', 'nightly-pi', 'dynamic-allocation', 'config-and-volumes']
      .flatMap((id) => Testing.synth(charts[id]))
      .filter((o) => o.kind === 'SparkApplication' || o.kind === 'ScheduledSparkApplication')
      .map((o) => o.spec.template ?? o.spec);

    // THEN
    expect(accounts).toEqual(['spark', 'spark-executor']);
    expect(new Set(specs.map((spec) => spec.driver.serviceAccount))).toEqual(new Set(['spark']));
    expect(new Set(specs.map((spec) => spec.executor.serviceAccount))).toEqual(new Set(['spark-executor']));
  });

  test('the whole example app: cluster-scoped objects carry no namespace, the others do, and no object is rendered twice', () => {
    // GIVEN the app exactly as examples/main.ts builds it
    const app = Testing.app();
    buildExampleApp(app);

    // WHEN
    const manifests = app.charts.flatMap((chart) => Testing.synth(chart));

    // THEN
    const wrong = manifests.filter((o) => CLUSTER_SCOPED.includes(o.kind) === ('namespace' in o.metadata))
      .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(wrong).toEqual([]);
    const keys = manifests.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  test('the whole example app renders each RBAC object once: the job charts reuse the RBAC of the operator and the platform', () => {
    // GIVEN the app exactly as examples/main.ts builds it
    const app = Testing.app();
    buildExampleApp(app);

    // WHEN
    const rbac = app.charts.flatMap((chart) => Testing.synth(chart).map((o) => ({ chart: chart.node.id, ...o })))
      .filter((o) => RBAC_KINDS.includes(o.kind) && ['spark', 'spark-executor'].includes(o.metadata.name))
      .map((o) => `${o.chart}: ${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);

    // THEN the drivers' and executors' RBAC of each job namespace, once, in the chart that owns it
    expect(rbac).toEqual(['spark-jobs', 'team-analytics', 'team-ml'].flatMap((namespace) => [
      `ServiceAccount/${namespace}/spark`, `ServiceAccount/${namespace}/spark-executor`, `Role/${namespace}/spark`, `RoleBinding/${namespace}/spark`,
    ].map((object) => `${namespace === 'spark-jobs' ? 'spark-operator' : 'platform'}: ${object}`)));
  });
});
