import { LogFields, Logger } from '../../../src/kube/log';
import { KubeError, Query, RestClient } from '../../../src/kube/rest';
import { Informer, KubeObject } from '../../../src/runtime/kube/informer';
import { PODS } from '../../../src/runtime/kube/resources';
import { FakeClock, settle } from '../fake-clock';

const pod = (name: string, resourceVersion: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'jobs', resourceVersion } });

/** A RestClient stand-in: lists answer `items`; each watch stays open until the test ends it, feeding the lines the test sends. */
function fakeRest(items: () => KubeObject[], firstWatchErrors?: Error | Error[]) {
  const refusals = firstWatchErrors === undefined ? [] : [firstWatchErrors].flat();
  const lists: string[] = [];
  const watches: Array<{ query: Query; send: (line: string) => void; end: () => void; aborted: () => boolean }> = [];
  const rest = {
    list: async (path: string, _query: Query, onItem: (item: unknown) => void) => {
      lists.push(path);
      items().forEach(onItem);
      return { metadata: { resourceVersion: String(10 + lists.length) }, items: [] };
    },
    stream: (_path: string, query: Query, onLine: (line: string) => void, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
      const refusal = refusals.shift();
      if (refusal) {
        reject(refusal);
        return;
      }
      signal.addEventListener('abort', () => resolve());
      watches.push({ query, send: onLine, end: resolve, aborted: () => signal.aborted });
    }),
  };
  return { rest: rest as unknown as RestClient, lists, watches };
}

function recordingLog() {
  const lines: Array<{ level: string; msg: string } & LogFields> = [];
  const at = (level: string) => (msg: string, fields: LogFields = {}) => { lines.push({ level, msg, ...fields }); };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), with: () => log };
  return { log, lines };
}

function setUp(items: () => KubeObject[] = () => [pod('a', '5')], firstWatchErrors?: Error | Error[]) {
  const clock = new FakeClock();
  const { rest, lists, watches } = fakeRest(items, firstWatchErrors);
  const { log, lines } = recordingLog();
  const informer = new Informer<KubeObject>(rest, {
    resource: PODS,
    namespace: 'jobs',
    trim: (o) => o,
    clock,
    log,
    watchTiming: { minTimeoutSeconds: 30, timeoutSpreadSeconds: 1, graceMs: 5_000 },
  });
  return { clock, informer, lists, watches, lines };
}

