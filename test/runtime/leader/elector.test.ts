import { Logger } from '../../../src/kube/log';
import { LeaderElector } from '../../../src/runtime/leader/elector';
import { LeaseRecord } from '../../../src/runtime/leader/lease-step';
import { LeaseStore, StoredLease } from '../../../src/runtime/leader/lease-store';
import { FakeClock, settle } from '../fake-clock';

const TIMING = { leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 };
const QUIET: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } as unknown as Logger;

/** One Lease in memory, with the API server's create and compare-and-swap rules, and a switch to cut a replica off. */
class MemoryLease {
  public lease?: StoredLease;
  private version = 0;
  public readonly cutOff = new Set<string>();

  public storeFor(identity: string): LeaseStore {
    const reachable = () => {
      if (this.cutOff.has(identity)) throw new Error(`${identity} cannot reach the API server`);
    };
    return {
      description: 'ops/lock',
      read: async () => { reachable(); return this.lease; },
      create: async (spec: LeaseRecord) => {
        reachable();
        if (this.lease) throw new Error('AlreadyExists');
        return this.write(spec);
      },
      replace: async (current: StoredLease, spec: LeaseRecord) => {
        reachable();
        if (this.lease?.resourceVersion !== current.resourceVersion) throw new Error('Conflict');
        return this.write(spec);
      },
    };
  }

  private write(spec: LeaseRecord): StoredLease {
    this.lease = { resourceVersion: String(++this.version), spec };
    return this.lease;
  }
}

function replica(clock: FakeClock, lease: MemoryLease, identity: string) {
  const events: string[] = [];
  const elector = new LeaderElector({
    store: lease.storeFor(identity),
    clock,
    log: QUIET,
    identity,
    timing: TIMING,
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: (reason) => events.push(`stopped: ${reason}`),
    random: () => 0,
  });
  return { elector, events };
}

/** Moves the clock in retry-sized steps, letting each try's promises settle. */
async function run(clock: FakeClock, seconds: number): Promise<void> {
  for (let t = 0; t < seconds * 10; t++) {
    clock.advance(100);
    await settle();
  }
}

/** Replicas a and b on one Lease: a starts first (and leads), b a moment later; then `seconds` pass. */
async function twoReplicas(seconds: number) {
  const clock = new FakeClock();
  const lease = new MemoryLease();
  const a = replica(clock, lease, 'a');
  const b = replica(clock, lease, 'b');
  a.elector.start();
  await run(clock, 0.1);
  b.elector.start();
  await run(clock, seconds);
  return { clock, lease, a, b };
}

