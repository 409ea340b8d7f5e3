import { readFileSync } from 'fs';
import { join } from 'path';
import { OperatorImage } from '../src';
import { LIBRARY_VERSION } from '../src/version.generated';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('OperatorImage', () => {
  test('default() is the project repository tagged with the library version', () => {
    // WHEN
    const image = OperatorImage.default();
    // THEN
    expect(image.reference).toBe(`cdk8s-spark/cdk8s-spark-operator:${LIBRARY_VERSION}`);
    expect(image.repository).toBe(OperatorImage.DEFAULT_REPOSITORY);
    expect(image.tag).toBe(LIBRARY_VERSION);
    expect(image.digest).toBeUndefined();
  });

  test('fromTag() keeps the default repository', () => {
    // WHEN
    const image = OperatorImage.fromTag('1.4.0-rc.1');
    // THEN
    expect(image.reference).toBe('cdk8s-spark/cdk8s-spark-operator:1.4.0-rc.1');
  });

  test('fromDigest() pins the default repository to a digest', () => {
    // WHEN
    const image = OperatorImage.fromDigest(DIGEST);
    // THEN
    expect(image.reference).toBe(`cdk8s-spark/cdk8s-spark-operator@${DIGEST}`);
    expect(image.tag).toBeUndefined();
  });

  test('fromRepository() without a tag uses the library version', () => {
    // WHEN
    const image = OperatorImage.fromRepository('registry.example.com:5000/mirror/spark-operator');
    // THEN
    expect(image.reference).toBe(`registry.example.com:5000/mirror/spark-operator:${LIBRARY_VERSION}`);
  });

  test('fromRepository() with a tag', () => {
    // WHEN
    const image = OperatorImage.fromRepository('mirror/spark-operator', 'dev');
    // THEN
    expect(image.reference).toBe('mirror/spark-operator:dev');
  });

  test('fromRepositoryDigest() pins another repository', () => {
    // WHEN
    const image = OperatorImage.fromRepositoryDigest('registry.example.com/spark-operator', DIGEST);
    // THEN
    expect(image.reference).toBe(`registry.example.com/spark-operator@${DIGEST}`);
  });

  test('a bad tag is rejected', () => {
    // THEN
    expect(() => OperatorImage.fromTag('v1:2')).toThrow(new Error(
      '\'tag\' must be a valid image tag (letters, digits, \'_\', \'.\' and \'-\', at most 128 characters, not starting with \'.\' or \'-\') (got "v1:2")'));
  });

  test('a bad digest is rejected', () => {
    // THEN
    expect(() => OperatorImage.fromDigest('sha256:abc')).toThrow(new Error('\'digest\' must be \'sha256:\' followed by 64 lowercase hex digits (got "sha256:abc")'));
  });

  test('a repository with a tag is rejected', () => {
    // THEN
    expect(() => OperatorImage.fromRepository('mirror/spark-operator:1.0')).toThrow(new Error(
      '\'repository\' must be an image repository without tag or digest, e.g. \'registry.example.com/team/cdk8s-spark-operator\' (got "mirror/spark-operator:1.0")'));
  });
});

describe('library version', () => {
  test('src/version.generated.ts matches package.json (run the pre-compile task after a version change)', () => {
    // GIVEN
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf-8'));
    // THEN
    expect(LIBRARY_VERSION).toBe(pkg.version);
  });
});
