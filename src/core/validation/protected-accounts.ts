/**
 * The ServiceAccounts no SparkApplication may run its driver or executors as: the operator's own.
 * A driver pod runs with whatever account its spec names, so a user allowed to create
 * SparkApplications in the operator's namespace could otherwise run code with the controller's or
 * the webhook's rights. The webhook refuses such objects at admission and the controller refuses to
 * submit them (for when the webhook is off or bypassed).
 */
import { Problem, ProblemList } from '../problems';
import { isObject } from './checks';

/** A ServiceAccount written `namespace/name`, as `--protected-service-accounts` lists them. */
export type ServiceAccountRef = string;

/** Every place of a SparkApplication (or SparkConnect) spec that names the account a pod runs as, under `specPath`. */
function accountFields(specPath: string, spec: Record<string, unknown>, roles: readonly string[]): Array<{ path: string; value: unknown }> {
  const fields: Array<{ path: string; value: unknown }> = [];
  for (const role of roles) {
    const pod = spec[role];
    if (!isObject(pod)) continue;
    fields.push({ path: `${specPath}.${role}.serviceAccount`, value: pod.serviceAccount });
    const podSpec = isObject(pod.template) && isObject(pod.template.spec) ? pod.template.spec : undefined;
    if (podSpec) {
      fields.push({ path: `${specPath}.${role}.template.spec.serviceAccountName`, value: podSpec.serviceAccountName });
      fields.push({ path: `${specPath}.${role}.template.spec.serviceAccount`, value: podSpec.serviceAccount });
    }
  }
  return fields;
}

/**
 * The problems of a SparkApplication, ScheduledSparkApplication or SparkConnect (any JSON) in
 * `namespace` whose pods would run as one of `protectedAccounts`; empty when none does.
 */
export function protectedServiceAccountProblems(object: unknown, namespace: string, protectedAccounts: readonly ServiceAccountRef[]): Problem[] {
  const problems = new ProblemList();
  if (!isObject(object) || !isObject(object.spec)) return [];
  const [specPath, spec] = object.kind === 'ScheduledSparkApplication'
    ? ['spec.template', object.spec.template]
    : ['spec', object.spec];
  if (!isObject(spec)) return [];
  const roles = object.kind === 'SparkConnect' ? ['server', 'executor'] : ['driver', 'executor'];
  for (const { path, value } of accountFields(specPath, spec, roles)) {
    if (typeof value !== 'string') continue;
    const account = `${namespace}/${value}`;
    if (protectedAccounts.includes(account)) {
      problems.add(path, `must not be the operator's own ServiceAccount '${account}': its pods would get the operator's rights; use the drivers' ServiceAccount of the namespace`);
    }
  }
  return problems.toArray();
}
