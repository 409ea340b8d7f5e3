import { APP_ID, RESOURCE_ID, build, sparkPi } from './fixtures';

describe('the headless driver Service (DriverServiceFeatureStep)', () => {
  test('takes service labels and annotations, after spark-app-selector', () => {
    // WHEN
    const service = build(sparkPi({ driver: { serviceLabels: { monitoring: 'enabled' }, serviceAnnotations: { 'service.example.com/scrape': 'true' } } })).service;

    // THEN
    expect(service.metadata.labels).toEqual({ 'spark-app-selector': APP_ID, 'monitoring': 'enabled' });
    expect(service.metadata.annotations).toEqual({ 'service.example.com/scrape': 'true' });
  });

  test('is <app>-<id>-driver-svc up to 63 characters (a 35-character application name)', () => {
    // WHEN
    const name = build(sparkPi({}, { name: 'a'.repeat(35) })).service.metadata.name!;

    // THEN
    expect(name).toBe(`${'a'.repeat(35)}-${RESOURCE_ID}-driver-svc`);
    expect(name).toHaveLength(63);
  });

  test('falls back to spark-<id>-driver-svc when that would pass 63 characters, as Spark does', () => {
    // WHEN
    const submission = build(sparkPi({}, { name: 'a'.repeat(36) }));

    // THEN
    expect(submission.service.metadata.name).toBe(`spark-${RESOURCE_ID}-driver-svc`);
    expect(submission.sparkProperties['spark.driver.host']).toBe(`spark-${RESOURCE_ID}-driver-svc.spark-jobs.svc`);
  });

  test('IP families from spark.kubernetes.driver.service.ipFamilyPolicy and .ipFamilies', () => {
    // WHEN
    const service = build(sparkPi({ sparkConf: { 'spark.kubernetes.driver.service.ipFamilyPolicy': 'PreferDualStack', 'spark.kubernetes.driver.service.ipFamilies': 'IPv6,IPv4' } })).service;

    // THEN
    expect([service.spec.ipFamilyPolicy, service.spec.ipFamilies]).toEqual(['PreferDualStack', ['IPv6', 'IPv4']]);
  });

  test('Spark before 3.4 sets no IP families', () => {
    // WHEN
    const service = build(sparkPi({ sparkVersion: '3.3.4' })).service;

    // THEN
    expect(service.spec).not.toHaveProperty('ipFamilyPolicy');
    expect(service.spec).not.toHaveProperty('ipFamilies');
  });
});
