// The Validating and Mutating webhook configurations that send SparkApplications,
// ScheduledSparkApplications and SparkConnects (to validate only) to the operator's admission webhook.
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { API_GROUP, API_VERSION, CONNECT_API_VERSION, SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES, SPARK_CONNECT_NAMES } from '../api';
import { ArgoCdIgnoreDifference } from '../argocd';
import { WEBHOOK_PATHS, WEBHOOK_SERVICE_PORT } from '../core';
import { OperatorIdentity, objectMetadata } from './metadata';
import { WebhookFailurePolicy } from '../spark-operator-options';
import { makeClusterScoped } from '../util/cluster-scoped';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The admission webhooks the runtime serves: a validating one per resource, and a mutating one per
 * resource that has defaults. SparkConnect has none (upstream registers a mutating webhook for it
 * whose defaulter does nothing): registering one would only cost a webhook call per write.
 */
const WEBHOOKS = ([
  [SPARK_APPLICATION_NAMES, WEBHOOK_PATHS.sparkApplication, API_VERSION, true],
  [SCHEDULED_SPARK_APPLICATION_NAMES, WEBHOOK_PATHS.scheduledSparkApplication, API_VERSION, true],
  [SPARK_CONNECT_NAMES, WEBHOOK_PATHS.sparkConnect, CONNECT_API_VERSION, false],
] as const).map(([names, paths, version, hasDefaults]) => ({
  plural: names.plural,
  version,
  hasDefaults,
  validatePath: paths.validate,
  mutatePath: paths.mutate,
  validateName: `validate-${names.singular}.${API_GROUP}`,
  mutateName: `mutate-${names.singular}.${API_GROUP}`,
}));

/** How the webhook configurations reach the webhook and which requests they send it. */
export interface WebhookConfigurationsSpec {
  /** The name of the configurations and of the webhook Service. */
  readonly webhookName: string;
  /** What the API server does when the validating webhook fails. */
  readonly validatingFailurePolicy: WebhookFailurePolicy;
  /** What the API server does when the mutating webhook fails. */
  readonly mutatingFailurePolicy: WebhookFailurePolicy;
  readonly timeoutSeconds: number;
  /** Annotations besides the sync wave. */
  readonly annotations: Record<string, string>;
  /** Whether requests from every namespace go to the webhook. */
  readonly allNamespaces: boolean;
  /** Otherwise, the namespaces whose requests do (read at synth time). */
  readonly jobNamespaces: () => string[];
}

/**
 * The two cluster-scoped webhook configurations. They match the main resources only, in the job
 * namespaces, and carry no `caBundle` (see {@link caBundleIgnoreDifferences}).
 */
export function webhookConfigurations(scope: Construct, identity: OperatorIdentity, spec: WebhookConfigurationsSpec): void {
  const { webhookName, timeoutSeconds } = spec;
  const annotations: Record<string, string> = { ...identity.syncWaves._webhookConfigurations(), ...spec.annotations };
  const metadata = objectMetadata(identity, webhookName, 'webhook', undefined, annotations);
  // Only SparkApplications in job namespaces go through the webhook (Lazy: addJobNamespace()).
  const namespaceSelector = (): k8s.LabelSelector | undefined => spec.allNamespaces
    ? undefined
    : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: spec.jobNamespaces() }] };
  const common = (path: string, failurePolicy: WebhookFailurePolicy) => ({
    admissionReviewVersions: ['v1'],
    // No caBundle, ever: it is written at run time (see SparkOperator.argoCdIgnoreDifferences()).
    clientConfig: { service: { name: webhookName, namespace: identity.namespace, port: WEBHOOK_SERVICE_PORT, path } },
    failurePolicy,
    matchPolicy: 'Equivalent',
    namespaceSelector: Lazy.any({ produce: namespaceSelector }),
    sideEffects: 'None',
    timeoutSeconds,
  });
  const rules = (plural: string, version: string): k8s.RuleWithOperations[] => [{
    apiGroups: [API_GROUP],
    apiVersions: [version],
    // The main resource only: status writes by the controller (`<plural>/status`) never go through the webhook.
    resources: [plural],
    operations: ['CREATE', 'UPDATE'],
    scope: 'Namespaced',
  }];

  const validating = new k8s.KubeValidatingWebhookConfiguration(scope, 'ValidatingWebhookConfiguration', {
    metadata,
    webhooks: WEBHOOKS.map((w) => ({
      name: w.validateName, rules: rules(w.plural, w.version), ...common(w.validatePath, spec.validatingFailurePolicy),
    })),
  });
  makeClusterScoped(validating);
  const mutating = new k8s.KubeMutatingWebhookConfiguration(scope, 'MutatingWebhookConfiguration', {
    metadata,
    webhooks: WEBHOOKS.filter((w) => w.hasDefaults).map((w) => ({
      name: w.mutateName,
      rules: rules(w.plural, w.version),
      reinvocationPolicy: 'Never',
      ...common(w.mutatePath, spec.mutatingFailurePolicy),
    })),
  });
  makeClusterScoped(mutating);
}

/**
 * The Argo CD `ignoreDifferences` entries for the `caBundle` of the two webhook configurations, which
 * the webhook itself (self-managed TLS) or cert-manager's CA injector writes at run time.
 */
export function caBundleIgnoreDifferences(webhookName: string): ArgoCdIgnoreDifference[] {
  return ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].map((kind) => ({
    group: 'admissionregistration.k8s.io',
    kind,
    name: webhookName,
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  }));
}
