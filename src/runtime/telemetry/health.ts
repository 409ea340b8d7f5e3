/**
 * The health endpoints on `--health-probe-port`: `/healthz` answers 200 while the process serves
 * at all (liveness); `/readyz` answers 200 only while the process can do its work (readiness),
 * else 503 with the reason.
 */
import { EndpointAnswer, HttpEndpoints, serveEndpoints } from './http-endpoints';

/** Why the process is not ready, or undefined when it is. */
export type ReadinessCheck = () => string | undefined;

/** The answer of `/readyz` for a check. */
export function readinessAnswer(check: ReadinessCheck): EndpointAnswer {
  const reason = check();
  return reason === undefined ? { status: 200, body: 'ok\n' } : { status: 503, body: `not ready: ${reason}\n` };
}

/** Serves `/healthz` and `/readyz` on `port`. */
export function serveHealth(port: number, ready: ReadinessCheck): Promise<HttpEndpoints> {
  return serveEndpoints(port, {
    '/healthz': () => ({ status: 200, body: 'ok\n' }),
    '/readyz': () => readinessAnswer(ready),
  });
}
