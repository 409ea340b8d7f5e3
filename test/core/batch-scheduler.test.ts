import {
  BATCH_SCHEDULING_OFF, batchSchedulerOf, executorMemoryMiB, formatMilliCpu, gangResources, initialExecutorCount, milliCpuOf, parseSparkVersion,
  podGroupName, registeredBatchSchedulers,
} from '../../src/core';

const SPARK_35 = parseSparkVersion('3.5.1')!;
const SPARK_40 = parseSparkVersion('4.0.5')!;

describe('which batch scheduler an application goes to', () => {
  const settings = { enabled: true, kubeSchedulerNames: ['sp-scheduler'], defaultBatchScheduler: 'yunikorn' };

  test.each([
    [{ batchScheduler: 'volcano' }, { kind: 'volcano', name: 'volcano' }],
    [{ batchScheduler: 'sp-scheduler' }, { kind: 'kube-scheduler', name: 'sp-scheduler' }],
    [{}, { kind: 'yunikorn', name: 'yunikorn' }],
    [{ batchScheduler: '' }, { kind: 'yunikorn', name: 'yunikorn' }],
  ])('%j: %j', (spec, choice) => {
    expect(batchSchedulerOf(spec, settings)).toEqual(choice);
  });

  test('none without a name and without a default, also with batch scheduling off', () => {
    expect(batchSchedulerOf({}, { enabled: true })).toEqual({ kind: 'none' });
    expect(batchSchedulerOf({}, BATCH_SCHEDULING_OFF)).toEqual({ kind: 'none' });
  });

  test('the names an operator knows: the built-in ones first, a kube-scheduler named like one counted once', () => {
    expect(registeredBatchSchedulers({ enabled: true, kubeSchedulerNames: ['volcano', 'sp'] })).toEqual(['volcano', 'yunikorn', 'sp']);
    expect(registeredBatchSchedulers({ enabled: false, kubeSchedulerNames: ['sp'] })).toEqual([]);
  });

  test('PodGroup names as upstream gives them', () => {
    expect(podGroupName({ kind: 'volcano', name: 'volcano' }, 'etl')).toBe('spark-etl-pg');
    expect(podGroupName({ kind: 'kube-scheduler', name: 'sp' }, 'etl')).toBe('etl-pg');
    expect(podGroupName({ kind: 'yunikorn', name: 'yunikorn' }, 'etl')).toBeUndefined();
  });
});

describe('the resources of a gang', () => {
  test.each([
    [{}, 2],
    [{ 'spark.executor.instances': '5' }, 5],
    [{ 'spark.dynamicAllocation.enabled': 'true' }, 0],
    [{ 'spark.dynamicAllocation.enabled': 'true', 'spark.dynamicAllocation.minExecutors': '2', 'spark.dynamicAllocation.initialExecutors': '4', 'spark.executor.instances': '3' }, 4],
    [{ 'spark.dynamicAllocation.enabled': 'false', 'spark.executor.instances': '1' }, 1],
  ])('initial executors of %j: %d (Spark\'s getInitialTargetExecutorNumber)', (conf, count) => {
    expect(initialExecutorCount(conf)).toBe(count);
  });

  test.each([['1', 1000], ['0.5', 500], ['500m', 500], ['1.0001', 1001], ['2.5m', 3], ['x', undefined]])('milli-cores of %s: %s', (text, milli) => {
    expect(milliCpuOf(text)).toBe(milli);
  });

  test('sums as the API server writes quantities', () => {
    expect(formatMilliCpu(3500)).toBe('3500m');
    expect(gangResources({ milliCpu: 1000, memoryMiB: 896 }, { milliCpu: 500, memoryMiB: 1408 }, 4)).toEqual({ cpu: '3', memory: `${896 + 4 * 1408}Mi` });
  });

  test('an executor\'s memory: memory, overhead, PySpark memory for Python, off-heap memory when enabled', () => {
    expect(executorMemoryMiB({}, 'java', SPARK_35)).toBe(1024 + 384);
    expect(executorMemoryMiB({ 'spark.executor.memory': '8g' }, 'java', SPARK_35)).toBe(8192 + 819);
    expect(executorMemoryMiB({ 'spark.executor.memory': '8g' }, 'python', SPARK_35)).toBe(8192 + 3276);
    expect(executorMemoryMiB({ 'spark.executor.memory': '1g', 'spark.executor.memoryOverhead': '100m', 'spark.executor.pyspark.memory': '200m' }, 'java', SPARK_35)).toBe(1124);
    expect(executorMemoryMiB({ 'spark.executor.memory': '1g', 'spark.executor.memoryOverhead': '100m', 'spark.executor.pyspark.memory': '200m' }, 'python', SPARK_35)).toBe(1324);
    expect(executorMemoryMiB({ 'spark.memory.offHeap.enabled': 'true', 'spark.memory.offHeap.size': '2g' }, 'java', SPARK_35)).toBe(1024 + 384 + 2048);
    expect(executorMemoryMiB({ 'spark.memory.offHeap.size': '2g' }, 'java', SPARK_35)).toBe(1024 + 384);
  });

  test('Spark 4 reads the overhead minimum from spark.executor.minMemoryOverhead; Spark 3 does not', () => {
    const conf = { 'spark.executor.minMemoryOverhead': '1g' };
    expect(executorMemoryMiB(conf, 'java', SPARK_40)).toBe(1024 + 1024);
    expect(executorMemoryMiB(conf, 'java', SPARK_35)).toBe(1024 + 384);
  });

  test('an unreadable value is named', () => {
    expect(executorMemoryMiB({ 'spark.executor.memory': 'lots' }, 'java', SPARK_35)).toEqual({
      key: 'spark.executor.memory', value: 'lots', message: 'must be a size as Spark reads it, such as 512m or 2g',
    });
  });
});
