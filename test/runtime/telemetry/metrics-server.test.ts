import * as http from 'node:http';
import { HttpEndpoints } from '../../../src/runtime/telemetry/http-endpoints';
import { startMetricsServer } from '../../../src/runtime/telemetry/metrics-server';

/** The status, content type and body of a request to the server. */
function call(port: number, path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the metrics endpoint', () => {
  let server: HttpEndpoints;
  const source = { contentType: 'text/plain; version=0.0.4; charset=utf-8', exposition: async () => 'up 1\n' };

  beforeAll(async () => {
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', path: '/prom', metrics: source });
  });

  afterAll(async () => {
    await server.close();
  });

  test('GET on the endpoint answers the exposition with its content type', async () => {
    // WHEN
    const answer = await call(server.port, '/prom');
    // THEN
    expect(answer).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: 'up 1\n' });
  });

  test('a query string does not change the path', async () => {
    expect((await call(server.port, '/prom?x=1')).status).toBe(200);
  });

  test('any other path: 404; any other method: 405', async () => {
    expect(await call(server.port, '/metrics')).toMatchObject({ status: 404, body: 'no endpoint /metrics\n' });
    expect(await call(server.port, '/prom', 'POST')).toMatchObject({ status: 405, body: 'only GET\n' });
  });

  test('a failing exposition: 500 with the reason', async () => {
    const failing = await startMetricsServer({ port: 0, host: '127.0.0.1', path: '/m', metrics: { contentType: 'text/plain', exposition: async () => { throw new Error('registry broken'); } } });
    expect(await call(failing.port, '/m')).toMatchObject({ status: 500, body: 'Error: registry broken\n' });
    await failing.close();
  });

  test('a port in use: starting fails', async () => {
    await expect(startMetricsServer({ port: server.port, host: '127.0.0.1', path: '/prom', metrics: source })).rejects.toThrow(/EADDRINUSE/);
  });
});
