/** Names of the v1beta2 API that every part of the project shares. */

/** The API group. */
export const API_GROUP = 'sparkoperator.k8s.io';
/** The only version we serve and store. */
export const API_VERSION = 'v1beta2';
/** `apiVersion` of our objects. */
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;
/** The version of SparkConnect, which upstream serves at v1alpha1 only. */
export const CONNECT_API_VERSION = 'v1alpha1';
/** `apiVersion` of a SparkConnect. */
export const CONNECT_GROUP_VERSION = `${API_GROUP}/${CONNECT_API_VERSION}` as const;

/** Kind, plural, singular and short name of each resource, as upstream. */
export const SPARK_APPLICATION_NAMES = {
  kind: 'SparkApplication',
  listKind: 'SparkApplicationList',
  plural: 'sparkapplications',
  singular: 'sparkapplication',
  shortNames: ['sparkapp'],
} as const;

/** Kind, plural, singular and short name of ScheduledSparkApplication, as upstream. */
export const SCHEDULED_SPARK_APPLICATION_NAMES = {
  kind: 'ScheduledSparkApplication',
  listKind: 'ScheduledSparkApplicationList',
  plural: 'scheduledsparkapplications',
  singular: 'scheduledsparkapplication',
  shortNames: ['scheduledsparkapp'],
} as const;

/** Kind, plural, singular and short name of SparkConnect, as upstream. */
export const SPARK_CONNECT_NAMES = {
  kind: 'SparkConnect',
  listKind: 'SparkConnectList',
  plural: 'sparkconnects',
  singular: 'sparkconnect',
  shortNames: ['sparkconn'],
} as const;

/** Labels the operator puts on what it creates (upstream names, so dashboards keep working). */
export const LABELS = {
  appName: `${API_GROUP}/app-name`,
  launchedBy: `${API_GROUP}/launched-by-spark-operator`,
  mutatedBy: `${API_GROUP}/mutated-by-spark-operator`,
  createdBy: `${API_GROUP}/created-by-spark-operator`,
  submissionId: `${API_GROUP}/submission-id`,
  scheduledAppName: `${API_GROUP}/scheduled-app-name`,
  connectName: `${API_GROUP}/connect-name`,
  sparkRole: 'spark-role',
  sparkAppSelector: 'spark-app-selector',
} as const;

/** `apiVersion` and `kind` of a SparkApplication. */
export const SPARK_APPLICATION_TYPE_META = { apiVersion: GROUP_VERSION, kind: SPARK_APPLICATION_NAMES.kind } as const;

/** `apiVersion` and `kind` of a ScheduledSparkApplication. */
export const SCHEDULED_SPARK_APPLICATION_TYPE_META = { apiVersion: GROUP_VERSION, kind: SCHEDULED_SPARK_APPLICATION_NAMES.kind } as const;

/** `apiVersion` and `kind` of a SparkConnect. */
export const SPARK_CONNECT_TYPE_META = { apiVersion: CONNECT_GROUP_VERSION, kind: SPARK_CONNECT_NAMES.kind } as const;
