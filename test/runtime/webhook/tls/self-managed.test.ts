import { X509Certificate } from 'node:crypto';
import { Logger, LogFields } from '../../../../src/kube/log';
import { createCa, createServingCertificate, serviceDnsNames } from '../../../../src/runtime/webhook/tls/certificates';
import { certificatesOf, secretDataOf } from '../../../../src/runtime/webhook/tls/decide';
import { SelfManagedTlsOptions, startSelfManagedTls } from '../../../../src/runtime/webhook/tls/self-managed';
import { ServingTls, TlsSource } from '../../../../src/runtime/webhook/tls/source';
import {
  StoredSecret, StoredWebhookConfiguration, TlsStore, WebhookConfigurationKind, WriteConflictError,
} from '../../../../src/runtime/webhook/tls/tls-store';
import { FakeClock } from '../../fake-clock';

const DAY_MS = 24 * 3600 * 1000;
const VALIDATING = 'ValidatingWebhookConfiguration';
const MUTATING = 'MutatingWebhookConfiguration';

/** An error of the API server, as the REST client throws it. */
class ApiError extends Error {
  constructor(public readonly code: number, public readonly reason: string, message: string) {
    super(message);
  }
}

interface Versioned<T> {
  readonly resourceVersion: string;
  readonly value: T;
}

/** The TLS objects in memory, with the API server's rules: create fails when it exists, an update at a stale resourceVersion fails. */
class MemoryStore implements TlsStore {
  public secret?: Versioned<Record<string, string>>;
  public readonly configurations = new Map<WebhookConfigurationKind, Versioned<Array<string | undefined>>>();
  public readonly writes: string[] = [];
  /** Errors the next calls of these methods throw first. */
  public readonly failures: Array<{ method: keyof TlsStore; error: Error }> = [];
  private version = 0;

  public readSecret = async (): Promise<StoredSecret | undefined> => {
    await this.call('readSecret');
    return this.secret && { data: { ...this.secret.value }, object: this.secret };
  };

  public createSecret = async (data: Readonly<Record<string, string>>): Promise<void> => {
    await this.call('createSecret');
    if (this.secret) throw new WriteConflictError('AlreadyExists', 'secrets "op-webhook-certs" already exists');
    this.writes.push('createSecret');
    this.secret = this.versioned({ ...data });
  };

  public replaceSecret = async (current: StoredSecret, data: Readonly<Record<string, string>>): Promise<void> => {
    await this.call('replaceSecret');
    if (this.secret !== current.object) throw new WriteConflictError('Conflict', 'the object has been modified');
    this.writes.push('replaceSecret');
    this.secret = this.versioned({ ...data });
  };

  public readWebhookConfiguration = async (kind: WebhookConfigurationKind): Promise<StoredWebhookConfiguration | undefined> => {
    await this.call('readWebhookConfiguration');
    const stored = this.configurations.get(kind);
    return stored && { caBundles: [...stored.value], object: stored };
  };

  public replaceCaBundles = async (kind: WebhookConfigurationKind, current: StoredWebhookConfiguration, caBundles: readonly string[]) => {
    await this.call('replaceCaBundles');
    if (this.configurations.get(kind) !== current.object) throw new WriteConflictError('Conflict', 'the object has been modified');
    this.writes.push(`replaceCaBundles ${kind}`);
    this.configurations.set(kind, this.versioned([...caBundles]));
  };

  /** A configuration as the construct renders it (or a sync recreates it): two webhooks, no caBundle. */
  public createConfiguration(kind: WebhookConfigurationKind): void {
    this.configurations.set(kind, this.versioned([undefined, undefined]));
  }

  public caBundles(kind: WebhookConfigurationKind): Array<string | undefined> {
    return [...this.configurations.get(kind)!.value];
  }

  /** Stores a Secret as another replica would. */
  public writeSecret(data: Record<string, string>): void {
    this.secret = this.versioned(data);
  }

  private versioned<T>(value: T): Versioned<T> {
    return { resourceVersion: String(++this.version), value };
  }

