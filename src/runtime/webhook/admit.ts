/**
 * What the webhook answers for one AdmissionRequest. The mutating path fills in the upstream
 * defaults (a JSON patch of additions only: an object the constructs synthesized already carries
 * them and gets none, so Argo CD sees no drift). The validating path refuses, all at once and with
 * field paths, what the shared rules refuse, what the cluster's own schemas of the embedded
 * Kubernetes types refuse, an application whose pods would run as the operator's own
 * ServiceAccounts, and (when on) an application from a user who may not create pods in its
 * namespace.
 */
import { AdmissionRequest, AdmissionUser, AdmissionVerdict } from './admission-review';
import { JsonPatchOperation, jsonPatch } from './json-patch';
import { CreatedResource, INGRESSES, PODS, SERVICES } from './pod-creation-authorizer';
import { ScheduledSparkApplicationSpec, SparkApplicationSpec } from '../../api';
import { Problem, applyDefaults, applyScheduledDefaults, describeProblems, protectedServiceAccountProblems, validate } from '../../core';

/** The kinds the webhook admits. */
export const ADMITTED_KINDS = ['SparkApplication', 'ScheduledSparkApplication', 'SparkConnect'] as const;
/** One admitted kind. */
export type AdmittedKind = typeof ADMITTED_KINDS[number];

/** How many problems a refusal lists; the rest are counted. */
export const MAX_PROBLEMS_IN_REFUSAL = 20;

/** The rule that refused a request, for the refusals metric (a closed set: bounded labels). */
export type RefusalRule =
  | 'wrong-kind'
  | 'shared-rules'
  | 'embedded-types'
  | 'protected-service-account'
  | 'pod-creation-forbidden'
  | 'authorization-unavailable';

/** The verdict, and the rule behind a refusal. */
export interface Admission {
  readonly verdict: AdmissionVerdict;
  readonly refusedBy?: RefusalRule;
}

/** What the validating path asks of the world. */
export interface ValidationContext {
  /** The operator's own ServiceAccounts (`namespace/name`). */
  readonly protectedServiceAccounts: readonly string[];
  /**
   * The problems of the embedded Kubernetes types under the cluster's own schemas; of an UPDATE,
   * only those the update brings in (an object stored before a rule existed stays editable).
   */
  readonly embeddedTypeProblems: (object: unknown, oldObject?: unknown) => Problem[];
  /**
   * Whether `user` may create `resource` in `namespace` (pods, and what else the application makes
   * the operator create); undefined when the check is off. Rejects when it cannot tell.
   */
  readonly mayCreate?: (user: AdmissionUser, namespace: string, resource: CreatedResource) => Promise<{ allowed: boolean; reason?: string }>;
  /** The words that tell an administrator how to turn the pod-creation check off. */
  readonly optOutHint: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return jsonPatch(a, b).length === 0;
}

function refuse(refusedBy: RefusalRule, message: string, code = 400): Admission {
  return { verdict: { allowed: false, code, message }, refusedBy };
}

const ALLOWED: Admission = { verdict: { allowed: true } };

/** Why the request is not one this path takes, or undefined. */
function wrongKind(request: AdmissionRequest, kind: AdmittedKind): Admission | undefined {
  if (request.kind === kind) return undefined;
  return refuse('wrong-kind', `this webhook path admits ${kind} objects only (got kind ${JSON.stringify(request.kind)})`);
}

/**
 * The mutating answer: the defaults as a JSON patch. Only additions: a field of the wrong type
 * (`driver: 5`) is left for validation to refuse, never replaced by a default.
 */
export function mutate(request: AdmissionRequest, kind: AdmittedKind): Admission {
  const refused = wrongKind(request, kind);
  if (refused) return refused;
  const object = request.object;
  // SparkConnect has no defaults upstream (its defaulter is empty) nor here: nothing to patch.
  if (!isObject(object) || !isObject(object.spec) || kind === 'SparkConnect') return ALLOWED;
  const spec = kind === 'SparkApplication'
    ? applyDefaults(object.spec as unknown as SparkApplicationSpec)
    : isObject(object.spec.template) || object.spec.template === undefined
      ? applyScheduledDefaults(object.spec as unknown as ScheduledSparkApplicationSpec)
      : object.spec;
  const patch: JsonPatchOperation[] = jsonPatch(object.spec, spec, '/spec').filter((operation) => operation.op === 'add');
  return { verdict: { allowed: true, patch } };
}

