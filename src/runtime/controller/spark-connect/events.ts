/**
 * The Kubernetes Events of the SparkConnect controller. Upstream's SparkConnect controller records
 * none, so these are ours, named in the style of the SparkApplication ones.
 */
import { ConnectEventAction } from './types';

/** Every reason this controller records. */
export const CONNECT_EVENT_REASONS = {
  /** The server pod was created (first, after a spec change, or again after it was gone). */
  serverPodCreated: 'SparkConnectServerPodCreated',
  /** The server pod is ready: clients can connect. */
  ready: 'SparkConnectReady',
  /** The server pod runs but is not ready (Warning). */
  notReady: 'SparkConnectNotReady',
  /** The server pod is being deleted, or is gone, and the operator did not delete it; it is created again (Warning). */
  serverPodLost: 'SparkConnectServerPodLost',
  /** The server pod ended (Failed or Succeeded); it is replaced (Warning). */
  serverPodEnded: 'SparkConnectServerPodEnded',
  /** The spec or the labels changed: the server pod is replaced. */
  specChanged: 'SparkConnectSpecChanged',
  /** The spec is invalid, or a name it needs is taken: nothing is created (Warning). */
  failed: 'SparkConnectFailed',
} as const;

export function normal(reason: string, message: string): ConnectEventAction {
  return { type: 'event', eventType: 'Normal', reason, message };
}

export function warning(reason: string, message: string): ConnectEventAction {
  return { type: 'event', eventType: 'Warning', reason, message };
}
