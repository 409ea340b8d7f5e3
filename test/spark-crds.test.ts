import { Chart, Testing } from 'cdk8s';
import { ArgoCdSyncWaves, SparkCrds } from '../src';
import { sparkApplicationCrd } from '../src/crds';

describe('SparkCrds', () => {
  test('renders the SparkApplication, ScheduledSparkApplication and SparkConnect CRDs', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds');
    // THEN
    const manifest = Testing.synth(chart);
    expect(manifest.map((o) => [o.kind, o.metadata.name])).toEqual([
      ['CustomResourceDefinition', 'sparkapplications.sparkoperator.k8s.io'],
      ['CustomResourceDefinition', 'scheduledsparkapplications.sparkoperator.k8s.io'],
      ['CustomResourceDefinition', 'sparkconnects.sparkoperator.k8s.io'],
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

  test('by default carries the approval annotation, the CRD sync wave and the Argo CD retain options', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds');
    // THEN
    for (const crd of Testing.synth(chart)) {
      expect(crd.metadata.annotations).toEqual({
        'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298',
        'argocd.argoproj.io/sync-wave': '-2',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      });
    }
  });

  test('syncWaves sets the CRD wave', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds', { syncWaves: ArgoCdSyncWaves.custom({ crds: -10 }) });
    // THEN
    expect(Testing.synth(chart).map((c) => c.metadata.annotations['argocd.argoproj.io/sync-wave'])).toEqual(['-10', '-10', '-10']);
  });

  test('ArgoCdSyncWaves.none() removes the sync wave and keeps the retain options', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds', { syncWaves: ArgoCdSyncWaves.none() });
    // THEN
    for (const crd of Testing.synth(chart)) {
      expect(crd.metadata.annotations).toEqual({
        'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      });
    }
  });

  test('argoCdRetain: false leaves out the sync options', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds', { argoCdRetain: false });
    // THEN
    for (const crd of Testing.synth(chart)) {
      expect(crd.metadata.annotations).toEqual({
        'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298',
        'argocd.argoproj.io/sync-wave': '-2',
      });
    }
  });

  test('adds the given labels, and the given annotations win over its own', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkCrds(chart, 'crds', {
      labels: { 'app.kubernetes.io/part-of': 'spark' },
      annotations: {
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,ServerSideApply=true',
        'argocd.argoproj.io/sync-wave': '-5',
        'example.com/owner': 'data-platform',
      },
    });
    // THEN
    const [crd] = Testing.synth(chart);
    expect(crd.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'spark' });
    expect(crd.metadata.annotations).toEqual({
      'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,ServerSideApply=true',
      'argocd.argoproj.io/sync-wave': '-5',
      'example.com/owner': 'data-platform',
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
