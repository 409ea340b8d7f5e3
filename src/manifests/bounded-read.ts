/**
 * Reading an input file (or standard input) whole, but never more than a bound: `-f /dev/zero` or
 * a runaway pipe fails at once instead of filling memory.
 */
import * as fs from 'node:fs';
import { MAX_INPUT_BYTES } from './yaml-documents';

/** How long a read waits for a non-blocking standard input that has nothing yet. */
const EAGAIN_PAUSE_MS = 10;
/** What the synchronous pause waits on (nothing ever wakes it: it times out). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Thrown when an input is larger than the bound. */
export class InputTooLargeError extends Error {
  constructor(public readonly limitBytes: number) {
    super(`is larger than ${limitBytes / 1024 / 1024} MiB, the most read from one input`);
    this.name = 'InputTooLargeError';
  }
}

/**
 * The text of `file` (`-`: standard input) as UTF-8, read synchronously up to `limitBytes`; throws
 * an {@link InputTooLargeError} past it, and what `fs` throws when it cannot be read.
 */
export function readFileBounded(file: string, limitBytes = MAX_INPUT_BYTES): string {
  const fd = file === '-' ? 0 : fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      let read: number;
      try {
        read = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        // A non-blocking standard input with nothing yet: wait a moment (not a busy loop) and read again.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(PAUSE, 0, 0, EAGAIN_PAUSE_MS);
          continue;
        }
        throw error;
      }
      if (read === 0) break;
      size += read;
      if (size > limitBytes) throw new InputTooLargeError(limitBytes);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    if (fd !== 0) fs.closeSync(fd);
  }
}
