import { BackgroundCreates } from '../../../src/runtime/controller/background-creates';
import { SILENT } from '../../../src/runtime/telemetry/log';
import { FakeClock, settle } from '../fake-clock';

/** A create the test finishes when it wants. */
function heldCreate(): { create: () => Promise<void>; succeed: () => void; fail: (e: Error) => void; calls: number } {
  const held: any = { calls: 0 };
  held.create = () => {
    held.calls++;
    return new Promise<void>((resolve, reject) => {
      held.succeed = resolve;
      held.fail = reject;
    });
  };
  return held;
}

describe('BackgroundCreates', () => {
  test('a create runs without the caller waiting, once per object while it runs', async () => {
    // GIVEN
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined);
    const held = heldCreate();

    // WHEN the same object is asked for twice while its create runs
    expect(background.start('jobs/pi', 'Service/jobs/pi-ui-svc', held.create)).toBe(true);
    expect(background.start('jobs/pi', 'Service/jobs/pi-ui-svc', held.create)).toBe(true);

    // THEN one create, and it runs until it ends
    expect(held.calls).toBe(1);
    expect(background.running('Service/jobs/pi-ui-svc')).toBe(true);
    held.succeed();
    await settle();
    expect(background.running('Service/jobs/pi-ui-svc')).toBe(false);
    expect(background.size).toBe(0);
  });

  test('past the limit the caller is told to create it itself', () => {
    const background = new BackgroundCreates(new FakeClock(), SILENT, () => undefined, 2);
    expect(background.start('jobs/a', 'Service/jobs/a-ui-svc', heldCreate().create)).toBe(true);
    expect(background.start('jobs/b', 'Service/jobs/b-ui-svc', heldCreate().create)).toBe(true);
    expect(background.start('jobs/c', 'Service/jobs/c-ui-svc', heldCreate().create)).toBe(false);
    expect(background.size).toBe(2);
  });

  test('a failed create is logged and its owner queued again after a second', async () => {
    // GIVEN
    const clock = new FakeClock();
    const warnings: unknown[] = [];
    const log = { ...SILENT, warn: (message: string, fields?: unknown) => warnings.push({ message, fields }) };
    const retried: string[] = [];
    const background = new BackgroundCreates(clock, log, (owner) => retried.push(owner));
    const held = heldCreate();
    background.start('jobs/pi', 'Service/jobs/pi-ui-svc', held.create);

    // WHEN
    held.fail(new Error('etcdserver: request timed out'));
    await settle();

    // THEN
    expect(warnings).toEqual([{
      message: 'could not create an object in the background, retrying',
      fields: { owner: 'jobs/pi', object: 'Service/jobs/pi-ui-svc', error: 'Error: etcdserver: request timed out' },
    }]);
    expect(background.running('Service/jobs/pi-ui-svc')).toBe(false);
    expect(retried).toEqual([]);
    clock.advance(1000);
    expect(retried).toEqual(['jobs/pi']);
  });
});
