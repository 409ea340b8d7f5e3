/**
 * The webhook's HTTPS server: POSTed JSON in, JSON out, on the paths it is given. The serving
 * certificate can be swapped while it runs (a renewal, a rotated file): new connections get the new
 * one, connections in flight finish with the old. Bodies are bounded and every connection has a
 * deadline, so a slow or hostile client cannot hold the server.
 */
import * as https from 'node:https';
import { ServingTls, secureContextOptions } from './tls';
import { closeServer, listen, requestPath } from '../telemetry/listen';


/** The answer to one POST. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Handles the JSON body POSTed to one path; `arrivedAt` is when the request arrived
 * (`performance.now()`), before its body was read.
 */
export type JsonHandler = (body: unknown, arrivedAt: number) => Promise<JsonAnswer>;

/**
 * The largest body read: an AdmissionReview of an UPDATE carries the object twice, and an object
 * may weigh up to the API server's 1.5 MiB limit.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** How long a request may take to arrive whole (the API server gives up on a webhook after 30 s at most). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How long a connection may stay silent (a handshake and nothing more, an idle keep-alive) before it is closed. */
export const IDLE_CONNECTION_TIMEOUT_MS = 60_000;
/**
 * The most requests read and decided at the same time: each may hold up to `MAX_BODY_BYTES`, so
 * this bounds memory; more get 503 at once (the API server applies the failure policy).
 */
export const MAX_REQUESTS_IN_FLIGHT = 32;

/** A listening server. */
export interface AdmissionServer {
  /** The port it listens on. */
  readonly port: number;
  /** Serves new connections with `certificate`. */
  setCertificate(certificate: ServingTls): void;
  /** Stops taking connections and resolves when the requests in flight are answered. */
  close(): Promise<void>;
}

/** Answers `text`; `close` ends the connection after the answer (the rest of a body is never read). */
function plain(response: import('node:http').ServerResponse, status: number, text: string, close = false): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...close ? { Connection: 'close' } : {} });
  response.end(`${text}\n`);
}

/** Reads a request body up to `MAX_BODY_BYTES`; undefined when it is larger (the rest is not read). */
function readBody(request: import('node:http').IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off('data', onData);
        request.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Listens on `port` (0: one the system chooses) with `certificate` and serves `routes` (path →
 * handler); rejects when the port cannot be bound.
 *
 * @param host the address to listen on; every address by default (the API server calls the pod's IP)
 */
export async function startAdmissionServer(port: number, certificate: ServingTls, routes: Readonly<Record<string, JsonHandler>>,
  host?: string): Promise<AdmissionServer> {
  let inFlight = 0;
  const server = https.createServer({ ...secureContextOptions(certificate), minVersion: 'TLSv1.2' }, (request, response) => {
    const arrivedAt = performance.now();
    const path = requestPath(request.url);
    const handler = routes[path];
    if (!handler) return plain(response, 404, `no webhook at ${path}`);
    if (request.method !== 'POST') return plain(response, 405, 'only POST');
    const tooLarge = `the body exceeds ${MAX_BODY_BYTES} bytes`;
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return plain(response, 413, tooLarge, true);
    if (inFlight >= MAX_REQUESTS_IN_FLIGHT) return plain(response, 503, `more than ${MAX_REQUESTS_IN_FLIGHT} requests in flight`, true);
    inFlight++;
    response.on('close', () => inFlight--);
    readBody(request)
      .then(async (text) => {
        if (text === undefined) return plain(response, 413, tooLarge, true);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return plain(response, 400, 'the body is not JSON');
        }
        const answer = await handler(body, arrivedAt);
        const json = JSON.stringify(answer.body);
        response.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
        response.end(json);
      })
      .catch((error: unknown) => {
        if (!response.headersSent) plain(response, 500, String(error));
        else response.destroy();
      });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.timeout = IDLE_CONNECTION_TIMEOUT_MS;
  // The API server keeps connections to webhooks alive; an idle one is closed after a while.
  server.keepAliveTimeout = 60_000;
  return {
    port: await listen(server, port, host),
    setCertificate: (next) => server.setSecureContext({ ...secureContextOptions(next), minVersion: 'TLSv1.2' }),
    close: () => closeServer(server),
  };
}
