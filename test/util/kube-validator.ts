/**
 * Validates synthesized built-in objects against the Kubernetes OpenAPI schema of their kind, with the
 * validators of the `kubernetes-models` package (ajv over the upstream OpenAPI definitions), plus the
 * cert-manager and prometheus-operator objects the operator can render.
 *
 * Kubernetes version: `kubernetes-models@4.4.x` is generated from Kubernetes 1.27, not the 1.28 we
 * target, because no release of the package is generated from 1.28 (4.5.x jumps to 1.31, which would
 * accept fields 1.28 does not know). The kinds we render are stable APIs that only gain fields between
 * minors, so an object valid for 1.27 is valid for 1.28 (a 1.28-only field would be reported, never
 * missed).
 *
 * Unknown fields: these validators do not report them (their schemas leave objects open), so a typo in
 * a field name would pass. Two things cover that:
 * - the objects built with the typed cdk8s-plus-28 L1 classes (`k8s.KubeDeployment` ...) are
 *   serialized by generated `toJson_*` functions that copy only the fields the 1.28 types declare, so
 *   they cannot carry an unknown field (short of a JSON patch);
 * - the objects rendered as plain `ApiObject`s, which nothing filters, are checked here field by field
 *   against the TypeScript types of their model (see {@link STRICT_KINDS}). The CRDs are plain
 *   `ApiObject`s too, but they are vendored from upstream and checked by the real API server in the
 *   e2e suite.
 */
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import * as ts from 'typescript';

type Validatable = { validate(): void };
type ModelClass = new (data: any) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Pod': Pod,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
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

/**
 * The kinds we render as plain `ApiObject`s whose every field must be declared by the model's
 * TypeScript interface (`<package>/<group>/<version>/<Kind>.d.ts`, interface `I<Kind>`).
 */
const STRICT_KINDS: Record<string, string> = {
  // The native submission's objects (src/runtime/submission) are plain JSON too.
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Pod': 'kubernetes-models/v1/Pod',
  'cert-manager.io/v1/Certificate': '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate',
  'cert-manager.io/v1/Issuer': '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer',
  'monitoring.coreos.com/v1/PodMonitor': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
};

let program: ts.Program | undefined;

/** The interface `I<Kind>` of a model's declaration file, from one TypeScript program over all strict kinds. */
function modelType(module: string, kind: string): { checker: ts.TypeChecker; type: ts.Type } {
  // The packages' `exports` do not expose the .d.ts files: find them next to the modules.
  const declarations = (m: string) => require.resolve(m).replace(/\.js$/, '.d.ts');
  program ??= ts.createProgram(Object.values(STRICT_KINDS).map(declarations), { noEmit: true, skipLibCheck: true, strict: true, types: [] });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(declarations(module))!;
  const symbol = checker.getSymbolAtLocation(file)!.exports!.get(ts.escapeLeadingUnderscores(`I${kind}`))!;
  return { checker, type: checker.getDeclaredTypeOfSymbol(symbol) };
}

/** The paths of the fields of `value` that none of `types` (alternatives, as in a union) declares. */
function unknownFields(checker: ts.TypeChecker, value: unknown, types: readonly ts.Type[], at: string): string[] {
  if (value === null || typeof value !== 'object') {
    return [];
  }
  // Optional fields are `T | undefined`; IntOrString-like fields are unions of primitives and objects.
  const members = types.flatMap((t) => (t.isUnion() ? t.types : [t])).filter((t) => t !== checker.getUndefinedType());
  if (Array.isArray(value)) {
    const items = members.map((t) => t.getNumberIndexType()).filter((t): t is ts.Type => t !== undefined);
    if (items.length === 0) return [`${at}: an array where the model has none`];
    return value.flatMap((item, i) => unknownFields(checker, item, items, `${at}[${i}]`));
  }
  const errors: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    const declared = members.flatMap((t) => {
      const property = t.getProperty(key);
      if (property !== undefined) return [checker.getTypeOfSymbol(property)];
      const map = t.getStringIndexType();
      return map === undefined ? [] : [map];
    });
    if (declared.length === 0) {
      errors.push(`${at}.${key}: unknown field`);
    } else {
      errors.push(...unknownFields(checker, field, declared, `${at}.${key}`));
    }
  }
  return errors;
}

/**
 * The fields of an object that its model's TypeScript type does not declare, for the kinds in
 * {@link STRICT_KINDS} (empty for any other kind).
 */
export function unknownFieldErrors(obj: { apiVersion: string; kind: string; [key: string]: unknown }): string[] {
  const module = STRICT_KINDS[`${obj.apiVersion}/${obj.kind}`];
  if (module === undefined) {
    return [];
  }
  const { checker, type } = modelType(module, obj.kind);
  return unknownFields(checker, obj, [type], `${obj.kind} ${(obj.metadata as any)?.name}`);
}

/** Whether {@link kubeSchemaErrors} knows the schema of this object's kind. */
export function hasKubeSchema(obj: { apiVersion: string; kind: string }): boolean {
  return `${obj.apiVersion}/${obj.kind}` in MODELS;
}

/**
 * The schema errors of one object (empty when valid), with its unknown fields for the kinds in
 * {@link STRICT_KINDS}. Throws for a kind it has no schema for, so a new
 * kind is never skipped silently.
 */
export function kubeSchemaErrors(obj: { apiVersion: string; kind: string; [key: string]: unknown }): string[] {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (Model === undefined) {
    throw new Error(`no Kubernetes schema for ${obj.apiVersion} ${obj.kind}: add its model to test/util/kube-validator.ts`);
  }
  const errors = unknownFieldErrors(obj);
  try {
    new Model(obj).validate();
  } catch (e) {
    errors.push((e as Error).message);
  }
  return errors;
}
