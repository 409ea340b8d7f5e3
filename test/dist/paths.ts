// Where the packaging tests find the packages they test and keep what they download.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository. */
export const REPO = path.resolve(__dirname, '..', '..');

/** jsii-pacmak's output (the project's artifacts directory): `js/`, `python/`, `java/`, `go/`. */
export const PACKAGES = path.join(REPO, 'build', 'package');

/**
 * Downloads and builds that outlive a run, outside the repository (as test/e2e/controlplane does):
 * `${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/bindings`.
 */
const CACHE_ROOT = process.env.CDK8S_SPARK_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk8s-spark');
export const CACHE = path.join(CACHE_ROOT, 'bindings');

/** Tools built from Go modules, one folder per tool and version: `${CDK8S_SPARK_CACHE...}/tools`. */
export const TOOLS = path.join(CACHE_ROOT, 'tools');

/**
 * The Maven repository of every Java build here: jsii-pacmak's, the smoke test's, and the locally
 * built cdk8s-plus-28 (which must never land in a developer's own ~/.m2, where it would stand in
 * for the published one).
 */
export const MAVEN_REPOSITORY = path.join(CACHE, 'maven');

/** The installed version of an npm package (the versions the TypeScript tests run with). */
export function npmVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** The version of this library. */
export const LIBRARY_VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;

/** The npm tarball that jsii-pacmak packed. */
export const NPM_TARBALL = path.join(PACKAGES, 'js', `cdk8s-spark@${LIBRARY_VERSION}.jsii.tgz`);

/** Fails with what to run when build-packages.ts has not packed the packages yet. */
export function requirePackages(): void {
  if (!fs.existsSync(NPM_TARBALL)) {
    throw new Error(`${NPM_TARBALL} is missing: run 'npm run test:dist', which packs the packages before testing them`);
  }
}