describe('LeaderElector', () => {
  test('the first replica leads at once; a second stands by while the leader renews', async () => {
    const { lease, a, b } = await twoReplicas(60);
    expect(a.events).toEqual(['started']);
    expect(a.elector.mayAct()).toBe(true);
    expect(b.events).toEqual([]);
    expect(b.elector.status).toBe('standby');
    expect(lease.lease?.spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0 });
  });

  test('a leader cut off from the API server stops acting at the renew deadline, before the standby can take over', async () => {
    const { clock, lease, a, b } = await twoReplicas(5);
    // WHEN a loses the API server right after a renewal
    const renewedAt = clock.now().getTime();
    lease.cutOff.add('a');
    let aStoppedAt: number | undefined;
    let bStartedAt: number | undefined;
    for (let t = 0; t < 300 && bStartedAt === undefined; t++) {
      clock.advance(100);
      await settle();
      if (aStoppedAt === undefined && !a.elector.mayAct()) aStoppedAt = clock.now().getTime();
      if (bStartedAt === undefined && b.events.includes('started')) bStartedAt = clock.now().getTime();
    }
    // THEN a stopped within the renew deadline of its last renewal (at most one retry period before the cut)
    expect(a.events).toEqual(['started', 'stopped: the lease was not renewed within 10s']);
    expect(aStoppedAt! - renewedAt).toBeLessThanOrEqual(10_000);
    expect(aStoppedAt! - renewedAt).toBeGreaterThan(10_000 - 2_000);
    // AND b took over only after a had stopped, within the lease duration (plus one retry) of the last renewal
    expect(bStartedAt!).toBeGreaterThan(aStoppedAt!);
    expect(bStartedAt! - renewedAt).toBeLessThanOrEqual(15_000 + 2_000);
    expect(lease.lease?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  test('stop() releases the Lease, and the standby takes it at its next try', async () => {
    const { clock, lease, a, b } = await twoReplicas(5);
    await a.elector.stop();
    expect(a.elector.mayAct()).toBe(false);
    expect(lease.lease?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await run(clock, 2.1);
    expect(b.events).toEqual(['started']);
    // a stopped because it was asked to: no "stopped leading" callback
    expect(a.events).toEqual(['started']);
  });

  test('a leader that finds the Lease held by another stops at once', async () => {
    const clock = new FakeClock();
    const lease = new MemoryLease();
    const a = replica(clock, lease, 'a');
    a.elector.start();
    await run(clock, 1);
    lease.lease = { resourceVersion: 'x', spec: { holderIdentity: 'intruder', leaseDurationSeconds: 15 } };
    await run(clock, 2.1);
    expect(a.events).toEqual(['started', 'stopped: the lease is held by intruder']);
    expect(a.elector.mayAct()).toBe(false);
  });

  test('stop() of a standby changes nothing', async () => {
    const { clock, lease, b } = await twoReplicas(3);
    const before = lease.lease;
    await b.elector.stop();
    expect(lease.lease).toBe(before);
    expect(clock.pending).toBeGreaterThan(0); // a goes on renewing
  });

  describe('a Lease that cannot be had', () => {
    /** A store whose every request fails with `error`, and a replica on it that records its warnings and failed tries. */
    function failing(error: Error) {
      const clock = new FakeClock();
      const warnings: Array<Record<string, unknown>> = [];
      const codes: string[] = [];
      const log = { ...QUIET, warn: (_: string, fields: Record<string, unknown>) => warnings.push(fields) } as unknown as Logger;
      const fail = async (): Promise<never> => {
        throw error;
      };
      const elector = new LeaderElector({
        store: { description: 'ops/lock', read: fail, create: fail, replace: fail },
        clock,
        log,
        identity: 'a',
        timing: TIMING,
        onStartedLeading: () => undefined,
        onStoppedLeading: () => undefined,
        random: () => 0,
        onTryFailed: (code) => codes.push(code),
      });
      return { clock, elector, warnings, codes };
    }

    test('is reported with the API server\'s words after three failed tries, logged at warn once a minute, and counted by code', async () => {
      // GIVEN RBAC refuses the Lease
      const refused = Object.assign(new Error('leases.coordination.k8s.io "lock" is forbidden: User "x" cannot get resource "leases"'), { code: 403 });
      const { clock, elector, warnings, codes } = failing(refused);

      // WHEN the replica tries for a while
      elector.start();
      await run(clock, 2.1);
      const early = elector.problem;
      await run(clock, 60);

      // THEN
      expect(early).toBeUndefined();
      expect(elector.problem).toBe('cannot read the lease ops/lock: leases.coordination.k8s.io "lock" is forbidden: User "x" cannot get resource "leases"');
      expect(codes.length).toBeGreaterThanOrEqual(30);
      expect(new Set(codes)).toEqual(new Set(['403']));
      expect(warnings.length).toBe(2);
      expect(warnings[0]).toEqual({ lease: 'ops/lock', code: 403, error: refused.message, failedTries: 1 });
    });

    test('a try lost to another replica (409) is no problem', async () => {
      // GIVEN
      const { clock, elector, warnings, codes } = failing(Object.assign(new Error('Operation cannot be fulfilled: the object has been modified'), { code: 409 }));

      // WHEN
      elector.start();
      await run(clock, 20);

      // THEN
      expect(elector.problem).toBeUndefined();
      expect(warnings).toEqual([]);
      expect(codes).toEqual([]);
    });
  });
});
