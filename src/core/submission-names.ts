/**
 * The identity of one submission of a SparkApplication and the names of what it creates, all
 * derived from the submission id (`submissionId(uid, attempt)` in `names.ts`).
 *
 * Spark's own submission draws random ids (`spark.app.id` from a UUID, the resource prefix and the
 * ConfigMap name from random bytes and the clock). The operator derives every one of them from the
 * submission id instead, so building the same submission twice gives the same objects and a second
 * create answers AlreadyExists. The shapes stay Spark's: `spark-<32 hex>` for the application id,
 * `<app>-<16 hex>` for the resource prefix, `spark-drv-<16 hex>-conf-map` for the ConfigMap.
 */
import { createHash } from 'node:crypto';
import { DNS_LABEL_MAX_LENGTH, isDns1123Label } from './dns';
import { shortHash } from './names';

function hexDigest(purpose: string, text: string): string {
  return createHash('sha256').update(`${purpose}\n${text}`).digest('hex');
}

/** 32 hex digits shaped as a version-4 UUID (version and variant nibbles set). */
function uuidOf(hex: string): string {
  const variant = (8 + (parseInt(hex[16], 16) % 4)).toString(16); // 8, 9, a or b
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `spark.app.id` and the `spark-app-selector` label: `spark-` and 32 hex digits, as Spark's (`KubernetesConf.getKubernetesAppId`). */
export function sparkApplicationId(submissionId: string): string {
  return `spark-${hexDigest('spark.app.id', submissionId).slice(0, 32)}`;
}

/** The 16 hex digits that stand in for Spark's random `KubernetesUtils.uniqueID()` in resource names. */
export function submissionResourceId(submissionId: string): string {
  return hexDigest('resource-id', submissionId).slice(0, 16);
}

/** The default local directory `/var/data/spark-<uuid>` (`LocalDirsFeatureStep`), with a derived UUID. */
export function defaultSparkLocalDir(submissionId: string): string {
  return `/var/data/spark-${uuidOf(hexDigest('local-dir', submissionId))}`;
}

/**
 * The `spark-app-name` label (`KubernetesConf.getAppNameLabel`): the application name trimmed,
 * lower-cased, every character other than `a-z`, `0-9` and `-` replaced by `-`, runs of `-`
 * collapsed, cut to 63 characters, without a leading or trailing `-`.
 */
export function sparkAppNameLabel(appName: string): string {
  const label = appName.trim().toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').slice(0, DNS_LABEL_MAX_LENGTH);
  return label.replace(/^-/, '').replace(/-$/, '');
}

/**
 * The resource name prefix `<app>-<id>` (`KubernetesConf.getResourceNamePrefix`): trimmed,
 * lower-cased, other characters replaced by `-`, runs of `-` collapsed, no leading `-`, and a
 * leading digit replaced by `x`.
 */
export function sparkResourceNamePrefix(appName: string, resourceId: string): string {
  return `${appName}-${resourceId}`.trim().toLowerCase()
    .replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-')
    .replace(/^-/, '').replace(/^[0-9]/, 'x');
}

/** `-driver-svc`: the suffix of the headless driver Service. */
export const DRIVER_SERVICE_SUFFIX = '-driver-svc';

/**
 * The headless driver Service (`DriverServiceFeatureStep`): `<prefix>-driver-svc`, or, when that
 * is longer than 63 characters, Spark's fallback `spark-<id>-driver-svc` (33 characters).
 */
export function driverServiceName(resourceNamePrefix: string, resourceId: string): string {
  const preferred = `${resourceNamePrefix}${DRIVER_SERVICE_SUFFIX}`;
  return preferred.length <= DNS_LABEL_MAX_LENGTH ? preferred : `spark-${resourceId}${DRIVER_SERVICE_SUFFIX}`;
}

/** The driver ConfigMap with `spark.properties` (`KubernetesClientUtils.configMapNameDriver`): `spark-drv-<id>-conf-map`. */
export function driverConfigMapName(resourceId: string): string {
  return `spark-drv-${resourceId}-conf-map`;
}

/**
 * A pod volume name made of an object name and a suffix (`<secret>-volume`, `<configmap>-vol`):
 * `<name><suffix>` when that is a DNS-1123 label (what Spark and upstream write); otherwise the name
 * lower-cased with other characters as `-`, cut, and {@link shortHash} of the whole, within 63
 * characters, so that a long or dotted object name still gives a valid, distinct volume name.
 */
export function podVolumeName(objectName: string, suffix: string): string {
  const whole = `${objectName}${suffix}`;
  if (isDns1123Label(whole)) return whole;
  const cleaned = whole.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-/, '');
  const head = cleaned.slice(0, DNS_LABEL_MAX_LENGTH - 9).replace(/-+$/, '');
  return `${head || 'v'}-${shortHash(whole)}`;
}
