import { UID, app } from './fixtures';
import { formatTime, specFingerprint, submissionId } from '../../../src/core';
import {
  nextSubmissionId, observedDriverPodName, sameStatus, shapeStatus, statusWorthWriting, specChangeInvalidates,
} from '../../../src/runtime/controller/spark-application';

describe('the status shape (upstream\'s Go types)', () => {
  test('a new application\'s status: driverInfo and applicationState present, both times null', () => {
    expect(shapeStatus(undefined)).toEqual({ lastSubmissionAttemptTime: null, terminationTime: null, driverInfo: {}, applicationState: { state: '' } });
  });

  test('empty strings, zero counters and an empty executor map are left out, keys in upstream\'s order', () => {
    const shaped = shapeStatus({
      submissionAttempts: 0,
      executionAttempts: 2,
      executorState: {},
      sparkApplicationId: '',
      submissionID: 'id',
      driverInfo: { podName: '', webUIPort: 0 },
      applicationState: { state: 'RUNNING', errorMessage: '' },
    });
    expect(shaped).toEqual({ submissionID: 'id', lastSubmissionAttemptTime: null, terminationTime: null, driverInfo: {}, applicationState: { state: 'RUNNING' }, executionAttempts: 2 });
    expect(Object.keys(shaped)).toEqual(['submissionID', 'lastSubmissionAttemptTime', 'terminationTime', 'driverInfo', 'applicationState', 'executionAttempts']);
  });

  test('sameStatus: an absent status is the empty one; key order does not matter; a change does', () => {
    expect(sameStatus(undefined, { driverInfo: {} })).toBe(true);
    expect(sameStatus({ driverInfo: {}, submissionAttempts: 1, submissionID: 'a' }, { submissionID: 'a', submissionAttempts: 1, driverInfo: {} })).toBe(true);
    expect(sameStatus({ driverInfo: {} }, { driverInfo: {}, submissionAttempts: 1 })).toBe(false);
  });

  describe('statusWorthWriting', () => {
    const submitted = {
      submissionID: 'a',
      applicationState: { state: 'SUBMITTED' as const },
      driverInfo: { podName: 'pi-driver', webUIServiceName: 'pi-ui-svc' },
    };
    const addresses = { webUIAddress: '10.96.0.12:4040', webUIPort: 4040, webUIIngressAddress: 'pi.example.com' };

    test('GIVEN a SUBMITTED status WHEN only the UI addresses arrive THEN they wait for the next write', () => {
      expect(statusWorthWriting(submitted, { ...submitted, driverInfo: { ...submitted.driverInfo, ...addresses } })).toBe(false);
    });

    test('GIVEN a SUBMITTED status WHEN the addresses come with another change THEN it is written', () => {
      const retried = { ...submitted, submissionAttempts: 1, driverInfo: { ...submitted.driverInfo, ...addresses } };
      expect(statusWorthWriting(submitted, retried)).toBe(true);
      const running = { ...submitted, applicationState: { state: 'RUNNING' as const }, driverInfo: { ...submitted.driverInfo, ...addresses } };
      expect(statusWorthWriting(submitted, running)).toBe(true);
    });

    test('GIVEN a RUNNING status WHEN only the UI address changes THEN it is written (a running driver serves its UI)', () => {
      const running = { ...submitted, applicationState: { state: 'RUNNING' as const } };
      expect(statusWorthWriting(running, { ...running, driverInfo: { ...running.driverInfo, webUIAddress: '10.96.0.12:4040' } })).toBe(true);
    });

    test('GIVEN no status WHEN SUBMITTED is decided without addresses THEN it is written; the same status is not', () => {
      expect(statusWorthWriting(undefined, submitted)).toBe(true);
      expect(statusWorthWriting(submitted, { ...submitted })).toBe(false);
    });
  });

  test('times are written as Kubernetes does: RFC 3339, whole seconds, UTC', () => {
    expect(formatTime(new Date('2026-03-04T05:06:07.891Z'))).toBe('2026-03-04T05:06:07Z');
  });
});

describe('spec changes (specChangeInvalidates)', () => {
  const spec = app().spec;

  test('the same spec is no change, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(spec).reverse());
    expect(specChangeInvalidates(spec, reordered)).toBe(false);
  });

  test('suspend and timeToLiveSeconds change nothing (upstream)', () => {
    expect(specChangeInvalidates(spec, { ...spec, suspend: true, timeToLiveSeconds: 60 })).toBe(false);
  });

  test('writing out a default changes nothing', () => {
    expect(specChangeInvalidates(spec, { ...spec, mode: 'cluster', restartPolicy: { type: 'Never' } })).toBe(false);
  });

  test('any other change invalidates', () => {
    expect(specChangeInvalidates(spec, { ...spec, arguments: ['1000'] })).toBe(true);
    expect(specChangeInvalidates(spec, { ...spec, executor: { ...spec.executor, instances: 3 } })).toBe(true);
    expect(specChangeInvalidates(spec, { ...spec, driverPodDisruptionBudget: true })).toBe(true);
  });

  test('garbage is compared without a crash', () => {
    expect(specChangeInvalidates(undefined, 'x')).toBe(true);
    expect(specFingerprint(null)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('submission ids', () => {
  test('are core\'s submissionId() of the uid and the spec fingerprint, for attempt submissionAttempts + 1', () => {
    const a = app();
    expect(nextSubmissionId(a, shapeStatus({ driverInfo: {}, submissionAttempts: 2 })))
      .toBe(submissionId(`${UID}/${specFingerprint(a.spec)}`, 3));
  });

  test('differ between attempts and between specs, never between calls', () => {
    const a = app();
    const one = nextSubmissionId(a, shapeStatus(undefined));
    expect(nextSubmissionId(a, shapeStatus(undefined))).toBe(one);
    expect(nextSubmissionId(a, shapeStatus({ driverInfo: {}, submissionAttempts: 1 }))).not.toBe(one);
    expect(nextSubmissionId(app(undefined, { arguments: ['x'] }), shapeStatus(undefined))).not.toBe(one);
    expect(nextSubmissionId(app(undefined, { suspend: true }), shapeStatus(undefined))).toBe(one);
  });
});

describe('observedDriverPodName', () => {
  test('the recorded driver pod, else the next submission\'s', () => {
    expect(observedDriverPodName(app({ driverInfo: { podName: 'recorded' } }))).toBe('recorded');
    expect(observedDriverPodName(app())).toBe('spark-pi-driver');
    expect(observedDriverPodName(app(undefined, { sparkConf: { 'spark.kubernetes.driver.pod.name': 'from-conf' } }))).toBe('from-conf');
    expect(observedDriverPodName({ ...app(), spec: undefined } as any)).toBe('spark-pi-driver');
  });
});
