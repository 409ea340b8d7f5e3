/**
 * Starting and stopping the runtime's servers (health, metrics, admission): listen, or reject when
 * the port cannot be bound; close, and close the idle keep-alive connections that would hold the
 * process open.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';

/**
 * The path of a request's target, without its query; never throws, whatever the request line says
 * (a target that is no URL path is answered 404 like any unknown path).
 */
export function requestPath(url: string | undefined): string {
  const target = url ?? '/';
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** Listens on `port` (0: one the system chooses) and `host` (undefined: every address); resolves with the port. */
export async function listen(server: http.Server | https.Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops taking connections and resolves once the requests in flight are answered. */
export function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
