import { LogFields, Logger } from '../../../src/kube/log';
import { RestClient } from '../../../src/kube/rest';
import { Controller, ReconcileResult, Reconciler } from '../../../src/runtime/controller/shell/controller';
import { WrittenStatuses } from '../../../src/runtime/controller/shell/written-statuses';
import { KubeObject } from '../../../src/runtime/kube/informer';
import { SPARK_APPLICATIONS } from '../../../src/runtime/kube/resources';
import { FakeClock, settle } from '../fake-clock';

function recordingLog() {
  const lines: Array<{ level: string; msg: string } & LogFields> = [];
  const at = (level: string) => (msg: string, fields: LogFields = {}) => { lines.push({ level, msg, ...fields }); };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), with: () => log };
  return { log, lines };
}

/** A reconciler that answers from a script and records each call. */
class ScriptedReconciler implements Reconciler {
  public readonly calls: string[] = [];
  private readonly answer: (key: string, call: number) => ReconcileResult;
  private enqueueKey?: (key: string) => void;

  public constructor(answer: (key: string, call: number) => ReconcileResult) {
    this.answer = answer;
  }

  /** Queues `key` as an informer handler would. */
  public enqueue(key: string): void {
    this.enqueueKey?.(key);
  }

  public watch(enqueue: (key: string) => void): void {
    this.enqueueKey = enqueue;
  }
  public async reconcile(key: string): Promise<ReconcileResult> {
    this.calls.push(key);
    return this.answer(key, this.calls.length);
  }
}

describe('Controller', () => {
  test('keys wait until start; a requeueAfterMs brings the key back after that long', async () => {
    // GIVEN a controller whose reconciler asks to look again after 5 s once
    const clock = new FakeClock();
    const reconciler = new ScriptedReconciler((_key, call) => (call === 1 ? { requeueAfterMs: 5_000 } : {}));
    const controller = new Controller(reconciler, { name: 'test', workers: 2, clock, log: recordingLog().log });
    // WHEN a key is queued before start THEN nothing runs
    reconciler.enqueue('jobs/a');
    await settle();
    expect(reconciler.calls).toEqual([]);
    // WHEN started THEN it runs once; 5 s later once more, and not again
    controller.start();
    await settle();
    expect(reconciler.calls).toEqual(['jobs/a']);
    clock.advance(4_999);
    await settle();
    expect(reconciler.calls).toEqual(['jobs/a']);
    clock.advance(1);
    await settle();
    expect(reconciler.calls).toEqual(['jobs/a', 'jobs/a']);
    await controller.shutDown();
  });

  test('a reconcile that throws is logged with the controller, the key and the attempt, and retried', async () => {
    // GIVEN a reconciler that fails on its first call
    const clock = new FakeClock();
    const { log, lines } = recordingLog();
    const reconciler = new ScriptedReconciler((_key, call) => {
      if (call === 1) throw new Error('read ECONNRESET');
      return {};
    });
    const controller = new Controller(reconciler, { name: 'sparkapplication', workers: 1, clock, log });
    controller.start();
    // WHEN a key is queued THEN the failure is logged and the key retried after the backoff
    reconciler.enqueue('jobs/a');
    await settle();
    expect(lines).toEqual([{ level: 'warn', msg: 'reconcile failed, retrying', controller: 'sparkapplication', key: 'jobs/a', attempt: 1, error: 'Error: read ECONNRESET' }]);
    clock.advance(1_000);
    await settle();
    expect(reconciler.calls).toEqual(['jobs/a', 'jobs/a']);
    await controller.shutDown();
  });

  test('shutDown resolves only once the work the reconciler started without a worker is done', async () => {
    // GIVEN a reconciler with work of its own still running
    let finish!: () => void;
    const reconciler = Object.assign(new ScriptedReconciler(() => ({})), { drain: () => new Promise<void>((resolve) => { finish = resolve; }) });
    const controller = new Controller(reconciler, { name: 'test', workers: 1, clock: new FakeClock(), log: recordingLog().log });
    controller.start();
    // WHEN the controller is shut down
    let stopped = false;
    void controller.shutDown().then(() => { stopped = true; });
    await settle();
    // THEN it waits for that work
    expect(stopped).toBe(false);
    finish();
    await settle();
    expect(stopped).toBe(true);
  });
});

describe('WrittenStatuses', () => {
  const object = (resourceVersion: string, state: string): KubeObject => ({
    apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { namespace: 'jobs', name: 'a', resourceVersion }, status: { state },
  });
  /** A client whose status PUT answers version 8 with the status it was sent (the unit under test is the memory, not the client). */
  const rest = { request: async (_m: string, _p: string, options: { body: KubeObject }) => ({ ...options.body, metadata: { ...options.body.metadata, resourceVersion: '8' } }) } as unknown as RestClient;

  test('after a write, the cache\'s older version reads as what was written, until the cache moves on', async () => {
    // GIVEN an object at version 7 whose status was written (the API server stored version 8)
    const written = new WrittenStatuses(rest, SPARK_APPLICATIONS, (o) => o);
    await written.write('jobs/a', object('7', 'NEW'), { state: 'SUBMITTED' });
    // THEN while the cache still shows version 7, the written object (version 8) is read instead
    expect(written.latest('jobs/a', object('7', 'NEW'))).toMatchObject({ metadata: { resourceVersion: '8' }, status: { state: 'SUBMITTED' } });
    // WHEN the cache shows version 8 (or later) THEN the cache is read, and the memory is gone
    expect(written.latest('jobs/a', object('9', 'RUNNING'))).toMatchObject({ status: { state: 'RUNNING' } });
    expect(written.latest('jobs/a', object('7', 'NEW'))).toMatchObject({ status: { state: 'NEW' } });
  });

  test('an object the cache no longer has is gone, whatever was written', async () => {
    const written = new WrittenStatuses(rest, SPARK_APPLICATIONS, (o) => o);
    await written.write('jobs/a', object('7', 'NEW'), { state: 'SUBMITTED' });
    expect(written.latest('jobs/a', undefined)).toBeUndefined();
  });
});
