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
});
