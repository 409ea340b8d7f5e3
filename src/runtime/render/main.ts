/**
 * `npm run --silent render -- -f app.yaml`: reads the file, prints what `render.ts` renders, and
 * exits 1 with the problems on stderr (never a stack trace) when there are any. The only file of
 * `render` that touches `process` and the file system.
 */
import { readFileSync } from 'node:fs';
import { parseRenderArgs, render } from './render';

function main(argv: readonly string[]): number {
  const args = parseRenderArgs(argv);
  if ('problems' in args) {
    process.stderr.write(`${args.problems.join('\n')}\n`);
    return 1;
  }
  let text: string;
  try {
    text = readFileSync(args.file === '-' ? 0 : args.file, 'utf8');
  } catch (error) {
    process.stderr.write(`${args.file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
    return 1;
  }
  const result = render({ fileName: args.file, text, attempt: args.attempt, now: args.now, ...args.master ? { master: args.master } : {} });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.exitCode;
}

process.exitCode = main(process.argv.slice(2));
