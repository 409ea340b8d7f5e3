import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its private key, as PEM files. */
export interface CertPair {
  readonly cert: string;
  readonly key: string;
}

/** Every key and certificate the control plane needs; all paths. */
export interface Pki {
  readonly dir: string;
  /** The one CA: signs the serving certificate and every client certificate. */
  readonly ca: CertPair;
  /** kube-apiserver's serving certificate (loopback IPs, `kubernetes.default.svc`, the service IP). */
  readonly apiserver: CertPair;
  /** Client certificate of the test suite's admin: group `system:masters`. */
  readonly admin: CertPair;
  /** Client certificate of kube-controller-manager (`system:kube-controller-manager`). */
  readonly controllerManager: CertPair;
  /** Client certificate of kube-scheduler (`system:kube-scheduler`). */
  readonly scheduler: CertPair;
  /** Client certificate of kwok, which plays every kubelet: group `system:masters`. */
  readonly kwok: CertPair;
  /** Client certificate kube-apiserver shows a real kubelet (logs, exec): group `system:masters`. */
  readonly kubeletClient: CertPair;
  /** RSA key that signs service-account tokens, and its public half for verification. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

/** What goes into the kube-apiserver serving certificate. */
export interface PkiOptions {
  readonly serverIps: readonly string[];
  readonly serverDnsNames: readonly string[];
  /** @default 2 */
  readonly validDays?: number;
}

/**
 * Creates a throw-away PKI in `dir` with the `openssl` command (node cannot write X.509
 * certificates by itself). EC P-256 keys keep this well under a second.
 */
export async function createPki(dir: string, options: PkiOptions): Promise<Pki> {
  await assertOpenssl();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const days = String(options.validDays ?? 2);
  const file = (name: string) => path.join(dir, name);

  const config = writeOpensslConfig(dir, options.serverIps, options.serverDnsNames);
  const newKey = NEW_KEY;
  const ca: CertPair = { cert: file('ca.crt'), key: file('ca.key') };
  await openssl(['req', '-config', config, '-x509', ...newKey, '-keyout', ca.key, '-out', ca.cert,
    '-days', days, '-subj', '/CN=cdk8s-spark-e2e-ca', '-extensions', 'ca']);

  const issue = (name: string, subject: string, extensions: 'client' | 'server'): Promise<CertPair> =>
    issueCertificate(config, dir, name, subject, extensions, ca, days);

  const [apiserver, admin, controllerManager, scheduler, kwok, kubeletClient] = await Promise.all([
    issue('apiserver', '/CN=kube-apiserver', 'server'),
    issue('admin', '/O=system:masters/CN=cdk8s-spark-e2e-admin', 'client'),
    issue('kube-controller-manager', '/CN=system:kube-controller-manager', 'client'),
    issue('kube-scheduler', '/CN=system:kube-scheduler', 'client'),
    issue('kwok', '/O=system:masters/CN=kwok', 'client'),
    issue('apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', 'client'),
  ]);

  const serviceAccountKey = file('service-account.key');
  const serviceAccountPublicKey = file('service-account.pub');
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', serviceAccountKey]);
  await openssl(['pkey', '-in', serviceAccountKey, '-pubout', '-out', serviceAccountPublicKey]);

  for (const name of fs.readdirSync(dir)) {
    fs.chmodSync(path.join(dir, name), 0o600);
  }
  return { dir, ca, apiserver, admin, controllerManager, scheduler, kwok, kubeletClient, serviceAccountKey, serviceAccountPublicKey };
}

/**
 * Issues one more client certificate from the CA of a PKI made by {@link createPki} (its `dir`):
 * a kubelet's `system:node:<name>`, say. `subject` is openssl's `/O=group/CN=user`.
 */
export async function issueClientCertificate(pkiDir: string, name: string, subject: string, validDays = 2): Promise<CertPair> {
  const ca: CertPair = { cert: path.join(pkiDir, 'ca.crt'), key: path.join(pkiDir, 'ca.key') };
  const pair = await issueCertificate(path.join(pkiDir, 'openssl.cnf'), pkiDir, name, subject, 'client', ca, String(validDays));
  fs.chmodSync(pair.key, 0o600);
  return pair;
}

/** openssl's arguments for a new EC P-256 key without a passphrase: well under a second. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Writes the openssl configuration of the PKI in `dir` (its server extensions name `ips` and `dnsNames`); returns its path. */
function writeOpensslConfig(dir: string, ips: readonly string[], dnsNames: readonly string[]): string {
  const config = path.join(dir, 'openssl.cnf');
  fs.writeFileSync(
    config,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      '[ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign, digitalSignature',
      'subjectKeyIdentifier = hash',
      '[client]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = clientAuth',
      'authorityKeyIdentifier = keyid',
      '[server]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      'authorityKeyIdentifier = keyid',
      `subjectAltName = ${[...ips.map((ip) => `IP:${ip}`), ...dnsNames.map((d) => `DNS:${d}`)].join(', ')}`,
      '',
    ].join('\n'),
  );
  return config;
}

/** A new key and a certificate `name` in `dir`, signed by `ca`, with the `extensions` section of `config`. */
async function issueCertificate(config: string, dir: string, name: string, subject: string, extensions: 'client' | 'server', ca: CertPair,
  days: string): Promise<CertPair> {
  const pair = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  await openssl(['req', '-config', config, '-x509', ...NEW_KEY, '-keyout', pair.key, '-out', pair.cert,
    '-days', days, '-subj', subject, '-extensions', extensions, '-CA', ca.cert, '-CAkey', ca.key]);
  return pair;
}

/** A CA and a serving certificate it signed, for a TLS server of a test. */
export interface ServingPki {
  readonly ca: CertPair;
  readonly server: CertPair;
  /** Another serving certificate from the same CA, with a new key, as a rotation makes (`name` names its files). */
  issueServer(name: string): Promise<CertPair>;
}

/** A throw-away CA and a serving certificate for `ips` (a webhook served on loopback), in `dir`. */
export async function createServingPki(dir: string, ips: readonly string[], validDays = 2): Promise<ServingPki> {
  await assertOpenssl();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const days = String(validDays);
  const config = writeOpensslConfig(dir, ips, []);
  const ca: CertPair = { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  await openssl(['req', '-config', config, '-x509', ...NEW_KEY, '-keyout', ca.key, '-out', ca.cert, '-days', days, '-subj', '/CN=cdk8s-spark-e2e-webhook-ca', '-extensions', 'ca']);
  const issueServer = (name: string) => issueCertificate(config, dir, name, '/CN=127.0.0.1', 'server', ca, days);
  return { ca, server: await issueServer('server'), issueServer };
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.trim() || e.message}`);
  }
}

async function assertOpenssl(): Promise<void> {
  try {
    const { stdout } = await run('openssl', ['version']);
    const major = /^OpenSSL (\d+)\./.exec(stdout);
    if (!major || Number(major[1]) < 3) {
      throw new Error(`OpenSSL 3 or newer is needed for 'req -CA' (found: ${stdout.trim()})`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error("the 'openssl' command is needed to create the test PKI (Debian: apt-get install openssl)");
    }
    throw err;
  }
}
