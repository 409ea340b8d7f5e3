import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { BACKDATE_MS, createCa, createServingCertificate, serviceDnsNames } from '../../../../src/runtime/webhook/tls/certificates';
import { x509 } from '../../../../src/runtime/webhook/tls/x509';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY_MS = 24 * 3600 * 1000;
const NAMES = serviceDnsNames('spark-operator-webhook', 'spark-operator');

describe('serviceDnsNames', () => {
  test('names the Service in its namespace, short and fully qualified', () => {
    // THEN
    expect(NAMES).toEqual(['spark-operator-webhook.spark-operator.svc', 'spark-operator-webhook.spark-operator.svc.cluster.local']);
  });
});

describe('createCa', () => {
  test('makes a self-signed CA that may sign only end-entity certificates, valid from an hour ago for its lifetime', async () => {
    // WHEN
    const ca = await createCa('test CA', { now: NOW, lifetimeMs: 3650 * DAY_MS });
    // THEN
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=test CA');
    expect(cert.issuer).toBe('CN=test CA');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(ca.key))).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(new Date(cert.validFrom)).toEqual(new Date(NOW.getTime() - BACKDATE_MS));
    expect(new Date(cert.validTo)).toEqual(new Date(NOW.getTime() + 3650 * DAY_MS));
    const constraints = new x509.X509Certificate(ca.cert).getExtension(x509.BasicConstraintsExtension);
    expect({ ca: constraints?.ca, pathLength: constraints?.pathLength, critical: constraints?.critical })
      .toEqual({ ca: true, pathLength: 0, critical: true });
  });

  test('makes a new key each time', async () => {
    // WHEN
    const [a, b] = await Promise.all([createCa('a', { now: NOW, lifetimeMs: DAY_MS }), createCa('a', { now: NOW, lifetimeMs: DAY_MS })]);
    // THEN
    expect(a.key).not.toEqual(b.key);
    expect(new X509Certificate(a.cert).serialNumber).not.toEqual(new X509Certificate(b.cert).serialNumber);
  });
});

describe('createServingCertificate', () => {
  test('makes a server certificate for the names, signed by the CA, valid from an hour ago for its lifetime', async () => {
    // GIVEN
    const ca = await createCa('test CA', { now: NOW, lifetimeMs: 3650 * DAY_MS });
    // WHEN
    const serving = await createServingCertificate(ca, NAMES, { now: NOW, lifetimeMs: 365 * DAY_MS });
    // THEN
    const cert = new X509Certificate(serving.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe(`CN=${NAMES[0]}`);
    expect(cert.subjectAltName).toBe(NAMES.map((n) => `DNS:${n}`).join(', '));
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(serving.key))).toBe(true);
    expect(new Date(cert.validFrom)).toEqual(new Date(NOW.getTime() - BACKDATE_MS));
    expect(new Date(cert.validTo)).toEqual(new Date(NOW.getTime() + 365 * DAY_MS));
  });

  test('refuses to make a certificate without names', async () => {
    // GIVEN
    const ca = await createCa('test CA', { now: NOW, lifetimeMs: DAY_MS });
    // THEN
    await expect(createServingCertificate(ca, [], { now: NOW, lifetimeMs: DAY_MS })).rejects.toThrow(new Error('a serving certificate needs at least one DNS name'));
  });

  test('a TLS client that trusts the CA accepts it for each name', async () => {
    // GIVEN a server with a certificate made now
    const ca = await createCa('test CA', { now: new Date(), lifetimeMs: DAY_MS });
    const serving = await createServingCertificate(ca, NAMES, { now: new Date(), lifetimeMs: DAY_MS });
    const server = https.createServer({ cert: serving.cert, key: serving.key }, (_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const servername of NAMES) {
        // WHEN
        const body = await new Promise<string>((resolve, reject) => {
          https.get({ host: '127.0.0.1', port, servername, ca: ca.cert, path: '/', agent: false }, (res) => {
            let text = '';
            res.on('data', (c) => { text += c; });
            res.on('end', () => resolve(text));
          }).on('error', reject);
        });
        // THEN
        expect(body).toBe('ok');
      }
    } finally {
      server.close();
    }
  });
});
