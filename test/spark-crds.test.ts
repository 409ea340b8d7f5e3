import { Chart, Testing } from 'cdk8s';
import { SparkCrds } from '../src';
import { sparkApplicationCrd } from '../src/crds';

describe('SparkCrds', () => {
  test('renders the SparkApplication and ScheduledSparkApplication CRDs', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds');
    // THEN
    const manifest = Testing.synth(chart);
    expect(manifest.map((o) => [o.kind, o.metadata.name])).toEqual([
      ['CustomResourceDefinition', 'sparkapplications.sparkoperator.k8s.io'],
      ['CustomResourceDefinition', 'scheduledsparkapplications.sparkoperator.k8s.io'],
    ]);
    expect(manifest[0].spec).toEqual(sparkApplicationCrd().spec);
    expect(manifest).toMatchSnapshot();
  });

  test('never puts a namespace on the cluster-scoped CRDs, even in a namespaced chart', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform', { namespace: 'spark-operator' });
    // WHEN
    new SparkCrds(chart, 'crds');
    // THEN
    for (const crd of Testing.synth(chart)) {
      expect(crd.metadata).not.toHaveProperty('namespace');
    }
  });

  test('adds the given labels and annotations next to the required approval annotation', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds', {
      labels: { 'app.kubernetes.io/part-of': 'spark' },
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' },
    });
    // THEN
    const [crd] = Testing.synth(chart);
    expect(crd.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'spark' });
    expect(crd.metadata.annotations).toEqual({
      'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298',
      'argocd.argoproj.io/sync-options': 'Prune=false',
    });
  });

  test('exposes both CRD objects so other constructs can annotate or depend on them', () => {
    // GIVEN
    const chart = Testing.chart();
    const crds = new SparkCrds(chart, 'crds');
    // WHEN
    crds.scheduledSparkApplicationCrd.metadata.addAnnotation('argocd.argoproj.io/sync-wave', '-10');
    // THEN
    const scheduled = Testing.synth(chart)[1];
    expect(scheduled.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-10');
    expect(crds.sparkApplicationCrd.name).toBe('sparkapplications.sparkoperator.k8s.io');
  });
});
