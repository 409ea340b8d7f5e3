/**
 * The bundle's `render` sub-command as a process with its output piped: nothing may be lost, and
 * it must say what the in-process command says. Needs only the bundle (`test:e2e` builds it first),
 * not the control plane.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderCommand } from '../../src/runtime/render/command';

/** The runtime bundle, as `npx projen bundle` writes it (the harness's RUNTIME_BUNDLE, without loading the harness). */
const BUNDLE = path.resolve(__dirname, '..', '..', 'build', 'runtime', 'cdk8s-spark-operator.js');

function application(i: number): string {
  // A long argument list makes each document a few KiB, as real applications with many arguments are.
  const args = Array.from({ length: 100 }, (_, j) => `    - --option-${j}=value-${i}-${j}`).join('\n');
  return `apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: app-${i}
  namespace: spark-jobs
spec:
  type: Scala
  sparkVersion: 3.5.1
  image: apache/spark:3.5.1
  mainClass: org.example.Main
  mainApplicationFile: local:///opt/app.jar
  arguments:
${args}
`;
}

/** Runs the bundle and reads its output slowly at first, so that the pipe fills up before the process is done. */
function runBundle(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 500);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
  });
}

describe('the bundle\'s render sub-command, output piped', () => {
  let dir: string;
  beforeAll(() => {
    if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: npx projen bundle builds it`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-bundle-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('prints every byte of a large multi-document render, as in process, and exits 0', async () => {
    // GIVEN over 1 MiB of applications
    const file = path.join(dir, 'many.yaml');
    fs.writeFileSync(file, Array.from({ length: 360 }, (_, i) => application(i)).join('---\n'));
    expect(fs.statSync(file).size).toBeGreaterThan(1024 * 1024);

    // WHEN
    const [child, inProcess] = await Promise.all([runBundle(['render', '-f', file]), renderCommand(['-f', file])]);

    // THEN
    expect([child.code, child.stderr.toString()]).toEqual([0, '']);
    expect(child.stdout.length).toBe(Buffer.byteLength(inProcess.stdout));
    expect(child.stdout.equals(Buffer.from(inProcess.stdout))).toBe(true);
    expect(child.stdout.length).toBeGreaterThan(1024 * 1024);
  }, 120_000);

  test('bad usage exits 2 and bad input 1, as the in-process command says', async () => {
    const missing = path.join(dir, 'missing.yaml');
    for (const args of [['--bogus'], ['-f', missing]]) {
      const [child, inProcess] = await Promise.all([runBundle(['render', ...args]), renderCommand(args)]);
      expect([child.code, child.stdout.toString(), child.stderr.toString()]).toEqual([inProcess.exitCode, inProcess.stdout, inProcess.stderr]);
    }
    expect((await renderCommand(['--bogus'])).exitCode).toBe(2);
    expect((await renderCommand(['-f', missing])).exitCode).toBe(1);
  }, 60_000);
});
