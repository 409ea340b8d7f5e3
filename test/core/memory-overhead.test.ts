import { driverMemory, javaDoubleToString, parseSparkVersion } from '../../src/core';

const V35 = parseSparkVersion('3.5.9')!;
const V40 = parseSparkVersion('4.0.5')!;

// Totals checked against what spark-submit created in the parity captures (3.5.9 and 4.0.5).
describe('driverMemory', () => {
  test.each([
    ['512m JVM: 512 + the 384 MiB minimum', { 'spark.driver.memory': '512m' }, true, 896, 0.1],
    ['4g JVM: 4096 + trunc(0.1 x 4096)', { 'spark.driver.memory': '4g' }, true, 4505, 0.1],
    ['1g Python: factor 0.4', { 'spark.driver.memory': '1g' }, false, 1433, 0.4],
    ['2g R: factor 0.4', { 'spark.driver.memory': '2g' }, false, 2867, 0.4],
    ['unset memory is Spark\'s 1g', {}, true, 1408, 0.1],
    ['spark.kubernetes.memoryOverheadFactor 0.2 on 6g', { 'spark.driver.memory': '6g', 'spark.kubernetes.memoryOverheadFactor': '0.2' }, true, 7372, 0.2],
    ['an explicit memoryOverhead (no factor, no minimum)', { 'spark.driver.memory': '2g', 'spark.driver.memoryOverhead': '1g' }, true, 3072, 0.1],
    ['a plain memoryOverhead is MiB', { 'spark.driver.memory': '2g', 'spark.driver.memoryOverhead': '100' }, true, 2148, 0.1],
  ])('%s', (_, conf, jvm, totalMiB, defaultFactor) => {
    // WHEN
    const { memory } = driverMemory(conf, jvm, V35);

    // THEN
    expect(memory?.totalMiB).toBe(totalMiB);
    expect(memory?.defaultOverheadFactor).toBe(defaultFactor);
  });

  test('spark.driver.memoryOverheadFactor beats the Python default, which is still written back', () => {
    // GIVEN a Python application (python-driver-factor in the parity corpus)
    const conf = { 'spark.driver.memory': '3g', 'spark.driver.memoryOverheadFactor': '0.15' };

    // WHEN
    const { memory } = driverMemory(conf, false, V35);

    // THEN
    expect(memory).toEqual({ memoryMiB: 3072, overheadMiB: 460, totalMiB: 3532, overheadFactor: 0.15, defaultOverheadFactor: 0.4 });
  });

  test('spark.driver.minMemoryOverhead raises the minimum from Spark 4.0 and is ignored before', () => {
    // GIVEN
    const conf = { 'spark.driver.memory': '1g', 'spark.driver.minMemoryOverhead': '512m' };

    // THEN
    expect(driverMemory(conf, true, V40).memory?.totalMiB).toBe(1536);
    expect(driverMemory(conf, true, V35).memory?.totalMiB).toBe(1408);
  });

  test('reports the first value Spark could not read', () => {
    expect(driverMemory({ 'spark.driver.memory': 'lots' }, true, V35).unreadable)
      .toEqual({ key: 'spark.driver.memory', value: 'lots', message: 'must be a size as Spark reads it, such as 512m or 2g' });
    expect(driverMemory({ 'spark.kubernetes.memoryOverheadFactor': '-1' }, true, V35).unreadable)
      .toEqual({ key: 'spark.kubernetes.memoryOverheadFactor', value: '-1', message: 'must be a number greater than 0' });
  });
});

describe('javaDoubleToString', () => {
  test.each([
    [0.1, '0.1'], [0.4, '0.4'], [0.25, '0.25'], [1, '1.0'], [2, '2.0'], [0.0001, '1.0E-4'], [0.00015, '1.5E-4'], [12345678, '1.2345678E7'],
  ])('%d is written %s', (value, text) => {
    expect(javaDoubleToString(value)).toBe(text);
  });
});
