import { Flags } from '../../src/cli/args';
import { Io, list } from '../../src/cli/commands';
import type { Kube, StreamOptions } from '../../src/cli/kube';
import { KubeError, Query } from '../../src/kube/rest';

// The watch loop of `list --watch` driven by a scripted client: what the API server answers is
// written out here, so the loop's reactions (a 410, a cut connection, Ctrl-C) are shown one by one.
// The real API server is in test/e2e/sparkctl.e2e.test.ts.

const NOW = Date.parse('2026-01-01T12:00:00Z');

function app(name: string, state: string, resourceVersion: string) {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, namespace: 'jobs', resourceVersion, creationTimestamp: '2026-01-01T11:59:00Z' },
    spec: {},
    status: { applicationState: { state }, executionAttempts: 1 },
  };
}

const FLAGS: Flags = { allNamespaces: false, output: 'table', scheduled: false, connect: false, watch: true, follow: false, localPort: 4040 };

/** A client whose answers are scripted: lists in order, and for each watch the lines it sends (or the error it fails with). */
function scriptedKube(lists: unknown[], watches: Array<string[] | Error>, abort: AbortController) {
  const watchQueries: Array<Query> = [];
  const kube = {
    namespace: 'jobs',
    request: async () => lists.shift(),
    watch: async (_path: string, options: StreamOptions, onLine: (line: string) => void) => {
      watchQueries.push(options.query ?? {});
      const next = watches.shift();
      if (next === undefined) {
        abort.abort(); // Ctrl-C once the script is played
        return;
      }
      if (next instanceof Error) throw next;
      // Lines come whole: the client splits what arrives into lines (test/kube/rest.test.ts).
      for (const line of next) onLine(line);
    },
  };
  return { kube: kube as unknown as Kube, watchQueries };
}

function io(kube: Kube, abort: AbortController, out: string[], err: string[]): Io {
  return {
    color: false,
    isTerminal: false,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    now: () => NOW,
    readFile: () => '',
    kube: async () => kube,
    interrupted: () => abort.signal,
    columns: () => undefined,
  };
}

describe('list --watch against a scripted API server', () => {
  test('events from the list\'s resourceVersion; a 410 lists again and shows what was missed; a cut connection is watched again; Ctrl-C exits 0', async () => {
    // GIVEN
    const abort = new AbortController();
    const event = (type: string, object: unknown) => JSON.stringify({ type, object });
    const { kube, watchQueries } = scriptedKube(
      [
        { items: [app('a', 'RUNNING', '5')], metadata: { resourceVersion: '10' } },
        { items: [app('a', 'COMPLETED', '30'), app('c', 'SUBMITTED', '31')], metadata: { resourceVersion: '40' } },
      ],
      [
        [
          event('ADDED', app('b', '', '11')),
          event('MODIFIED', app('b', '', '12')), // no shown column changed
          event('BOOKMARK', { metadata: { resourceVersion: '15' } }),
          event('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (20)' }),
        ],
        new Error('socket hang up'),
        ['{"type":"MODIFIED","obj'], // a line cut by a lost connection is dropped
      ],
      abort,
    );
    const out: string[] = [];
    const err: string[] = [];

    // WHEN
    const code = await list(io(kube, abort, out, err), FLAGS);

    // THEN
    expect(code).toBe(0);
    expect(out.join('').split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'EVENT NAME STATE',
      'ADDED a RUNNING',
      'ADDED b <none>',
      'DELETED b <none>',
      'MODIFIED a COMPLETED',
      'ADDED c SUBMITTED',
      '',
    ]);
    expect(watchQueries.map((q) => q.resourceVersion)).toEqual(['10', '40', '40', '40']);
    expect(watchQueries[0]).toMatchObject({ watch: 'true', allowWatchBookmarks: 'true', timeoutSeconds: '300' });
    expect(err).toEqual(['sparkctl: socket hang up; watching again\n']);
  });

  test('a refusal of the watch (403) ends the command with the API server\'s words', async () => {
    // GIVEN
    const abort = new AbortController();
    const forbidden = new KubeError(403, 'Forbidden', 'sparkapplications.sparkoperator.k8s.io is forbidden: User "u" cannot watch resource "sparkapplications"');
    const { kube } = scriptedKube([{ items: [], metadata: { resourceVersion: '1' } }], [forbidden], abort);

    // WHEN / THEN
    await expect(list(io(kube, abort, [], []), FLAGS)).rejects.toBe(forbidden);
  });
});
