import { LogFields, Logger } from '../../../../src/kube/log';
import { CoreSchemaLoader, OpenApiClient, fetchCoreV1Document, startEmbeddedTypeChecks } from '../../../../src/runtime/webhook/schema';
import { coreV1OpenApi } from '../../../fixtures/core-v1-openapi';
import { FakeClock, settle } from '../../fake-clock';

const BAD_VOLUME = { kind: 'SparkApplication', spec: { volumes: [{ name: 'data', hostpath: {} }] } };

/** An API server that serves discovery and documents from `answers`, or fails as told. */
class FakeApiServer implements OpenApiClient {
  public readonly requests: Array<{ path: string; timeoutMs?: number }> = [];
  public failures = 0;
  public hash = 'A';

  public async request<T>(_method: string, path: string, options: { timeoutMs?: number } = {}): Promise<T> {
    this.requests.push({ path, timeoutMs: options.timeoutMs });
    if (this.failures > 0) {
      this.failures--;
      throw new Error('the server is currently unable to handle the request');
    }
    if (path === '/openapi/v3') {
      return { paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${this.hash}` }, 'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=B' } } } as T;
    }
    if (path.startsWith('/openapi/v3/api/v1?hash=')) return coreV1OpenApi() as T;
    throw new Error(`${path} not found`);
  }
}

function recordingLogger(lines: Array<{ level: string; msg: string; fields?: LogFields }>): Logger {
  const at = (level: string) => (msg: string, fields?: LogFields) => { lines.push({ level, msg, fields }); };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), with: () => logger };
  return logger;
}

describe('fetchCoreV1Document', () => {
  test('reads discovery, then the core/v1 URL it lists, each request with a timeout', async () => {
    // GIVEN
    const server = new FakeApiServer();

    // WHEN
    const { url, document } = await fetchCoreV1Document(server, 5_000);

    // THEN
    expect(url).toBe('/openapi/v3/api/v1?hash=A');
    expect(document).toBe(coreV1OpenApi());
    expect(server.requests).toEqual([{ path: '/openapi/v3', timeoutMs: 5_000 }, { path: '/openapi/v3/api/v1?hash=A', timeoutMs: 5_000 }]);
  });

  test('a discovery document without core/v1 is an error that says so', async () => {
    // GIVEN
    const server: OpenApiClient = { request: async <T>() => ({ paths: {} }) as T };

    // WHEN / THEN
    await expect(fetchCoreV1Document(server)).rejects.toThrow('GET /openapi/v3 lists no serverRelativeURL for api/v1');
  });
});

describe('CoreSchemaLoader', () => {
  test('finds nothing until the document is loaded (fail open), then refuses a bad volume', async () => {
    // GIVEN
    const loader = new CoreSchemaLoader({ client: new FakeApiServer(), log: recordingLogger([]), clock: new FakeClock() });
    expect(loader.loaded).toBe(false);
    expect(loader.check(BAD_VOLUME)).toEqual([]);

    // WHEN
    const ok = await loader.loadOnce();

    // THEN
    expect(ok).toBe(true);
    expect(loader.loaded).toBe(true);
    expect(loader.documentUrl).toBe('/openapi/v3/api/v1?hash=A');
    expect(loader.check(BAD_VOLUME)).toEqual([{ path: 'spec.volumes[0].hostpath', message: 'unknown field "hostpath"' }]);
    expect(loader.check(BAD_VOLUME, BAD_VOLUME)).toEqual([]);
  });

  test('retries with doubling backoff while the API server does not answer, and logs each failure', async () => {
    // GIVEN an API server that fails the first three requests
    const server = new FakeApiServer();
    server.failures = 3;
    const clock = new FakeClock();
    const lines: Array<{ level: string; msg: string; fields?: LogFields }> = [];
    const loader = new CoreSchemaLoader({ client: server, log: recordingLogger(lines), clock, refreshIntervalMs: 0 });
    const abort = new AbortController();

    // WHEN
    const running = loader.run(abort.signal);
    await settle();
    clock.advance(499);
    await settle();
    expect(server.requests).toHaveLength(1);
    clock.advance(1);
    await settle();
    clock.advance(1_000);
    await settle();
    clock.advance(2_000);
    await loader.waitForLoad();
    await running;

    // THEN
    expect(loader.loaded).toBe(true);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.fields?.retryMs)).toEqual([500, 1_000, 2_000]);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.msg)).toEqual(['core/v1 OpenAPI schemas loaded']);
  });

  test('a refresh reads only discovery while the hash is the same, and reloads when it changes', async () => {
    // GIVEN a loaded document
    const server = new FakeApiServer();
    const loader = new CoreSchemaLoader({ client: server, log: recordingLogger([]), clock: new FakeClock() });
    await loader.loadOnce();
    const first = loader.checker;

    // WHEN the same hash is listed again
    server.requests.length = 0;
    await loader.loadOnce();

    // THEN only discovery was read, and the checker is the same
    expect(server.requests.map((r) => r.path)).toEqual(['/openapi/v3']);
    expect(loader.checker).toBe(first);

    // WHEN the API server lists a new hash
    server.hash = 'C';
    await loader.loadOnce();

    // THEN the new document is loaded
    expect(loader.documentUrl).toBe('/openapi/v3/api/v1?hash=C');
    expect(loader.checker).not.toBe(first);
  });

  test('a failed refresh keeps the loaded document', async () => {
    // GIVEN
    const server = new FakeApiServer();
    const loader = new CoreSchemaLoader({ client: server, log: recordingLogger([]), clock: new FakeClock() });
    await loader.loadOnce();

    // WHEN
    server.failures = 1;
    const ok = await loader.loadOnce();

    // THEN
    expect(ok).toBe(false);
    expect(loader.check(BAD_VOLUME)).toHaveLength(1);
  });

  test('run() ends when its signal aborts, even while waiting to retry', async () => {
    // GIVEN a server that never answers well
    const server = new FakeApiServer();
    server.failures = Number.MAX_SAFE_INTEGER;
    const loader = new CoreSchemaLoader({ client: server, log: recordingLogger([]), clock: new FakeClock() });
    const abort = new AbortController();
    const running = loader.run(abort.signal);
    await settle();

    // WHEN
    abort.abort();

    // THEN
    await expect(running).resolves.toBeUndefined();
    expect(loader.loaded).toBe(false);
  });
});

describe('startEmbeddedTypeChecks', () => {
  test('loads in the background, checks once loaded, and stops', async () => {
    // GIVEN
    const server = new FakeApiServer();
    const clock = new FakeClock();
    const checks = startEmbeddedTypeChecks(server, { log: recordingLogger([]), clock });
    expect(checks.problems(BAD_VOLUME)).toEqual([]);
    expect(checks.loaded()).toBe(false);

    // WHEN
    await settle();

    // THEN
    expect(checks.loaded()).toBe(true);
    expect(checks.problems(BAD_VOLUME)).toEqual([{ path: 'spec.volumes[0].hostpath', message: 'unknown field "hostpath"' }]);
    checks.stop();
    expect(clock.pending).toBe(0);
  });
});
