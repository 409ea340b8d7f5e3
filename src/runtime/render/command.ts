/**
 * The `render` command, the one entry both the bundle's `render` sub-command and
 * `npm run --silent render` run: reads the arguments and the input (a file, a directory or stdin,
 * bounded), renders it, writes the result and says how to exit.
 *
 * Exit codes: 0 rendered, 1 bad input (unreadable, not YAML, invalid objects), 2 bad usage (flags).
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { render } from './render';
import { RenderOptions, parseRenderArgs } from '../../core';
import { MAX_INPUT_BYTES } from '../../manifests/yaml-documents';

/** What the command prints and how it exits. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Exit code: everything rendered. */
export const EXIT_OK = 0;
/** Exit code: the input has problems (unreadable, not YAML, invalid objects); stderr says which. */
export const EXIT_BAD_INPUT = 1;
/** Exit code: the flags are wrong; stderr says how. */
export const EXIT_USAGE = 2;


/** Where `runRender` reads and writes. */
export interface RenderIo {
  readonly stdin: Readable;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** One input file's text, or why it cannot be read. */
type Input = { readonly name: string; readonly text: string } | { readonly name: string; readonly problem: string };

/** Reads `stream` as UTF-8 up to `limit` bytes; beyond, stops reading and says so. */
async function readBounded(stream: Readable, limit: number): Promise<{ text: string; bytes: number } | { tooLarge: true }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) {
      stream.destroy();
      return { tooLarge: true };
    }
    chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes: size };
}

function describeReadError(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** The files `render` reads for `filename`: stdin, the file, or every *.yaml and *.yml of a directory, sorted. */
async function inputsOf(filename: string, stdin: () => Readable): Promise<Input[]> {
  const tooLarge = (name: string): Input => ({ name, problem: `is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, the most render reads` });
  if (filename === '-') {
    const read = await readBounded(stdin(), MAX_INPUT_BYTES);
    return ['text' in read ? { name: '-', text: read.text } : tooLarge('-')];
  }
  let files = [filename];
  try {
    if ((await fs.stat(filename)).isDirectory()) {
      const entries = await fs.readdir(filename, { withFileTypes: true });
      files = entries
        .filter((e) => !e.isDirectory() && /\.ya?ml$/.test(e.name))
        .map((e) => e.name)
        .sort()
        .map((name) => path.join(filename, name));
      if (files.length === 0) return [{ name: filename, problem: 'is a directory without *.yaml or *.yml files' }];
    }
  } catch (error) {
    return [{ name: filename, problem: `cannot be read (${describeReadError(error)})` }];
  }
  const inputs: Input[] = [];
  let budget = MAX_INPUT_BYTES;
  for (const file of files) {
    try {
      const read = await readBounded(createReadStream(file), budget);
      if (!('text' in read)) {
        return [...inputs, files.length === 1 ? tooLarge(file) : { name: filename, problem: `holds more than ${MAX_INPUT_BYTES / 1024 / 1024} MiB of YAML in all (${file} crosses it), the most render reads` }];
      }
      budget -= read.bytes;
      inputs.push({ name: file, text: read.text });
    } catch (error) {
      inputs.push({ name: file, problem: `cannot be read (${describeReadError(error)})` });
    }
  }
  return inputs;
}

/**
 * Renders the input of `options.filename` (`-` is standard input, a directory its YAML files).
 * `stdin` is called only for `-`: standard input is not opened otherwise.
 */
export async function renderInput(options: RenderOptions, stdin: () => Readable = () => process.stdin): Promise<CommandOutput> {
  const { filename, attempt, now, master } = options;
  const inputs = await inputsOf(filename, stdin);
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exitCode = EXIT_OK;
  for (const input of inputs) {
    if ('problem' in input) {
      stderr.push(`${input.name}: ${input.problem}\n`);
      exitCode = EXIT_BAD_INPUT;
      continue;
    }
    const result = render({ fileName: input.name, text: input.text, attempt, now, ...master ? { master } : {} });
    if (result.stdout) stdout.push(result.stdout);
    stderr.push(result.stderr);
    if (result.exitCode !== EXIT_OK) exitCode = EXIT_BAD_INPUT;
  }
  // Nothing is printed unless everything rendered: a partial stream would look complete.
  return { stdout: exitCode === EXIT_OK ? stdout.join('---\n') : '', stderr: stderr.join(''), exitCode };
}

/** What `render <argv>` prints and how it exits, without writing it. */
export async function renderCommand(argv: readonly string[], stdin: () => Readable = () => process.stdin): Promise<CommandOutput> {
  const args = parseRenderArgs(argv);
  if (args.command === 'help') return { stdout: `${args.text}\n`, stderr: '', exitCode: EXIT_OK };
  if (args.command === 'error') return { stdout: '', stderr: args.problems.map((p) => `error: ${p}\n`).join(''), exitCode: EXIT_USAGE };
  return renderInput(args.options, stdin);
}

/** Writes `text` and resolves once the stream has taken all of it (so an exit cannot cut it). */
export function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve) => {
    // An error (a closed pipe) ends the wait as well: there is no one left to read.
    stream.write(text, () => resolve());
  });
}

/**
 * Runs `render <argv>`: writes its output and resolves with the exit code once both streams have
 * taken everything, so the caller may exit at once.
 */
export async function runRender(argv: readonly string[], io: RenderIo): Promise<number> {
  const output = await renderCommand(argv, () => io.stdin);
  await Promise.all([writeAll(io.stdout, output.stdout), writeAll(io.stderr, output.stderr)]);
  return output.exitCode;
}
