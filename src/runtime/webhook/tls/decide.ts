/**
 * What self-managed TLS does with the certificate Secret it finds, decided from its content and the
 * time alone: use it, renew the serving certificate, or make everything anew. And what the
 * `caBundle` of a webhook configuration should hold.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { CertificateAndKey } from './certificates';

/** The keys of the certificate Secret. */
export const SECRET_KEYS = {
  /** The CA that signs the serving certificate. */
  caCert: 'ca.crt',
  /** Its private key. */
  caKey: 'ca.key',
  /** The CA replaced last, trusted until it expires so that replicas still serving a certificate it signed are not refused. */
  previousCaCert: 'previous-ca.crt',
  /** The serving certificate (the key names of a `kubernetes.io/tls` Secret). */
  servingCert: 'tls.crt',
  /** Its private key. */
  servingKey: 'tls.key',
} as const;

/**
 * A certificate is renewed when less than this share of its lifetime (`notBefore` to `notAfter`)
 * remains: a one-year serving certificate about four months before it expires, a ten-year CA about
 * three years before.
 */
export const RENEW_WHEN_REMAINING = 1 / 3;

/** The usable content of the certificate Secret. */
export interface TlsMaterial {
  readonly ca: CertificateAndKey;
  /** The CA replaced last, while it is still valid. */
  readonly previousCaCert?: string;
  readonly serving: CertificateAndKey;
}

/** What to do with the Secret. */
export type TlsDecision =
  /** It is good as it is. */
  | { readonly kind: 'use'; readonly material: TlsMaterial }
  /** Keep its CA, sign a new serving certificate. */
  | { readonly kind: 'renew-serving'; readonly ca: CertificateAndKey; readonly previousCaCert?: string; readonly reason: string }
  /** Make a new CA and serving certificate; `previousCaCert` is the CA it replaces, when that one is still valid. */
  | { readonly kind: 'create-all'; readonly previousCaCert?: string; readonly reason: string };

/**
 * Decides what to do with the certificate Secret's `data` (decoded; `undefined` when there is no
 * Secret) at `now`, for a serving certificate valid for `dnsNames`. Never throws: anything it cannot
 * read is a reason to replace it.
 */
export function decideTls(data: Readonly<Record<string, string>> | undefined, now: Date, dnsNames: readonly string[]): TlsDecision {
  if (data === undefined) return { kind: 'create-all', reason: 'the Secret does not exist' };
  const ca = readPair(data, SECRET_KEYS.caCert, SECRET_KEYS.caKey);
  if (typeof ca === 'string') return { kind: 'create-all', previousCaCert: stillValid(data[SECRET_KEYS.caCert], now), reason: ca };
  const caProblem = !ca.cert.ca ? `${SECRET_KEYS.caCert} is not a CA certificate` : renewalProblem(SECRET_KEYS.caCert, ca.cert, now);
  if (caProblem) return { kind: 'create-all', previousCaCert: stillValid(data[SECRET_KEYS.caCert], now), reason: caProblem };
  const previousCaCert = stillValid(data[SECRET_KEYS.previousCaCert], now);
  const caPair = { cert: data[SECRET_KEYS.caCert], key: data[SECRET_KEYS.caKey] };
  const serving = readPair(data, SECRET_KEYS.servingCert, SECRET_KEYS.servingKey);
  const servingProblem = typeof serving === 'string' ? serving
    : !serving.cert.checkIssued(ca.cert) || !serving.cert.verify(ca.cert.publicKey) ? `${SECRET_KEYS.servingCert} is not signed by ${SECRET_KEYS.caCert}`
      : missingNames(serving.cert, dnsNames) ?? renewalProblem(SECRET_KEYS.servingCert, serving.cert, now);
  if (servingProblem) return { kind: 'renew-serving', ca: caPair, previousCaCert, reason: servingProblem };
  return {
    kind: 'use',
    material: { ca: caPair, previousCaCert, serving: { cert: data[SECRET_KEYS.servingCert], key: data[SECRET_KEYS.servingKey] } },
  };
}

