import * as http from 'node:http';
import { readinessAnswer, serveHealth } from '../../../src/runtime/telemetry/health';

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
