import { Io, lint } from '../../src/cli/commands';
import { CliError } from '../../src/cli/errors';
import { readFileBounded } from '../../src/manifests/bounded-read';

/** The Io of `sparkctl lint`: the real bounded file reader, output kept. */
function lintIo(): Io & { written: string[] } {
  const written: string[] = [];
  return {
    color: false,
    isTerminal: false,
    interrupted: () => new AbortController().signal,
    columns: () => undefined,
    out: (text) => written.push(text),
    err: (text) => written.push(text),
    now: () => 0,
    readFile: readFileBounded,
    kube: () => Promise.reject(new Error('lint needs no cluster')),
    written,
  };
}

describe('sparkctl lint reads bounded input', () => {
  test('an endless input is one clear error, not a process that fills memory', () => {
    // GIVEN /dev/zero WHEN linted THEN the one line says it is past the bound
    expect(() => lint(lintIo(), ['/dev/zero'])).toThrow(new CliError('cannot read /dev/zero: larger than 10 MiB, the most sparkctl reads from one file'));
  });
});