  private async call(method: keyof TlsStore): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) throw this.failures.splice(failure, 1)[0].error;
  }
}

class RecordingLog implements Logger {
  public readonly lines: Array<{ level: string; msg: string } & LogFields> = [];
  public debug = (msg: string, fields?: LogFields) => this.add('debug', msg, fields);
  public info = (msg: string, fields?: LogFields) => this.add('info', msg, fields);
  public warn = (msg: string, fields?: LogFields) => this.add('warn', msg, fields);
  public error = (msg: string, fields?: LogFields) => this.add('error', msg, fields);
  public with = () => this;
  private add(level: string, msg: string, fields: LogFields = {}) {
    this.lines.push({ level, msg, ...fields });
  }
}

let store: MemoryStore;
let clock: FakeClock;
let log: RecordingLog;
const sources: TlsSource[] = [];

function options(overrides: Partial<SelfManagedTlsOptions> = {}): SelfManagedTlsOptions {
  return {
    store,
    clock,
    log,
    serviceName: 'op-webhook',
    serviceNamespace: 'ops',
    resyncMs: 10_000,
    ...overrides,
  };
}

async function start(overrides: Partial<SelfManagedTlsOptions> = {}): Promise<TlsSource> {
  const source = await startSelfManagedTls(options(overrides));
  sources.push(source);
  return source;
}

/** Lets the passes' requests and WebCrypto work finish (real time, a little). */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Moves the clock once the pass under way has scheduled the next one. */
async function advance(ms: number): Promise<void> {
  await until('the next pass to be scheduled', () => clock.pending > 0);
  clock.advance(ms);
}

const caOf = (serving: ServingTls) => certificatesOf(serving.caBundle ?? '')[0].fingerprint256;
const subjects = (bundle: string | undefined) => certificatesOf(bundle ?? '').map((c) => c.subject);

beforeEach(() => {
  store = new MemoryStore();
  clock = new FakeClock();
  log = new RecordingLog();
});

afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
});

