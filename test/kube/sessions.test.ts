import { execFile } from 'node:child_process';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as path from 'node:path';
import { SessionPool } from '../../src/kube/sessions';
import { TcpRelay } from '../fixtures/tcp-relay';

/** A local HTTP/2 server (cleartext) that answers every stream with headers and keeps it open. */
async function holdingServer(maxConcurrentStreams: number) {
  const server = http2.createServer({ settings: { maxConcurrentStreams } });
  let sessions = 0;
  server.on('session', () => sessions++);
  server.on('stream', (stream: http2.ServerHttp2Stream) => {
    stream.on('error', () => undefined);
    stream.respond({ ':status': 200 });
    stream.write('{}\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { server, port, sessions: () => sessions, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Opens a stream on a slot and resolves once its answer's headers arrived. */
function openStream(session: http2.ClientHttp2Session): Promise<http2.ClientHttp2Stream> {
  const stream = session.request({ ':path': '/watch' });
  stream.on('error', () => undefined);
  return new Promise((resolve) => stream.once('response', () => resolve(stream)));
}

describe('SessionPool', () => {
  test('opens another session when the server\'s stream limit is reached, and only then', async () => {
    // GIVEN a server that takes 2 streams per connection
    const server = await holdingServer(2);
    const pool = new SessionPool({ connect: () => http2.connect(`http://127.0.0.1:${server.port}`) });
    try {
      // WHEN 5 long streams are opened
      const slots = [];
      for (let i = 0; i < 5; i++) {
        const slot = await pool.acquire();
        slots.push(slot);
        await openStream(slot.session);
      }
      // THEN 3 sessions carry them, none holding more than 2
      expect(server.sessions()).toBe(3);
      expect(pool.size).toBe(3);
      expect(new Set(slots.map((s) => s.session)).size).toBe(3);
      // WHEN a stream ends and another is opened THEN it takes the freed place, no new session
      slots[0].release();
      const again = await pool.acquire();
      expect(again.session).toBe(slots[0].session);
      expect(server.sessions()).toBe(3);
    } finally {
      pool.close();
      await server.close();
    }
  });

  test('callers that find every session full share one new connection', async () => {
    // GIVEN a server of 10 streams per connection and no session yet
    const server = await holdingServer(10);
    const pool = new SessionPool({ connect: () => http2.connect(`http://127.0.0.1:${server.port}`) });
    try {
      // WHEN 10 callers ask at once
      const slots = await Promise.all(Array.from({ length: 10 }, () => pool.acquire()));
      // THEN one connection serves them all
      expect(new Set(slots.map((s) => s.session)).size).toBe(1);
      expect(server.sessions()).toBe(1);
    } finally {
      pool.close();
      await server.close();
    }
  });

  test('a connection that stops answering pings is closed and its streams fail', async () => {
    // GIVEN a pool pinging every 50 ms with 200 ms to answer, through a relay, with a stream open
    const server = await holdingServer(100);
    const relay = await TcpRelay.start(server.port);
    const pool = new SessionPool({ connect: () => http2.connect(`http://127.0.0.1:${relay.port}`), pingIntervalMs: 50, pingTimeoutMs: 200 });
    try {
      const slot = await pool.acquire();
      const stream = await openStream(slot.session);
      const closed = new Promise<number>((resolve) => stream.once('close', () => resolve(Date.now())));
      // WHEN the path goes silent (no FIN, no RST: a lost node or a middlebox)
      const frozenAt = Date.now();
      relay.freeze();
      // THEN the stream fails within one ping interval and timeout (with slack), and the pool forgets the session
      const closedAt = await closed;
      expect(closedAt - frozenAt).toBeLessThan(1_000);
      expect(slot.session.destroyed).toBe(true);
      expect(pool.size).toBe(0);
    } finally {
      pool.close();
      await relay.close();
      await server.close();
    }
  });

  test('a probe of a silent connection closes it within the ping timeout, long before the next regular ping', async () => {
    // GIVEN a pool pinging every 60 s with 200 ms to answer, through a relay, with a stream open
    const server = await holdingServer(100);
    const relay = await TcpRelay.start(server.port);
    const pool = new SessionPool({ connect: () => http2.connect(`http://127.0.0.1:${relay.port}`), pingIntervalMs: 60_000, pingTimeoutMs: 200 });
    try {
      const slot = await pool.acquire();
      const stream = await openStream(slot.session);
      const closed = new Promise<number>((resolve) => stream.once('close', () => resolve(Date.now())));
      // WHEN the path goes silent and the session is probed (a request on it timed out)
      relay.freeze();
      const probedAt = Date.now();
      pool.probe(slot.session);
      // THEN its streams fail within the ping timeout (with slack)
      expect((await closed) - probedAt).toBeLessThan(1_000);
      expect(slot.session.destroyed).toBe(true);
    } finally {
      pool.close();
      await relay.close();
      await server.close();
    }
  });

  test('a session the server sends GOAWAY on takes no new stream', async () => {
    // GIVEN a pool with one session
    const server = await holdingServer(100);
    const serverSessions: http2.ServerHttp2Session[] = [];
    server.server.on('session', (s) => serverSessions.push(s));
    const pool = new SessionPool({ connect: () => http2.connect(`http://127.0.0.1:${server.port}`) });
    try {
      const first = await pool.acquire();
      await openStream(first.session);
      // WHEN the server says it is going away
      const goaway = new Promise((resolve) => first.session.once('goaway', resolve));
      serverSessions[0].goaway();
      await goaway;
      // THEN the next stream goes to a new session
      const next = await pool.acquire();
      expect(next.session).not.toBe(first.session);
      expect(server.sessions()).toBe(2);
    } finally {
      pool.close();
      await server.close();
    }
  });

  test('a server that cannot be reached fails the caller with the cause', async () => {
    // GIVEN a port nobody listens on
    const server = await holdingServer(1);
    await server.close();
    const pool = new SessionPool({ connect: () => http2.connect(`http://127.0.0.1:${server.port}`) });
    // WHEN a slot is asked for THEN the connection error is thrown
    await expect(pool.acquire()).rejects.toThrow(`connect ECONNREFUSED 127.0.0.1:${server.port}`);
    pool.close();
  });

  test('a pool with nothing in flight does not keep the process alive', async () => {
    // GIVEN a server, and a separate process that sends one request through a pool and then does nothing
    const server = await holdingServer(100);
    const script = `
      const http2 = require('node:http2');
      const { SessionPool } = require(${JSON.stringify(path.resolve(__dirname, '../../src/kube/sessions.ts'))});
      const pool = new SessionPool({ connect: () => http2.connect('http://127.0.0.1:${server.port}') });
      pool.acquire().then((slot) => {
        const stream = slot.session.request({ ':path': '/' });
        stream.on('response', () => { stream.close(); });
        stream.on('close', () => { slot.release(); console.log('released'); });
      });
    `;
    try {
      // WHEN it runs THEN it exits by itself once the stream is released, with the connection still open
      const output = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
      });
      expect(output).toBe('released\n');
    } finally {
      await server.close();
    }
  }, 30_000);
});
