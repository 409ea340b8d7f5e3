/*
 * The webhook's TLS layer on the real control plane, run in this process with exactly the RBAC that
 * `SparkOperator` renders for the webhook ServiceAccount: self-managed replicas started together
 * agree on one CA in one Secret, keep the caBundle of both webhook configurations (created and
 * recreated as an Argo CD sync does) and swap in a renewed certificate; the API server itself
 * calls a webhook serving a certificate of ours; and TLS from files reloads a certificate that the
 * kubelet's atomic `..data` swap replaced, on a real HTTPS server.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { kubeConfigFromFile } from './harness/client';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { synthesizeOperator } from './harness/operator';
import { uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { WebhookTls } from '../../src';
import { WEBHOOK_CERT_DIR, WebhookOptions, parseArgs } from '../../src/core';
import { Clock, SYSTEM_CLOCK } from '../../src/kube/clock';
import { RestClient } from '../../src/kube/rest';
import { jsonLogger } from '../../src/runtime/telemetry/log';
import { CertificateAndKey, createCa, createServingCertificate } from '../../src/runtime/webhook/tls/certificates';
import { certificatesOf } from '../../src/runtime/webhook/tls/decide';
import { startFileTls } from '../../src/runtime/webhook/tls/files';
import { ServingTls, TlsSource, secureContextOptions } from '../../src/runtime/webhook/tls/source';
import { startWebhookTls } from '../../src/runtime/webhook/tls/start';

const cluster = new Cluster(readConnection());
const OPERATOR_NAME = uniqueName('tls-op');
const OPERATOR_NAMESPACE = uniqueName('tls-operator');
const JOB_NAMESPACE = uniqueName('tls-jobs');
const DAY_MS = 24 * 3600 * 1000;
/** A pass a second, so that the test takes seconds (the default is ten). */
const RESYNC_MS = 1_000;
const WEBHOOK_CONFIGURATION_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];
/** The kinds of the install this test applies: the webhook's identity and RBAC. */
const APPLIED_KINDS = ['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

const install = synthesizeOperator({ name: OPERATOR_NAME, namespace: OPERATOR_NAMESPACE, jobNamespaces: [JOB_NAMESPACE] });
const webhookDeploymentOf = (objects: any[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'webhook');
const webhookDeployment = webhookDeploymentOf(install);

/** The webhook options the webhook Deployment of `objects` runs with. */
function webhookArgsOf(objects: any[]): { options: WebhookOptions } {
  const parsed = parseArgs(webhookDeploymentOf(objects).spec.template.spec.containers[0].args);
  if (parsed.command !== 'webhook') throw new Error(`the webhook Deployment's arguments do not parse: ${JSON.stringify(parsed)}`);
  return parsed;
}
const flags: WebhookOptions = webhookArgsOf(install).options;
const configurations = install.filter((o) => WEBHOOK_CONFIGURATION_KINDS.includes(o.kind));
/** The webhooks of both configurations: a validating and a mutating one for each of the three kinds. */
const WEBHOOKS = configurations.reduce((n: number, c: any) => n + c.webhooks.length, 0);

/** Every replica's time, moved forward by the test (clocks of one cluster agree, more or less). */
let clockOffsetMs = 0;
const sharedClock: Clock = { now: () => new Date(Date.now() + clockOffsetMs), after: SYSTEM_CLOCK.after };
const logLines: Array<Record<string, unknown>> = [];
const log = jsonLogger('debug', (line) => logLines.push(JSON.parse(line)));
const sources: TlsSource[] = [];
const servers: https.Server[] = [];
let webhookRest: RestClient;

/** A webhook replica's TLS, started as the webhook Deployment's flags say, with its ServiceAccount's client. */
async function replica(name: string): Promise<TlsSource> {
  const source = await startWebhookTls(flags, { rest: () => webhookRest, clock: sharedClock, log: log.with({ replica: name }), resyncMs: RESYNC_MS });
  sources.push(source);
  return source;
}

/** An HTTPS server on loopback that serves with `source`'s certificate and follows its changes. */
async function httpsServer(source: TlsSource): Promise<number> {
  const server = https.createServer(secureContextOptions(source.current()), (_, res) => res.end('ok'));
  source.onChange((next) => server.setSecureContext(secureContextOptions(next)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * One TLS handshake that verifies the server against `ca` for `servername`; the SHA-256 fingerprint
 * of the certificate it presented. `inTheFuture`: the certificate was made at a clock moved forward,
 * so its validity is not checked (Node checks it at the real time), only its name and signature.
 */
function handshake(port: number, servername: string, ca: string, inTheFuture = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: !inTheFuture }, () => {
      const presented = socket.getPeerX509Certificate()!;
      socket.end();
      const issuer = certificatesOf(ca)[0];
      if (inTheFuture && !(presented.checkHost(servername) && presented.checkIssued(issuer) && presented.verify(issuer.publicKey))) {
        reject(new Error(`the certificate is not one of ${issuer.subject} for ${servername}`));
      }
      resolve(presented.fingerprint256);
    });
    socket.on('error', reject);
  });
}

const fingerprintOf = (pem: string) => certificatesOf(pem)[0].fingerprint256;
const secret = () => cluster.kubectlJson<any>(['get', 'secret', flags.tlsSecretName!, '-n', flags.tlsSecretNamespace!]);
const caBundlesOf = async (kind: string): Promise<Array<string | undefined>> => {
  const object = await cluster.kubectlJson<any>(['get', kind, flags.webhookConfigurationName!]);
  return object.webhooks.map((w: any) => (w.clientConfig.caBundle === undefined ? undefined : Buffer.from(w.clientConfig.caBundle, 'base64').toString('utf8')));
};
const allCaBundles = async () => (await Promise.all(WEBHOOK_CONFIGURATION_KINDS.map(caBundlesOf))).flat();

beforeAll(async () => {
  await cluster.createNamespace(JOB_NAMESPACE);
  await cluster.applyManifests(install.filter((o) => APPLIED_KINDS.includes(o.kind)), { serverSide: true });
  const serviceAccount = webhookDeployment.spec.template.spec.serviceAccountName;
  webhookRest = RestClient.fromKubeConfig(kubeConfigFromFile(await cluster.kubeconfigFor(OPERATOR_NAMESPACE, serviceAccount)));
}, 60_000);

afterAll(async () => {
  for (const s of sources) await s.stop();
  for (const s of servers) s.close();
  for (const kind of WEBHOOK_CONFIGURATION_KINDS) await cluster.kubectl(['delete', kind, flags.webhookConfigurationName!, '--ignore-not-found']);
  for (const o of install.filter((x) => ['ClusterRole', 'ClusterRoleBinding'].includes(x.kind))) await cluster.kubectl(['delete', o.kind, o.metadata.name, '--ignore-not-found']);
  await cluster.deleteNamespace(OPERATOR_NAMESPACE);
  await cluster.deleteNamespace(JOB_NAMESPACE);
}, 60_000);

describe('self-managed TLS with the webhook ServiceAccount\'s RBAC', () => {
  let a: TlsSource;
  let b: TlsSource;

  test('two replicas started at once share one CA and one serving certificate, in one Secret of the runtime', async () => {
    // WHEN
    [a, b] = await Promise.all([replica('a'), replica('b')]);
    // THEN
    expect(a.current()).toEqual(b.current());
    const stored = await secret();
    expect(stored.type).toBe('kubernetes.io/tls');
    expect(stored.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'cdk8s-spark', 'app.kubernetes.io/component': 'webhook', 'app.kubernetes.io/managed-by': 'cdk8s-spark-webhook',
    });
    expect(Object.keys(stored.data).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    const decoded = (key: string) => Buffer.from(stored.data[key], 'base64').toString('utf8');
    expect(a.current()).toEqual({ cert: decoded('tls.crt'), key: decoded('tls.key'), caBundle: decoded('ca.crt') });
    // one of them created it; the other either read it first or lost the create and read it then
    expect(logLines.filter((l) => l.msg === 'wrote the certificate Secret')).toHaveLength(1);
  });

  test('the certificate is valid for the Service\'s names under the CA', async () => {
    // GIVEN
    const port = await httpsServer(a);
    // THEN
    for (const name of [`${flags.serviceName}.${flags.serviceNamespace}.svc`, `${flags.serviceName}.${flags.serviceNamespace}.svc.cluster.local`]) {
      expect(await handshake(port, name, a.current().caBundle!)).toBe(fingerprintOf(a.current().cert));
    }
  });

  test('webhook configurations created after the webhook (Argo CD\'s last wave) get the CA as caBundle of every webhook', async () => {
    // WHEN they are created as the construct renders them, without caBundle
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: configurations }) });
    // THEN
    const ca = a.current().caBundle;
    await waitFor('both caBundles', async () => (await allCaBundles()).every((bundle) => bundle === ca), { timeoutMs: 10_000, intervalMs: 200 });
    // Three validating, two mutating (SparkConnect has nothing to default).
    expect(WEBHOOKS).toBe(5);
    expect(await allCaBundles()).toEqual(Array(WEBHOOKS).fill(ca));
  });

  test('webhook configurations recreated without caBundle get it back within seconds', async () => {
    // WHEN a sync deletes and recreates them
    const setBefore = logLines.filter((l) => l.msg === 'set the caBundle of the webhook configuration').length;
    for (const kind of WEBHOOK_CONFIGURATION_KINDS) await cluster.kubectl(['delete', kind, flags.webhookConfigurationName!]);
    await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: configurations }) });
    const recreatedAt = Date.now();
    // THEN
    const ca = a.current().caBundle;
    await waitFor('both caBundles again', async () => (await allCaBundles()).every((bundle) => bundle === ca), { timeoutMs: 10_000, intervalMs: 100 });
    // set again by the replicas (not left over: the recreated objects came without it)
    expect(logLines.filter((l) => l.msg === 'set the caBundle of the webhook configuration').length - setBefore).toBeGreaterThanOrEqual(2);
    process.stderr.write(`[webhook-tls] caBundle back ${Date.now() - recreatedAt} ms after the webhook configurations were recreated\n`);
  });

  test('nine months later the serving certificate is renewed with the same CA, and both replicas swap it in', async () => {
    // GIVEN
    const before = a.current();
    const port = await httpsServer(b);
    const changes: ServingTls[][] = [[], []];
    a.onChange((next) => changes[0].push(next));
    b.onChange((next) => changes[1].push(next));
    // WHEN
    clockOffsetMs = 270 * DAY_MS;
    // THEN
    await waitFor('both replicas to swap', () => changes.every((c) => c.length > 0), { timeoutMs: 15_000, intervalMs: 100 });
    const [renewedA, renewedB] = [changes[0].at(-1)!, changes[1].at(-1)!];
    expect(renewedA).toEqual(renewedB);
    expect(renewedA.cert).not.toBe(before.cert);
    expect(renewedA.caBundle).toBe(before.caBundle);
    expect(await allCaBundles()).toEqual(Array(WEBHOOKS).fill(before.caBundle));
    const servername = `${flags.serviceName}.${flags.serviceNamespace}.svc`;
    expect(await handshake(port, servername, before.caBundle!, true)).toBe(fingerprintOf(renewedA.cert));
    expect(logLines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});

describe('the API server (Go\'s TLS) calling a webhook that serves our certificate', () => {
  const probeConfiguration = uniqueName('tls-probe');
  afterAll(() => cluster.kubectl(['delete', 'validatingwebhookconfiguration', probeConfiguration, '--ignore-not-found']));

  test('accepts a serving certificate and caBundle made by our certificates module (failurePolicy Fail)', async () => {
    // GIVEN a webhook on loopback with a certificate for localhost, and a configuration that trusts its CA
    const ca = await createCa('probe CA', { now: new Date(), lifetimeMs: DAY_MS });
    const pair = await createServingCertificate(ca, ['localhost'], { now: new Date(), lifetimeMs: DAY_MS });
    const reviewed: string[] = [];
    const server = https.createServer(secureContextOptions(pair), (req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const review = JSON.parse(body);
        reviewed.push(review.request.name);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } }));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await cluster.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: probeConfiguration },
        webhooks: [{
          name: 'probe.cdk8s-spark.test',
          clientConfig: { url: `https://localhost:${port}/validate`, caBundle: Buffer.from(ca.cert).toString('base64') },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': JOB_NAMESPACE } },
          failurePolicy: 'Fail',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          timeoutSeconds: 5,
        }],
      }),
    });
    // WHEN ConfigMaps are created until the API server has picked up the configuration
    let created = 0;
    await waitFor('the API server to call the webhook', async () => {
      await cluster.kubectl(['create', 'configmap', `probe-${++created}`, '-n', JOB_NAMESPACE]);
      return reviewed.length > 0;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    // THEN each creation went through the webhook, over TLS the API server verified (with Fail, a refused handshake would fail it)
    await cluster.kubectl(['create', 'configmap', 'probe-last', '-n', JOB_NAMESPACE]);
    expect(reviewed.at(-1)).toBe('probe-last');
  });
});

