import * as fc from 'fast-check';
import { ListStreamScanner } from '../../src/kube/list-stream';

/** Scans `text` cut into the given chunks; returns the items handed out and the envelope. */
function scan(chunks: string[]): { items: unknown[]; envelope: unknown } {
  const items: unknown[] = [];
  const scanner = new ListStreamScanner((item) => items.push(item));
  for (const chunk of chunks) scanner.push(chunk);
  return { items, envelope: scanner.finish() };
}

/** `text` cut at the given positions. */
function cut(text: string, positions: number[]): string[] {
  const at = [...new Set(positions.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe('ListStreamScanner', () => {
  test('hands out each item and keeps the envelope without them', () => {
    // GIVEN a list answer as the API server writes it
    const body = '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"42","continue":"abc"},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}';
    // WHEN scanned in one piece THEN the items come out in order and the envelope has an empty items list
    expect(scan([body])).toEqual({
      items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }],
      envelope: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'abc' }, items: [] },
    });
  });

  test('strings holding brackets, quotes, escapes and the word items do not confuse it', () => {
    // GIVEN items whose strings hold everything the scanner looks for, and a nested "items" key
    const tricky = { metadata: { name: 'x', annotations: { 'a': '}],"items":[{', 'b\\"': '\\', 'c': '\u00e9\u{1F600}' } }, spec: { items: [1, [2, { items: 3 }]] } };
    const body = JSON.stringify({ 'metadata': { resourceVersion: '7' }, 'it\\"ems': ['not', 'these'], 'items': [tricky, 5, 'str', null, [1, 2]] }, null, 2);
    // WHEN scanned one character at a time THEN the items, scalars among them, come out whole
    const { items, envelope } = scan([...body]);
    expect(items).toEqual([tricky, 5, 'str', null, [1, 2]]);
    expect(envelope).toEqual({ 'metadata': { resourceVersion: '7' }, 'it\\"ems': ['not', 'these'], 'items': [] });
  });

  test('any list cut anywhere gives the same items and envelope as JSON.parse', () => {
    // GIVEN any JSON list answer, pretty-printed or not, cut at any positions
    const list = fc.record({
      kind: fc.string(),
      metadata: fc.record({ resourceVersion: fc.string(), continue: fc.option(fc.string(), { nil: undefined }) }),
      items: fc.array(fc.jsonValue()),
    });
    fc.assert(fc.property(list, fc.boolean(), fc.array(fc.nat()), (value, pretty, positions) => {
      const body = JSON.stringify(value, null, pretty ? 2 : undefined);
      const parsed = JSON.parse(body);
      // WHEN scanned THEN the items are the parsed items and the envelope the rest
      const { items, envelope } = scan(cut(body, positions));
      expect(items).toEqual(parsed.items);
      expect(envelope).toEqual({ ...parsed, items: [] });
    }));
  });

  test('an item that is not JSON throws', () => {
    // GIVEN a list whose second item is cut short WHEN scanned THEN JSON.parse's error comes out
    const scanner = new ListStreamScanner(() => undefined);
    expect(() => scanner.push('{"metadata":{},"items":[{"a":1},{"b":tru}]}')).toThrow(SyntaxError);
  });

  test('a body that ends early, or is not an object, throws at the end', () => {
    // GIVEN a body cut inside its items WHEN finished THEN it says the list ends early
    const early = new ListStreamScanner(() => undefined);
    early.push('{"metadata":{},"items":[{"a":');
    expect(() => early.finish()).toThrow('the list ends before its last bracket');
    // GIVEN a body that is a JSON array WHEN finished THEN it says so
    const array = new ListStreamScanner(() => undefined);
    array.push('[1,2]');
    expect(() => array.finish()).toThrow('the list is not a JSON object');
  });

  test('memory: a 600-item page of 1 MB items is never held whole', () => {
    // GIVEN items of 1 MB, pushed in 64 KiB chunks, each dropped when handed out
    const big = 'x'.repeat(1024 * 1024);
    const itemText = JSON.stringify({ metadata: { name: 'a' }, spec: { big } });
    let handed = 0;
    const scanner = new ListStreamScanner((item) => {
      handed += (item as any).spec.big.length;
    });
    scanner.push('{"metadata":{"resourceVersion":"1"},"items":[');
    for (let n = 0; n < 600; n++) {
      const text = (n === 0 ? '' : ',') + itemText;
      for (let i = 0; i < text.length; i += 64 * 1024) scanner.push(text.slice(i, i + 64 * 1024));
    }
    scanner.push(']}');
    // THEN all 600 MB of items came through (more than one string may hold), and the envelope is small
    expect(handed).toBe(600 * 1024 * 1024);
    expect(scanner.finish()).toEqual({ metadata: { resourceVersion: '1' }, items: [] });
  });
});
