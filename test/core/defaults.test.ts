import { sparkPi } from './fixtures';
import { applyDefaults } from '../../src/core';

describe('applyDefaults()', () => {
  test('fills what the upstream webhook fills, and nothing else', () => {
    // GIVEN a spec that leaves everything with a default unset
    const spec = { sparkVersion: '3.5.1', mainApplicationFile: 'local:///a.jar', driver: {}, executor: {} } as any;
    // WHEN
    const defaulted = applyDefaults(spec);
    // THEN
    expect(defaulted).toEqual({
      type: 'Scala',
      mode: 'cluster',
      sparkVersion: '3.5.1',
      mainApplicationFile: 'local:///a.jar',
      restartPolicy: { type: 'Never' },
      driver: { cores: 1, memory: '1g' },
      executor: { cores: 1, memory: '1g', instances: 1 },
    });
    expect(spec).toEqual({ sparkVersion: '3.5.1', mainApplicationFile: 'local:///a.jar', driver: {}, executor: {} });
  });

  test('keeps what is set, and leaves to sparkConf what sparkConf sets', () => {
    const spec = {
      ...sparkPi().spec,
      sparkConf: { 'spark.driver.cores': '2', 'spark.executor.memory': '4g', 'spark.executor.instances': '5' },
      driver: {},
      executor: { cores: 3 },
    };
    const defaulted = applyDefaults(spec);
    expect(defaulted.driver).toEqual({ memory: '1g' });
    expect(defaulted.executor).toEqual({ cores: 3 });
  });

  test('retry intervals default to 5 seconds unless the policy is Never', () => {
    expect(applyDefaults({ ...sparkPi().spec, restartPolicy: { type: 'OnFailure', onFailureRetries: 3 } }).restartPolicy).toEqual({
      type: 'OnFailure', onFailureRetries: 3, onFailureRetryInterval: 5, onSubmissionFailureRetryInterval: 5,
    });
    expect(applyDefaults({ ...sparkPi().spec, restartPolicy: { type: 'Always', onFailureRetryInterval: 30 } }).restartPolicy).toEqual({
      type: 'Always', onFailureRetryInterval: 30, onSubmissionFailureRetryInterval: 5,
    });
  });

  test('dynamic allocation: no default instance count, shuffle tracking on', () => {
    const defaulted = applyDefaults({ ...sparkPi().spec, executor: {}, dynamicAllocation: { enabled: true, maxExecutors: 4 } });
    expect(defaulted.executor).toEqual({ cores: 1, memory: '1g' });
    expect(defaulted.dynamicAllocation).toEqual({ enabled: true, maxExecutors: 4, shuffleTrackingEnabled: true });
  });

  test('the Prometheus exporter port and port name', () => {
    const monitoring = { exposeDriverMetrics: true, exposeExecutorMetrics: false, prometheus: { jmxExporterJar: '/j.jar' } };
    expect(applyDefaults({ ...sparkPi().spec, monitoring }).monitoring).toEqual({
      ...monitoring, prometheus: { jmxExporterJar: '/j.jar', port: 8090, portName: 'jmx-exporter' },
    });
  });

  test('applying the defaults twice changes nothing more', () => {
    const once = applyDefaults(sparkPi().spec);
    expect(applyDefaults(once)).toEqual(once);
  });
});
