/**
 * sparkctl's errors and exit codes. Every failure reaches the user as one line on stderr, never a
 * stack trace: a `CliError` carries that line and the exit code.
 */

/** The exit codes, as documented in `sparkctl --help`. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The command failed (the API server refused, `lint` found problems, a name was not found). */
  failed: 1,
  /** The command line was wrong (unknown command or flag, a missing argument). */
  usage: 2,
} as const;

/** A failure with the one line to print and the exit code. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number = EXIT.failed) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that sparkctl cannot run: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, public readonly command?: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** The one line to print for any error: its message, on one line, whatever was thrown. */
export function errorLine(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : String(error);
  return `sparkctl: ${text.replace(/\s*\n\s*/g, ' ').trim()}`;
}

/** The exit code of any error: a `CliError`'s own, else 1. */
export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : EXIT.failed;
}
