import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');
const CONTRACT = path.join(SRC, 'core', 'contract');
/** sparkctl's own command line (not the runtime's contract), also written in one place. */
const SPARKCTL_ARGS = path.join(SRC, 'cli', 'args.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === CONTRACT ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && full !== SPARKCTL_ARGS ? [full] : [];
  });
}

/** The code of a file without its comments (TSDoc and `//`), so that prose may name flags. */
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('no runtime flag is written outside src/core/contract, nor a sparkctl flag outside src/cli/args.ts (one rule, one place)', () => {
  const offenders = sourceFiles(SRC).flatMap((file) => {
    const hits = withoutComments(fs.readFileSync(file, 'utf8')).match(/['"`]--[a-z][a-z-]*/g) ?? [];
    return hits.map((hit) => `${path.relative(SRC, file)}: ${hit}`);
  });
  expect(offenders).toEqual([]);
});
