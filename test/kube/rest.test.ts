import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { IdleStreamError, KubeError, RestClient, WriteFencedError, kubeErrorOf } from '../../src/kube/rest';

/**
 * A local HTTP/2 server (cleartext, so no certificate is needed) that a test scripts per path.
 * This tests the client's own behaviour; what the real API server does is the e2e suite's part.
 */
async function scriptedServer(maxConcurrentStreams: number, handle: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void) {
  const server = http2.createServer({ settings: { maxConcurrentStreams } });
  const sessions: http2.ServerHttp2Session[] = [];
  server.on('session', (s) => sessions.push(s));
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    handle(stream as http2.ServerHttp2Stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    sessions,
    close: () => {
      for (const s of sessions) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The two calls of a KubeConfig the client makes, for a token user. */
function kubeConfig(server: string, token = 'secret-token'): KubeConfig {
  return {
    getCurrentCluster: () => ({ name: 'test', server, skipTLSVerify: false }),
    applyToHTTPSOptions: async (options: { headers?: Record<string, string> }) => {
      options.headers = { ...options.headers, Authorization: `Bearer ${token}` };
    },
  } as unknown as KubeConfig;
}

const json = (stream: http2.ServerHttp2Stream, status: number, body: unknown) => {
  stream.respond({ ':status': status, 'content-type': 'application/json' });
  stream.end(JSON.stringify(body));
};

describe('RestClient over HTTP/2', () => {
  test('sends the token and the body, and returns the parsed answer', async () => {
    // GIVEN a server that echoes what it got
    const server = await scriptedServer(100, (stream, headers) => {
      let body = '';
      stream.on('data', (c) => { body += c; });
      stream.on('end', () => json(stream, 201, { method: headers[':method'], path: headers[':path'], authorization: headers.authorization, contentType: headers['content-type'], body: JSON.parse(body) }));
    });
    const observed: Array<[string, number | undefined]> = [];
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url), { observe: (verb, code) => observed.push([verb, code]) });
    try {
      // WHEN a POST with a query is sent
      const answer = await rest.request<any>('POST', '/api/v1/namespaces/jobs/pods', { query: { dryRun: 'All', skip: undefined }, body: { kind: 'Pod' } });
      // THEN the server saw the method, path, query, token and body, and the observer the verb and code
      expect(answer).toEqual({
        method: 'POST', path: '/api/v1/namespaces/jobs/pods?dryRun=All', authorization: 'Bearer secret-token', contentType: 'application/json', body: { kind: 'Pod' },
      });
      expect(observed).toEqual([['POST', 201]]);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('an error Status becomes a KubeError with its code, reason and message', async () => {
    // GIVEN a server that answers 409 AlreadyExists
    const server = await scriptedServer(100, (stream) => json(stream, 409, { kind: 'Status', reason: 'AlreadyExists', message: 'pods "pi-driver" already exists' }));
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      // WHEN a create is sent THEN it throws the API server's words
      const error = await rest.request('POST', '/api/v1/namespaces/jobs/pods', { body: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeError);
      expect(error).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'pods "pi-driver" already exists' });
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a write is not sent while mayWrite says no', async () => {
    // GIVEN a client fenced by its Lease
    const server = await scriptedServer(100, (stream) => json(stream, 200, {}));
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url), { mayWrite: () => false });
    try {
      // WHEN a delete is asked for THEN it is refused before any connection
      await expect(rest.request('DELETE', '/api/v1/namespaces/jobs/pods/p')).rejects.toThrow(new WriteFencedError('DELETE', '/api/v1/namespaces/jobs/pods/p'));
      expect(server.sessions).toHaveLength(0);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a request is answered while more watches are open than one connection takes', async () => {
    // GIVEN a server of 10 streams per connection and 25 watches open
    const server = await scriptedServer(10, (stream, headers) => {
      if (String(headers[':path']).includes('watch=1')) {
        stream.respond({ ':status': 200 });
        stream.write('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"1"}}}\n');
      } else {
        json(stream, 200, { kind: 'Pod' });
      }
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    const abort = new AbortController();
    try {
      let lines = 0;
      const watches = Array.from({ length: 25 }, (_, i) => rest.stream(`/api/v1/namespaces/ns${i}/pods`, { watch: 1 }, () => { lines++; }, abort.signal));
      while (lines < 25) await new Promise((resolve) => setTimeout(resolve, 10));
      // WHEN a GET is sent THEN it is answered at once, on a connection with room
      const started = Date.now();
      await expect(rest.request('GET', '/api/v1/namespaces/ns0/pods/p', { timeoutMs: 1_000 })).resolves.toEqual({ kind: 'Pod' });
      expect(Date.now() - started).toBeLessThan(500);
      expect(server.sessions).toHaveLength(3);
      // WHEN the watches are aborted THEN they end without error
      abort.abort();
      await Promise.all(watches);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a request the server does not answer times out, counted from when it was sent', async () => {
    // GIVEN a server that never answers
    const server = await scriptedServer(100, () => undefined);
    const observed: Array<[string, number | undefined]> = [];
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url), { observe: (verb, code) => observed.push([verb, code]) });
    try {
      // WHEN a GET with a 200 ms timeout is sent THEN it fails with the exact message, and is observed without a code
      await expect(rest.request('GET', '/api/v1/namespaces/jobs/pods/p', { timeoutMs: 200 })).rejects.toThrow('GET /api/v1/namespaces/jobs/pods/p timed out after 200 ms');
      expect(observed).toEqual([['GET', undefined]]);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a watch gets whole lines however the server splits them', async () => {
    // GIVEN a server that sends two events in three pieces, then ends the watch
    const server = await scriptedServer(100, (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('{"type":"ADDED","obj');
      setTimeout(() => stream.write('ect":{}}\n{"type":"DELETED",'), 20);
      setTimeout(() => stream.end('"object":{}}\n'), 40);
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      // WHEN watched THEN the two lines arrive whole and the watch resolves at its end
      const lines: string[] = [];
      await rest.stream('/api/v1/pods', { watch: 1 }, (line) => lines.push(line), new AbortController().signal);
      expect(lines).toEqual(['{"type":"ADDED","object":{}}', '{"type":"DELETED","object":{}}']);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a watch whose connection is cut fails, so that it is watched again', async () => {
    // GIVEN an open watch
    const server = await scriptedServer(100, (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('\n');
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      const watch = rest.stream('/api/v1/pods', { watch: 1 }, () => undefined, new AbortController().signal);
      while (server.sessions.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // WHEN the server's side of the connection is destroyed THEN the watch rejects
      server.sessions[0].destroy();
      await expect(watch).rejects.toThrow('watch /api/v1/pods cut off (HTTP/2 code 8)');
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a line handler that throws fails the watch, not the process', async () => {
    // GIVEN a server that sends one line and keeps the watch open
    const server = await scriptedServer(100, (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('{"type":"ADDED"}\n');
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      // WHEN the handler throws on it THEN the watch rejects with that error
      const watch = rest.stream('/api/v1/pods', { watch: 1 }, () => { throw new TypeError('boom'); }, new AbortController().signal);
      await expect(watch).rejects.toThrow('boom');
    } finally {
      rest.close();
      await server.close();
    }
  });
});

describe('RestClient.list', () => {
  test('hands out each item of a page written in pieces, and returns the envelope', async () => {
    // GIVEN a server that writes a list page in three pieces, cut inside items
    const body = JSON.stringify({ kind: 'PodList', metadata: { resourceVersion: '9', continue: 'next' }, items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] });
    const server = await scriptedServer(100, (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.write(body.slice(0, 60));
      setTimeout(() => { stream.write(body.slice(60, 100)); stream.end(body.slice(100)); }, 20);
    });
    const observed: Array<[string, number | undefined]> = [];
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url), { observe: (verb, code) => observed.push([verb, code]) });
    try {
      // WHEN the page is listed
      const items: unknown[] = [];
      const envelope = await rest.list('/api/v1/pods', { limit: 2 }, (item) => items.push(item));
      // THEN both items came out, the envelope keeps the list's metadata, and the request was observed once
      expect(items).toEqual([{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }]);
      expect(envelope).toEqual({ kind: 'PodList', metadata: { resourceVersion: '9', continue: 'next' }, items: [] });
      expect(observed).toEqual([['GET', 200]]);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('an error answer is a KubeError; a body cut short or not JSON is an Error', async () => {
    // GIVEN a server that refuses one path, cuts another short and sends junk on a third
    const server = await scriptedServer(100, (stream, headers) => {
      const path = String(headers[':path']);
      if (path.startsWith('/forbidden')) return json(stream, 403, { kind: 'Status', reason: 'Forbidden', message: 'pods is forbidden' });
      stream.respond({ ':status': 200 });
      if (path.startsWith('/cut')) {
        stream.write('{"metadata":{},"items":[{"a":');
        setTimeout(() => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 20);
      } else {
        stream.end('{"metadata":{},"items":[{"a":nope}]}');
      }
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      // WHEN each is listed THEN each fails with what went wrong
      await expect(rest.list('/forbidden', {}, () => undefined)).rejects.toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods is forbidden' });
      // Which of the two notices first depends on when the reset arrives: either way it is an error.
      await expect(rest.list('/cut', {}, () => undefined)).rejects.toThrow(/^(the answer was cut off \(HTTP\/2 code 2\)|the list ends before its last bracket)$/);
      await expect(rest.list('/junk', {}, () => undefined)).rejects.toThrow(SyntaxError);
    } finally {
      rest.close();
      await server.close();
    }
  });
});

describe('RestClient streamed answers (a followed log)', () => {
  test('read hands over the text as it comes, whole characters only, and resolves at its end', async () => {
    // GIVEN a server that sends a log in pieces, one cut inside a two-byte character
    const server = await scriptedServer(100, (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      const text = Buffer.from('line 1\nπ = 3.14\n\nno newline at the end');
      stream.write(text.subarray(0, 8));
      setTimeout(() => stream.write(text.subarray(8, 20)), 20);
      setTimeout(() => stream.end(text.subarray(20)), 40);
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      // WHEN read
      const pieces: string[] = [];
      await rest.read('/api/v1/namespaces/jobs/pods/p/log', { follow: true }, (text) => pieces.push(text));
      // THEN every byte arrived as text, blank lines and the last piece included
      expect(pieces.join('')).toBe('line 1\nπ = 3.14\n\nno newline at the end');
      expect(pieces.length).toBeGreaterThan(1);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a read that gets nothing for its idle time fails with the exact message', async () => {
    // GIVEN a server that answers the headers and then nothing
    const server = await scriptedServer(100, (stream) => stream.respond({ ':status': 200 }));
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      // WHEN read with a 200 ms idle limit THEN it fails
      const reading = rest.read('/api/v1/namespaces/jobs/pods/p/log', {}, () => undefined, { idleMs: 200 });
      await expect(reading).rejects.toThrow('the API server sent nothing for 200 ms');
      await expect(reading).rejects.toBeInstanceOf(IdleStreamError);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('an aborted read resolves', async () => {
    // GIVEN a followed log that stays open
    const server = await scriptedServer(100, (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('first\n');
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      const abort = new AbortController();
      const pieces: string[] = [];
      const reading = rest.read('/log', {}, (text) => {
        pieces.push(text);
        abort.abort();
      }, { signal: abort.signal });
      // WHEN aborted after the first piece THEN the read resolves with what came
      await expect(reading).resolves.toBeUndefined();
      expect(pieces).toEqual(['first\n']);
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a refused read rejects with the API server\'s KubeError', async () => {
    // GIVEN a server that refuses the read
    const server = await scriptedServer(100, (stream) => json(stream, 404, { kind: 'Status', reason: 'NotFound', message: 'pods "p" not found' }));
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      // WHEN read THEN it rejects with the server's code, reason and message
      await expect(rest.read('/gone/log', {}, () => undefined)).rejects.toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "p" not found' });
    } finally {
      rest.close();
      await server.close();
    }
  });

  test('a watch that gets nothing for its idle time fails, so that it is watched again', async () => {
    // GIVEN a watch that sends one line and then nothing
    const server = await scriptedServer(100, (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('{"type":"ADDED"}\n');
    });
    const rest = RestClient.fromKubeConfig(kubeConfig(server.url));
    try {
      const lines: string[] = [];
      // WHEN watched with a 200 ms idle limit THEN it fails after the line
      await expect(rest.stream('/api/v1/pods', { watch: 1 }, (line) => lines.push(line), new AbortController().signal, { idleMs: 200 }))
        .rejects.toThrow('the API server sent nothing for 200 ms');
      expect(lines).toEqual(['{"type":"ADDED"}']);
    } finally {
      rest.close();
      await server.close();
    }
  });
});

describe('kubeErrorOf', () => {
  test('the API server\'s own message and reason, else its code and the start of what it said', () => {
    expect(kubeErrorOf(403, JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'sparkapplications.sparkoperator.k8s.io is forbidden: nope' })))
      .toMatchObject({ code: 403, reason: 'Forbidden', message: 'sparkapplications.sparkoperator.k8s.io is forbidden: nope' });
    expect(kubeErrorOf(502, 'Bad Gateway\n')).toMatchObject({ code: 502, reason: '', message: 'the API server answered 502: Bad Gateway' });
    expect(kubeErrorOf(500, '{"kind":"Status"}').message).toBe('the API server answered 500: {"kind":"Status"}');
    expect(kubeErrorOf(503, '').message).toBe('the API server answered 503');
    expect(kubeErrorOf(502, `<html>${'x'.repeat(500)}</html>`).message).toHaveLength('the API server answered 502: '.length + 200);
  });
});
