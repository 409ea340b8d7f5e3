import {
  DNS_LABEL_MAX_LENGTH, defaultSparkLocalDir, driverConfigMapName, driverServiceName, podVolumeName,
  sparkAppNameLabel, sparkApplicationId, sparkResourceNamePrefix, submissionResourceId,
} from '../../src/core';

// The derivations are a contract: a running operator and its successor must name the same
// submission the same way, or a restart during an upgrade would submit twice. So they are pinned.
// (The submission id itself is submissionId(uid, attempt), tested with the other names.)
const SUBMISSION_ID = '1c8d3881-ec2b-490d-bec3-41f43022bcdd';

describe('ids derived from the submission id', () => {
  test('spark.app.id is spark- and 32 hex digits, as Spark draws it', () => {
    expect(sparkApplicationId(SUBMISSION_ID)).toBe('spark-d4f98f14639081a1dcbfd03ba67fc352');
  });

  test('the resource id has the 16 hex digits of Spark\'s uniqueID()', () => {
    expect(submissionResourceId(SUBMISSION_ID)).toBe('00d64f75d5845245');
  });

  test('the default local directory is /var/data/spark-<uuid>', () => {
    expect(defaultSparkLocalDir(SUBMISSION_ID)).toBe('/var/data/spark-84d5cd16-b595-41af-93bf-f59458ab5804');
  });
});

describe('sparkAppNameLabel', () => {
  test.each([
    [' Job+Spark-Pi 2021', 'job-spark-pi-2021'], // Spark's own KubernetesConfSuite case
    ['spark-pi', 'spark-pi'],
    ['a__b', 'a-b'],
    ['-edge-', 'edge'],
  ])('%j is labelled %j', (name, label) => {
    expect(sparkAppNameLabel(name)).toBe(label);
  });

  test('cuts to 63 characters before dropping a trailing dash', () => {
    // GIVEN a name whose 63rd character is a dash
    const name = `${'a'.repeat(62)}-tail`;

    // THEN
    expect(sparkAppNameLabel(name)).toBe('a'.repeat(62));
  });
});

describe('resource names', () => {
  test('the prefix is <app>-<id>, cleaned as Spark cleans it', () => {
    expect(sparkResourceNamePrefix('spark-pi', '00d64f75d5845245')).toBe('spark-pi-00d64f75d5845245');
    expect(sparkResourceNamePrefix('My_App', 'abc')).toBe('my-app-abc');
    expect(sparkResourceNamePrefix('9lives', 'abc')).toBe('xlives-abc');
  });

  test('the Service is <prefix>-driver-svc while that fits in 63 characters', () => {
    expect(driverServiceName('spark-pi-00d64f75d5845245', '00d64f75d5845245')).toBe('spark-pi-00d64f75d5845245-driver-svc');
  });

  test('a longer Service name falls back to spark-<id>-driver-svc, as Spark does', () => {
    // GIVEN a 60-character application name
    const prefix = sparkResourceNamePrefix('a-rather-long-application-name-near-the-limit-of-sixty-three', '00d64f75d5845245');

    // WHEN
    const name = driverServiceName(prefix, '00d64f75d5845245');

    // THEN
    expect(name).toBe('spark-00d64f75d5845245-driver-svc');
    expect(name.length).toBeLessThanOrEqual(DNS_LABEL_MAX_LENGTH);
  });

  test('the driver ConfigMap is spark-drv-<id>-conf-map', () => {
    expect(driverConfigMapName('00d64f75d5845245')).toBe('spark-drv-00d64f75d5845245-conf-map');
  });
});

describe('podVolumeName', () => {
  test('is <name><suffix> when that is a DNS-1123 label, as Spark names it', () => {
    expect(podVolumeName('db-credentials', '-volume')).toBe('db-credentials-volume');
  });

  test('cleans a dotted name and adds a hash of the original', () => {
    expect(podVolumeName('db.credentials', '-volume')).toBe('db-credentials-volume-88e56a8e');
  });

  test('shortens a long name to 63 characters with a hash', () => {
    // WHEN
    const name = podVolumeName('a'.repeat(60), '-vol');

    // THEN
    expect(name).toBe(`${'a'.repeat(54)}-18e9d121`);
    expect(name).toHaveLength(63);
  });
});
