/**
 * Kubernetes Events on the objects the operator manages, so that `kubectl describe` tells the story
 * (the controller's RBAC: core/v1 events `create`, `patch`). Event names are unique per call; a
 * failure to record one is logged and never fails the reconcile.
 */
import { randomBytes } from 'node:crypto';
import { EVENTS, pathOf } from './resources';
import { RestClient } from './rest';
import { Logger } from '../telemetry/log';

/** The object an Event is about. */
export interface EventSubject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly uid?: string; readonly resourceVersion?: string };
}

/** Writes Events as the component `spark-operator`. */
export class EventRecorder {
  constructor(private readonly rest: RestClient, private readonly log: Logger, private readonly now: () => Date) {}

  /** Records an Event of `type` (`Normal` or `Warning`) with a CamelCase `reason` on `subject`. */
  public async record(subject: EventSubject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = subject.metadata.namespace ?? 'default';
    const time = this.now().toISOString();
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${subject.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: subject.apiVersion,
        kind: subject.kind,
        name: subject.metadata.name,
        namespace,
        uid: subject.metadata.uid,
        resourceVersion: subject.metadata.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: 'spark-operator' },
      reportingComponent: 'spark-operator',
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    };
    try {
      await this.rest.request('POST', pathOf(EVENTS, namespace), { body: event });
    } catch (error) {
      this.log.warn('could not record an event', { namespace, name: subject.metadata.name, reason, error: String(error) });
    }
  }
}
