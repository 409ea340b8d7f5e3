import { KubeconfigView, chooseTarget } from '../../src/cli/target';

/** A kubeconfig with two contexts, the current one (`team`) with a namespace, as the client reads it. */
function kubeconfig(): KubeconfigView & { current: string } {
  const contexts: Record<string, { cluster: string; namespace?: string }> = {
    team: { cluster: 'https://prod.example:6443', namespace: 'analytics' },
    dev: { cluster: 'https://dev.example:6443' },
  };
  return {
    current: 'team',
    getContextObject(name) { return contexts[name] ?? null; },
    setCurrentContext(name) { this.current = name; },
    getCurrentContext() { return this.current; },
    getCurrentCluster() { return contexts[this.current] ? { server: contexts[this.current].cluster } : null; },
  };
}

describe('the cluster and namespace, as kubectl picks them', () => {
  test('the current context and its namespace', () => {
    const { server, namespace } = chooseTarget(kubeconfig(), {});
    expect([server.origin, namespace]).toEqual(['https://prod.example:6443', 'analytics']);
  });

  test('--context picks another context; without a namespace it is default', () => {
    const { server, namespace } = chooseTarget(kubeconfig(), { context: 'dev' });
    expect([server.origin, namespace]).toEqual(['https://dev.example:6443', 'default']);
  });

  test('-n wins over the context\'s namespace', () => {
    expect(chooseTarget(kubeconfig(), { namespace: 'jobs' }).namespace).toBe('jobs');
  });

  test('an unknown context, and no current context, are one sentence each', () => {
    expect(() => chooseTarget(kubeconfig(), { context: 'nope' })).toThrow('context "nope" is not in the kubeconfig');
    const none = { ...kubeconfig(), current: 'gone' };
    expect(() => chooseTarget(none, {})).toThrow('the kubeconfig has no current context: give --context, or set one with kubectl config use-context');
  });
});
