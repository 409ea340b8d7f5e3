// The end-to-end harness: a real control plane (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, kwok) and the helpers tests use against it. See test/e2e/README.md.
export * from './apply';
export * from './client';
export * from './cluster';
export * from './connection';
export * from './control-plane';
export * from './fake-nodes';
export * from './kubectl';
export * from './kwok-debugging';
export * from './kwok-stages';
export * from './schedulers';
export * from './suite';
export * from './wait';
export * from './test-pods';
