import * as fc from 'fast-check';
import { cutLine, decodeWatchLine, objectProblem } from '../../../src/runtime/kube/watch-line';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pi-driver', namespace: 'jobs', resourceVersion: '42' } };

describe('decodeWatchLine', () => {
  test('an ADDED, MODIFIED or DELETED event with an object is an event', () => {
    for (const type of ['ADDED', 'MODIFIED', 'DELETED']) {
      // GIVEN a well-formed line WHEN it is read THEN it is the event with its object
      expect(decodeWatchLine(JSON.stringify({ type, object: pod }))).toEqual({ type, object: pod });
    }
  });

  test('a BOOKMARK carries its resourceVersion', () => {
    // GIVEN a bookmark (its object has only a resourceVersion)
    const line = JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '77' } } });
    // WHEN read THEN the version is kept
    expect(decodeWatchLine(line)).toEqual({ type: 'BOOKMARK', resourceVersion: '77' });
  });

  test('an ERROR event carries the Status fields it has', () => {
    // GIVEN a 410 Gone status
    const line = JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } });
    // WHEN read THEN its code, reason and message are given
    expect(decodeWatchLine(line)).toEqual({ type: 'ERROR', status: { code: 410, reason: 'Expired', message: 'too old resource version' } });
  });

  test.each([
    ['this is not json', 'not JSON'],
    ['{"type":"ADDED","object":', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    ['{"type":"SURPRISE","object":{}}', 'unknown event type "SURPRISE"'],
    ['{"object":{}}', 'unknown event type undefined'],
    ['{"type":"ADDED"}', 'a ADDED event without an object'],
    ['{"type":"ADDED","object":"pod"}', 'a ADDED event without an object'],
    ['{"type":"MODIFIED","object":{"kind":"Pod"}}', 'a MODIFIED event with an object without metadata'],
    ['{"type":"MODIFIED","object":{"metadata":[]}}', 'a MODIFIED event with an object without metadata'],
    ['{"type":"DELETED","object":{"metadata":{"resourceVersion":"1"}}}', 'a DELETED event with an object without metadata.name'],
    ['{"type":"ADDED","object":{"metadata":{"name":"a"}}}', 'a ADDED event with an object without metadata.resourceVersion'],
    ['{"type":"BOOKMARK","object":{"metadata":{}}}', 'a BOOKMARK event without metadata.resourceVersion'],
  ])('%s is malformed: %s', (line, problem) => {
    // GIVEN a line the API server should never send WHEN read THEN it is reported, not thrown
    expect(decodeWatchLine(line)).toEqual({ type: 'MALFORMED', problem });
  });

  test('never throws, whatever the line', () => {
    // GIVEN any string, or any JSON value WHEN read THEN no exception
    fc.assert(fc.property(fc.oneof(fc.string(), fc.anything().map((v) => JSON.stringify(v) ?? '')), (line) => {
      expect(() => decodeWatchLine(line)).not.toThrow();
    }));
  });
});

describe('objectProblem', () => {
  test('a complete object has none', () => {
    expect(objectProblem(pod)).toBeUndefined();
  });

  test('an object without a name has one', () => {
    expect(objectProblem({ metadata: { resourceVersion: '1' } })).toBe('an object without metadata.name');
  });
});

describe('cutLine', () => {
  test('a short line is kept whole', () => {
    expect(cutLine('abc', 5)).toBe('abc');
  });

  test('a long line is cut and says how much was left out', () => {
    // GIVEN 12 characters WHEN cut to 5 THEN 5 are kept and the 7 left out counted
    expect(cutLine('abcdefghijkl', 5)).toBe('abcde... (7 more characters)');
  });
});
