import * as fc from 'fast-check';
import { specFingerprint } from '../../../src/core';
import { cachedSpecChangeInvalidates } from '../../../src/runtime/controller/spark-application';
import {
  CACHED_SPEC_MAX_CHARS, trimApplication, trimConnect, trimKeepingSpec, trimPod, trimScheduledApplication, trimService,
} from '../../../src/runtime/controller/trim';
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

  test('a spec past the limit is left out; its length and fingerprint are kept', () => {
    // GIVEN an application whose sparkConf makes its spec 1.4 MB, with big annotations too
    const sparkConf = Object.fromEntries(Array.from({ length: 1400 }, (_, i) => [`spark.custom.key${i}`, 'v'.repeat(1000)]));
    const spec = { type: 'Scala', mainClass: 'Pi', sparkConf };
    const app = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'big', annotations: { note: 'n'.repeat(200_000) } }, spec, status: { applicationState: { state: 'RUNNING' } } };
    // WHEN trimmed for the cache
    const trimmed = trimApplication(app as unknown as KubeObject);
    // THEN the spec and the annotations are gone, the status stays, and what is kept is a few hundred characters
    expect(trimmed.spec).toBeUndefined();
    expect(trimmed.omittedSpec).toEqual({ chars: JSON.stringify(spec).length, fingerprint: specFingerprint(spec) });
    expect(trimmed.status).toEqual({ applicationState: { state: 'RUNNING' } });
    expect(JSON.stringify(trimmed).length).toBeLessThan(400);
    // AND read whole (as the reconciler reads it from the API server) the spec is kept
    expect(trimKeepingSpec(app as unknown as KubeObject).spec).toBe(spec);
  });

  test('a SparkConnect\'s spec past the limit is left out too; a small one is kept', () => {
    // GIVEN a SparkConnect whose server template carries 40 KiB of annotations, and a small one
    const template = { metadata: { annotations: { note: 'n'.repeat(40 * 1024) } }, spec: { containers: [{ name: 'spark-kubernetes-driver' }] } };
    const spec = { sparkVersion: '4.0.1', image: 'apache/spark:4.0.1', server: { template }, executor: {} };
    const connect = (s: unknown) => ({ apiVersion: 'sparkoperator.k8s.io/v1alpha1', kind: 'SparkConnect', metadata: { name: 'c' }, spec: s, status: { state: 'Ready' } });
    // WHEN trimmed for the cache
    const big = trimConnect(connect(spec) as unknown as KubeObject);
    const small = trimConnect(connect({ ...spec, server: {} }) as unknown as KubeObject);
    // THEN the large spec is its length and fingerprint, the status stays; the small one is kept
    expect(big.spec).toBeUndefined();
    expect(big.omittedSpec).toEqual({ chars: JSON.stringify(spec).length, fingerprint: specFingerprint(spec) });
    expect(big.status).toEqual({ state: 'Ready' });
    expect(small.spec).toEqual({ ...spec, server: {} });
    expect(small.omittedSpec).toBeUndefined();
  });

  test('a spec at the limit is kept whole', () => {
    // GIVEN a spec exactly CACHED_SPEC_MAX_CHARS long as JSON
    const base = { type: 'Scala', mainClass: '' };
    const spec = { ...base, mainClass: 'x'.repeat(CACHED_SPEC_MAX_CHARS - JSON.stringify(base).length) };
    expect(JSON.stringify(spec).length).toBe(CACHED_SPEC_MAX_CHARS);
    // WHEN trimmed THEN the spec stays; one character more and it is left out
    const kept = trimApplication({ metadata: {}, spec } as unknown as KubeObject);
    expect(kept.spec === spec && kept.omittedSpec === undefined).toBe(true);
    expect(trimApplication({ metadata: {}, spec: { ...spec, mainClass: `${spec.mainClass}y` } } as unknown as KubeObject).spec).toBeUndefined();
  });

  test('spec changes are told by fingerprint, whether the cache kept the spec or not', () => {
    // GIVEN a large spec, the same spec with one argument changed, and the same spec with only suspend changed
    const large = { type: 'Scala', mainClass: 'Pi', arguments: ['a'.repeat(CACHED_SPEC_MAX_CHARS)] };
    const cachedOf = (spec: object) => trimApplication({ metadata: { name: 'a' }, spec } as unknown as KubeObject);
    // WHEN compared as the cache holds them THEN only the real change invalidates the run
    expect(cachedSpecChangeInvalidates(cachedOf(large), cachedOf({ ...large, arguments: ['b'] }))).toBe(true);
    expect(cachedSpecChangeInvalidates(cachedOf(large), cachedOf({ ...large, suspend: true }))).toBe(false);
    // AND a small spec compared with the same spec grown past the limit is a change; with itself, none
    expect(cachedSpecChangeInvalidates(cachedOf({ type: 'Scala' }), cachedOf(large))).toBe(true);
    expect(cachedSpecChangeInvalidates(cachedOf({ type: 'Scala' }), cachedOf({ type: 'Scala', suspend: false }))).toBe(false);
  });
});