/** `Kind "name"` for messages. */
function subject(request: AdmissionRequest, kind: AdmittedKind): string {
  const name = isObject(request.object) && isObject(request.object.metadata) ? request.object.metadata.name : undefined;
  return `${kind} ${JSON.stringify(typeof name === 'string' ? name : request.name ?? '')}`;
}

/** The problems as one message: each with its field path, at most {@link MAX_PROBLEMS_IN_REFUSAL}. */
export function problemsMessage(what: string, problems: readonly Problem[]): string {
  return `${what} is invalid: ${describeProblems(problems, MAX_PROBLEMS_IN_REFUSAL)}`;
}

/**
 * True when an UPDATE changes nothing that reaches a pod: the spec, and the labels (copied onto the
 * driver and executor pods, and from a ScheduledSparkApplication onto its runs). Annotations,
 * owner references and finalizers reach no pod.
 */
function changesNoPod(request: AdmissionRequest): boolean {
  const { object, oldObject } = request;
  if (request.operation !== 'UPDATE' || !isObject(object) || !isObject(oldObject)) return false;
  const labels = (o: Record<string, unknown>) => (isObject(o.metadata) ? o.metadata.labels : undefined);
  return sameJson(oldObject.spec, object.spec) && sameJson(labels(oldObject), labels(object));
}

/**
 * What the operator would create for `object` at a place or with content of the user's choosing, so
 * that the user must be allowed to create it too: pods always (the driver, from the spec);
 * Ingresses when `driverIngressOptions` give one a host (the UI Ingress follows the operator's own
 * `--ingress-url-format`); Services when a SparkConnect's `spec.server.service.spec` designs its
 * Service (its type, its external IPs). The operator's other Services are its own design and expose
 * only the application's own pods.
 */
function createdResources(object: unknown): CreatedResource[] {
  const spec = isObject(object) && isObject(object.spec) ? object.spec : {};
  const template = isObject(spec.template) ? spec.template : spec;
  const ingresses = Array.isArray(template.driverIngressOptions)
    && template.driverIngressOptions.some((o) => isObject(o) && typeof o.ingressURLFormat === 'string' && o.ingressURLFormat !== '');
  const server = isObject(spec.server) ? spec.server : {};
  const designedService = isObject(server.service) && isObject(server.service.spec) && Object.keys(server.service.spec).length > 0;
  return [PODS, ...ingresses ? [INGRESSES] : [], ...designedService ? [SERVICES] : []];
}

/**
 * The validating answer. An UPDATE that changes nothing that reaches a pod (annotations, owner
 * references) is admitted without checks, as upstream's validator does for an unchanged spec.
 */
export async function validateRequest(request: AdmissionRequest, kind: AdmittedKind, context: ValidationContext): Promise<Admission> {
  const refused = wrongKind(request, kind);
  if (refused) return refused;
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return ALLOWED;
  const object = request.object;
  if (changesNoPod(request)) return ALLOWED;
  const what = subject(request, kind);
  const namespace = request.namespace ?? '';

  for (const resource of context.mayCreate ? createdResources(object) : []) {
    const objects = resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
    const user = JSON.stringify(request.userInfo.username);
    let answer: { allowed: boolean; reason?: string };
    try {
      answer = await context.mayCreate!(request.userInfo, namespace, resource);
    } catch (error) {
      return refuse('authorization-unavailable',
        `could not check whether user ${user} may create ${objects} in namespace ${JSON.stringify(namespace)}: ${String(error)}; try again`, 500);
    }
    if (!answer.allowed) {
      return refuse('pod-creation-forbidden',
        `${what} refused: user ${user} may not create ${objects} in namespace ${JSON.stringify(namespace)}, and the operator `
        + `would create this application's ${objects} from its spec; an administrator can grant "create ${objects}" in ${JSON.stringify(namespace)}, or ${context.optOutHint}`, 403);
    }
  }

  // Every problem at once, whichever rule found it; the metric names the first rule.
  const found: Array<[RefusalRule, Problem[]]> = [
    ['shared-rules', validate(object)],
    ['embedded-types', context.embeddedTypeProblems(object, request.operation === 'UPDATE' ? request.oldObject : undefined)],
    ['protected-service-account', protectedServiceAccountProblems(object, namespace, context.protectedServiceAccounts)],
  ];
  const problems = found.flatMap(([, list]) => list);
  if (problems.length === 0) return ALLOWED;
  const [rule] = found.find(([, list]) => list.length > 0)!;
  return refuse(rule, problemsMessage(what, problems), rule === 'protected-service-account' ? 403 : 400);
}
