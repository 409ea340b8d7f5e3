import * as k8s from '@kubernetes/client-node';
test('probe', () => { expect(typeof k8s.KubeConfig).toBe('function'); });
