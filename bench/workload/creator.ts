/**
 * Creates the benchmark's SparkApplications through the API: all at once (a burst, with a bounded
 * number of requests in flight) or at a fixed rate (steady). Each create's answer is handed to
 * `onCreated` with the time it arrived, which is where every latency of the benchmark starts.
 */
import { RestClient } from '../../src/kube/rest';
import { SPARK_APPLICATIONS, pathOf } from '../../src/runtime/kube/resources';

/** Called with each stored application and the time (ms since the epoch) the API server answered. */
export type OnCreated = (stored: Record<string, any>, at: number) => void;

/** How many creates a burst keeps in flight: enough to keep the API server busy, as `kubectl apply` of many files would. */
export const BURST_IN_FLIGHT = 32;

async function createOne(rest: RestClient, app: Record<string, any>, onCreated: OnCreated): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const stored = await rest.request<Record<string, any>>('POST', pathOf(SPARK_APPLICATIONS, app.metadata.namespace), { body: app });
      onCreated(stored, Date.now());
      return;
    } catch (error) {
      // A busy API server may answer 429 or time out; the benchmark's own load must not fail it.
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Creates `apps` as fast as the API server takes them, `inFlight` at a time. */
export async function createBurst(rest: RestClient, apps: readonly Record<string, any>[], onCreated: OnCreated,
  inFlight = BURST_IN_FLIGHT): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < apps.length; i = next++) await createOne(rest, apps[i], onCreated);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, apps.length) }, worker));
}

/**
 * Creates `apps` at `perSecond`, one every `1000 / perSecond` ms on a fixed schedule (a late create
 * does not shift the ones after it), without waiting for answers; resolves when all are answered.
 */
export async function createSteady(rest: RestClient, apps: readonly Record<string, any>[], perSecond: number, onCreated: OnCreated): Promise<void> {
  const start = Date.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < apps.length; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(createOne(rest, apps[i], onCreated));
  }
  await Promise.all(pending);
}
