/*
 * The image cannot be built on this machine (no container engine), so these tests hold its
 * Dockerfile to the runtime contract: the final stage holds only Node.js and the bundle that
 * `npm run bundle` writes (the file the end-to-end tests run), runs as user and group 65532, and its
 * entrypoint takes the sub-commands in the container args that SparkOperator renders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import { Instruction, lastOf, parseStages, repositoryDockerfile } from './dockerfile';
import { SparkOperator } from '../../src';
import { IMAGE_BUNDLE_PATH, RUNTIME_BUNDLE_FILE, RUNTIME_USER_ID, RUNTIME_WRITABLE_DIR, SUB_COMMANDS } from '../../src/core';

const stages = repositoryDockerfile();
const final = stages[stages.length - 1];
const build = stages.find((s) => s.name === 'build')!;
const TASKS = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.projen', 'tasks.json'), 'utf8'));

function deploymentContainers(): any[] {
  const chart = new Chart(new App(), 'c');
  new SparkOperator(chart, 'spark', {});
  return Testing.synth(chart)
    .filter((o) => o.kind === 'Deployment')
    .map((d) => ({ ...d.spec.template.spec.containers[0], pod: d.spec.template.spec }));
}

describe('the Dockerfile', () => {
  test('two stages: a Node.js build stage, and a final stage from scratch', () => {
    expect(stages.map((s) => [s.base, s.name])).toEqual([['node:24.22.3-bookworm-slim', 'build'], ['scratch', undefined]]);
  });

  test('the build stage installs from the lock file and runs the same bundle task as npm test', () => {
    const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.text);
    expect(runs[0]).toBe('npm ci --ignore-scripts --no-audit --no-fund');
    expect(runs[1]).toBe('npm run bundle');
    const bundleTask = TASKS.tasks.bundle.steps.map((s: any) => s.exec).join(' ');
    expect(bundleTask).toContain(`--outfile=build/runtime/${RUNTIME_BUNDLE_FILE}`);
  });

  test('the final stage copies only Node.js with its libraries and that bundle, and runs nothing', () => {
    const copies = final.instructions.filter((i) => i.keyword === 'COPY');
    expect(copies.map((c) => [c.flags.from, ...c.args])).toEqual([
      ['build', '/rootfs/', '/'],
      ['build', `/src/build/runtime/${RUNTIME_BUNDLE_FILE}`, IMAGE_BUNDLE_PATH],
    ]);
    expect(final.instructions.map((i) => i.keyword).filter((k) => !['COPY', 'USER', 'ENV', 'ENTRYPOINT'].includes(k))).toEqual([]);
    // the rootfs holds Node.js, the libraries ldd lists, and an empty /tmp
    const rootfs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.text).find((t) => t.includes('/rootfs'))!;
    expect(rootfs).toContain(`mkdir -p /rootfs/nodejs/bin /rootfs/app /rootfs${RUNTIME_WRITABLE_DIR}`);
    expect(rootfs).toContain('cp /usr/local/bin/node /rootfs/nodejs/bin/node');
    expect(rootfs).toContain('ldd /usr/local/bin/node');
  });

  test('it runs as user and group 65532, and the entrypoint runs the bundle with the args as sub-command and flags', () => {
    expect(lastOf(final, 'USER')?.args).toEqual([`${RUNTIME_USER_ID}:${RUNTIME_USER_ID}`]);
    const entrypoint = lastOf(final, 'ENTRYPOINT') as Instruction;
    // the exec form: no shell between the entrypoint and Node.js
    expect(entrypoint.execForm).toBe(true);
    expect(entrypoint.args).toEqual(['/nodejs/bin/node', IMAGE_BUNDLE_PATH]);
    expect(lastOf(final, 'CMD')).toBeUndefined();
  });

  test('the Deployments use the entrypoint: no command, args starting with a sub-command; the user, read-only root and /tmp the image expects', () => {
    const containers = deploymentContainers();
    expect(containers.map((c) => c.args[0])).toEqual(['controller', 'webhook']);
    for (const c of containers) {
      expect(SUB_COMMANDS).toContain(c.args[0]);
      expect(c.command).toBeUndefined();
      expect(c.securityContext).toMatchObject({
        runAsUser: RUNTIME_USER_ID, runAsGroup: RUNTIME_USER_ID, runAsNonRoot: true, readOnlyRootFilesystem: true,
      });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: RUNTIME_WRITABLE_DIR });
      expect(c.pod.terminationGracePeriodSeconds).toBe(30);
    }
  });

  test('.dockerignore keeps what is built or installed here out of the build context', () => {
    const ignored = fs.readFileSync(path.join(__dirname, '..', '..', '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'build', 'lib', '.git']));
  });
});

describe('the Dockerfile reader', () => {
  test('joins continued lines, skips comments, reads flags and both forms', () => {
    const [stage] = parseStages('# c\nFROM a AS b\nRUN x \\\n # inside\n && y\nCOPY --from=b --chown=1:1 s d\nENTRYPOINT ["n", "f"]\n');
    expect(stage.name).toBe('b');
    expect(stage.instructions.map((i) => [i.keyword, i.flags, i.args, i.execForm])).toEqual([
      ['RUN', {}, ['x', '&&', 'y'], false],
      ['COPY', { from: 'b', chown: '1:1' }, ['s', 'd'], false],
      ['ENTRYPOINT', {}, ['n', 'f'], true],
    ]);
  });

  test('refuses what it cannot read, with the reason', () => {
    expect(() => parseStages('RUN x\n')).toThrow(new Error('RUN before the first FROM'));
    expect(() => parseStages('FROM a\nRUN x \\')).toThrow(new Error('the Dockerfile ends inside a continued line: "RUN x"'));
  });
});
