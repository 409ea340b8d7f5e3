/**
 * What the capture scripts (`capture-*.ts`, run by hand with ts-node) share: writing a golden file
 * the unit tests compare with, and running their `main` as a script.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `golden` to `file` as indented JSON (creating its folder), and says so on stderr. */
export function writeGolden(file: string, golden: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(golden, null, 2)}\n`);
  process.stderr.write(`written ${file}\n`);
}

/** Runs a capture script's `main`: a failure is its stack on stderr and exit code 1. */
export function runCapture(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
