import { isFinalApiError, mayBeNotReadyYet } from '../../src/kube/api-errors';
import { KubeError } from '../../src/kube/rest';

describe('isFinalApiError', () => {
  test.each([
    [400, true], [403, true], [404, true], [422, true], [413, true],
    [408, false], [409, false], [410, false], [429, false], [500, false], [503, false],
  ])('HTTP %i: final %s', (code, final) => {
    // GIVEN an API answer of that code WHEN judged THEN final or retried as the table says
    expect(isFinalApiError(new KubeError(code, '', 'm'))).toBe(final);
  });

  test('an error that is no API answer (a cut connection) is never final', () => {
    expect(isFinalApiError(new Error('read ECONNRESET'))).toBe(false);
  });
});

describe('mayBeNotReadyYet', () => {
  test('the authorizer and discovery refusals of a just-started API server; not admission', () => {
    // GIVEN the 403s seen right after an API server restart, and two from admission
    const rbac = new KubeError(403, 'Forbidden', 'pods is forbidden: User "system:serviceaccount:ops:ctl" cannot create resource "pods" in API group "" in the namespace "jobs"');
    const mapping = new KubeError(403, 'Forbidden', 'services "a-ui-svc" is forbidden: cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion sparkoperator.k8s.io/v1beta2 Kind SparkApplication');
    const podSecurity = new KubeError(403, 'Forbidden', 'pods "a-driver" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true');
    const webhook = new KubeError(403, 'Forbidden', 'admission webhook "validate.sparkoperator.k8s.io" denied the request: spec.type: is required');
    // THEN only the first two may be retried
    expect([rbac, mapping, podSecurity, webhook].map(mayBeNotReadyYet)).toEqual([true, true, false, false]);
  });
});
