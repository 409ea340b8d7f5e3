import * as http from 'node:http';
import * as net from 'node:net';
import { readinessAnswer, serveHealth } from '../../../src/runtime/telemetry/health';
import { requestPath } from '../../../src/runtime/telemetry/listen';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject);
  });
}

describe('readinessAnswer', () => {
  test('200 when the check finds nothing, 503 with the reason otherwise', () => {
    expect(readinessAnswer(() => undefined)).toEqual({ status: 200, body: 'ok\n' });
    expect(readinessAnswer(() => 'the caches are not synced yet')).toEqual({ status: 503, body: 'not ready: the caches are not synced yet\n' });
  });
});

describe('the health endpoints', () => {
  test('/healthz answers while /readyz follows the check', async () => {
    // GIVEN
    let reason: string | undefined = 'stopping';
    const server = await serveHealth(0, () => reason);
    try {
      // THEN
      expect(await get(server.port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
      expect(await get(server.port, '/readyz')).toEqual({ status: 503, body: 'not ready: stopping\n' });
      reason = undefined;
      expect(await get(server.port, '/readyz')).toEqual({ status: 200, body: 'ok\n' });
      expect(await get(server.port, '/livez')).toEqual({ status: 404, body: 'no endpoint /livez\n' });
    } finally {
      await server.close();
    }
  });
});

describe('a request line that is no URL path', () => {
  test('is answered 404, and the server goes on serving', async () => {
    // GIVEN
    const server = await serveHealth(0, () => undefined);
    try {
      // WHEN a client sends a target that URL parsing refuses
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET http://[/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
        let text = '';
        socket.on('data', (c: Buffer) => { text += c.toString('utf8'); });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });

      // THEN
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
      expect(await get(server.port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    } finally {
      await server.close();
    }
  });
});

describe('requestPath', () => {
  test.each([
    ['/readyz', '/readyz'],
    ['/metrics?x=1', '/metrics'],
    ['http://[/', 'http://[/'],
    [undefined, '/'],
  ])('%s is read as %s', (url, path) => {
    expect(requestPath(url)).toBe(path);
  });
});
