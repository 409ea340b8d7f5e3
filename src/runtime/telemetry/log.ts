/**
 * Structured logs: one JSON object per line on stderr, with a level, a message and fields
 * (namespace, name, state, attempt ...), as log collectors expect.
 */
import { LOG_LEVELS, LogLevelName } from '../../core';
import { LogFields, Logger } from '../../kube/log';

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
