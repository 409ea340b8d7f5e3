/**
 * The `render` command over a file: reads it, renders it, and says what to print and how to exit.
 * Both the bundle's `render` sub-command and `npm run render` run it.
 */
import { readFileSync } from 'node:fs';
import { render } from './render';
import { RenderOptions } from '../../core';

/** What the command prints and how it exits. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Renders the file `options.filename` (`-` is standard input). */
export function renderFile(options: RenderOptions): CommandOutput {
  const { filename, attempt, now, master } = options;
  let text: string;
  try {
    text = readFileSync(filename === '-' ? 0 : filename, 'utf8');
  } catch (error) {
    return { stdout: '', stderr: `${filename}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`, exitCode: 1 };
  }
  return render({ fileName: filename, text, attempt, now, ...master ? { master } : {} });
}
