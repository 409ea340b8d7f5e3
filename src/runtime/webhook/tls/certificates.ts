/**
 * The certificates of self-managed TLS: a CA of the webhook's own and a serving certificate it signs
 * for the webhook Service. Keys are ECDSA P-256, made and used by Node's WebCrypto; `@peculiar/x509`
 * writes the certificates (Node's crypto reads X.509 but cannot write it).
 */
import { randomBytes, randomInt, webcrypto } from 'node:crypto';
import { x509 } from './x509';

/** A certificate and its private key, both PEM. */
export interface CertificateAndKey {
  /** The certificate, PEM (`-----BEGIN CERTIFICATE-----`). */
  readonly cert: string;
  /** Its private key, PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  readonly key: string;
}

/** How long a new CA is valid: ten years. */
export const CA_LIFETIME_MS = 10 * 365 * 24 * 3600 * 1000;
/** How long a new serving certificate is valid: one year. */
export const SERVING_LIFETIME_MS = 365 * 24 * 3600 * 1000;
/**
 * How far back a new certificate's `notBefore` is set, so that an API server whose clock is a little
 * behind ours accepts it at once.
 */
export const BACKDATE_MS = 3600 * 1000;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** The DNS names the API server uses to call the webhook through its Service. */
export function serviceDnsNames(serviceName: string, serviceNamespace: string): string[] {
  return [`${serviceName}.${serviceNamespace}.svc`, `${serviceName}.${serviceNamespace}.svc.cluster.local`];
}

/** When a new certificate is valid. */
export interface Validity {
  /** The moment it is issued; `notBefore` is {@link BACKDATE_MS} earlier. */
  readonly now: Date;
  /** How long it is valid from `now`. */
  readonly lifetimeMs: number;
}

/**
 * A self-signed CA that may sign only end-entity certificates (path length 0).
 *
 * @param commonName its subject's CN, which names it in `openssl x509 -text` and in TLS errors
 */
export async function createCa(commonName: string, request: Validity): Promise<CertificateAndKey> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [commonName] }],
    notBefore: new Date(request.now.getTime() - BACKDATE_MS),
    notAfter: new Date(request.now.getTime() + request.lifetimeMs),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign + x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: `${cert.toString('pem')}\n`, key: await privateKeyPem(keys.privateKey) };
}

/**
 * A TLS server certificate for `dnsNames`, signed by `ca`. Its subject's CN is the first name (old
 * clients read it); the names themselves are in subjectAltName, which is what Go's TLS checks.
 */
export async function createServingCertificate(
  ca: CertificateAndKey, dnsNames: readonly string[], request: Validity,
): Promise<CertificateAndKey> {
  if (dnsNames.length === 0) throw new Error('a serving certificate needs at least one DNS name');
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.key), ALGORITHM, false, ['sign']);
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [{ CN: [dnsNames[0]] }],
    issuer: caCert.subject,
    notBefore: new Date(request.now.getTime() - BACKDATE_MS),
    notAfter: new Date(request.now.getTime() + request.lifetimeMs),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: `${cert.toString('pem')}\n`, key: await privateKeyPem(keys.privateKey) };
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

/** A random serial number of 16 bytes, positive and without a leading zero byte (RFC 5280 allows up to 20). */
function serialNumber(): string {
  return `${(1 + randomInt(7)).toString(16)}${randomBytes(16).toString('hex').slice(1)}`;
}
