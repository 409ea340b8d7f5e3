// Names, labels and annotations shared by every object the SparkOperator renders.
import { k8s } from 'cdk8s-plus-28';
import { ArgoCdSyncWaves } from '../argocd';

/** The `app.kubernetes.io/part-of` label of every operator object. */
const PART_OF = 'cdk8s-spark';

/** What the metadata of the operator's objects is made of. */
export interface OperatorIdentity {
  /** Prefix of the object names and value of the `app.kubernetes.io/name` label. */
  readonly name: string;
  /** The namespace the operator runs in. */
  readonly namespace: string;
  /** Extra labels on every object (never in selectors). */
  readonly extraLabels: Record<string, string>;
  /** The Argo CD sync waves of the objects. */
  readonly syncWaves: ArgoCdSyncWaves;
}

/** The labels of an operator object: the extra labels, the selector labels and `part-of`. */
export function operatorLabels(identity: OperatorIdentity, component?: string): Record<string, string> {
  return {
    ...identity.extraLabels,
    ...selectorLabels(identity, component),
    'app.kubernetes.io/part-of': PART_OF,
  };
}

/** The labels that select the operator's pods (of one component, when given). */
export function selectorLabels(identity: OperatorIdentity, component?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': identity.name,
    ...(component === undefined ? {} : { 'app.kubernetes.io/component': component }),
  };
}

/**
 * The metadata of an operator object.
 *
 * @param namespace `undefined` for cluster-scoped objects
 * @param annotations the sync wave; defaults to the RBAC wave
 */
export function objectMetadata(
  identity: OperatorIdentity,
  name: string,
  component: string,
  namespace: string | undefined,
  annotations?: Record<string, string>,
): k8s.ObjectMeta {
  return {
    name,
    namespace,
    labels: operatorLabels(identity, component),
    annotations: annotations ?? identity.syncWaves._rbac(),
  };
}
