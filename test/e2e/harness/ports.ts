import * as net from 'node:net';

/**
 * Finds `count` distinct free TCP ports on 127.0.0.1.
 *
 * All listeners are held open until every port is known, so the ports are distinct; a port can
 * still be taken by another process before the component binds it, which start-up then reports
 * as a component that exited early.
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
