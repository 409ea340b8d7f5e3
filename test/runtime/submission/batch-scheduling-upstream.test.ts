/**
 * Our submission against what the upstream operator (v2.5.2, from its Go module, with
 * `--enable-batch-scheduler --kube-scheduler-names=kube-scheduler`) created on a real API server for
 * its three batch-scheduler examples: `test/fixtures/batch-scheduler/upstream.json`, captured by
 * `test/e2e/capture-upstream-batch.ts`. Every difference is taken out here by name, with its
 * reason; `docs/submission.md`, "Batch schedulers", lists them too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_UID, OPTIONS, build } from './fixtures';
import { SparkApplication } from '../../../src/api';
import { applyDefaults, validateSparkApplication } from '../../../src/core';
import { Submission } from '../../../src/runtime/submission';

const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'batch-scheduler', 'upstream.json'), 'utf8'));
const WITH = { ...OPTIONS, batchScheduling: { enabled: true, kubeSchedulerNames: ['kube-scheduler'] } };

/** Our submission of the captured application `name`, defaulted as upstream's webhook defaults it. */
function ours(name: string): Submission {
  const app: SparkApplication = {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, namespace: 'batch-capture', uid: APP_UID },
    spec: applyDefaults(GOLDEN.applications[name].spec),
  };
  return build(app, WITH);
}

/** Upstream's PodGroup with the uid of our fixture's application. */
function upstreamPodGroup(name: string) {
  const group = GOLDEN.podGroups[name];
  return { ...group, metadata: { ...group.metadata, ownerReferences: group.metadata.ownerReferences.map((o: any) => ({ ...o, uid: APP_UID })) } };
}

/** The keys a batch scheduler reads, of a pod's labels or annotations. */
function schedulerKeys(map: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => k === 'queue' || k.startsWith('scheduling.') || k.startsWith('yunikorn.apache.org/')));
}

test('the golden file is upstream v2.5.2 with batch scheduling on, its webhook off', () => {
  expect(GOLDEN.capturedWith).toMatchObject({ operator: 'v2.5.2', flags: ['--enable-batch-scheduler', '--kube-scheduler-names=kube-scheduler'] });
  expect(Object.keys(GOLDEN.applications)).toEqual(['spark-pi-volcano', 'spark-pi-yunikorn', 'spark-pi-kube-scheduler']);
});

test.each(['spark-pi-volcano', 'spark-pi-yunikorn', 'spark-pi-kube-scheduler'])('upstream\'s %s passes the shared rules (the webhook admits it)', (name) => {
  const app = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name, namespace: 'batch-capture' }, spec: GOLDEN.applications[name].spec };
  expect(validateSparkApplication(app)).toEqual([]);
});

describe.each([
  ['spark-pi-volcano', { queue: 'default' }],
  ['spark-pi-kube-scheduler', {}],
])('%s: the PodGroup', (name, serverDefaults) => {
  test('is upstream\'s but for minResources, which are what the pods request', () => {
    // GIVEN
    const theirs = upstreamPodGroup(name);
    const mine = ours(name).podGroup!;
    // THEN the difference: upstream reads '512m' as a Kubernetes quantity (512 milli-bytes) and
    // leaves the overhead out; ours is Spark's request, 512 MiB + 384 MiB overhead, for 3 pods
    expect(theirs.spec.minResources).toEqual({ cpu: '3', memory: '1536m' });
    expect(mine.spec.minResources).toEqual({ cpu: '3', memory: '2688Mi' });
    // AND the rest is the same, once the API server has applied the CRD's defaults (Volcano's queue)
    const stored = { ...mine, spec: { ...serverDefaults, ...mine.spec, minResources: theirs.spec.minResources } };
    expect(stored).toEqual(theirs);
  });
});

describe('the driver pod\'s marks', () => {
  test('Volcano: the same group annotation', () => {
    const driver = ours('spark-pi-volcano').driverPod;
    expect(schedulerKeys(driver.metadata.annotations)).toEqual(schedulerKeys(GOLDEN.drivers['spark-pi-volcano'].annotations));
    expect(schedulerKeys(driver.metadata.labels)).toEqual(schedulerKeys(GOLDEN.drivers['spark-pi-volcano'].labels));
  });

  test('a kube-scheduler: the same pod-group label', () => {
    const driver = ours('spark-pi-kube-scheduler').driverPod;
    expect(schedulerKeys(driver.metadata.labels)).toEqual(schedulerKeys(GOLDEN.drivers['spark-pi-kube-scheduler'].labels));
    expect(schedulerKeys(driver.metadata.annotations)).toEqual(schedulerKeys(GOLDEN.drivers['spark-pi-kube-scheduler'].annotations));
  });

  test('YuniKorn: the same queue label, task group name and task groups (to the byte)', () => {
    const driver = ours('spark-pi-yunikorn').driverPod;
    expect(schedulerKeys(driver.metadata.labels)).toEqual(schedulerKeys(GOLDEN.drivers['spark-pi-yunikorn'].labels));
    expect(schedulerKeys(driver.metadata.annotations)).toEqual(schedulerKeys(GOLDEN.drivers['spark-pi-yunikorn'].annotations));
  });

  test('schedulerName: ours is the scheduler\'s; upstream\'s pod webhook sets it, and it was off in the capture', () => {
    for (const name of ['spark-pi-volcano', 'spark-pi-yunikorn', 'spark-pi-kube-scheduler']) {
      expect(GOLDEN.drivers[name].schedulerName).toBe('default-scheduler');
    }
    expect(['spark-pi-volcano', 'spark-pi-yunikorn', 'spark-pi-kube-scheduler'].map((n) => ours(n).driverPod.spec.schedulerName))
      .toEqual(['volcano', 'yunikorn', 'kube-scheduler']);
  });
});
