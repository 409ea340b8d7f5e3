/**
 * Where the v1beta2 API embeds Kubernetes core types (`src/api/spark-application.ts`), and which
 * `core/v1` definition each one is: the table the checker walks. Pure data.
 */

/** The prefix of every core/v1 definition name in the OpenAPI document. */
const CORE = 'io.k8s.api.core.v1.';

/** One field of the spec that holds a core type (or a list of them). */
export interface EmbeddedField {
  /** The field, relative to the object that holds it (`volumes`, `affinity`). */
  readonly field: string;
  /** The OpenAPI definition its value (or each entry) must match: `io.k8s.api.core.v1.Volume`. */
  readonly definition: string;
  /** A list of them. */
  readonly list: boolean;
  /** A pod template that Spark completes, checked without `required` (see `RewriteOptions.required`). */
  readonly partial?: boolean;
}

function one(field: string, type: string, partial?: boolean): EmbeddedField {
  return { field, definition: CORE + type, list: false, partial };
}

function many(field: string, type: string): EmbeddedField {
  return { field, definition: CORE + type, list: true };
}

/** The core types of the application spec itself (`spec`, or `spec.template` of a schedule). */
export const SPEC_FIELDS: readonly EmbeddedField[] = [
  many('volumes', 'Volume'),
];

/** The core types of `driver` and of `executor` (`SparkPodSpec` and each role's own fields). */
export const POD_FIELDS: readonly EmbeddedField[] = [
  one('template', 'PodTemplateSpec', true),
  many('env', 'EnvVar'),
  many('envFrom', 'EnvFromSource'),
  many('volumeMounts', 'VolumeMount'),
  one('affinity', 'Affinity'),
  many('tolerations', 'Toleration'),
  one('podSecurityContext', 'PodSecurityContext'),
  one('securityContext', 'SecurityContext'),
  many('sidecars', 'Container'),
  many('initContainers', 'Container'),
  one('dnsConfig', 'PodDNSConfig'),
  many('hostAliases', 'HostAlias'),
  one('lifecycle', 'Lifecycle'),
];

/** The roles whose spec holds {@link POD_FIELDS}. */
export const POD_ROLES = ['driver', 'executor'] as const;

/** Every definition the checker may use: compiled ahead of the first request. */
export const EMBEDDED_DEFINITIONS: readonly EmbeddedField[] = [...SPEC_FIELDS, ...POD_FIELDS];

/**
 * The fields the schema lists as required whose absence the checker refuses: those the API server
 * refuses too when it validates a pod (`test/fixtures/required-cases.ts` holds a case for each,
 * and the e2e test `webhook-schema` runs them against the API server). The schema's `required`
 * lists every field without `omitempty`, and the API server accepts the zero value of some of them
 * (an HTTP header's `value`, a sleep action's `seconds`, a sysctl's `value`, an iSCSI `lun`):
 * refusing those would be worse than letting a missing field fail at pod creation. Pod templates
 * are checked with none (Spark fills in their container and its name).
 */
export const ENFORCED_REQUIRED_FIELDS: readonly string[] = [
  'Volume.name', 'VolumeMount.name', 'VolumeMount.mountPath', 'EnvVar.name', 'Container.name', 'HostAlias.ip',
  'KeyToPath.key', 'KeyToPath.path', 'DownwardAPIVolumeFile.path', 'HostPathVolumeSource.path',
  'PersistentVolumeClaimVolumeSource.claimName', 'NFSVolumeSource.server', 'NFSVolumeSource.path', 'CSIVolumeSource.driver',
  'ClusterTrustBundleProjection.path', 'ServiceAccountTokenProjection.path',
  'SecretKeySelector.key', 'ConfigMapKeySelector.key', 'ObjectFieldSelector.fieldPath', 'ResourceFieldSelector.resource',
  'ContainerPort.containerPort', 'HTTPGetAction.port', 'TCPSocketAction.port', 'ContainerResizePolicy.resourceName',
  'ContainerResizePolicy.restartPolicy', 'SeccompProfile.type', 'AppArmorProfile.type',
  'NodeSelector.nodeSelectorTerms', 'NodeSelectorRequirement.key', 'NodeSelectorRequirement.operator',
  'PreferredSchedulingTerm.weight', 'PodAffinityTerm.topologyKey', 'WeightedPodAffinityTerm.weight',
].map((field) => CORE + field).concat(['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.key', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.operator']);
