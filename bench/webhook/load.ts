/**
 * Sends SparkApplication creates with `dryRun=All` to the API server on an open-loop schedule, each
 * as an impersonated user, and times each one from its scheduled start to the end of its answer
 * (a request sent late because the client fell behind counts its lateness too).
 */
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { kubeConfigFromFile } from '../../test/e2e/harness/client';

/** Who sends a request: the impersonated user and groups (`Impersonate-User`, `Impersonate-Group`). */
export interface Requester {
  readonly user: string;
  readonly groups: readonly string[];
}

/** The answer to one dry-run create. */
export interface DryRunAnswer {
  /** The HTTP status, or 0 when there was none (connection error, timeout). */
  readonly status: number;
  /** The API server's message for an error answer. */
  readonly message?: string;
}

/** Creates SparkApplications with `dryRun=All` as the admin, impersonating the user of each request. */
export class DryRunCreator {
  /** A creator with the admin credentials of `kubeconfigFile`, for `namespace`. */
  public static async fromKubeconfig(kubeconfigFile: string, namespace: string, timeoutMs = 15_000): Promise<DryRunCreator> {
    const kc = kubeConfigFromFile(kubeconfigFile);
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    return new DryRunCreator(new URL(kc.getCurrentCluster()!.server), tls, namespace, timeoutMs);
  }

  // Keep-alive with no cap on sockets: an open loop opens another connection rather than queue in the client.
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: Infinity });

  private constructor(
    private readonly server: URL,
    private readonly tls: https.RequestOptions,
    private readonly namespace: string,
    private readonly timeoutMs: number,
  ) {}

  /** Sends one dry-run create of `application` as `requester`; never rejects. */
  public create(application: Record<string, unknown>, requester: Requester): Promise<DryRunAnswer> {
    const body = JSON.stringify(application);
    const url = new URL(`/apis/sparkoperator.k8s.io/v1beta2/namespaces/${this.namespace}/sparkapplications?dryRun=All`, this.server);
    const headers: Record<string, string | string[]> = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'Impersonate-User': requester.user,
    };
    if (requester.groups.length > 0) headers['Impersonate-Group'] = [...requester.groups];
    return new Promise((resolve) => {
      const req = https.request(url, { ...this.tls, method: 'POST', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ status });
          let message = Buffer.concat(chunks).toString('utf8');
          try {
            message = JSON.parse(message).message ?? message;
          } catch {
            // not a Status object: keep the text
          }
          resolve({ status, message });
        });
        res.on('error', (error) => resolve({ status: 0, message: String(error) }));
      });
      req.on('error', (error) => resolve({ status: 0, message: String(error) }));
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  public close(): void {
    this.agent.destroy();
  }
}

/** What one open-loop run saw. */
export interface OpenLoopOutcome {
  /** Requests sent. */
  readonly sent: number;
  /** Latencies of the successful (2xx) answers, ms from the scheduled start. */
  readonly latenciesMs: number[];
  /** Answers by HTTP status (`0`: none). */
  readonly statuses: Record<string, number>;
  /** The first error message, if any. */
  readonly firstError?: string;
  /** The latest a request left after its scheduled start, ms (the client's own lag). */
  readonly maxSendLagMs: number;
  /** From the first scheduled start to the last answer, ms. */
  readonly durationMs: number;
}

/**
 * Sends request `i` at `schedule[i]` ms after the start, whatever happened to the others, and
 * resolves when every request is answered (each has the creator's timeout).
 */
export async function runOpenLoop(creator: DryRunCreator, schedule: readonly number[],
  request: (i: number) => { application: Record<string, unknown>; requester: Requester }): Promise<OpenLoopOutcome> {
  const start = performance.now();
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let firstError: string | undefined;
  let maxSendLagMs = 0;
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < schedule.length; i++) {
    const due = start + schedule[i];
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { application, requester } = request(i);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    pending.push(creator.create(application, requester).then((answer) => {
      const end = performance.now();
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status >= 200 && answer.status < 300) latenciesMs.push(end - due);
      else firstError ??= `HTTP ${answer.status}: ${answer.message}`;
    }));
  }
  await Promise.all(pending);
  return { sent: schedule.length, latenciesMs, statuses, firstError, maxSendLagMs, durationMs: performance.now() - start };
}