describe('Informer under a misbehaving API server', () => {
  test('a line that is not JSON is logged, cut, and the cache listed again', async () => {
    // GIVEN a synced informer with an open watch
    const { clock, informer, lists, watches, lines } = setUp();
    informer.start();
    await informer.waitForSync();
    await settle();
    expect(watches).toHaveLength(1);
    // WHEN the watch sends a long line that is not JSON
    watches[0].send(`garbage ${'x'.repeat(500)}`);
    await settle();
    // THEN a warning names the resource, the namespace, the problem and the line cut to 200 characters, and the watch is closed
    expect(lines).toEqual([{
      level: 'warn',
      msg: 'malformed watch line, listing again',
      resource: 'pods',
      namespace: 'jobs',
      problem: 'not JSON',
      line: `garbage ${'x'.repeat(192)}... (308 more characters)`,
    }]);
    expect(watches[0].aborted()).toBe(true);
    // WHEN the backoff passes THEN the informer lists again and watches from the new list's version
    clock.advance(500);
    await settle();
    expect(lists).toHaveLength(2);
    expect(watches).toHaveLength(2);
    expect(watches[1].query.resourceVersion).toBe('12');
    informer.stop();
  });

  test('an event whose object has no metadata changes nothing and does not throw', async () => {
    // GIVEN a synced informer holding pod a
    const { informer, watches, lines } = setUp();
    const added: string[] = [];
    informer.on({ added: (o) => added.push(o.metadata.name!) });
    informer.start();
    await informer.waitForSync();
    await settle();
    // WHEN an ADDED event without metadata arrives
    watches[0].send('{"type":"ADDED","object":{"kind":"Pod"}}');
    await settle();
    // THEN the cache is as it was, and the problem is logged
    expect(informer.list().map((o) => o.metadata.name)).toEqual(['a']);
    expect(added).toEqual(['a']);
    expect(lines.map((l) => [l.msg, l.problem])).toEqual([['malformed watch line, listing again', 'a ADDED event with an object without metadata']]);
    informer.stop();
  });

  test('a trim that throws is a malformed line, not a crash', async () => {
    // GIVEN an informer whose trim throws on an object
    const clock = new FakeClock();
    const { rest, watches } = fakeRest(() => []);
    const { log, lines } = recordingLog();
    const informer = new Informer<KubeObject>(rest, {
      resource: PODS,
      namespace: 'jobs',
      clock,
      log,
      trim: (o) => { if (o.metadata.name === 'bad') throw new TypeError('status.conditions.map is not a function'); return o; },
    });
    informer.start();
    await informer.waitForSync();
    await settle();
    // WHEN that object arrives
    watches[0].send(JSON.stringify({ type: 'MODIFIED', object: pod('bad', '9') }));
    await settle();
    // THEN it is reported with the error
    expect(lines.map((l) => l.problem)).toEqual(['an object the cache cannot keep (TypeError: status.conditions.map is not a function)']);
    informer.stop();
  });

  test('a list item without metadata is left out with a warning', async () => {
    // GIVEN a list with a good pod and one without metadata WHEN the informer syncs
    const { informer, lines } = setUp(() => [pod('a', '5'), { kind: 'Pod' } as unknown as KubeObject]);
    informer.start();
    await informer.waitForSync();
    // THEN the cache holds the good one and the other is logged
    expect(informer.list().map((o) => o.metadata.name)).toEqual(['a']);
    expect(lines).toEqual([{ level: 'warn', msg: 'malformed list item, left out', resource: 'pods', namespace: 'jobs', problem: 'an object without metadata', item: '{"kind":"Pod"}' }]);
    informer.stop();
  });

  test('a watch silent past its timeout and grace is watched again from the last version', async () => {
    // GIVEN a watch of 30 s that received one event at 10 s
    const { clock, informer, watches, lines } = setUp();
    informer.start();
    await informer.waitForSync();
    await settle();
    expect(watches[0].query.timeoutSeconds).toBe(30);
    clock.advance(10_000);
    watches[0].send(JSON.stringify({ type: 'MODIFIED', object: pod('a', '20') }));
    // WHEN nothing more arrives for 34.999 s THEN it is still open
    clock.advance(34_999);
    await settle();
    expect(watches[0].aborted()).toBe(false);
    // WHEN the 35th second passes (30 s + 5 s grace since the last line)
    clock.advance(1);
    await settle();
    // THEN it is given up, logged, and a new watch starts from version 20 without a list
    expect(watches[0].aborted()).toBe(true);
    expect(lines).toEqual([{ level: 'warn', msg: 'watch silent past its deadline, watching again', resource: 'pods', namespace: 'jobs', timeoutSeconds: 30, silentMs: 35_000 }]);
    expect(watches).toHaveLength(2);
    expect(watches[1].query.resourceVersion).toBe('20');
    informer.stop();
  });

  test('a watch the server ends in time is not reported', async () => {
    // GIVEN a watch WHEN the server ends it after 30 s THEN no warning, and no timer left behind but the next watch's
    const { clock, informer, watches, lines } = setUp();
    informer.start();
    await informer.waitForSync();
    await settle();
    clock.advance(30_000);
    watches[0].end();
    await settle();
    expect(lines).toEqual([]);
    expect(watches).toHaveLength(2);
    expect(clock.pending).toBe(1);
    informer.stop();
  });

  test('an index files objects under their values, and follows updates and deletions before the handlers hear', async () => {
    // GIVEN an informer of pods indexed by their app label, with a handler that reads the index
    const labelled = (name: string, app: string, resourceVersion: string) =>
      ({ ...pod(name, resourceVersion), metadata: { ...pod(name, resourceVersion).metadata, labels: { app } } });
    const { informer, watches } = setUp(() => [labelled('a-driver', 'a', '5'), labelled('b-driver', 'b', '6')]);
    informer.addIndex('app', (o) => [(o.metadata.labels as Record<string, string>).app]);
    const seenByHandler: string[][] = [];
    informer.on({ updated: () => seenByHandler.push(informer.byIndex('app', 'a').map((o) => o.metadata.name!)) });
    informer.start();
    await informer.waitForSync();
    await settle();
    expect(informer.byIndex('app', 'a').map((o) => o.metadata.name)).toEqual(['a-driver']);
    // WHEN b's pod is relabelled to app a THEN it is under a, not b, already when the handler runs
    watches[0].send(JSON.stringify({ type: 'MODIFIED', object: labelled('b-driver', 'a', '7') }));
    await settle();
    expect(seenByHandler).toEqual([['a-driver', 'b-driver']]);
    expect(informer.byIndex('app', 'b')).toEqual([]);
    // WHEN a's pod is deleted THEN only b's pod is left under a
    watches[0].send(JSON.stringify({ type: 'DELETED', object: labelled('a-driver', 'a', '8') }));
    await settle();
    expect(informer.byIndex('app', 'a').map((o) => o.metadata.name)).toEqual(['b-driver']);
    expect(() => informer.byIndex('owner', 'x')).toThrow('no index owner');
    informer.stop();
  });
});

describe('Informer when the API server asks it to come back later', () => {
  test('a watch answered 429 (a new CRD\'s cache still initializing) is retried after the backoff, logged as info, not as a warning', async () => {
    // GIVEN a synced informer whose first watch the server refuses with 429
    const { clock, informer, watches, lines } = setUp(undefined, new KubeError(429, 'TooManyRequests', 'storage is (re)initializing'));
    // WHEN
    informer.start();
    await informer.waitForSync();
    await settle();
    // THEN
    expect(lines).toEqual([{
      level: 'info', msg: 'watch failed, retrying', resource: 'pods', namespace: 'jobs', error: 'KubeError: storage is (re)initializing', retryMs: 500,
    }]);
    // WHEN the backoff passes THEN it watches
    clock.advance(500);
    await settle();
    expect(watches).toHaveLength(1);
    informer.stop();
  });

  test('throttling that goes on (more than 3 watches answered 429 in a row) is a warning, with the count', async () => {
    // GIVEN a server that answers the first 5 watches 429
    const throttled = () => new KubeError(429, 'TooManyRequests', 'Too many requests, please try again later.');
    const { clock, informer, watches, lines } = setUp(undefined, [throttled(), throttled(), throttled(), throttled(), throttled()]);
    // WHEN the informer retries through its backoff
    informer.start();
    await informer.waitForSync();
    for (const ms of [0, 500, 1_000, 2_000, 4_000, 8_000]) {
      clock.advance(ms);
      await settle();
    }
    // THEN the first 3 are info, the 4th and 5th warnings that say how many in a row, and it then watches
    expect(lines.map((l) => [l.level, l.throttledInARow])).toEqual([['info', undefined], ['info', undefined], ['info', undefined], ['warn', 4], ['warn', 5]]);
    expect(watches).toHaveLength(1);
    informer.stop();
  });
});
