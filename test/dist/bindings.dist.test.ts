// The Python, Java and Go bindings that build-packages.ts built, installed as users install them,
// each running the SparkPi example written in its language: the YAML must be byte for byte what the
// TypeScript examples synthesize. Each test takes seconds warm and a few minutes cold (downloads).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { CACHE, LIBRARY_VERSION, MAVEN_REPOSITORY, PACKAGES, npmVersion, requirePackages } from './paths';
import { buildExampleApp } from '../../examples/app';

/** The charts of the SparkPi example: the operator it runs on, and the job. */
const FILES = ['spark-operator.k8s.yaml', 'spark-pi.k8s.yaml'];

/** The versions the TypeScript tests use; every binding gets the same ones. */
const VERSIONS = {
  cdk8s: npmVersion('cdk8s'),
  cdk8sPlus28: npmVersion('cdk8s-plus-28'),
  constructs: npmVersion('constructs'),
  jsii: npmVersion('jsii-pacmak'),
};

let work: string;

beforeAll(() => {
  requirePackages();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-bindings-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Runs a command, failing with its output. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  try {
    return execFileSync(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', stdio: 'pipe' });
  } catch (e: any) {
    throw new Error(`${command} ${args.join(' ')} failed (${e.status}):\n${e.stdout}\n${e.stderr}`);
  }
}

/** The files of a synthesized app, by name. */
function synthesized(outdir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(outdir).sort().map((file) => [file, fs.readFileSync(path.join(outdir, file), 'utf8')]));
}

/** What the TypeScript examples render for the SparkPi charts. */
function typescriptYaml(): Record<string, string> {
  const outdir = path.join(work, 'typescript');
  const app = new App({ outdir });
  buildExampleApp(app);
  app.synth();
  return Object.fromEntries(FILES.map((file) => [file, fs.readFileSync(path.join(outdir, file), 'utf8')]));
}

/** A copy of one of the example programs next to this file, to build outside the repository. */
function copyExample(language: string): string {
  const dir = path.join(work, language);
  fs.cpSync(path.join(__dirname, language), dir, { recursive: true });
  return dir;
}

describe('the SparkPi example in each language synthesizes the same YAML as the TypeScript example', () => {
  test('Python: the wheel in a virtual environment with cdk8s, cdk8s-plus-28 and constructs from PyPI', () => {
    // GIVEN a virtual environment, kept in the cache, with the PyPI packages at the TypeScript tests' versions
    const pythonVersion = run('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { cwd: work }).trim();
    const venv = path.join(CACHE, `python${pythonVersion}-cdk8s-${VERSIONS.cdk8s}-plus28-${VERSIONS.cdk8sPlus28}-constructs-${VERSIONS.constructs}`);
    const python = path.join(venv, 'bin', 'python');
    if (!fs.existsSync(python)) {
      run('python3', ['-m', 'venv', venv], { cwd: work });
    }
    const [wheel] = fs.readdirSync(path.join(PACKAGES, 'python')).filter((f) => f.endsWith('.whl'));
    const pip = (...args: string[]) => run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...args], { cwd: work });
    pip(`cdk8s==${VERSIONS.cdk8s}`, `cdk8s-plus-28==${VERSIONS.cdk8sPlus28}`, `constructs==${VERSIONS.constructs}`, path.join(PACKAGES, 'python', wheel));
    // The wheel's version stays 0.0.0 between builds: put this build's in place.
    pip('--force-reinstall', '--no-deps', path.join(PACKAGES, 'python', wheel));
    const dir = copyExample('python');

    // WHEN
    run(python, ['spark_pi.py'], { cwd: dir, env: { CDK8S_OUTDIR: path.join(dir, 'dist') } });

    // THEN
    expect(synthesized(path.join(dir, 'dist'))).toEqual(typescriptYaml());
  });

  test('Java: the Maven artifact with cdk8s from Maven and a cdk8s-plus-28 jar built from its npm package', () => {
    // GIVEN
    const dir = copyExample('java');

    // WHEN
    run('mvn', [
      '--batch-mode', '--quiet', `-Dmaven.repo.local=${MAVEN_REPOSITORY}`,
      `-Dcdk8s-spark.repository=file://${path.join(PACKAGES, 'java')}`, `-Dcdk8s-spark.version=${LIBRARY_VERSION}`,
      `-Dcdk8s.version=${VERSIONS.cdk8s}`, `-Dcdk8s-plus-28.version=${VERSIONS.cdk8sPlus28}`,
      `-Dconstructs.version=${VERSIONS.constructs}`, `-Djsii.version=${VERSIONS.jsii}`,
      'compile', 'exec:java',
    ], { cwd: dir, env: { CDK8S_OUTDIR: path.join(dir, 'dist') } });

    // THEN
    expect(synthesized(path.join(dir, 'dist'))).toEqual(typescriptYaml());
  });

  test('Go: the module, with replace directives for it and for the cdk8s modules generated from their npm packages', () => {
    // GIVEN a module that requires ours and the cdk8s modules, replaced by the local builds
    const dir = copyExample('go');
    const local = (name: string) => path.join(PACKAGES, 'go', name);
    fs.writeFileSync(path.join(dir, 'go.mod'), [
      'module github.com/cdk8s-spark/cdk8s-spark-examples',
      '',
      'go 1.25',
      '',
      `require github.com/aws/jsii-runtime-go v${VERSIONS.jsii}`,
      '',
      `replace github.com/cdk8s-spark/cdk8s-spark-go/cdk8sspark => ${local('cdk8sspark')}`,
      '',
      `replace github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => ${local('cdk8s')}`,
      '',
      `replace github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2 => ${local('cdk8splus28')}`,
      '',
    ].join('\n'));
    const env = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOWORK: 'off' };
    run('go', ['mod', 'tidy'], { cwd: dir, env });

    // WHEN
    run('go', ['run', '.'], { cwd: dir, env: { ...env, CDK8S_OUTDIR: path.join(dir, 'dist') } });

    // THEN
    expect(synthesized(path.join(dir, 'dist'))).toEqual(typescriptYaml());
  });
});
