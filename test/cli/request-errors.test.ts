import { CliError } from '../../src/cli/errors';
import { catching, requestFailure } from '../../src/cli/request-errors';
import { IdleStreamError, KubeError } from '../../src/kube/rest';

// Which failures of the shared client (src/kube/rest.ts, tested in test/kube/) keep their words in
// sparkctl and which become 'cannot reach the API server'. The real API server and a refused
// connection are test/e2e/sparkctl.e2e.test.ts's.

const ORIGIN = 'https://127.0.0.1:6443';

describe('what a failed request says', () => {
  test('an answer of the API server, a silent stream and sparkctl\'s own errors keep their words', () => {
    for (const error of [new KubeError(403, 'Forbidden', 'pods is forbidden'), new IdleStreamError(30_000), new CliError('context "x" is not in the kubeconfig')]) {
      expect(requestFailure(error, ORIGIN)).toBe(error);
    }
  });

  test('a request that never reached the server is one sentence with its address and the reason', () => {
    expect(requestFailure(new Error('connect ECONNREFUSED 127.0.0.1:6443'), ORIGIN))
      .toEqual(new CliError('cannot reach the API server at https://127.0.0.1:6443: connect ECONNREFUSED 127.0.0.1:6443'));
    expect(requestFailure(new Error('GET /api timed out after 30000 ms'), ORIGIN))
      .toEqual(new CliError('cannot reach the API server at https://127.0.0.1:6443: GET /api timed out after 30000 ms'));
    expect(requestFailure('socket hang up', ORIGIN)).toEqual(new CliError('cannot reach the API server at https://127.0.0.1:6443: socket hang up'));
  });

  test('what a watch\'s line handler threw is told as it is, whatever it is', () => {
    // GIVEN a handler that throws a plain Error on a line
    const refused = new Error('the watch ended with an error');
    const caller = catching<string>(() => { throw refused; });
    // WHEN the client calls it and fails with that error
    expect(() => caller.handler('{"type":"ERROR"}')).toThrow(refused);
    // THEN it is not taken for a connection failure; another error still is
    expect(requestFailure(refused, ORIGIN, caller.thrown())).toBe(refused);
    expect(requestFailure(new Error('cut off'), ORIGIN, caller.thrown())).toEqual(new CliError('cannot reach the API server at https://127.0.0.1:6443: cut off'));
  });

  test('a handler that threw nothing leaves every error to the rule', () => {
    const caller = catching<string>(() => undefined);
    caller.handler('line');
    expect(requestFailure(undefined, ORIGIN, caller.thrown())).toEqual(new CliError('cannot reach the API server at https://127.0.0.1:6443: undefined'));
  });
});
