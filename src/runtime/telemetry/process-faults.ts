/**
 * What the process does with a failure nobody caught, so that it is always seen in the logs:
 *
 * - an exception no code caught (`uncaughtException`) unwound through code that may have been half
 *   way through changing a cache, a queue or the Lease's state: it is logged and the process exits
 *   with code 1, so that the kubelet restarts it clean (a standby takes the Lease meanwhile);
 * - a promise rejection nobody handled (`unhandledRejection`) is a failure whose work was already
 *   abandoned by the code that started it; the informers, queues and elector each catch their own
 *   errors and go on, and every write is idempotent, so it is logged and the process keeps running.
 *   Exiting would turn one stray rejection into a restart of the whole operator (and a lost Lease).
 */
import { Logger } from '../../kube/log';

/** The part of `process` this needs (tests give their own). */
export interface FaultSource {
  on(event: 'uncaughtException', listener: (error: Error, origin: string) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/** Logs uncaught exceptions and unhandled rejections on `log`; calls `exit(1)` after an uncaught exception. */
export function handleProcessFaults(source: FaultSource, log: Logger, exit: (code: number) => void): void {
  source.on('uncaughtException', (error, origin) => {
    log.error('uncaught exception, exiting', { origin, ...describe(error) });
    exit(1);
  });
  source.on('unhandledRejection', (reason) => {
    log.error('unhandled promise rejection', describe(reason));
  });
}

/** The message and, for an Error, the stack of `failure`. */
function describe(failure: unknown): { error: string; stack?: string } {
  return failure instanceof Error ? { error: String(failure), stack: failure.stack } : { error: String(failure) };
}
