/**
 * Validates synthesized built-in objects against the Kubernetes OpenAPI schema of their kind, with the
 * validators of the `kubernetes-models` package (ajv over the upstream OpenAPI definitions), plus the
 * cert-manager and prometheus-operator objects the operator can render.
 *
 * `kubernetes-models@4.4.x` is generated from Kubernetes 1.27, the newest release at or below 1.28:
 * the kinds we render are stable APIs that only gain fields between minors, so an object valid for 1.27
 * is valid for 1.28. (4.5.x jumps to 1.31, which would accept fields 1.28 does not know.) Unknown fields
 * are not reported by these validators; our objects cannot carry any, because they are rendered through
 * the typed cdk8s-plus-28 L1 classes, which drop every field the 1.28 types do not declare.
 */
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

type Validatable = { validate(): void };
type ModelClass = new (data: any) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': ValidatingWebhookConfiguration,
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': MutatingWebhookConfiguration,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition,
  'cert-manager.io/v1/Certificate': Certificate,
  'cert-manager.io/v1/Issuer': Issuer,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
};

/** Whether {@link kubeSchemaErrors} knows the schema of this object's kind. */
export function hasKubeSchema(obj: { apiVersion: string; kind: string }): boolean {
  return `${obj.apiVersion}/${obj.kind}` in MODELS;
}

/**
 * The schema errors of one object (empty when valid). Throws for a kind it has no schema for, so a new
 * kind is never skipped silently.
 */
export function kubeSchemaErrors(obj: { apiVersion: string; kind: string; [key: string]: unknown }): string[] {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (Model === undefined) {
    throw new Error(`no Kubernetes schema for ${obj.apiVersion} ${obj.kind}: add its model to test/util/kube-validator.ts`);
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}
