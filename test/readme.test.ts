import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { synthesizeReadmeExample } from './readme-example';
import { scheduledSparkApplicationCrd, sparkApplicationCrd, sparkConnectCrd } from '../src/crds';

const REPO = path.join(__dirname, '..');

describe('README', () => {
  test('the example synthesizes the operator and a job as a user would run it, each object in one file', () => {
    // GIVEN the example, importing this checkout instead of the published package
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-readme-'));
    try {
      // WHEN
      const result = synthesizeReadmeExample(path.join(dir, 'dist'));
      // THEN
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.status).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['analytics.k8s.yaml', 'spark-operator.k8s.yaml']);
      const read = (name: string) => parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', name), 'utf8')).map((d) => d.toJS());
      const [jobs, operator] = [read('analytics.k8s.yaml'), read('spark-operator.k8s.yaml')];
      expect(jobs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['SparkApplication/spark-pi']);
      expect(jobs[0].spec.driver).toMatchObject({ cores: 1, memory: '512m', serviceAccount: 'spark' });
      expect(jobs[0].spec.executor).toMatchObject({ instances: 2, cores: 1, memory: '1g', serviceAccount: 'spark-executor' });
      const inAnalytics = operator.filter((o) => o.metadata.namespace === 'analytics').map((o) => `${o.kind}/${o.metadata.name}`);
      expect(inAnalytics).toEqual([
        'Role/spark-operator-controller', 'RoleBinding/spark-operator-controller',
        'ServiceAccount/spark', 'ServiceAccount/spark-executor', 'Role/spark', 'RoleBinding/spark',
      ]);
      const keys = [...operator, ...jobs].map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('the run command synthesizes the example app quietly: no update check of the cdk8s CLI, no stack trace', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-synth-'));
    try {
      // WHEN `npm run synth`, as the README says, into a temporary folder
      const result = spawnSync('npm', ['run', 'synth'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, CDK8S_OUTPUT: outdir } });

      // THEN
      expect(result.status).toBe(0);
      expect(result.stderr.split('\n').filter((line) => /^\s+at |cdk8s-cli is available/.test(line))).toEqual([]);
      expect(fs.readdirSync(outdir)).toContain('spark-operator.k8s.yaml');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);

  test('CI runs exactly the test command of the README', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const testCommand = /^(npm [^#\n]*npm test)\s+#/m.exec(readme)?.[1].trim();
    expect(testCommand).toBe('npm install && npm test');
    const ci = fs.readFileSync(path.join(REPO, '.ci', 'run'), 'utf8');
    expect(ci.split('\n').some((line) => line.startsWith(testCommand!))).toBe(true);
  });

  test('the CRD size table shows the sizes of the CRDs this code generates', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const crd of [sparkApplicationCrd(), scheduledSparkApplicationCrd(), sparkConnectCrd()]) {
      const row = new RegExp(`^\\| ${crd.metadata.name.replace(/\./g, '\\.')} \\| ([\\d,]+) \\| ([\\d,]+) \\|`, 'm').exec(readme);
      const [json, yaml] = [row?.[1], row?.[2]].map((n) => Number(n?.replace(/,/g, '')));
      expect({ json, yaml }).toEqual({ json: Buffer.byteLength(JSON.stringify(crd)), yaml: Buffer.byteLength(stringify(crd)) });
    }
  });
});
