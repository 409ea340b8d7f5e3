/**
 * Kubernetes Events on the objects the operator manages, so that `kubectl describe` tells the story
 * (the controller's RBAC: core/v1 events `create`, `patch`). Event names are unique per call.
 *
 * Recording never waits on the API server: an Event is stamped with its time and put in a bounded
 * buffer, which a few requests at a time send in order, as client-go's event broadcaster does. So a
 * worker's reconcile is not a round trip longer for its Events, and an API server that is slow or
 * down costs Events (dropped when the buffer is full, counted and logged), never a blocked worker.
 */
import { randomBytes } from 'node:crypto';
import { EVENTS, pathOf } from './resources';
import { Logger } from '../../kube/log';
import { RestClient } from '../../kube/rest';

/** The object an Event is about. */
export interface EventSubject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly uid?: string; readonly resourceVersion?: string };
}

/** Events waiting to be sent, at most (client-go's broadcaster queues 1,000 too). */
export const MAX_BUFFERED_EVENTS = 1000;

/** Events being sent at the same time, at most. */
export const MAX_EVENTS_IN_FLIGHT = 4;

/** How {@link EventRecorder} is bounded and what it reports. */
export interface EventRecorderOptions {
  /** @default MAX_BUFFERED_EVENTS */
  readonly maxBuffered?: number;
  /** @default MAX_EVENTS_IN_FLIGHT */
  readonly maxInFlight?: number;
  /** Called for each Event dropped because the buffer was full. @default - only the log says so */
  readonly onDropped?: () => void;
}

/** An Event ready to be sent. */
interface PendingEvent {
  readonly namespace: string;
  readonly body: Record<string, unknown>;
}

/** Writes Events as the component `spark-operator`. */
export class EventRecorder {
  private readonly buffered: PendingEvent[] = [];
  private inFlight = 0;
  private droppedSinceLogged = 0;
  private readonly idle: Array<() => void> = [];
  private readonly maxBuffered: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly rest: Pick<RestClient, 'request'>,
    private readonly log: Logger,
    private readonly now: () => Date,
    private readonly options: EventRecorderOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? MAX_BUFFERED_EVENTS;
    this.maxInFlight = options.maxInFlight ?? MAX_EVENTS_IN_FLIGHT;
  }

  /**
   * Records an Event of `type` (`Normal` or `Warning`) with a CamelCase `reason` on `subject`, timed
   * now; it is sent in the background, after the Events recorded before it.
   */
  public record(subject: EventSubject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const namespace = subject.metadata.namespace ?? 'default';
    if (this.buffered.length >= this.maxBuffered) {
      this.dropped(namespace, subject.metadata.name, reason);
      return;
    }
    const time = this.now().toISOString();
    this.buffered.push({
      namespace,
      body: {
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
      },
    });
    this.sendMore();
  }

  /** Events recorded and not sent yet (buffered or being sent). */
  public get pending(): number {
    return this.buffered.length + this.inFlight;
  }

  /** Resolves once every Event recorded so far is sent (or given up). */
  public whenSent(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  private sendMore(): void {
    while (this.inFlight < this.maxInFlight && this.buffered.length > 0) {
      const event = this.buffered.shift()!;
      this.inFlight++;
      void this.send(event).finally(() => {
        this.inFlight--;
        this.sendMore();
        if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async send({ namespace, body }: PendingEvent): Promise<void> {
    try {
      await this.rest.request('POST', pathOf(EVENTS, namespace), { body });
    } catch (error) {
      const involved = body.involvedObject as { name?: string };
      this.log.warn('could not record an event', { namespace, name: involved.name, reason: body.reason, error: String(error) });
    }
  }

  /** Counts a dropped Event; logs the first of a run of drops, and the count when they stop. */
  private dropped(namespace: string, name: string | undefined, reason: string): void {
    this.options.onDropped?.();
    if (this.droppedSinceLogged++ === 0) {
      this.log.warn('events buffer full: dropping events', { namespace, name, reason, maxBuffered: this.maxBuffered });
      void this.whenSent().then(() => {
        this.log.warn('events dropped while the buffer was full', { dropped: this.droppedSinceLogged });
        this.droppedSinceLogged = 0;
      });
    }
  }
}