/** The Secret's `data` (decoded) holding `material`. */
export function secretDataOf(material: TlsMaterial): Record<string, string> {
  return {
    [SECRET_KEYS.caCert]: material.ca.cert,
    [SECRET_KEYS.caKey]: material.ca.key,
    ...material.previousCaCert === undefined ? {} : { [SECRET_KEYS.previousCaCert]: material.previousCaCert },
    [SECRET_KEYS.servingCert]: material.serving.cert,
    [SECRET_KEYS.servingKey]: material.serving.key,
  };
}

/** The CA bundle clients of `material` trust: its CA, then the one it replaced while that is valid. */
export function trustedBundle(material: TlsMaterial): string {
  return [material.ca.cert, material.previousCaCert].filter((c): c is string => c !== undefined).map(withNewline).join('');
}

/**
 * The `caBundle` (PEM, not base64) a webhook should have, given our `trusted` bundle, the one it has
 * (`current`, PEM; empty or garbage when a sync recreated it) and `now`: ours, plus any valid CA in
 * it that is newer than all of ours. A replica that has not yet seen a CA another replica just made
 * must not take it out of the bundle again while that replica starts serving with it.
 */
export function desiredCaBundle(trusted: string, current: string | undefined, now: Date): string {
  const ours = certificatesOf(trusted);
  const newestOfOurs = Math.max(...ours.map((c) => Date.parse(c.validFrom)));
  const ourFingerprints = new Set(ours.map((c) => c.fingerprint256));
  const newer = certificatesOf(current ?? '').filter((c) => c.ca && !ourFingerprints.has(c.fingerprint256)
    && Date.parse(c.validFrom) > newestOfOurs && Date.parse(c.validTo) > now.getTime());
  return [...newer.map((c) => c.toString()), trusted].map(withNewline).join('');
}

/** The certificates of a PEM bundle; blocks that are not certificates are skipped. */
export function certificatesOf(bundle: string): X509Certificate[] {
  const blocks = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map(parseCertificate).filter((c): c is X509Certificate => c !== undefined);
}

/** Parses one PEM certificate; `undefined` when it is not one. */
export function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** The certificate of `certKey` and whether the key of `keyKey` is its own; or what is wrong. */
function readPair(data: Readonly<Record<string, string>>, certKey: string, keyKey: string): { cert: X509Certificate } | string {
  if (!data[certKey]) return `${certKey} is missing`;
  if (!data[keyKey]) return `${keyKey} is missing`;
  const cert = parseCertificate(data[certKey]);
  if (!cert) return `${certKey} is not a PEM certificate`;
  let key;
  try {
    key = createPrivateKey(data[keyKey]);
  } catch {
    return `${keyKey} is not a PEM private key`;
  }
  if (!cert.checkPrivateKey(key)) return `${keyKey} is not the key of ${certKey}`;
  return { cert };
}

/** Why `cert` must be replaced at `now` (expired, not yet valid, or near its end), if it must. */
function renewalProblem(name: string, cert: X509Certificate, now: Date): string | undefined {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const at = now.getTime();
  if (at >= to) return `${name} expired at ${new Date(to).toISOString()}`;
  if (at < from) return `${name} is not valid before ${new Date(from).toISOString()}`;
  if (to - at < (to - from) * RENEW_WHEN_REMAINING) return `${name} expires at ${new Date(to).toISOString()}, in less than a third of its lifetime`;
  return undefined;
}

function missingNames(cert: X509Certificate, dnsNames: readonly string[]): string | undefined {
  const names = new Set((cert.subjectAltName ?? '').split(',').map((s) => s.trim()).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)));
  const missing = dnsNames.filter((n) => !names.has(n));
  return missing.length === 0 ? undefined : `${SECRET_KEYS.servingCert} is not valid for ${missing.join(', ')}`;
}

/** `pem` when it is a certificate not yet expired at `now`. */
function stillValid(pem: string | undefined, now: Date): string | undefined {
  const cert = pem === undefined ? undefined : parseCertificate(pem);
  return cert !== undefined && cert.ca && Date.parse(cert.validTo) > now.getTime() ? withNewline(cert.toString()) : undefined;
}

function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
