// The operator Namespace and its Pod Security level.
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OperatorIdentity, operatorLabels } from './metadata';
import { makeClusterScoped } from '../util/cluster-scoped';

const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

/** The operator Namespace, enforcing the "restricted" Pod Security Standard. */
export function operatorNamespace(scope: Construct, identity: OperatorIdentity): ApiObject {
  const namespace = new k8s.KubeNamespace(scope, 'Namespace', {
    metadata: {
      name: identity.namespace,
      labels: {
        ...operatorLabels(identity),
        // The operator pods meet the "restricted" Pod Security Standard: enforce it (relaxed to
        // "baseline" by allowSparkPods() if Spark pods run here too) and always warn against it.
        [POD_SECURITY_ENFORCE]: 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
      annotations: identity.syncWaves._namespace(),
    },
  });
  makeClusterScoped(namespace);
  return namespace;
}

/** Relaxes the operator Namespace to the "baseline" Pod Security Standard, for when it is also a job namespace. */
export function allowSparkPods(namespace: ApiObject): void {
  // Spark pods as users write them (the apache/spark images, no seccomp profile, default
  // capabilities) meet "baseline", not "restricted": enforcing "restricted" would reject them.
  namespace.metadata.addLabel(POD_SECURITY_ENFORCE, 'baseline');
}
