/**
 * The API server's own account of the work: `apiserver_request_total` and
 * `apiserver_request_duration_seconds` from its /metrics, read as the admin before and after a phase,
 * so the benchmark can say how many requests of which kind each application cost and how long the
 * API server took over them.
 */
import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { RequestCounts, parseRequestCounts } from './request-counts';

/** The request counts of the API server's /metrics, read with the credentials of `kubeconfigFile`. */
export async function scrapeRequestCounts(kubeconfigFile: string): Promise<RequestCounts> {
  return parseRequestCounts(await scrapeApiServerMetrics(kubeconfigFile));
}

/** The API server's /metrics text, read with the credentials of `kubeconfigFile`. */
export async function scrapeApiServerMetrics(kubeconfigFile: string): Promise<string> {
  return (await getAsAdmin(kubeconfigFile, '/metrics', 30_000)).toString('utf8');
}

/**
 * A CPU profile of the API server over the next `seconds` (Go's pprof format, read with `go tool
 * pprof`), from its `/debug/pprof/profile` (on by default: `--profiling`).
 */
export async function fetchApiServerCpuProfile(kubeconfigFile: string, seconds: number): Promise<Buffer> {
  return getAsAdmin(kubeconfigFile, `/debug/pprof/profile?seconds=${seconds}`, (seconds + 30) * 1000);
}

/** GET `path` of the API server with the credentials of `kubeconfigFile`; rejects on an answer other than 200. */
async function getAsAdmin(kubeconfigFile: string, path: string, timeoutMs: number): Promise<Buffer> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigFile);
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const url = new URL(path, kc.getCurrentCluster()!.server);
  return new Promise<Buffer>((resolve, reject) => {
    const req = https.get(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${url.pathname} timed out`)));
  });
}
