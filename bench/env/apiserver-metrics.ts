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
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigFile);
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const url = new URL('/metrics', kc.getCurrentCluster()!.server);
  return new Promise<string>((resolve, reject) => {
    const req = https.get(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`GET /metrics: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('GET /metrics timed out')));
  });
}
