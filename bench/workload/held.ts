/**
 * Finished applications held in the cluster, made fast: each is created and then given a COMPLETED
 * status through the status subresource, in upstream's status shape, as if it had run. Our
 * controller finds nothing to do for them; what it holds for them is what is measured.
 */
import { benchApplication, benchName } from './apps';
import { RestClient } from '../../src/kube/rest';
import { shapeStatus } from '../../src/runtime/controller/spark-application';
import { SPARK_APPLICATIONS, pathOf } from '../../src/runtime/kube/resources';
import { writeStatus } from '../../src/runtime/kube/status';

/** The status of a held application: it ran once, a minute ago, and completed. */
export function finishedStatus(name: string, at: Date): Record<string, unknown> {
  const time = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
  return shapeStatus({
    sparkApplicationId: `spark-${name.replace(/[^a-z0-9]/g, '')}`,
    submissionID: `held-${name}`,
    lastSubmissionAttemptTime: time(new Date(at.getTime() - 60_000)),
    terminationTime: time(at),
    driverInfo: { podName: `${name}-driver` },
    applicationState: { state: 'COMPLETED' },
    executionAttempts: 1,
    submissionAttempts: 1,
  }) as unknown as Record<string, unknown>;
}

/**
 * Creates the held applications `from` to `to - 1` of `namespace`, `inFlight` at a time; returns the
 * resourceVersion each had after its status write (a later one means someone else wrote it).
 */
export async function createHeld(rest: RestClient, namespace: string, from: number, to: number, onProgress: (done: number) => void,
  inFlight = 64, progressEvery = 2000,
  application: (name: string) => Record<string, any> = (name) => benchApplication({ namespace, name })): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  let next = from;
  let done = 0;
  const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  };
  const worker = async () => {
    for (let i = next++; i < to; i = next++) {
      const name = benchName('held', i);
      const stored = await retrying(() => rest.request<any>('POST', pathOf(SPARK_APPLICATIONS, namespace), { body: application(name) })
        .catch(async (error) => {
          // A retried create whose first attempt got through.
          if ((error as { code?: number }).code === 409) return rest.request<any>('GET', pathOf(SPARK_APPLICATIONS, namespace, name));
          throw error;
        }));
      // The controller may reach a new application before its finished status is written (it runs
      // while the namespace grows): then its own status write wins, and this one goes over the latest version.
      let base = stored;
      const written = await retrying(() => writeStatus(rest, SPARK_APPLICATIONS, base, finishedStatus(name, new Date())).catch(async (error) => {
        if ((error as { code?: number }).code === 409) base = await rest.request<any>('GET', pathOf(SPARK_APPLICATIONS, namespace, name));
        throw error;
      }));
      versions.set(name, written.metadata.resourceVersion as string);
      if (++done % progressEvery === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return versions;
}

/** How many of `versions`' applications have a newer resourceVersion than the one recorded (paged list). */
export async function rewrittenCount(rest: RestClient, namespace: string, versions: ReadonlyMap<string, string>): Promise<number> {
  let changed = 0;
  let token: string | undefined;
  do {
    // Read item by item: a page of applications at the size limit is more than one string holds.
    const page = await rest.list(pathOf(SPARK_APPLICATIONS, namespace), { limit: 2000, continue: token }, (item: any) => {
      const v = versions.get(item.metadata.name);
      if (v !== undefined && item.metadata.resourceVersion !== v) changed++;
    });
    token = typeof page.metadata?.continue === 'string' && page.metadata.continue !== '' ? page.metadata.continue : undefined;
  } while (token);
  return changed;
}
