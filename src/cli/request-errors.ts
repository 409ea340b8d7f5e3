/**
 * Which failures of a request keep their own words and which become `cannot reach the API server`:
 * an answer of the API server (a `KubeError`), a stream it left silent, an error of sparkctl's own,
 * and what a watch's line handler threw are told as they are; anything else (a refused connection,
 * a timeout, a cut connection) never reached the server, and is said so, with the server's address.
 */
import { CliError } from './errors';
import { IdleStreamError, KubeError } from '../kube/rest';

/** `error` as sparkctl tells it, for a request to the API server at `origin` (`https://host:port`). */
export function requestFailure(error: unknown, origin: string, thrownByCaller: unknown = NOTHING): unknown {
  if (error === thrownByCaller || error instanceof KubeError || error instanceof IdleStreamError || error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`cannot reach the API server at ${origin}: ${message}`);
}

/** `handler` calls `fn` and remembers what it threw (`thrown()`), so that the caller's own error is told apart from the client's. */
export function catching<A>(fn: (arg: A) => void): { handler: (arg: A) => void; thrown: () => unknown } {
  let thrown: unknown = NOTHING;
  return {
    handler: (arg) => {
      try {
        fn(arg);
      } catch (error) {
        thrown = error;
        throw error;
      }
    },
    thrown: () => thrown,
  };
}

/** What nobody threw. */
const NOTHING: unique symbol = Symbol('nothing thrown');
