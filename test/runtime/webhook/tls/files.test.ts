import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFields, Logger } from '../../../../src/kube/log';
import { CertificateAndKey, createCa, createServingCertificate } from '../../../../src/runtime/webhook/tls/certificates';
import { readFilePair, startFileTls } from '../../../../src/runtime/webhook/tls/files';
import { ServingTls, TlsSource } from '../../../../src/runtime/webhook/tls/source';
import { FakeClock } from '../../fake-clock';

const DAY_MS = 24 * 3600 * 1000;

let dir: string;
let ca: CertificateAndKey;
let pair: CertificateAndKey;
let other: CertificateAndKey;
let clock: FakeClock;
const warnings: Array<{ msg: string } & LogFields> = [];
const sources: TlsSource[] = [];
const log: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (msg, fields) => warnings.push({ msg, ...fields }),
  error: () => undefined,
  with: () => log,
};

function write(files: { cert?: string; key?: string }): void {
  if (files.cert !== undefined) fs.writeFileSync(path.join(dir, 'tls.crt'), files.cert);
  if (files.key !== undefined) fs.writeFileSync(path.join(dir, 'tls.key'), files.key);
}

async function start(): Promise<TlsSource> {
  // Reads through the fake clock only: the periodic read every 10 s, and the settle time after a watch event.
  const source = await startFileTls({ dir, clock, log, pollMs: 10_000 });
  sources.push(source);
  return source;
}

beforeAll(async () => {
  ca = await createCa('ca', { now: new Date(), lifetimeMs: DAY_MS });
  pair = await createServingCertificate(ca, ['localhost'], { now: new Date(), lifetimeMs: DAY_MS });
  other = await createServingCertificate(ca, ['localhost'], { now: new Date(), lifetimeMs: DAY_MS });
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-files-'));
  clock = new FakeClock();
  warnings.length = 0;
});

afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('readFilePair', () => {
  test('a matching pair is read', () => {
    // GIVEN
    write(pair);
    // THEN
    expect(readFilePair(dir)).toEqual({ ok: true, serving: { cert: pair.cert, key: pair.key } });
  });

  test.each([
    ['a certificate that is not PEM', { cert: 'garbage', key: 'k' }, 'tls.crt is not a PEM certificate'],
    ['a key that is not PEM', { cert: 'CERT', key: 'garbage' }, 'tls.key is not a PEM private key'],
    ['the key of another certificate', { cert: 'CERT', key: 'OTHER_KEY' }, 'tls.key is not the key of tls.crt'],
  ])('%s is refused', (_, files, problem) => {
    // GIVEN
    write({ cert: files.cert.replace('CERT', pair.cert), key: files.key.replace('OTHER_KEY', other.key) });
    // THEN
    expect(readFilePair(dir)).toEqual({ ok: false, problem });
  });

  test('a missing file is refused', () => {
    // GIVEN
    write({ cert: pair.cert });
    // THEN
    expect(readFilePair(dir)).toEqual({ ok: false, problem: `cannot read the pair: ENOENT: no such file or directory, open '${path.join(dir, 'tls.key')}'` });
  });
});

describe('startFileTls', () => {
  test('waits for a usable pair, saying once why the files are not usable yet', async () => {
    // GIVEN no files
    let started: TlsSource | undefined;
    void start().then((s) => { started = s; });
    await new Promise((resolve) => setImmediate(resolve));
    // WHEN two periodic reads find nothing new, then the pair appears
    clock.advance(20_000);
    write(pair);
    clock.advance(10_000);
    await new Promise((resolve) => setImmediate(resolve));
    // THEN
    expect(started?.current()).toEqual({ cert: pair.cert, key: pair.key });
    expect(warnings.map((w) => [w.msg, w.problem])).toEqual([
      ['certificate files are not usable yet', `cannot read the pair: ENOENT: no such file or directory, open '${path.join(dir, 'tls.crt')}'`],
    ]);
  });

  test('a pair replaced in place is picked up by the periodic read when no watch event comes', async () => {
    // GIVEN
    write(pair);
    const source = await start();
    const changes: ServingTls[] = [];
    source.onChange((next) => changes.push(next));
    // WHEN
    write(other);
    clock.advance(10_000);
    // THEN
    expect(changes).toEqual([{ cert: other.cert, key: other.key }]);
    expect(source.current()).toEqual({ cert: other.cert, key: other.key });
  });

  test('a broken new pair keeps the old one served, with one warning however often it is read', async () => {
    // GIVEN
    write(pair);
    const source = await start();
    const changes: ServingTls[] = [];
    source.onChange((next) => changes.push(next));
    // WHEN the certificate changes but the key does not
    write({ cert: other.cert });
    clock.advance(30_000);
    // THEN
    expect(changes).toEqual([]);
    expect(source.current()).toEqual({ cert: pair.cert, key: pair.key });
    expect(warnings).toEqual([{ msg: 'new certificate files are not usable, keeping the old pair', problem: 'tls.key is not the key of tls.crt' }]);
    // WHEN the key follows
    write({ key: other.key });
    clock.advance(10_000);
    // THEN
    expect(changes).toEqual([{ cert: other.cert, key: other.key }]);
  });

  test('stopped before a pair came: rejects', async () => {
    // GIVEN
    const abort = new AbortController();
    const started = startFileTls({ dir, clock, log, signal: abort.signal });
    // WHEN
    abort.abort();
    // THEN
    await expect(started).rejects.toThrow(new Error(`TLS from ${dir} stopped before a certificate was read`));
    expect(clock.pending).toBe(0);
  });
});
