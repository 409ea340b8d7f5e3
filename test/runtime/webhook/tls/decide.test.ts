import { CertificateAndKey, createCa, createServingCertificate, serviceDnsNames } from '../../../../src/runtime/webhook/tls/certificates';
import {
  TlsMaterial, certificatesOf, decideTls, desiredCaBundle, secretDataOf, trustedBundle,
} from '../../../../src/runtime/webhook/tls/decide';

const DAY_MS = 24 * 3600 * 1000;
const ISSUED = new Date('2026-12-01T00:00:00Z');
const NAMES = serviceDnsNames('op-webhook', 'ops');
const after = (days: number) => new Date(ISSUED.getTime() + days * DAY_MS);

let ca: CertificateAndKey;
let otherCa: CertificateAndKey;
let serving: CertificateAndKey;
let material: TlsMaterial;

beforeAll(async () => {
  ca = await createCa('op CA', { now: ISSUED, lifetimeMs: 3650 * DAY_MS });
  otherCa = await createCa('other CA', { now: ISSUED, lifetimeMs: 3650 * DAY_MS });
  serving = await createServingCertificate(ca, NAMES, { now: ISSUED, lifetimeMs: 365 * DAY_MS });
  material = { ca, serving };
});

describe('decideTls', () => {
  test('no Secret: make everything', () => {
    // THEN
    expect(decideTls(undefined, ISSUED, NAMES)).toEqual({ kind: 'create-all', reason: 'the Secret does not exist' });
  });

  test('a Secret of ours, fresh: use it as it is', () => {
    // THEN
    expect(decideTls(secretDataOf(material), after(1), NAMES)).toEqual({ kind: 'use', material: { ca, serving, previousCaCert: undefined } });
  });

  test('a serving certificate with more than a third of its lifetime left is kept', () => {
    // THEN eight months into a one-year certificate
    expect(decideTls(secretDataOf(material), after(240), NAMES).kind).toBe('use');
  });

  test('a serving certificate with less than a third of its lifetime left is renewed with the same CA', () => {
    // THEN nine months into a one-year certificate
    expect(decideTls(secretDataOf(material), after(270), NAMES)).toEqual({
      kind: 'renew-serving',
      ca,
      previousCaCert: undefined,
      reason: 'tls.crt expires at 2027-12-01T00:00:00.000Z, in less than a third of its lifetime',
    });
  });

  test('an expired serving certificate is renewed', () => {
    // THEN
    expect(decideTls(secretDataOf(material), after(400), NAMES)).toMatchObject({ kind: 'renew-serving', reason: 'tls.crt expired at 2027-12-01T00:00:00.000Z' });
  });

  test('a serving certificate not yet valid (a clock far ahead wrote it) is renewed', async () => {
    // GIVEN
    const early = await createServingCertificate(ca, NAMES, { now: after(10), lifetimeMs: 365 * DAY_MS });
    // THEN
    expect(decideTls(secretDataOf({ ca, serving: early }), after(5), NAMES)).toMatchObject({
      kind: 'renew-serving', reason: 'tls.crt is not valid before 2026-12-10T23:00:00.000Z',
    });
  });

  test('a serving certificate for another Service is renewed', () => {
    // THEN
    expect(decideTls(secretDataOf(material), after(1), serviceDnsNames('renamed', 'ops'))).toMatchObject({
      kind: 'renew-serving', reason: 'tls.crt is not valid for renamed.ops.svc, renamed.ops.svc.cluster.local',
    });
  });

  test('a serving certificate signed by another CA is renewed', async () => {
    // GIVEN
    const foreign = await createServingCertificate(otherCa, NAMES, { now: ISSUED, lifetimeMs: 365 * DAY_MS });
    // THEN
    expect(decideTls(secretDataOf({ ca, serving: foreign }), after(1), NAMES)).toMatchObject({ kind: 'renew-serving', reason: 'tls.crt is not signed by ca.crt' });
  });

  test.each([
    ['tls.crt', 'tls.crt is missing'],
    ['tls.key', 'tls.key is missing'],
  ])('a Secret without %s has its serving certificate renewed', (key, reason) => {
    // GIVEN
    const data = secretDataOf(material);
    delete data[key];
    // THEN
    expect(decideTls(data, after(1), NAMES)).toMatchObject({ kind: 'renew-serving', reason });
  });

  test('a serving key that is not the certificate\'s is renewed', () => {
    // THEN
    expect(decideTls({ ...secretDataOf(material), 'tls.key': otherCa.key }, after(1), NAMES)).toMatchObject({
      kind: 'renew-serving', reason: 'tls.key is not the key of tls.crt',
    });
  });

  test.each([
    ['without ca.crt', { 'ca.crt': undefined }, 'ca.crt is missing'],
    ['without ca.key', { 'ca.key': undefined }, 'ca.key is missing'],
    ['garbage in ca.crt', { 'ca.crt': 'not a certificate' }, 'ca.crt is not a PEM certificate'],
    ['garbage in ca.key', { 'ca.key': 'not a key' }, 'ca.key is not a PEM private key'],
  ])('a Secret %s: make everything', (_, change, reason) => {
    // GIVEN
    const data = Object.fromEntries(Object.entries({ ...secretDataOf(material), ...change })
      .filter((entry): entry is [string, string] => entry[1] !== undefined));
    // THEN
    expect(decideTls(data, after(1), NAMES)).toEqual({ kind: 'create-all', previousCaCert: data['ca.crt'] === ca.cert ? ca.cert : undefined, reason });
  });

  test('a CA key that is not the CA\'s: make everything, and keep trusting the old CA for the replicas still serving with it', () => {
    // THEN
    expect(decideTls({ ...secretDataOf(material), 'ca.key': otherCa.key }, after(1), NAMES)).toEqual({
      kind: 'create-all', previousCaCert: ca.cert, reason: 'ca.key is not the key of ca.crt',
    });
  });

  test('a CA certificate that is not a CA: make everything', () => {
    // THEN
    expect(decideTls({ ...secretDataOf(material), 'ca.crt': serving.cert, 'ca.key': serving.key }, after(1), NAMES)).toEqual({
      kind: 'create-all', previousCaCert: undefined, reason: 'ca.crt is not a CA certificate',
    });
  });

  test('a CA with less than a third of its lifetime left: make everything, and keep trusting the old CA', () => {
    // THEN seven years into a ten-year CA
    expect(decideTls(secretDataOf(material), after(7 * 365), NAMES)).toEqual({
      kind: 'create-all', previousCaCert: ca.cert, reason: 'ca.crt expires at 2036-11-28T00:00:00.000Z, in less than a third of its lifetime',
    });
  });

  test('an expired CA: make everything, trusting it no longer', () => {
    // THEN
    expect(decideTls(secretDataOf(material), after(3651), NAMES)).toEqual({
      kind: 'create-all', previousCaCert: undefined, reason: 'ca.crt expired at 2036-11-28T00:00:00.000Z',
    });
  });

  test('the previous CA is carried along while it is valid, and dropped once it expired', async () => {
    // GIVEN a previous CA that expires in 100 days
    const previous = await createCa('old CA', { now: ISSUED, lifetimeMs: 100 * DAY_MS });
    const data = secretDataOf({ ...material, previousCaCert: previous.cert });
    // THEN
    expect(decideTls(data, after(1), NAMES)).toEqual({ kind: 'use', material: { ...material, previousCaCert: previous.cert } });
    expect(decideTls(data, after(101), NAMES)).toEqual({ kind: 'use', material: { ...material, previousCaCert: undefined } });
  });
});

