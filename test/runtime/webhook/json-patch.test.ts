import * as fc from 'fast-check';
import { applyJsonPatch } from './apply-json-patch';
import { jsonPatch } from '../../../src/runtime/webhook/json-patch';

describe('jsonPatch', () => {
  test('equal documents give an empty patch', () => {
    // GIVEN
    const document = { spec: { a: 1, list: [1, { b: 2 }] } };

    // WHEN / THEN
    expect(jsonPatch(document, structuredClone(document))).toEqual([]);
  });

  test('a missing key is added, a changed value replaced, a removed key removed, arrays replaced whole', () => {
    // GIVEN
    const before = { keep: 1, change: 'a', drop: true, list: [1, 2], nested: { x: 1 } };
    const after = { keep: 1, change: 'b', list: [1, 2, 3], nested: { x: 1, y: { z: 2 } } };

    // WHEN
    const patch = jsonPatch(before, after);

    // THEN
    expect(patch).toEqual([
      { op: 'remove', path: '/drop' },
      { op: 'replace', path: '/change', value: 'b' },
      { op: 'replace', path: '/list', value: [1, 2, 3] },
      { op: 'add', path: '/nested/y', value: { z: 2 } },
    ]);
  });

  test('keys with / and ~ are escaped as JSON Pointer tokens', () => {
    // WHEN
    const patch = jsonPatch({ sparkConf: {} }, { sparkConf: { 'a/b~c': '1' } });

    // THEN
    expect(patch).toEqual([{ op: 'add', path: '/sparkConf/a~1b~0c', value: '1' }]);
  });

  test('undefined values count as absent', () => {
    // WHEN / THEN
    expect(jsonPatch({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(jsonPatch({ a: 1 }, { a: 1, b: undefined })).toEqual([]);
  });

  test('applying the patch to the first document gives the second (any JSON objects)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(fc.property(fc.dictionary(fc.string(), json), fc.dictionary(fc.string(), json), (before, after) => {
      // WHEN
      const patched = applyJsonPatch(before, jsonPatch(before, after));

      // THEN
      expect(JSON.parse(JSON.stringify(patched))).toEqual(JSON.parse(JSON.stringify(after)));
    }), { numRuns: 300 });
  });
});
