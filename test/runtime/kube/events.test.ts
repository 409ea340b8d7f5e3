import { LogFields, Logger } from '../../../src/kube/log';
import { EventRecorder } from '../../../src/runtime/kube/events';

const APP = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'pi', namespace: 'jobs', uid: 'u-1', resourceVersion: '7' } };
const NOW = new Date('2026-12-07T10:00:00.000Z');

/** An API client whose answers the test releases one by one, in the order the requests came. */
class HeldRequests {
  public readonly sent: Array<{ method: string; path: string; body: any; answer: (error?: Error) => void }> = [];
  public readonly request = (method: string, path: string, options: { body?: unknown } = {}): Promise<any> =>
    new Promise((resolve, reject) => {
      this.sent.push({ method, path, body: options.body, answer: (error) => (error ? reject(error) : resolve(options.body)) });
    });
}

/** A logger that keeps its warnings. */
function recordingLogger(): Logger & { warnings: Array<{ message: string; fields?: LogFields }> } {
  const warnings: Array<{ message: string; fields?: LogFields }> = [];
  const logger: any = {
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    warn: (message: string, fields?: LogFields) => warnings.push({ message, fields }),
  };
  logger.with = () => logger;
  logger.warnings = warnings;
  return logger;
}

/** Lets the promise callbacks queued so far run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('EventRecorder', () => {
  test('record() returns at once; the Event is posted to the namespace of its subject in the background', async () => {
    // GIVEN
    const api = new HeldRequests();
    const recorder = new EventRecorder(api as any, recordingLogger(), () => NOW);

    // WHEN
    const returned = recorder.record(APP, 'Normal', 'SparkApplicationSubmitted', 'submitted pi');

    // THEN
    expect(returned).toBeUndefined();
    expect(recorder.pending).toBe(1);
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0].method).toBe('POST');
    expect(api.sent[0].path).toBe('/api/v1/namespaces/jobs/events');
    expect(api.sent[0].body).toMatchObject({
      involvedObject: { apiVersion: APP.apiVersion, kind: 'SparkApplication', name: 'pi', namespace: 'jobs', uid: 'u-1', resourceVersion: '7' },
      type: 'Normal',
      reason: 'SparkApplicationSubmitted',
      message: 'submitted pi',
      firstTimestamp: '2026-12-07T10:00:00.000Z',
      lastTimestamp: '2026-12-07T10:00:00.000Z',
      count: 1,
      source: { component: 'spark-operator' },
    });
    api.sent[0].answer();
    await recorder.whenSent();
    expect(recorder.pending).toBe(0);
  });

  test('at most maxInFlight are sent at once; the rest go out in the order they were recorded', async () => {
    // GIVEN
    const api = new HeldRequests();
    const recorder = new EventRecorder(api as any, recordingLogger(), () => NOW, { maxInFlight: 2 });

    // WHEN
    for (const reason of ['A', 'B', 'C', 'D']) recorder.record(APP, 'Normal', reason, reason);

    // THEN
    expect(api.sent.map((s) => s.body.reason)).toEqual(['A', 'B']);
    api.sent[1].answer();
    await settle();
    expect(api.sent.map((s) => s.body.reason)).toEqual(['A', 'B', 'C']);
    api.sent[0].answer(new Error('connection reset'));
    await settle();
    expect(api.sent.map((s) => s.body.reason)).toEqual(['A', 'B', 'C', 'D']);
    expect(recorder.pending).toBe(2);
  });

  test('a failed send is logged and the next Event is still sent', async () => {
    // GIVEN
    const api = new HeldRequests();
    const log = recordingLogger();
    const recorder = new EventRecorder(api as any, log, () => NOW, { maxInFlight: 1 });
    recorder.record(APP, 'Warning', 'SparkDriverFailed', 'driver failed');
    recorder.record(APP, 'Normal', 'SparkApplicationCompleted', 'done');

    // WHEN
    api.sent[0].answer(new Error('503 Service Unavailable'));
    await settle();

    // THEN
    expect(log.warnings).toEqual([{ message: 'could not record an event', fields: { namespace: 'jobs', name: 'pi', reason: 'SparkDriverFailed', error: 'Error: 503 Service Unavailable' } }]);
    expect(api.sent.map((s) => s.body.reason)).toEqual(['SparkDriverFailed', 'SparkApplicationCompleted']);
  });

  test('with the buffer full, an Event is dropped and counted; one warning per run of drops, and one with its count when they are sent', async () => {
    // GIVEN: one Event in flight and two buffered fill a buffer of two
    const api = new HeldRequests();
    const log = recordingLogger();
    let dropped = 0;
    const recorder = new EventRecorder(api as any, log, () => NOW, { maxInFlight: 1, maxBuffered: 2, onDropped: () => dropped++ });
    for (const reason of ['A', 'B', 'C']) recorder.record(APP, 'Normal', reason, reason);

    // WHEN
    recorder.record(APP, 'Normal', 'D', 'D');
    recorder.record(APP, 'Normal', 'E', 'E');

    // THEN
    expect(dropped).toBe(2);
    expect(log.warnings).toEqual([{ message: 'events buffer full: dropping events', fields: { namespace: 'jobs', name: 'pi', reason: 'D', maxBuffered: 2 } }]);
    for (let i = 0; i < 3; i++) {
      api.sent[i].answer();
      await settle();
    }
    await recorder.whenSent();
    expect(api.sent.map((s) => s.body.reason)).toEqual(['A', 'B', 'C']);
    expect(log.warnings[1]).toEqual({ message: 'events dropped while the buffer was full', fields: { dropped: 2 } });
  });

  test('whenSent() resolves at once when nothing is pending', async () => {
    const recorder = new EventRecorder(new HeldRequests() as any, recordingLogger(), () => NOW);
    await expect(recorder.whenSent()).resolves.toBeUndefined();
  });
});
