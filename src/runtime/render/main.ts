/**
 * `npm run --silent render -- -f app.yaml`: reads the file, prints what `render.ts` renders, and
 * exits 1 with the problems on stderr (never a stack trace) when there are any. The only file of
 * `render` that touches `process` and the file system.
 */
import { readFileSync } from 'node:fs';
import { render } from './render';
import { parseRenderArgs } from '../../core';

function main(argv: readonly string[]): number {
  const args = parseRenderArgs(argv);
  if (args.command === 'help') {
    process.stdout.write(`${args.text}\n`);
    return 0;
  }
  if (args.command === 'error') {
    process.stderr.write(`${args.problems.map((p) => `error: ${p}`).join('\n')}\n`);
    return 1;
  }
  const { filename, attempt, now, master } = args.options;
  let text: string;
  try {
    text = readFileSync(filename === '-' ? 0 : filename, 'utf8');
  } catch (error) {
    process.stderr.write(`${filename}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
    return 1;
  }
  const result = render({ fileName: filename, text, attempt, now, ...master ? { master } : {} });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.exitCode;
}

process.exitCode = main(process.argv.slice(2));
