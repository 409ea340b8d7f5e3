/**
 * sparkctl's errors and exit codes. Every failure reaches the user as one line on stderr, never a
 * stack trace: a `CliError` carries that line and the exit code; an answer of the API server is the
 * shared client's `KubeError` (`src/kube/rest.ts`), with the server's own message.
 */
import { CONNECT_GROUP_VERSION, GROUP_VERSION, SPARK_CONNECT_NAMES } from '../api';

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

/** What every command says on a cluster without the CRDs. */
export const CRDS_MISSING_MESSAGE = `the cluster does not serve ${GROUP_VERSION}: install the CRDs (the SparkCrds or SparkOperator chart of cdk8s-spark, or the upstream operator's Helm chart)`;

/** What `--connect` says on a cluster without the SparkConnect CRD (upstream's charts before v2.3 have none). */
export const CONNECT_CRD_MISSING_MESSAGE = `the cluster does not serve ${SPARK_CONNECT_NAMES.plural} in ${CONNECT_GROUP_VERSION}: install the CRDs `
  + '(the SparkCrds or SparkOperator chart of cdk8s-spark, or the upstream operator\'s Helm chart of v2.3 or later)';
