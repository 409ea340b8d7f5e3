import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { Cluster } from './cluster';
import { SparkCrds } from '../../../src';

/** The YAML of our three CRDs, as `SparkCrds` renders them. */
export function sparkCrdsYaml(): string {
  const chart = Testing.chart();
  new SparkCrds(chart, 'crds');
  return Testing.synth(chart).map((o) => stringify(o)).join('---\n');
}

/**
 * Applies our CRDs the plain way (client-side `kubectl apply`) and waits until the three are Established.
 * Idempotent, so every test file that needs them can call it.
 */
export async function installSparkCrds(cluster: Cluster): Promise<string> {
  const out = await cluster.kubectl(['apply', '-f', '-'], { input: sparkCrdsYaml() });
  await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s',
    'crd/sparkapplications.sparkoperator.k8s.io', 'crd/scheduledsparkapplications.sparkoperator.k8s.io',
    'crd/sparkconnects.sparkoperator.k8s.io']);
  return out;
}
