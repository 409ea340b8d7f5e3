/**
 * The names of the objects the operator derives from an application, and the 63-character rules
 * they obey. Deterministic: the same application always gives the same names, so creating an object
 * twice answers `AlreadyExists` instead of making a duplicate.
 */
import { createHash } from 'node:crypto';
import { DNS_LABEL_MAX_LENGTH } from './dns';
import { SparkApplication } from '../api';

/** `-driver`: the operator names the driver pod `<app>-driver` (`spark.kubernetes.driver.pod.name`). */
export const DRIVER_POD_SUFFIX = '-driver';

/**
 * A run of a ScheduledSparkApplication is a SparkApplication named `<name>-<timestamp>`; with the
 * upstream default timestamp precision (nanoseconds since the epoch, Go's UnixNano) the
 * timestamp has 19 digits, so runs add 20 characters to the name.
 */
export const SCHEDULED_RUN_SUFFIX_LENGTH = 20;

/** The longest ScheduledSparkApplication name whose runs' driver pods (`<run>-driver`) fit in 63. */
export const SCHEDULED_NAME_MAX_LENGTH = DNS_LABEL_MAX_LENGTH - SCHEDULED_RUN_SUFFIX_LENGTH - DRIVER_POD_SUFFIX.length;

/** Eight hex digits of the SHA-256 of `text`: a stable, short stand-in for a cut-off tail. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * `name` if it has at most `max` characters; otherwise its head, a dash and {@link shortHash} of the
 * whole name, `max` characters in all, so that two long names that share a head still differ.
 */
export function fitName(name: string, max: number = DNS_LABEL_MAX_LENGTH): string {
  if (name.length <= max) return name;
  const head = name.slice(0, max - 9).replace(/[-.]+$/, '');
  return `${head}-${shortHash(name)}`;
}

/** `<base><suffix>`, with `base` shortened by {@link fitName} so that the whole fits in 63 characters. */
export function nameWithSuffix(base: string, suffix: string): string {
  const whole = `${base}${suffix}`;
  if (whole.length <= DNS_LABEL_MAX_LENGTH) return whole;
  return `${fitName(whole, DNS_LABEL_MAX_LENGTH - suffix.length)}${suffix}`;
}

/**
 * The driver pod: `spec.driver.podName`, else the `spark.kubernetes.driver.pod.name` of `sparkConf`,
 * else `<app>-driver` (upstream's order).
 */
export function driverPodName(app: Pick<SparkApplication, 'metadata' | 'spec'>): string {
  return app.spec.driver?.podName
    ?? app.spec.sparkConf?.['spark.kubernetes.driver.pod.name']
    ?? `${app.metadata.name}${DRIVER_POD_SUFFIX}`;
}

/** The Service in front of the Spark UI: `<app>-ui-svc`, shortened to 63 characters. */
export function uiServiceName(appName: string): string {
  return nameWithSuffix(appName, '-ui-svc');
}

/** The Ingress of the Spark UI (with `--ingress-url-format`): `<app>-ui-ingress`, shortened to 63. */
export function uiIngressName(appName: string): string {
  return nameWithSuffix(appName, '-ui-ingress');
}

/** The Service of one `driverIngressOptions` entry: `<app>-driver-<port>`, shortened to 63. */
export function driverIngressServiceName(appName: string, servicePort: number): string {
  return nameWithSuffix(appName, `-driver-${servicePort}`);
}

/** The Ingress of one `driverIngressOptions` entry: `<app>-ing-<port>`, shortened to 63. */
export function driverIngressName(appName: string, servicePort: number): string {
  return nameWithSuffix(appName, `-ing-${servicePort}`);
}

/**
 * The SparkApplication of the run of `scheduledName` due at `dueTime`: `<name>-<UnixNano>`, as
 * upstream's default precision. The same due time always gives the same name.
 */
export function scheduledRunName(scheduledName: string, dueTime: Date): string {
  return `${scheduledName}-${BigInt(dueTime.getTime()) * 1_000_000n}`;
}
