/**
 * The README's example, run as a user runs it: its first TypeScript block, written to a file that
 * imports this checkout instead of the published package, synthesized with ts-node like `cdk8s synth`.
 * Used by the README test (what it writes) and the real node's end-to-end test (applied as written).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.join(__dirname, '..');

/** The TypeScript code blocks of the README. */
export function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** What {@link synthesizeReadmeExample} ran and wrote. */
export interface ReadmeSynth {
  /** ts-node's exit code. */
  readonly status: number | null;
  readonly stderr: string;
  /** The folder the app wrote its `<chart>.k8s.yaml` files into. */
  readonly outdir: string;
}

/**
 * Runs the README's example (its first TypeScript block) with ts-node and writes its YAML into
 * `outdir`, as `npx cdk8s synth` writes `dist/`. The only change to the code is the import path.
 */
export function synthesizeReadmeExample(outdir: string): ReadmeSynth {
  const [example] = readmeExamples();
  // Inside the repository, so that the example resolves cdk8s, cdk8s-plus-28 and constructs from node_modules.
  const dir = fs.mkdtempSync(path.join(REPO, 'test', '.readme-'));
  const file = path.join(dir, 'example.ts');
  fs.writeFileSync(file, example.replace("from 'cdk8s-spark'", `from ${JSON.stringify(path.join(REPO, 'src'))}`));
  try {
    const result = spawnSync('npx', ['ts-node', '--project', 'examples/tsconfig.json', file], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: outdir },
    });
    return { status: result.status, stderr: result.stderr, outdir };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
