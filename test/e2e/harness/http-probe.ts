import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

/** TLS material for {@link httpGet}; file paths, read on each call. */
export interface ProbeTls {
  /** CA bundle that signed the server certificate; omit to skip verification (self-signed health ports). */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** The status code and body of a GET. */
export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * GETs `url` (http or https) with a short timeout; used for health endpoints of the components.
 * Never throws for an HTTP status; throws for connection errors and timeouts.
 */
export function httpGet(url: string, tls: ProbeTls = {}, timeoutMs = 5_000): Promise<ProbeResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req =
      target.protocol === 'https:'
        ? https.get(
          target,
          {
            ca: tls.caFile ? fs.readFileSync(tls.caFile) : undefined,
            cert: tls.certFile ? fs.readFileSync(tls.certFile) : undefined,
            key: tls.keyFile ? fs.readFileSync(tls.keyFile) : undefined,
            rejectUnauthorized: tls.caFile !== undefined,
            agent: false,
          },
          onResponse,
        )
        : http.get(target, { agent: false }, onResponse);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
