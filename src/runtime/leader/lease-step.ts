/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as Kubernetes' own controllers do it: the
 * pure decision of what one replica does with the Lease at one moment. The shell (`elector.ts`)
 * reads the Lease, asks `nextLeaseStep()`, and writes what it says with the Lease's
 * `resourceVersion`, so that of two replicas writing at once only one wins.
 *
 * A replica never trusts another's clock: a Lease held by someone else counts as expired only when
 * this replica has seen it unchanged for the lease duration on its own clock (`observedAtMs`).
 */
import { microTime } from '../../core';

/** The `spec` of a Lease, as the API server stores it. */
export interface LeaseRecord {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  /** MicroTime (RFC 3339 with six fractional digits). */
  readonly acquireTime?: string;
  /** MicroTime (RFC 3339 with six fractional digits). */
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

/** What a replica knows when it decides. */
export interface LeaseObservation {
  /** The Lease's spec, or undefined when there is no Lease yet. */
  readonly current?: LeaseRecord;
  /** When this replica first saw `current` as it is now (its own clock, ms). */
  readonly observedAtMs: number;
  /** This replica's identity (pod name and a random suffix). */
  readonly identity: string;
  readonly nowMs: number;
  /** The lease duration this replica writes, in seconds. */
  readonly leaseDurationSeconds: number;
}

/** What to do with the Lease now. */
export type LeaseStep =
  /** There is no Lease: create it, held by us. */
  | { readonly kind: 'create'; readonly record: LeaseRecord }
  /** Write `record`: a renewal of our own Lease, or (`acquired`) taking over a free or expired one. */
  | { readonly kind: 'update'; readonly record: LeaseRecord; readonly acquired: boolean }
  /** Another replica holds a valid Lease until at least `expiresAtMs` (our clock). */
  | { readonly kind: 'wait'; readonly holder: string; readonly expiresAtMs: number };

/** The next step of a replica that wants to lead (or keep leading). */
export function nextLeaseStep(observation: LeaseObservation): LeaseStep {
  const { current, identity, nowMs, leaseDurationSeconds } = observation;
  const now = microTime(nowMs);
  if (current === undefined) {
    return { kind: 'create', record: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } };
  }
  const holder = current.holderIdentity ?? '';
  if (holder === identity) {
    return { kind: 'update', acquired: false, record: { ...current, leaseDurationSeconds, renewTime: now } };
  }
  if (holder !== '') {
    // The holder's own duration: a releasing leader shortens it to hand over sooner.
    const expiresAtMs = observation.observedAtMs + (current.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    if (nowMs < expiresAtMs) return { kind: 'wait', holder, expiresAtMs };
  }
  return {
    kind: 'update',
    acquired: true,
    record: {
      holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: (current.leaseTransitions ?? 0) + 1,
    },
  };
}

/**
 * The Lease a stopping leader writes: no holder, so that a standby takes it at its next try
 * instead of waiting out the lease duration.
 */
export function releasedLease(current: LeaseRecord, nowMs: number): LeaseRecord {
  const now = microTime(nowMs);
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: current.leaseTransitions ?? 0 };
}