describe('TLS from files', () => {
  let dir: string;
  let ca: CertificateAndKey;

  /** Writes a pair as the kubelet updates a Secret volume: a new timestamped directory, then `..data` swapped to it by a rename. */
  function kubeletWrite(pair: { cert: string; key: string }, generation: number): void {
    const target = `..2026_12_07_00_00_0${generation}.${generation}`;
    fs.mkdirSync(path.join(dir, target));
    fs.writeFileSync(path.join(dir, target, 'tls.crt'), pair.cert);
    fs.writeFileSync(path.join(dir, target, 'tls.key'), pair.key);
    const previous = fs.existsSync(path.join(dir, '..data')) ? fs.readlinkSync(path.join(dir, '..data')) : undefined;
    fs.symlinkSync(target, path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    for (const file of ['tls.crt', 'tls.key']) if (!fs.existsSync(path.join(dir, file))) fs.symlinkSync(path.join('..data', file), path.join(dir, file));
    if (previous) fs.rmSync(path.join(dir, previous), { recursive: true });
  }

  const serving = (now = new Date()) => createServingCertificate(ca, ['localhost'], { now, lifetimeMs: DAY_MS });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-certs-'));
    ca = await createCa('files test CA', { now: new Date(), lifetimeMs: DAY_MS });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a pair replaced on disk by the kubelet\'s ..data swap is served at the next handshake, without a restart; a broken one is not', async () => {
    // GIVEN a server on the first pair; the periodic read is slow, so only the watch can see the swap in time
    const first = await serving();
    kubeletWrite(first, 1);
    const source = await startFileTls({ dir, clock: SYSTEM_CLOCK, log: log.with({ mode: 'files' }), pollMs: 600_000 });
    sources.push(source);
    const port = await httpsServer(source);
    expect(await handshake(port, 'localhost', ca.cert)).toBe(fingerprintOf(first.cert));
    // WHEN the kubelet swaps in a renewed pair
    const second = await serving();
    const changed = new Promise<ServingTls>((resolve) => source.onChange(resolve));
    const swappedAt = Date.now();
    kubeletWrite(second, 2);
    // THEN the next handshake presents it
    expect((await changed).cert).toBe(second.cert);
    process.stderr.write(`[webhook-tls] files: new pair served ${Date.now() - swappedAt} ms after the ..data swap\n`);
    expect(await handshake(port, 'localhost', ca.cert)).toBe(fingerprintOf(second.cert));
    // WHEN a pair whose key is not the certificate's comes
    const other = await serving();
    kubeletWrite({ cert: other.cert, key: second.key }, 3);
    // THEN it is refused with a warning and the good pair is still served
    await waitFor('the warning', () => logLines.some((l) => l.mode === 'files' && l.level === 'warn'), { timeoutMs: 5_000, intervalMs: 50 });
    expect(logLines.filter((l) => l.mode === 'files' && l.level === 'warn').map((l) => [l.msg, l.problem])).toEqual([
      ['new certificate files are not usable, keeping the old pair', 'tls.key is not the key of tls.crt'],
    ]);
    expect(await handshake(port, 'localhost', ca.cert)).toBe(fingerprintOf(second.cert));
  });

  test('the cert-manager install\'s webhook flags start TLS from files, without an API client', async () => {
    // GIVEN the flags SparkOperator renders with WebhookTls.certManager(), the mount pointed at a directory of ours
    const certManagerInstall = synthesizeOperator({
      name: OPERATOR_NAME, namespace: OPERATOR_NAMESPACE, webhookOptions: { tls: WebhookTls.certManager() },
    });
    const args = webhookArgsOf(certManagerInstall);
    expect(args.options).toMatchObject({ tlsMode: 'files', tlsCertDir: WEBHOOK_CERT_DIR });
    const pair = await serving();
    kubeletWrite(pair, 4);
    // WHEN
    const source = await startWebhookTls({ ...args.options, tlsCertDir: dir }, {
      rest: () => { throw new Error('TLS from files needs no API client'); },
      clock: SYSTEM_CLOCK,
      log,
    });
    sources.push(source);
    // THEN
    expect(source.current()).toEqual({ cert: pair.cert, key: pair.key });
  });
});
