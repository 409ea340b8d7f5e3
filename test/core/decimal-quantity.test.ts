import { canonicalCpu, canonicalDecimalQuantity, parseSparkVersion, sparkHasFeature, sparkVersionAtLeast } from '../../src/core';

describe('canonicalDecimalQuantity', () => {
  test.each([
    ['1', '1'], ['2', '2'], ['1.5', '1500m'], ['0.5', '500m'], ['500m', '500m'], ['1500m', '1500m'], ['1000m', '1'],
    ['0.0001', '1m'], ['1.2m', '2m'], ['2000', '2k'], ['0', '0'], [' 3 ', '3'],
  ])('%j is stored as %j', (text, canonical) => {
    expect(canonicalDecimalQuantity(text)).toBe(canonical);
  });

  test('leaves notations it does not read to the API server', () => {
    expect(canonicalDecimalQuantity('1e3')).toBeUndefined();
    expect(canonicalCpu('1e3')).toBe('1e3');
    expect(canonicalCpu('1200m')).toBe('1200m');
  });
});

describe('Spark versions', () => {
  test('reads major.minor.patch with any suffix', () => {
    expect(parseSparkVersion('4.0.0-preview2')).toEqual({ major: 4, minor: 0, patch: 0 });
    expect(parseSparkVersion('latest')).toBeUndefined();
  });

  test('compares by major and minor', () => {
    const v = parseSparkVersion('3.5.9')!;
    expect(sparkVersionAtLeast(v, 3, 4)).toBe(true);
    expect(sparkVersionAtLeast(v, 3, 5)).toBe(true);
    expect(sparkVersionAtLeast(v, 4, 0)).toBe(false);
  });

  test('knows which release brought which behaviour', () => {
    expect(sparkHasFeature(parseSparkVersion('3.3.4')!, 'driverServiceIpFamilies')).toBe(false);
    expect(sparkHasFeature(parseSparkVersion('3.4.0')!, 'driverServiceIpFamilies')).toBe(true);
    expect(sparkHasFeature(parseSparkVersion('3.5.9')!, 'hostPathVolumeType')).toBe(false);
    expect(sparkHasFeature(parseSparkVersion('4.1.0')!, 'minMemoryOverheadConf')).toBe(true);
  });
});
