import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputTooLargeError, readFileBounded } from '../../src/manifests/bounded-read';

describe('readFileBounded', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bounded-read-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads a file up to the bound whole, as UTF-8', () => {
    // GIVEN a file of exactly the bound, with a multi-byte character across a 64 KiB read
    const file = path.join(dir, 'at-bound.yaml');
    const text = `${'a'.repeat(64 * 1024 - 1)}é${'b'.repeat(100)}`;
    fs.writeFileSync(file, text);
    // WHEN read with the bound at its size THEN the text comes back whole
    expect(readFileBounded(file, Buffer.byteLength(text))).toBe(text);
  });

  test('a file past the bound throws InputTooLargeError, without reading it all', () => {
    // GIVEN /dev/zero, which never ends WHEN read with a 1 MiB bound THEN it stops with the error
    const error = (() => { try { readFileBounded('/dev/zero', 1024 * 1024); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect((error as Error).message).toBe('is larger than 1 MiB, the most read from one input');
  });

  test('a missing file throws what fs throws', () => {
    expect(() => readFileBounded(path.join(dir, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
