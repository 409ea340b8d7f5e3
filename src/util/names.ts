import { DNS_1035_LABEL, DNS_1123_LABEL, DNS_LABEL_MAX_LENGTH } from './validation';

/** Throws unless `name` is a DNS-1035 label, what the upstream webhook requires of both kinds' names. */
function requireDns1035Name(name: string): void {
  if (name.length > DNS_LABEL_MAX_LENGTH || !DNS_1035_LABEL.test(name)) {
    throw new Error(`'metadata.name' must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got '${name}')`);
  }
}

/** `-driver`: the operator names the driver pod `<app>-driver` (spark.kubernetes.driver.pod.name). */
export const DRIVER_POD_SUFFIX = '-driver';

/**
 * Checks the name of a SparkApplication (DNS-1035, as the upstream webhook) and of its driver pod.
 *
 * The driver pod is `<name>-driver` unless `driver.podName` is set; kept within 63 characters so
 * that it is a valid DNS label (the pod's host name) like every name the operator derives from the
 * application (`<name>-ui-svc` is shorter still). The headless driver Service is Spark's
 * `<name>-<16 hex>-driver-svc`; above 63 characters (names longer than 35) Spark itself falls back
 * to `spark-<16 hex>-driver-svc`, so that is not an error.
 */
export function validateApplicationName(name: string, podName: string | undefined): void {
  requireDns1035Name(name);
  if (podName !== undefined) {
    if (podName.length > DNS_LABEL_MAX_LENGTH || !DNS_1123_LABEL.test(podName)) {
      throw new Error(`'driver.podName' must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (got '${podName}')`);
    }
    return;
  }
  const driverPod = `${name}${DRIVER_POD_SUFFIX}`;
  if (driverPod.length > DNS_LABEL_MAX_LENGTH) {
    throw new Error(`'metadata.name' '${name}' (${name.length} characters) makes the driver pod name '${driverPod}' ${driverPod.length} characters long, over the limit of 63: use at most ${DNS_LABEL_MAX_LENGTH - DRIVER_POD_SUFFIX.length} characters or set 'driver.podName'`);
  }
}

/**
 * A run of a ScheduledSparkApplication is a SparkApplication named `<name>-<timestamp>`; with the
 * upstream default precision (`--scheduled-spark-application-timestamp-precision=nanos`, UnixNano) the
 * timestamp has 19 digits, so runs add 20 characters to the name.
 */
export const SCHEDULED_RUN_SUFFIX_LENGTH = 20;

/** The longest ScheduledSparkApplication name whose runs' driver pods (`<run>-driver`) fit in 63. */
export const SCHEDULED_NAME_MAX_LENGTH = DNS_LABEL_MAX_LENGTH - SCHEDULED_RUN_SUFFIX_LENGTH - DRIVER_POD_SUFFIX.length;

/** Checks the name of a ScheduledSparkApplication: DNS-1035, and short enough for its runs. */
export function validateScheduledApplicationName(name: string): void {
  requireDns1035Name(name);
  if (name.length > SCHEDULED_NAME_MAX_LENGTH) {
    throw new Error(`'metadata.name' '${name}' (${name.length} characters) is too long for a ScheduledSparkApplication: each run is named '<name>-<19-digit timestamp>' and its driver pod '<run>-driver', which must fit in 63 characters; use at most ${SCHEDULED_NAME_MAX_LENGTH} characters`);
  }
}
