/**
 * Where the Kubernetes client tells what happened to its connections, and where the runtime logs:
 * structured lines (a message and fields such as namespace, name, state, attempt). The runtime
 * writes them as JSON (`src/runtime/telemetry/log.ts`); sparkctl's client logs nowhere.
 */

/** Fields of one log line. */
export type LogFields = Record<string, unknown>;

/** Where log lines go. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  with(fields: LogFields): Logger;
}

/** A logger that drops everything (a client nobody listens to, tests). */
export const SILENT: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, with: () => SILENT };
