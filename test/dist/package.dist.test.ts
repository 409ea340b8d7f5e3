// The npm package as a user meets it: the tarball that jsii-pacmak packed, installed with the
// README's command into a new cdk8s app in a temporary folder (cdk8s, cdk8s-plus-28 and constructs
// from the registry), where the README's example is compiled and synthesized.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { NPM_TARBALL, REPO, requirePackages } from './paths';
import { readmeExamples } from '../readme-example';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * What users run (lib/*.js and *.d.ts, the jsii assembly, the bundled dependency croner, which a
 * jsii library ships inside, and sparkctl, one bundled file) and read; npm adds package.json.
 */
const SHIPPED = /^package\/(\.jsii|package\.json|README\.md|API\.md|LICENSE|lib\/.+\.(js|d\.ts)|node_modules\/croner\/.+|bin\/sparkctl\.js)$/;

let app: string;

beforeAll(() => {
  requirePackages();
  // GIVEN a new app with the README's install command: the tarball this repository builds (nothing
  // is published yet), and the peer packages
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-app-'));
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'spark-app', version: '0.0.0', private: true }));
  const install = /^npm install <clone>\/(\S+\.jsii\.tgz)((?: [\w-]+)+)/m.exec(README);
  expect(install?.[1]).toBe(path.relative(path.join(__dirname, '..', '..'), NPM_TARBALL));
  const peers = install![2].trim().split(' ');
  expect(peers).toEqual(['cdk8s-plus-28', 'cdk8s', 'constructs']);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', NPM_TARBALL, ...peers], { cwd: app, stdio: 'pipe' });
}, 300_000);

afterAll(() => {
  fs.rmSync(app, { recursive: true, force: true });
});

describe('the npm package', () => {
  test('the tarball holds the compiled library, its jsii assembly and its docs, and nothing else', () => {
    // WHEN
    const files = execFileSync('tar', ['-tzf', NPM_TARBALL], { encoding: 'utf8' }).trim().split('\n');

    // THEN
    expect(files.filter((file) => !SHIPPED.test(file))).toEqual([]);
    expect(files.filter((file) => /^package\/(\.ci|scripts|examples|src|test)\/|^package\/cdk8s\.yaml$/.test(file))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining([
      'package/.jsii', 'package/package.json', 'package/README.md', 'package/API.md', 'package/LICENSE',
      'package/lib/index.js', 'package/lib/index.d.ts', 'package/node_modules/croner/package.json', 'package/bin/sparkctl.js',
    ]));
  });

  test("the README's example compiles in a new app and synthesizes the operator and the job, each object once", () => {
    // GIVEN the example exactly as the README has it
    const [example] = readmeExamples();
    fs.writeFileSync(path.join(app, 'main.ts'), example);

    // WHEN it is compiled (strict, the package's declarations checked too) and run
    const tsc = spawnSync('node', [TSC, '--strict', '--module', 'commonjs', '--target', 'es2022', 'main.ts'], { cwd: app, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const outdir = path.join(app, 'dist');
    execFileSync('node', ['main.js'], { cwd: app, env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: 'pipe' });

    // THEN
    expect(fs.readdirSync(outdir).sort()).toEqual(['analytics.k8s.yaml', 'spark-operator.k8s.yaml']);
    const objects = fs.readdirSync(outdir).flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => ({ file, ...d.toJS() })));
    const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    expect(objects.filter((o) => o.metadata.namespace === 'analytics').map((o) => `${o.file}: ${o.kind}/${o.metadata.name}`)).toEqual([
      'analytics.k8s.yaml: SparkApplication/spark-pi',
      'spark-operator.k8s.yaml: Role/spark-operator-controller', 'spark-operator.k8s.yaml: RoleBinding/spark-operator-controller',
      'spark-operator.k8s.yaml: ServiceAccount/spark', 'spark-operator.k8s.yaml: ServiceAccount/spark-executor',
      'spark-operator.k8s.yaml: Role/spark', 'spark-operator.k8s.yaml: RoleBinding/spark',
    ]);
  });

  test('sparkctl is on the app\'s path and lints what the app synthesized, without a cluster', () => {
    // GIVEN the app's dist/ from the test above, and the bin npm linked
    const sparkctl = path.join(app, 'node_modules', '.bin', 'sparkctl');

    // WHEN
    const help = spawnSync(sparkctl, ['--help'], { cwd: app, encoding: 'utf8' });
    const lint = spawnSync(sparkctl, ['lint', 'dist/analytics.k8s.yaml', 'dist/spark-operator.k8s.yaml'], { cwd: app, encoding: 'utf8' });

    // THEN
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sparkctl COMMAND/);
    expect(lint).toMatchObject({ status: 0, stdout: '', stderr: '1 Spark object in 2 files: no problems\n' });
  });

  test("a mistake's stack trace names only files the package ships, even with source maps on", () => {
    // GIVEN a program with a mistake the constructs reject
    fs.writeFileSync(path.join(app, 'mistake.js'), [
      "const { App, Chart } = require('cdk8s');",
      "const { SparkApplication, SparkRbac } = require('cdk8s-spark');",
      "const chart = new Chart(new App(), 'jobs', { namespace: 'jobs' });",
      "new SparkApplication(chart, 'pi', { image: 'apache/spark:3.5.1', sparkVersion: '3.5.1', mainClass: 'Pi',",
      "  mainApplicationFile: 'local:///pi.jar', serviceAccount: new SparkRbac(chart, 'rbac'), executor: { instances: 0 } });",
    ].join('\n'));

    // WHEN
    const result = spawnSync('node', ['--enable-source-maps', 'mistake.js'], { cwd: app, encoding: 'utf8' });

    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Error: [jobs/pi] 'executor.instances' must be an integer >= 1 (got 0)");
    const frames = [...result.stderr.matchAll(/(\/[^\s():]+):\d+:\d+/g)].map((m) => m[1]).filter((file) => file.includes('/node_modules/cdk8s-spark/'));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.filter((file) => !fs.existsSync(file))).toEqual([]);
  });
});
