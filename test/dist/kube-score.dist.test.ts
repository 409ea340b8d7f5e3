// An independent policy scanner over the operator install: kube-score (built from its Go module
// through the Go module proxy, cached) with every check on, default and optional. Each finding it
// still reports is a decision, listed in the README (Hardening) with the reason it stays; this test
// keeps that list true.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { TOOLS } from './paths';
import { buildExampleApp } from '../../examples/app';
import { SparkOperator, SparkOperatorProps, WebhookTls } from '../../src';

const KUBE_SCORE_MODULE = 'github.com/zegl/kube-score/cmd/kube-score';
const KUBE_SCORE_VERSION = 'v1.20.0';

let work: string;
let kubeScore: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-kube-score-'));
  const bin = path.join(TOOLS, `kube-score-${KUBE_SCORE_VERSION}`);
  kubeScore = path.join(bin, 'kube-score');
  if (!fs.existsSync(kubeScore)) {
    execFileSync('go', ['install', `${KUBE_SCORE_MODULE}@${KUBE_SCORE_VERSION}`], {
      env: { ...process.env, GOBIN: bin, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' }, stdio: 'pipe',
    });
  }
}, 600_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** kube-score's findings (neither OK nor skipped) on YAML files, as `[LEVEL] kind/name: message`. */
function findings(files: string[]): string[] {
  const result = spawnSync(kubeScore, ['score', '--all-default-optional', '--output-format', 'ci', ...files], { encoding: 'utf8' });
  // kube-score exits 1 when it has a critical finding.
  expect([0, 1]).toContain(result.status);
  const lines = result.stdout.trim().split('\n')
    .filter((line) => !/^\[(OK|SKIPPED)\]/.test(line))
    .map((line) => line.replace(/^(\[\w+\]) ([^/\s]+)\/\S+ \S+\/(\w+):/, '$1 $3/$2:'));
  // Some findings come from two checks (requests equal limits, in all and per resource).
  return [...new Set(lines)].sort();
}

/** One SparkOperator in a chart of its own, synthesized to a file. */
function operatorYaml(id: string, props: SparkOperatorProps): string {
  const app = new App({ outdir: path.join(work, id) });
  new SparkOperator(new Chart(app, id), 'spark', { jobNamespaces: ['spark-jobs'], ...props });
  app.synth();
  return path.join(work, id, `${id}.k8s.yaml`);
}

/** What kube-score reports on each operator Deployment, whatever the options (README: Hardening). */
function always(component: string): string[] {
  return [
    `[CRITICAL] Deployment/spark-operator-${component}: (${component}) CPU requests does not match limits`,
    `[CRITICAL] Deployment/spark-operator-${component}: (${component}) Ephemeral Storage request does not match limit`,
    `[CRITICAL] Deployment/spark-operator-${component}: (${component}) ImagePullPolicy is not set to Always`,
    `[CRITICAL] Deployment/spark-operator-${component}: (${component}) Memory requests does not match limits`,
  ];
}

describe('kube-score, every check on, over the operator install', () => {
  test("the example app's operator: the findings the README explains, and no missing NetworkPolicy", () => {
    // GIVEN
    const app = new App({ outdir: path.join(work, 'examples') });
    buildExampleApp(app);
    app.synth();

    // WHEN
    const found = findings([path.join(work, 'examples', 'spark-operator.k8s.yaml')]);

    // THEN
    expect(found).toEqual([
      ...always('controller'), ...always('webhook'),
      '[WARNING] Deployment/spark-operator-controller: Deployment few replicas',
      '[WARNING] Deployment/spark-operator-webhook: Deployment few replicas',
    ].sort());
  });

  test('replicated, with cert-manager TLS: a PodDisruptionBudget each, and no host anti-affinity unless asked for', () => {
    // WHEN
    const found = findings([operatorYaml('replicated', {
      controller: { replicas: 2 }, webhookOptions: { replicas: 2, tls: WebhookTls.certManager() },
    })]);

    // THEN
    expect(found).toEqual([
      ...always('controller'), ...always('webhook'),
      '[WARNING] Deployment/spark-operator-controller: Deployment does not have a host podAntiAffinity set',
      '[WARNING] Deployment/spark-operator-webhook: Deployment does not have a host podAntiAffinity set',
    ].sort());
  });

  test('the scanner does check NetworkPolicies: without them it reports both pods', () => {
    // WHEN
    const found = findings([operatorYaml('open', { networkPolicies: false })]);

    // THEN
    expect(found.filter((line) => /NetworkPolicy/i.test(line))).toEqual([
      '[CRITICAL] Deployment/spark-operator-controller: The pod does not have a matching NetworkPolicy',
      '[CRITICAL] Deployment/spark-operator-webhook: The pod does not have a matching NetworkPolicy',
    ]);
  });
});