describe('startSelfManagedTls', () => {
  test('no Secret: creates it with a CA and a serving certificate for the Service', async () => {
    // WHEN
    const source = await start();
    // THEN
    expect(store.writes).toEqual(['createSecret']);
    const data = store.secret!.value;
    expect(Object.keys(data)).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    expect(source.current()).toEqual({ cert: data['tls.crt'], key: data['tls.key'], caBundle: data['ca.crt'] });
    expect(new X509Certificate(data['tls.crt']).subjectAltName).toBe(serviceDnsNames('op-webhook', 'ops').map((n) => `DNS:${n}`).join(', '));
    expect(log.lines.filter((l) => l.level === 'info').map((l) => l.msg)).toEqual(['making a new CA and serving certificate', 'wrote the certificate Secret', 'serving certificate loaded']);
  });

  test('two replicas started at once agree on one Secret: the one whose create loses reads and uses the other\'s', async () => {
    // WHEN
    const [a, b] = await Promise.all([start(), start()]);
    // THEN
    expect(caOf(a.current())).toBe(caOf(b.current()));
    expect(a.current().cert).toBe(b.current().cert);
    expect(a.current().cert).toBe(store.secret!.value['tls.crt']);
    expect(store.writes).toEqual(['createSecret']);
    expect(log.lines.find((l) => l.msg === 'another replica wrote the certificate Secret first, reading it again')).toMatchObject({ reason: 'AlreadyExists' });
  });

  test('a fresh Secret is used as it is, without a write', async () => {
    // GIVEN
    const ca = await createCa('ca', { now: clock.now(), lifetimeMs: 3650 * DAY_MS });
    const serving = await createServingCertificate(ca, serviceDnsNames('op-webhook', 'ops'), { now: clock.now(), lifetimeMs: 365 * DAY_MS });
    store.writeSecret(secretDataOf({ ca, serving }));
    // WHEN
    const source = await start();
    // THEN
    expect(source.current()).toEqual({ cert: serving.cert, key: serving.key, caBundle: ca.cert });
    expect(store.writes).toEqual([]);
  });

  test('sets the caBundle of every webhook of both configurations, and again after a sync recreated one without it', async () => {
    // GIVEN
    store.createConfiguration(VALIDATING);
    store.createConfiguration(MUTATING);
    // WHEN
    const source = await start();
    await until('the caBundles', () => store.caBundles(MUTATING).every((b) => b !== undefined));
    // THEN
    const ca = source.current().caBundle;
    expect([...store.caBundles(VALIDATING), ...store.caBundles(MUTATING)]).toEqual([ca, ca, ca, ca]);
    // WHEN a sync recreates one without caBundle
    store.createConfiguration(VALIDATING);
    await advance(10_000);
    await until('the caBundle again', () => store.caBundles(VALIDATING).every((b) => b !== undefined));
    // THEN
    expect(store.caBundles(VALIDATING)).toEqual([ca, ca]);
  });

  test('a caBundle update that loses to another writer reads the configuration again in the same pass, without a warning', async () => {
    // GIVEN
    store.createConfiguration(VALIDATING);
    store.failures.push({ method: 'replaceCaBundles', error: new WriteConflictError('Conflict', 'the object has been modified') });
    // WHEN
    const source = await start();
    await until('the caBundle', () => store.caBundles(VALIDATING).every((b) => b === source.current().caBundle));
    // THEN
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(log.lines.find((l) => l.msg === 'the webhook configuration changed while its caBundle was set, reading it again')).toMatchObject({ kind: VALIDATING, reason: 'Conflict' });
  });

  test('webhook configurations not created yet are fine: their caBundle is set once they appear', async () => {
    // GIVEN none
    const source = await start();
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    // WHEN Argo CD creates them last
    store.createConfiguration(VALIDATING);
    store.createConfiguration(MUTATING);
    await advance(10_000);
    // THEN
    await until('the caBundles', () => store.caBundles(MUTATING).every((b) => b === source.current().caBundle));
  });

  test('a serving certificate near its end is renewed with the same CA and swapped in', async () => {
    // GIVEN
    const source = await start();
    const before = source.current();
    const changes: ServingTls[] = [];
    source.onChange((next) => changes.push(next));
    // WHEN nine months pass
    await advance(270 * DAY_MS);
    await until('the renewal', () => changes.length === 1);
    // THEN
    expect(changes[0].cert).not.toBe(before.cert);
    expect(changes[0].caBundle).toBe(before.caBundle);
    expect(source.current()).toEqual(changes[0]);
    expect(store.secret!.value['tls.crt']).toBe(changes[0].cert);
    expect(log.lines.find((l) => l.msg === 'renewing the serving certificate')?.reason).toMatch(/^tls.crt expires at .*, in less than a third of its lifetime$/);
  });

  test('another replica\'s renewal is picked up at the next pass', async () => {
    // GIVEN
    const source = await start();
    const ca = { cert: store.secret!.value['ca.crt'], key: store.secret!.value['ca.key'] };
    const changes: ServingTls[] = [];
    source.onChange((next) => changes.push(next));
    // WHEN another replica writes a new serving certificate
    const renewed = await createServingCertificate(ca, serviceDnsNames('op-webhook', 'ops'), { now: clock.now(), lifetimeMs: 365 * DAY_MS });
    store.writeSecret(secretDataOf({ ca, serving: renewed }));
    await advance(10_000);
    // THEN
    await until('the change', () => changes.length === 1);
    expect(changes[0].cert).toBe(renewed.cert);
  });

  test('a new CA goes into both caBundles (next to the old one) before the serving certificate it signed is served', async () => {
    // GIVEN a replica serving with the first CA
    store.createConfiguration(VALIDATING);
    store.createConfiguration(MUTATING);
    const source = await start();
    await until('the caBundles', () => store.caBundles(MUTATING).every((b) => b !== undefined));
    const oldCa = store.secret!.value['ca.crt'];
    const seenAtChange: string[][] = [];
    source.onChange(() => seenAtChange.push([...store.caBundles(VALIDATING), ...store.caBundles(MUTATING)].flatMap(subjects)));
    // WHEN the CA key is lost (so a new CA is made) and the first caBundle update fails
    store.writeSecret({ ...store.secret!.value, 'ca.key': (await createCa('x', { now: clock.now(), lifetimeMs: DAY_MS })).key });
    store.failures.push({ method: 'replaceCaBundles', error: new ApiError(500, 'InternalError', 'etcdserver: request timed out') });
    await advance(10_000);
    await until('the failed pass', () => log.lines.some((l) => l.level === 'warn'));
    // THEN the old certificate is still served
    expect(caOf(source.current())).toBe(certificatesOf(oldCa)[0].fingerprint256);
    expect(log.lines.find((l) => l.level === 'warn')).toMatchObject({
      msg: 'self-managed TLS pass failed, trying again', code: 500, reason: 'InternalError', error: 'etcdserver: request timed out', failures: 1,
    });
    // WHEN the retry (after the first backoff) succeeds
    await advance(500);
    await until('the switch', () => seenAtChange.length === 1);
    // THEN both CAs were trusted by every webhook when the new certificate was served
    expect(store.secret!.value['previous-ca.crt']).toBe(oldCa);
    expect(seenAtChange[0]).toEqual(Array(4).fill(['CN=op-webhook.ops webhook CA', 'CN=op-webhook.ops webhook CA']).flat());
    expect(subjects(source.current().caBundle)).toHaveLength(2);
    expect(certificatesOf(source.current().caBundle!)[1].fingerprint256).toBe(certificatesOf(oldCa)[0].fingerprint256);
  });

  test('the Secret deleted: a new CA, with the one still served trusted next to it', async () => {
    // GIVEN
    store.createConfiguration(MUTATING);
    const source = await start();
    const oldCa = source.current().caBundle!;
    const changes: ServingTls[] = [];
    source.onChange((next) => changes.push(next));
    // WHEN
    store.secret = undefined;
    await advance(10_000);
    await until('the new certificate', () => changes.length === 1);
    // THEN
    expect(store.secret!.value['previous-ca.crt']).toBe(oldCa);
    expect(subjects(changes[0].caBundle)).toHaveLength(2);
    expect(certificatesOf(changes[0].caBundle!)[1].fingerprint256).toBe(certificatesOf(oldCa)[0].fingerprint256);
    expect(store.caBundles(MUTATING)).toEqual([changes[0].caBundle, changes[0].caBundle]);
  });

  test('API failures are logged with the API server\'s words and tried again with a doubling backoff', async () => {
    // GIVEN the first three reads fail
    for (let i = 0; i < 3; i++) store.failures.push({ method: 'readSecret', error: new ApiError(403, 'Forbidden', 'secrets "op-webhook-certs" is forbidden') });
    // WHEN
    const started = start();
    await until('the first failure', () => log.lines.filter((l) => l.level === 'warn').length === 1);
    await advance(500);
    await until('the second failure', () => log.lines.filter((l) => l.level === 'warn').length === 2);
    await advance(999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
    await advance(1);
    await until('the third failure', () => log.lines.filter((l) => l.level === 'warn').length === 3);
    await advance(2000);
    // THEN
    await started;
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => [l.error, l.failures])).toEqual([1, 2, 3].map((n) => ['secrets "op-webhook-certs" is forbidden', n]));
  });

  test('stopped before it had a certificate: rejects and stops trying', async () => {
    // GIVEN an API server that always refuses
    store.readSecret = async () => { throw new ApiError(403, 'Forbidden', 'forbidden'); };
    const abort = new AbortController();
    // WHEN
    const started = startSelfManagedTls(options({ signal: abort.signal }));
    await until('a failure', () => log.lines.length > 0);
    abort.abort();
    // THEN
    await expect(started).rejects.toThrow(new Error('self-managed TLS stopped before it had a certificate'));
    expect(clock.pending).toBe(0);
  });
});
