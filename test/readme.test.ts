import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { scheduledSparkApplicationCrd, sparkApplicationCrd } from '../src/crds';

const REPO = path.join(__dirname, '..');

/** The TypeScript code blocks of the README. */
function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('README', () => {
  test('the first example synthesizes a SparkRbac and a SparkApplication as a user would run it', () => {
    // GIVEN the example, importing this checkout instead of the published package
    const [example] = readmeExamples();
    const dir = fs.mkdtempSync(path.join(REPO, 'test', '.readme-'));
    const file = path.join(dir, 'example.ts');
    fs.writeFileSync(file, example.replace("from 'cdk8s-spark'", `from ${JSON.stringify(path.join(REPO, 'src'))}`));
    try {
      // WHEN
      const result = spawnSync('npx', ['ts-node', '--project', 'examples/tsconfig.json', file], {
        cwd: REPO, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: path.join(dir, 'dist') },
      });
      // THEN
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.status).toBe(0);
      const objects = parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', 'analytics.k8s.yaml'), 'utf8')).map((d) => d.toJS());
      expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'ServiceAccount', 'Role', 'RoleBinding', 'SparkApplication']);
      const app = objects[4];
      expect(app.spec.driver).toMatchObject({ cores: 1, memory: '512m', serviceAccount: 'spark' });
      expect(app.spec.executor).toMatchObject({ instances: 2, cores: 1, memory: '1g', serviceAccount: 'spark-executor' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('the three-line install is three lines', () => {
    const install = readmeExamples()[1].trim().split('\n');
    expect(install).toHaveLength(3);
    expect(install[1]).toContain('new SparkOperator(');
  });

  test('CI runs exactly the test command of the README', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const testCommand = /^(npm [^#\n]*npm test)\s+#/m.exec(readme)?.[1].trim();
    expect(testCommand).toBe('npm install && npm test');
    const ci = fs.readFileSync(path.join(REPO, '.ci', 'run'), 'utf8');
    expect(ci.split('\n').some((line) => line.startsWith(testCommand!))).toBe(true);
  });

  test('the CRD size table shows the sizes of the CRDs this code generates', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const crd of [sparkApplicationCrd(), scheduledSparkApplicationCrd()]) {
      const row = new RegExp(`^\\| ${crd.metadata.name.replace(/\./g, '\\.')} \\| ([\\d,]+) \\| ([\\d,]+) \\|`, 'm').exec(readme);
      const [json, yaml] = [row?.[1], row?.[2]].map((n) => Number(n?.replace(/,/g, '')));
      expect({ json, yaml }).toEqual({ json: Buffer.byteLength(JSON.stringify(crd)), yaml: Buffer.byteLength(stringify(crd)) });
    }
  });
});
