import * as fc from 'fast-check';
import { trimApplication, trimPod, trimScheduledApplication, trimService } from '../../../src/runtime/controller/trim';
import { KubeObject } from '../../../src/runtime/kube/informer';

const TRIMS = { trimApplication, trimScheduledApplication, trimService, trimPod };

describe('trims', () => {
  test.each(Object.entries(TRIMS))('%s never throws on junk and always gives metadata', (_name, trim) => {
    // GIVEN any JSON-ish value, or an object with any metadata and status WHEN trimmed THEN no exception, and metadata is an object
    const junk = fc.oneof(fc.anything(), fc.record({ metadata: fc.anything(), status: fc.anything(), spec: fc.anything() }));
    fc.assert(fc.property(junk, (value) => {
      const trimmed = trim(value as KubeObject);
      expect(typeof trimmed.metadata).toBe('object');
    }));
  });

  test('a pod whose conditions are not a list keeps no conditions', () => {
    // GIVEN a pod with conditions and container statuses of the wrong types
    const pod = { metadata: { name: 'p', namespace: 'ns', resourceVersion: '1' }, status: { phase: 'Running', conditions: 'Ready', containerStatuses: [7, { name: 'spark' }] } };
    // WHEN trimmed THEN the junk is left out and the rest kept
    expect(trimPod(pod).status).toEqual({
      phase: 'Running',
      reason: undefined,
      message: undefined,
      podIP: undefined,
      conditions: [],
      containerStatuses: [{ name: 'spark', state: undefined }],
    });
  });

  test('metadata fields of the wrong type are left out', () => {
    // GIVEN metadata whose name is a number and labels a list WHEN trimmed THEN those are undefined
    const trimmed = trimService({ metadata: { name: 5, namespace: 'ns', labels: ['a'], resourceVersion: '3' } } as unknown as KubeObject);
    expect(trimmed.metadata).toMatchObject({ name: undefined, namespace: 'ns', labels: undefined, resourceVersion: '3' });
  });

  test('an application keeps its spec and status', () => {
    // GIVEN an application with managedFields WHEN trimmed THEN spec and status are kept, managedFields dropped
    const app = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'a', managedFields: [{}] }, spec: { type: 'Scala' }, status: { applicationState: { state: 'RUNNING' } } };
    const trimmed = trimApplication(app as unknown as KubeObject);
    expect(trimmed.spec).toEqual({ type: 'Scala' });
    expect(trimmed.status).toEqual({ applicationState: { state: 'RUNNING' } });
    expect(trimmed.metadata).not.toHaveProperty('managedFields');
  });
});
