// Packages the library for every configured language into build/package/<language> with jsii-pacmak,
// as a release would: the npm tarball (js), a Python wheel, a Maven artifact (java) and a Go module.
// Run by `npm run test:dist` before the packaging tests; needs the jsii compile (lib/, .jsii) first.
//
// jsii-pacmak builds each binding against its dependencies' bindings. The registries this project
// can reach serve those for Python (PyPI: cdk8s, cdk8s-plus-28, constructs) and part of the rest:
// Maven Central serves org.cdk8s:cdk8s and constructs but not org.cdk8s:cdk8s-plus-28, and the Go
// module proxy serves constructs-go and jsii-runtime-go but neither cdk8s-core-go nor cdk8s-plus-go.
// Those three are generated here from the npm packages the TypeScript tests use, with the same
// jsii-pacmak, which is how their maintainers make them: the Go modules next to ours in
// build/package/go (jsii-pacmak then adds `replace` directives for them), the cdk8s-plus-28 jar
// once into the cached Maven repository.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAVEN_REPOSITORY, PACKAGES, REPO, npmVersion } from './paths';

const PACMAK = path.join(REPO, 'node_modules', '.bin', 'jsii-pacmak');

function run(command: string, args: string[]): void {
  const started = Date.now();
  console.error(`[packages] ${path.basename(command)} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  console.error(`[packages] done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** The Go modules of cdk8s and cdk8s-plus-28, generated next to ours (a second or two). */
function goDependencies(): void {
  run(PACMAK, ['--target', 'go', '--code-only', '--outdir', PACKAGES,
    path.join(REPO, 'node_modules', 'cdk8s'), path.join(REPO, 'node_modules', 'cdk8s-plus-28')]);
}

/** The cdk8s-plus-28 jar in the cached Maven repository, built once per version (about a minute). */
function javaDependencies(): void {
  const version = npmVersion('cdk8s-plus-28');
  const coordinates = path.join(MAVEN_REPOSITORY, 'org', 'cdk8s', 'cdk8s-plus-28', version);
  if (fs.existsSync(path.join(coordinates, `cdk8s-plus-28-${version}.jar`))) {
    return;
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-plus-28-java-'));
  try {
    run(PACMAK, ['--target', 'java', '--outdir', outdir, '--maven-local-repository', MAVEN_REPOSITORY,
      path.join(REPO, 'node_modules', 'cdk8s-plus-28')]);
    const built = path.join(outdir, 'java', 'org', 'cdk8s', 'cdk8s-plus-28', version, `cdk8s-plus-28-${version}`);
    run('mvn', ['--batch-mode', '--quiet', `-Dmaven.repo.local=${MAVEN_REPOSITORY}`, 'install:install-file',
      `-Dfile=${built}.jar`, `-DpomFile=${built}.pom`]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

for (const [tool, version] of [['python3', '--version'], ['mvn', '--version'], ['java', '-version'], ['go', 'version']]) {
  try {
    execFileSync(tool, [version], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is needed to build the bindings (README: What the tests need), and it is not on PATH`);
  }
}
fs.rmSync(PACKAGES, { recursive: true, force: true });
goDependencies();
javaDependencies();
run(PACMAK, ['-v', '--target', 'js', '--target', 'python', '--target', 'java', '--target', 'go',
  '--maven-local-repository', MAVEN_REPOSITORY]);
