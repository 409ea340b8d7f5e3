import { CreatedObjects, createdKeyOf } from '../../../src/runtime/controller/created-objects';
import { FakeClock } from '../fake-clock';

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'jobs', resourceVersion: '1' } });

describe('CreatedObjects', () => {
  test('an object is read back under its kind, namespace and name until forgotten', () => {
    // GIVEN a created pod remembered
    const created = new CreatedObjects(new FakeClock());
    created.remember('Pod', pod('pi-driver'));
    // THEN it is there under its key, and not under another kind's
    expect(created.get(createdKeyOf('Pod', 'jobs', 'pi-driver'))).toEqual(pod('pi-driver'));
    expect(created.get(createdKeyOf('Service', 'jobs', 'pi-driver'))).toBeUndefined();
    // WHEN the cache shows it (forget) THEN it is gone
    created.forget(createdKeyOf('Pod', 'jobs', 'pi-driver'));
    expect(created.get(createdKeyOf('Pod', 'jobs', 'pi-driver'))).toBeUndefined();
  });

  test('an object the cache never shows is forgotten after the time to live', () => {
    // GIVEN a pod remembered with a 60 s time to live
    const clock = new FakeClock();
    const created = new CreatedObjects(clock, 60_000);
    created.remember('Pod', pod('a'));
    // WHEN 60 s pass THEN it is still there; a moment later it is not, and its entry is gone
    clock.advance(60_000);
    expect(created.get(createdKeyOf('Pod', 'jobs', 'a'))).toBeDefined();
    clock.advance(1);
    expect(created.get(createdKeyOf('Pod', 'jobs', 'a'))).toBeUndefined();
    expect(created.size).toBe(0);
  });

  test('past the bound the oldest go first; the generation counts every remember', () => {
    // GIVEN room for 2
    const created = new CreatedObjects(new FakeClock(), 60_000, 2);
    // WHEN 3 are remembered, the first twice
    created.remember('Pod', pod('a'));
    created.remember('Pod', pod('b'));
    created.remember('Pod', pod('a'));
    created.remember('Pod', pod('c'));
    // THEN b (the oldest by its last remember) is gone, a and c stay, and 4 remembers were counted
    expect([...['a', 'b', 'c']].map((n) => created.get(createdKeyOf('Pod', 'jobs', n)) !== undefined)).toEqual([true, false, true]);
    expect(created.size).toBe(2);
    expect(created.generation).toBe(4);
  });
});
