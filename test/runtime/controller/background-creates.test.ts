import { SILENT } from '../../../src/kube/log';
import { BackgroundCreates } from '../../../src/runtime/controller/background-creates';
import { FakeClock, settle } from '../fake-clock';

/** Creates the test finishes when it wants, by object. */
class HeldCreates {
  public readonly started: string[] = [];
  private readonly answers = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();

  public create(objectKey: string): () => Promise<void> {
    return () => {
      this.started.push(objectKey);
      return new Promise<void>((resolve, reject) => this.answers.set(objectKey, { resolve, reject }));
    };
  }

  public succeed(objectKey: string): void {
    this.answers.get(objectKey)!.resolve();
  }

  public fail(objectKey: string, error: Error): void {
    this.answers.get(objectKey)!.reject(error);
  }
}

describe('BackgroundCreates', () => {
  test('a create runs without the caller waiting, once per object while it is queued or runs', async () => {
    // GIVEN
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined);
    const held = new HeldCreates();

    // WHEN the same object is asked for twice while its create runs
    expect(background.start('jobs/pi', 'Service/jobs/pi-ui-svc', held.create('Service/jobs/pi-ui-svc'))).toBe(true);
    expect(background.start('jobs/pi', 'Service/jobs/pi-ui-svc', held.create('Service/jobs/pi-ui-svc'))).toBe(true);

    // THEN one create, pending until it ends
    expect(held.started).toEqual(['Service/jobs/pi-ui-svc']);
    expect(background.pending('Service/jobs/pi-ui-svc')).toBe(true);
    held.succeed('Service/jobs/pi-ui-svc');
    await settle();
    expect(background.pending('Service/jobs/pi-ui-svc')).toBe(false);
    expect(background.size).toBe(0);
  });

  test('at most `inFlight` run at once; the others wait and start in the order they came', async () => {
    // GIVEN
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined, { inFlight: 2 });
    const held = new HeldCreates();

    // WHEN
    for (const name of ['a', 'b', 'c', 'd']) background.start(`jobs/${name}`, `Service/jobs/${name}-ui-svc`, held.create(`Service/jobs/${name}-ui-svc`));

    // THEN
    expect(held.started).toEqual(['Service/jobs/a-ui-svc', 'Service/jobs/b-ui-svc']);
    expect(background.size).toBe(4);
    held.succeed('Service/jobs/b-ui-svc');
    await settle();
    expect(held.started).toEqual(['Service/jobs/a-ui-svc', 'Service/jobs/b-ui-svc', 'Service/jobs/c-ui-svc']);
    expect(background.pending('Service/jobs/d-ui-svc')).toBe(true);
  });

  test('with the queue full the caller is told to create it itself', () => {
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined, { inFlight: 1, queued: 1 });
    const held = new HeldCreates();
    expect(background.start('jobs/a', 'Service/jobs/a-ui-svc', held.create('Service/jobs/a-ui-svc'))).toBe(true);
    expect(background.start('jobs/b', 'Service/jobs/b-ui-svc', held.create('Service/jobs/b-ui-svc'))).toBe(true);
    expect(background.start('jobs/c', 'Service/jobs/c-ui-svc', held.create('Service/jobs/c-ui-svc'))).toBe(false);
    expect(background.size).toBe(2);
  });

  test('a failed create is logged, the next one starts, and its owner is queued again after a second', async () => {
    // GIVEN
    const clock = new FakeClock();
    const warnings: unknown[] = [];
    const log = { ...SILENT, warn: (message: string, fields?: unknown) => warnings.push({ message, fields }) };
    const retried: string[] = [];
    const background = new BackgroundCreates(clock, log, (owner) => retried.push(owner), { inFlight: 1 });
    const held = new HeldCreates();
    background.start('jobs/pi', 'Service/jobs/pi-ui-svc', held.create('Service/jobs/pi-ui-svc'));
    background.start('jobs/pj', 'Service/jobs/pj-ui-svc', held.create('Service/jobs/pj-ui-svc'));

    // WHEN
    held.fail('Service/jobs/pi-ui-svc', new Error('etcdserver: request timed out'));
    await settle();

    // THEN
    expect(warnings).toEqual([{
      message: 'could not create an object in the background, retrying',
      fields: { owner: 'jobs/pi', object: 'Service/jobs/pi-ui-svc', error: 'Error: etcdserver: request timed out' },
    }]);
    expect(background.pending('Service/jobs/pi-ui-svc')).toBe(false);
    expect(held.started).toEqual(['Service/jobs/pi-ui-svc', 'Service/jobs/pj-ui-svc']);
    expect(retried).toEqual([]);
    clock.advance(1000);
    expect(retried).toEqual(['jobs/pi']);
  });

  test('a create that ends well queues its owner again at once, to write what it needs of it', async () => {
    // GIVEN
    const requeued: string[] = [];
    const background = new BackgroundCreates(new FakeClock(), SILENT, (owner) => requeued.push(owner));
    const held = new HeldCreates();
    background.start('jobs/pi', 'Service/jobs/pi-ui-svc', held.create('Service/jobs/pi-ui-svc'));
    expect(requeued).toEqual([]);

    // WHEN
    held.succeed('Service/jobs/pi-ui-svc');
    await settle();

    // THEN
    expect(requeued).toEqual(['jobs/pi']);
    expect(background.pending('Service/jobs/pi-ui-svc')).toBe(false);
  });

  test('a waiting create is replaced in its place by a newer one of the same object; a running one is left to finish', async () => {
    // GIVEN one create running and two waiting
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined, { inFlight: 1 });
    const calls: string[] = [];
    const create = (label: string) => async () => { calls.push(label); };
    const held = new HeldCreates();
    background.start('jobs/a', 'Service/jobs/a-ui-svc', held.create('Service/jobs/a-ui-svc'));
    background.start('jobs/b', 'Service/jobs/b-ui-svc', create('b, old spec'));
    background.start('jobs/c', 'Service/jobs/c-ui-svc', create('c'));

    // WHEN b is asked for again, and a (running) too
    expect(background.start('jobs/b', 'Service/jobs/b-ui-svc', create('b, new spec'))).toBe(true);
    expect(background.start('jobs/a', 'Service/jobs/a-ui-svc', create('a, again'))).toBe(true);
    held.succeed('Service/jobs/a-ui-svc');
    await settle();

    // THEN b's newer create ran, still before c; a's second ask was dropped
    expect(calls).toEqual(['b, new spec', 'c']);
  });

  test('a waiting create can be cancelled (its object is being deleted)', async () => {
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined, { inFlight: 1 });
    const calls: string[] = [];
    const held = new HeldCreates();
    background.start('jobs/a', 'Service/jobs/a-ui-svc', held.create('Service/jobs/a-ui-svc'));
    background.start('jobs/b', 'Service/jobs/b-ui-svc', async () => { calls.push('b'); });
    background.cancel('Service/jobs/b-ui-svc');
    expect(background.pending('Service/jobs/b-ui-svc')).toBe(false);
    held.succeed('Service/jobs/a-ui-svc');
    await settle();
    expect(calls).toEqual([]);
  });

  test('a create that throws at once fails like one that rejects: it does not stay in flight', async () => {
    const clock = new FakeClock();
    const requeued: string[] = [];
    const background = new BackgroundCreates(clock, SILENT, (owner) => requeued.push(owner));
    background.start('jobs/pi', 'Service/jobs/pi-ui-svc', () => { throw new Error('builder failed'); });
    await settle();
    expect(background.pending('Service/jobs/pi-ui-svc')).toBe(false);
    clock.advance(1000);
    expect(requeued).toEqual(['jobs/pi']);
  });

  test('whenIdle resolves once nothing waits or runs', async () => {
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined, { inFlight: 1 });
    await background.whenIdle();
    const held = new HeldCreates();
    background.start('jobs/a', 'Service/jobs/a-ui-svc', held.create('Service/jobs/a-ui-svc'));
    background.start('jobs/b', 'Service/jobs/b-ui-svc', held.create('Service/jobs/b-ui-svc'));
    let idle = false;
    void background.whenIdle().then(() => { idle = true; });
    held.succeed('Service/jobs/a-ui-svc');
    await settle();
    expect(idle).toBe(false);
    held.succeed('Service/jobs/b-ui-svc');
    await settle();
    expect(idle).toBe(true);
  });
});
