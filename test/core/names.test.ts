import { sparkPi, sparkPiWith } from './fixtures';
import {
  driverIngressName, driverIngressServiceName, driverPodName, fitName, nameWithSuffix, scheduledRunName, shortHash,
  submissionId, uiIngressName, uiServiceName,
} from '../../src/core';

describe('names', () => {
  test('the driver pod: driver.podName, then sparkConf, then <app>-driver', () => {
    expect(driverPodName(sparkPi())).toBe('spark-pi-driver');
    expect(driverPodName(sparkPiWith((a) => { a.spec.sparkConf = { 'spark.kubernetes.driver.pod.name': 'from-conf' }; }))).toBe('from-conf');
    expect(driverPodName(sparkPiWith((a) => {
      a.spec.sparkConf = { 'spark.kubernetes.driver.pod.name': 'from-conf' };
      a.spec.driver.podName = 'from-field';
    }))).toBe('from-field');
  });

  test('short names are kept as upstream makes them', () => {
    expect(uiServiceName('spark-pi')).toBe('spark-pi-ui-svc');
    expect(uiIngressName('spark-pi')).toBe('spark-pi-ui-ingress');
    expect(driverIngressServiceName('spark-pi', 4041)).toBe('spark-pi-driver-4041');
    expect(driverIngressName('spark-pi', 4041)).toBe('spark-pi-ing-4041');
  });

  test('long names are cut to 63 characters with a hash of the whole name, keeping the suffix', () => {
    const app = 'a'.repeat(60);
    const name = uiServiceName(app);
    expect(name).toHaveLength(63);
    expect(name).toBe(`${'a'.repeat(47)}-${shortHash(`${app}-ui-svc`)}-ui-svc`);
    expect(uiServiceName(`${'a'.repeat(59)}b`)).not.toBe(name);
  });

  test('a cut never leaves a dash before the hash', () => {
    const name = fitName(`${'a'.repeat(53)}-${'b'.repeat(20)}`, 63);
    expect(name).toBe(`${'a'.repeat(53)}-${shortHash(`${'a'.repeat(53)}-${'b'.repeat(20)}`)}`);
    expect(nameWithSuffix('x', '-y')).toBe('x-y');
  });

  test('a scheduled run is <name>-<UnixNano of its due time>, the same for the same time', () => {
    const due = new Date('2026-12-01T02:00:00Z');
    expect(scheduledRunName('nightly', due)).toBe('nightly-1796090400000000000');
    expect(scheduledRunName('nightly', new Date(due.getTime()))).toBe(scheduledRunName('nightly', due));
  });
});

describe('submission ids', () => {
  test('UUID-shaped, the same for the same uid and attempt, different otherwise', () => {
    const id = submissionId('0b8f3c1e-uid', 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(submissionId('0b8f3c1e-uid', 1)).toBe(id);
    expect(submissionId('0b8f3c1e-uid', 2)).not.toBe(id);
    expect(submissionId('another-uid', 1)).not.toBe(id);
  });
});
