import { microTime } from '../../../src/core';
import { nextLeaseStep, releasedLease } from '../../../src/runtime/leader/lease-step';

const NOW = Date.parse('2026-12-01T10:00:00.123Z');
const base = { identity: 'me', nowMs: NOW, observedAtMs: NOW, leaseDurationSeconds: 15 };

describe('nextLeaseStep', () => {
  test('no Lease: create it, held by us from now', () => {
    expect(nextLeaseStep(base)).toEqual({
      kind: 'create',
      record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2026-12-01T10:00:00.123000Z', renewTime: '2026-12-01T10:00:00.123000Z', leaseTransitions: 0 },
    });
  });

  test('our own Lease: renew it, keeping when we acquired it and the transitions', () => {
    const current = { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: 'a', renewTime: 'r', leaseTransitions: 3 };
    expect(nextLeaseStep({ ...base, current })).toEqual({
      kind: 'update',
      acquired: false,
      record: { ...current, renewTime: '2026-12-01T10:00:00.123000Z' },
    });
  });

  test('another holder: wait until we have seen its Lease unchanged for its duration, on our own clock', () => {
    const current = { holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: '2000-01-01T00:00:00.000000Z', leaseTransitions: 2 };
    // The renewTime is long past by the holder's clock; it does not matter: we saw the Lease change 14.999 s ago.
    expect(nextLeaseStep({ ...base, current, observedAtMs: NOW - 14_999 })).toEqual({ kind: 'wait', holder: 'other', expiresAtMs: NOW + 1 });
    expect(nextLeaseStep({ ...base, current, observedAtMs: NOW - 15_000 })).toEqual({
      kind: 'update',
      acquired: true,
      record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(NOW), renewTime: microTime(NOW), leaseTransitions: 3 },
    });
  });

  test('the holder\'s own lease duration counts, not ours', () => {
    const current = { holderIdentity: 'other', leaseDurationSeconds: 1 };
    expect(nextLeaseStep({ ...base, current, observedAtMs: NOW - 999 })).toMatchObject({ kind: 'wait', expiresAtMs: NOW + 1 });
    expect(nextLeaseStep({ ...base, current, observedAtMs: NOW - 1000 })).toMatchObject({ kind: 'update', acquired: true });
  });

  test('a released Lease (no holder) is taken at once, and counts a transition', () => {
    const released = releasedLease({ holderIdentity: 'other', leaseTransitions: 4 }, NOW - 10);
    expect(released).toEqual({ holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(NOW - 10), renewTime: microTime(NOW - 10), leaseTransitions: 4 });
    expect(nextLeaseStep({ ...base, current: released })).toMatchObject({ kind: 'update', acquired: true, record: { holderIdentity: 'me', leaseTransitions: 5 } });
  });
});

describe('microTime', () => {
  test('RFC 3339 in UTC with six fractional digits, as the Lease\'s MicroTime fields take it', () => {
    expect(microTime(Date.parse('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02T03:04:05.006000Z');
  });
});
