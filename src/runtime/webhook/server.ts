/**
 * The webhook's HTTPS server: POSTed JSON in, JSON out, on the paths it is given. The serving
 * certificate can be swapped while it runs (a renewal, a rotated file): new connections get the new
 * one, connections in flight finish with the old. Bodies are bounded and every connection has a
 * deadline, so a slow or hostile client cannot hold the server.
 */
import * as https from 'node:https';
import { ServingTls, secureContextOptions } from './tls';
import { closeServer, listen } from '../telemetry/listen';


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
/** How long one request may take from its first byte to its answer (the API server gives up after 30 s at most). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A listening server. */
export interface AdmissionServer {
  /** The port it listens on. */
  readonly port: number;
  /** Serves new connections with `certificate`. */
  setCertificate(certificate: ServingTls): void;
  /** Stops taking connections and resolves when the requests in flight are answered. */
  close(): Promise<void>;
}

function plain(response: import('node:http').ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}

/** Reads a request body up to `MAX_BODY_BYTES`; undefined when it is larger. */
function readBody(request: import('node:http').IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
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
  const server = https.createServer({ ...secureContextOptions(certificate), minVersion: 'TLSv1.2' }, (request, response) => {
    const arrivedAt = performance.now();
    const path = new URL(request.url ?? '/', 'https://localhost').pathname;
    const handler = routes[path];
    if (!handler) return plain(response, 404, `no webhook at ${path}`);
    if (request.method !== 'POST') return plain(response, 405, 'only POST');
    readBody(request)
      .then(async (text) => {
        if (text === undefined) return plain(response, 413, `the body exceeds ${MAX_BODY_BYTES} bytes`);
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
  // The API server keeps connections to webhooks alive; an idle one is closed after a while.
  server.keepAliveTimeout = 60_000;
  return {
    port: await listen(server, port, host),
    setCertificate: (next) => server.setSecureContext({ ...secureContextOptions(next), minVersion: 'TLSv1.2' }),
    close: () => closeServer(server),
  };
}
