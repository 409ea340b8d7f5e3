/**
 * Structured logs: one JSON object per line on stderr, with a level, a message and fields
 * (namespace, name, state, attempt ...), as log collectors expect.
 */
import { LOG_LEVELS, LogLevelName } from '../../core';

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

/** A logger that writes lines at `level` and above through `write`. */
export function jsonLogger(level: LogLevelName, write: (line: string) => void, now: () => Date = () => new Date(), base: LogFields = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const line = (at: LogLevelName) => (message: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(at) < threshold) return;
    write(JSON.stringify({ time: now().toISOString(), level: at, msg: message, ...base, ...fields }));
  };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    with: (fields) => jsonLogger(level, write, now, { ...base, ...fields }),
  };
}

/** A logger that drops everything (tests). */
export const SILENT: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, with: () => SILENT };
