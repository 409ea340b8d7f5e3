/** Rules for `sparkConf`: the keys the operator owns, and the keys a typed field renders. */
import { OPERATOR_OWNED_SPARK_CONF, SPARK_CONF_FIELDS, SPARK_NAMESPACE_CONF } from '../spark-conf';

/**
 * Why `sparkConf` must not set `key`, as a message for the `sparkConf` field, or undefined.
 *
 * Always refused: the keys the operator owns (the upstream webhook's deny-list). With
 * `typedFields`, also the keys a v1beta2 field renders (`spark.executor.instances` ...): the
 * constructs take each setting in one place; the runtime accepts them as upstream does.
 */
export function sparkConfKeyProblem(key: string, typedFields: boolean): string | undefined {
  const field = SPARK_CONF_FIELDS[key];
  if ((OPERATOR_OWNED_SPARK_CONF as readonly string[]).includes(key)) {
    if (key.includes('oauthToken')) return `must not set '${key}': the driver authenticates with its service account token`;
    return field ? `must not set '${key}': use {${field}}` : `must not set '${key}': the operator owns it`;
  }
  if (typedFields && field !== undefined) return `must not set '${key}': use {${field}}`;
  return undefined;
}

/** Why `spark.kubernetes.namespace` may not have this value (it must be the object's namespace), or undefined. */
export function sparkNamespaceProblem(value: string, namespace: string | undefined): string | undefined {
  if (namespace === undefined || value === namespace) return undefined;
  return `must not set '${SPARK_NAMESPACE_CONF}' to '${value}': the application runs in its own namespace '${namespace}'`;
}