describe('secretDataOf', () => {
  test('writes the keys ca.crt, ca.key, previous-ca.crt (when there is one), tls.crt, tls.key', () => {
    // THEN
    expect(Object.keys(secretDataOf(material))).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    expect(Object.keys(secretDataOf({ ...material, previousCaCert: otherCa.cert }))).toEqual(['ca.crt', 'ca.key', 'previous-ca.crt', 'tls.crt', 'tls.key']);
  });
});

describe('trustedBundle', () => {
  test('is the CA, then the previous CA', () => {
    // THEN
    expect(trustedBundle(material)).toBe(ca.cert);
    expect(certificatesOf(trustedBundle({ ...material, previousCaCert: otherCa.cert })).map((c) => c.subject)).toEqual(['CN=op CA', 'CN=other CA']);
  });
});

describe('desiredCaBundle', () => {
  test.each([
    ['no caBundle', undefined],
    ['an empty caBundle', ''],
    ['garbage', 'garbage'],
  ])('%s: ours', (_, current) => {
    // THEN
    expect(desiredCaBundle(ca.cert, current, after(1))).toBe(ca.cert);
  });

  test('a caBundle of an older CA not ours: ours only', async () => {
    // GIVEN
    const older = await createCa('older CA', { now: after(-10), lifetimeMs: 3650 * DAY_MS });
    // THEN
    expect(desiredCaBundle(ca.cert, older.cert, after(1))).toBe(ca.cert);
  });

  test('a newer valid CA than ours (another replica just made it) is kept in front of ours', async () => {
    // GIVEN
    const newer = await createCa('newer CA', { now: after(10), lifetimeMs: 3650 * DAY_MS });
    // WHEN
    const bundle = desiredCaBundle(ca.cert, newer.cert + ca.cert, after(11));
    // THEN
    expect(certificatesOf(bundle).map((c) => c.subject)).toEqual(['CN=newer CA', 'CN=op CA']);
  });

  test('a newer CA that expired is dropped', async () => {
    // GIVEN
    const newer = await createCa('newer CA', { now: after(10), lifetimeMs: DAY_MS });
    // THEN
    expect(desiredCaBundle(ca.cert, newer.cert, after(12))).toBe(ca.cert);
  });

  test('the bundle it wants is stable: asked again with it, it wants the same', async () => {
    // GIVEN
    const newer = await createCa('newer CA', { now: after(10), lifetimeMs: 3650 * DAY_MS });
    const bundle = desiredCaBundle(ca.cert, newer.cert, after(11));
    // THEN
    expect(desiredCaBundle(ca.cert, bundle, after(11))).toBe(bundle);
  });
});
