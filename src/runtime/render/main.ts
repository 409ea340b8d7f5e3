/**
 * `npm run --silent render -- -f app.yaml` (the same as the bundle's `render` sub-command): prints
 * what `render.ts` renders, and exits 1 with the problems on stderr (never a stack trace) when there
 * are any. The only file of `render` that touches `process`.
 */
import { renderFile } from './command';
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
  const output = renderFile(args.options);
  process.stdout.write(output.stdout);
  process.stderr.write(output.stderr);
  return output.exitCode;
}

process.exitCode = main(process.argv.slice(2));
