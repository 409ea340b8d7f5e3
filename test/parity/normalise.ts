/**
 * Normalising what spark-submit created, so that two captures of the same application are equal and
 * a deterministic builder can be compared with them. Only two kinds of things change:
 *
 * 1. Random or run-specific values become placeholders, everywhere they occur (names, labels, env,
 *    `spark.properties`, pod templates), see {@link PLACEHOLDERS}.
 * 2. Fields that the API server (defaulting, admission) wrote and spark-submit did not send are
 *    removed, see {@link SERVER_SET_FIELDS}.
 * 3. One list whose order Spark changes from run to run is sorted: `SPARK_LOCAL_DIRS` with several
 *    `spark-local-dir-*` mounts (the volumes and mounts themselves come in a stable order).
 *
 * Everything else is kept exactly as stored.
 */
import { parseProperties } from './properties';

/** A Kubernetes object as read back with `kubectl get -o json`. */
export type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown> & { name: string; uid: string } };

/** What one submission created, as read from the API server. */
export interface RawCapture {
  readonly driverPod: KubeObject;
  /** Every Service owned by the driver pod. */
  readonly services: readonly KubeObject[];
  /** Every ConfigMap owned by the driver pod. */
  readonly configMaps: readonly KubeObject[];
}

/** Values of the capture run that are not in the objects' own metadata. */
export interface CaptureContext {
  /** `metadata.uid` of the SparkApplication the pod templates name as owner. */
  readonly appUid: string;
  /** The API server's port (it is on 127.0.0.1, a fresh free port per run). */
  readonly apiServerPort: number;
}

/** The normalised capture: what a golden file holds besides the submission itself. */
export interface NormalisedCapture {
  readonly driverPod: Record<string, unknown>;
  readonly services: Array<Record<string, unknown>>;
  readonly configMaps: Array<Record<string, unknown>>;
  /** The driver ConfigMap's `spark.properties`, parsed and sorted by key (its file order is Java's hash order). */
  readonly sparkProperties: Record<string, string>;
}

/** The placeholders, and what each stands for. */
export const PLACEHOLDERS = {
  '<APP_ID>': 'spark.app.id and label spark-app-selector: "spark-" + 32 random hex digits',
  '<RESOURCE_ID>': 'the random part of the resource name prefix (3 random bytes + time in hex, KubernetesUtils.uniqueID) in the driver Service name and the executor pod template ConfigMap name',
  '<SVC_ID>': 'the fresh random id of the fallback Service name spark-<id>-driver-svc, used when <app>-<RESOURCE_ID>-driver-svc would be longer than 63 characters',
  '<CONF_MAP_ID>': 'the (separate) random id in the driver ConfigMap name spark-drv-<id>-conf-map',
  '<LOCAL_DIR_UUID>': 'the random UUID of the default local dir /var/data/spark-<uuid> (SPARK_LOCAL_DIRS and its emptyDir mount)',
  '<APP_UID>': 'metadata.uid of the SparkApplication (owner in the pod templates)',
  '<DRIVER_POD_UID>': 'metadata.uid of the driver pod (owner of the Service and ConfigMaps)',
  '<APISERVER_PORT>': 'the loopback port of this run\'s kube-apiserver (in spark.master and --master)',
  '<DATE>': 'the date line that Properties.store writes as the second line of spark.properties',
  '<SUBMIT_TIME>': 'spark.app.submitTime: the submitter\'s clock in epoch milliseconds',
} as const;

/** Fields removed from the stored objects because the API server, not spark-submit, set them. */
export const SERVER_SET_FIELDS = [
  'metadata: uid, resourceVersion, creationTimestamp, generation, managedFields',
  'status (all of it)',
  'Pod spec.nodeName (the scheduler)',
  'Pod defaults: spec.dnsPolicy=ClusterFirst, spec.schedulerName=default-scheduler, spec.securityContext={}, ' +
    'spec.terminationGracePeriodSeconds=30, spec.enableServiceLinks=true, spec.preemptionPolicy=PreemptLowerPriority, spec.priority=0',
  'Pod spec.serviceAccount / serviceAccountName = "default" (ServiceAccount admission, when Spark sets none)',
  'Pod spec.tolerations node.kubernetes.io/not-ready and /unreachable with tolerationSeconds 300 (DefaultTolerationSeconds admission)',
  'the projected service-account token volume kube-api-access-* and its mount in every container (ServiceAccount admission)',
  'container defaults: terminationMessagePath=/dev/termination-log, terminationMessagePolicy=File',
  'volume defaults: configMap/secret/projected defaultMode=420, hostPath type=""',
  'Service defaults: spec.clusterIPs, spec.sessionAffinity=None, spec.type=ClusterIP, spec.internalTrafficPolicy=Cluster, ports[].protocol=TCP',
] as const;

/** Normalises one capture (see the module comment). Pure: `raw` is not changed. */
export function normaliseCapture(raw: RawCapture, context: CaptureContext): NormalisedCapture {
  const replacements = placeholderValues(raw, context);
  const replace = (s: string): string => {
    let out = s;
    for (const [value, placeholder] of replacements) {
      out = out.split(value).join(placeholder);
    }
    return out
      .replace(/(\/var\/data\/spark-)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '$1<LOCAL_DIR_UUID>')
      .replace(/(127\.0\.0\.1(?:\\)?:)\d+/g, '$1<APISERVER_PORT>')
      .replace(/^(spark\.app\.submitTime=)\d+$/gm, '$1<SUBMIT_TIME>')
      // The second comment line of Properties.store: "#Tue Aug 18 10:00:00 UTC 2026".
      .replace(/^#[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} [A-Za-z+\-\d]+ \d{4}$/gm, '#<DATE>');
  };
  const driverPod = mapStrings(stripPod(raw.driverPod), replace);
  const services = raw.services.map((s) => mapStrings(stripService(s), replace)).sort(byName);
  const configMaps = raw.configMaps.map((c) => mapStrings(stripMetadata(c), replace)).sort(byName);
  const driverConf = configMaps.find((c) => typeof (c.data as Record<string, string> | undefined)?.['spark.properties'] === 'string');
  const sparkProperties = driverConf ? parseProperties((driverConf.data as Record<string, string>)['spark.properties']) : {};
  return { driverPod, services, configMaps, sparkProperties };
}

/** Exact run-specific values found in the objects, longest first so no value is cut by a shorter one. */
function placeholderValues(raw: RawCapture, context: CaptureContext): Array<[string, string]> {
  const pairs: Array<[string, string]> = [
    [context.appUid, '<APP_UID>'],
    [raw.driverPod.metadata.uid, '<DRIVER_POD_UID>'],
  ];
  const labels = (raw.driverPod.metadata.labels ?? {}) as Record<string, string>;
  const appId = labels['spark-app-selector'];
  if (!appId || !/^spark-[0-9a-f]{32}$/.test(appId)) {
    throw new Error(`driver pod ${raw.driverPod.metadata.name} has no spark-app-selector label of the form spark-<32 hex> (got '${appId}')`);
  }
  pairs.push([appId, '<APP_ID>']);
  // The resource name prefix '<app name>-<id>' names the executor pod template ConfigMap and,
  // unless too long, the Service. A too-long Service name falls back to 'spark-<id>-driver-svc' with
  // a second, fresh id (KubernetesUtils.uniqueID is called again).
  const podSpecIds = raw.configMaps.map((cm) => /-([0-9a-f]{7,})-driver-podspec-conf-map$/.exec(cm.metadata.name)?.[1]).filter(Boolean);
  const serviceIds = raw.services.map((svc) => {
    const m = /-([0-9a-f]{7,})-driver-svc$/.exec(svc.metadata.name);
    if (!m) {
      throw new Error(`Service ${svc.metadata.name} does not end in -<hex>-driver-svc`);
    }
    return m[1];
  });
  const resourceId = podSpecIds[0] ?? serviceIds[0];
  if (resourceId) {
    pairs.push([`-${resourceId}-`, '-<RESOURCE_ID>-']);
  }
  for (const id of serviceIds.filter((i) => i !== resourceId)) {
    pairs.push([`spark-${id}-driver-svc`, 'spark-<SVC_ID>-driver-svc']);
  }
  for (const cm of raw.configMaps) {
    const m = /^spark-drv-([0-9a-f]{7,})-conf-map$/.exec(cm.metadata.name);
    if (m) {
      pairs.push([`spark-drv-${m[1]}-`, 'spark-drv-<CONF_MAP_ID>-']);
    }
  }
  return pairs.sort(([a], [b]) => b.length - a.length);
}

const DEFAULT_TOLERATION_KEYS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);

function stripPod(pod: KubeObject): Record<string, unknown> {
  const out = stripMetadata(pod);
  const spec = { ...(out.spec as Record<string, unknown>) };
  delete spec.nodeName;
  removeIf(spec, 'dnsPolicy', 'ClusterFirst');
  removeIf(spec, 'schedulerName', 'default-scheduler');
  removeIf(spec, 'terminationGracePeriodSeconds', 30);
  removeIf(spec, 'enableServiceLinks', true);
  removeIf(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  removeIf(spec, 'priority', 0);
  removeIf(spec, 'serviceAccount', 'default');
  removeIf(spec, 'serviceAccountName', 'default');
  if (isEmptyObject(spec.securityContext)) delete spec.securityContext;
  const tolerations = ((spec.tolerations ?? []) as Array<Record<string, unknown>>)
    .filter((t) => !(DEFAULT_TOLERATION_KEYS.has(t.key as string) && t.tolerationSeconds === 300 && t.effect === 'NoExecute'));
  if (tolerations.length > 0) spec.tolerations = tolerations; else delete spec.tolerations;
  const isTokenVolume = (name: unknown) => typeof name === 'string' && /^kube-api-access-[a-z0-9]{5}$/.test(name);
  const volumes = ((spec.volumes ?? []) as Array<Record<string, unknown>>).filter((v) => !isTokenVolume(v.name)).map(stripVolume);
  if (volumes.length > 0) spec.volumes = volumes; else delete spec.volumes;
  for (const field of ['containers', 'initContainers']) {
    if (Array.isArray(spec[field])) {
      spec[field] = (spec[field] as Array<Record<string, unknown>>).map((c) => {
        const container = { ...c };
        removeIf(container, 'terminationMessagePath', '/dev/termination-log');
        removeIf(container, 'terminationMessagePolicy', 'File');
        if (Array.isArray(container.env)) {
          container.env = (container.env as Array<Record<string, unknown>>).map((e) =>
            e.name === 'SPARK_LOCAL_DIRS' && typeof e.value === 'string' ? { ...e, value: e.value.split(',').sort().join(',') } : e);
        }
        const mounts = ((container.volumeMounts ?? []) as Array<Record<string, unknown>>).filter((m) => !isTokenVolume(m.name));
        if (mounts.length > 0) container.volumeMounts = mounts; else delete container.volumeMounts;
        return container;
      });
    }
  }
  out.spec = spec;
  return out;
}

function stripVolume(volume: Record<string, unknown>): Record<string, unknown> {
  const out = { ...volume };
  for (const kind of ['configMap', 'secret', 'projected']) {
    if (out[kind] && typeof out[kind] === 'object') {
      const source = { ...(out[kind] as Record<string, unknown>) };
      removeIf(source, 'defaultMode', 420);
      out[kind] = source;
    }
  }
  if (out.hostPath && typeof out.hostPath === 'object') {
    const source = { ...(out.hostPath as Record<string, unknown>) };
    removeIf(source, 'type', '');
    out.hostPath = source;
  }
  return out;
}

function stripService(svc: KubeObject): Record<string, unknown> {
  const out = stripMetadata(svc);
  const spec = { ...(out.spec as Record<string, unknown>) };
  delete spec.clusterIPs;
  removeIf(spec, 'sessionAffinity', 'None');
  removeIf(spec, 'type', 'ClusterIP');
  removeIf(spec, 'internalTrafficPolicy', 'Cluster');
  if (Array.isArray(spec.ports)) {
    spec.ports = (spec.ports as Array<Record<string, unknown>>).map((p) => {
      const port = { ...p };
      removeIf(port, 'protocol', 'TCP');
      return port;
    });
  }
  out.spec = spec;
  return out;
}

function stripMetadata(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj };
  const metadata = { ...obj.metadata };
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) {
    delete metadata[f];
  }
  out.metadata = metadata;
  delete out.status;
  return out;
}

function removeIf(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (obj[key] === value) {
    delete obj[key];
  }
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function byName(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const na = (a.metadata as { name: string }).name;
  const nb = (b.metadata as { name: string }).name;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** A deep copy of `value` with `fn` applied to every string, object keys included. */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') {
    return fn(value) as T;
  }
  if (Array.isArray(value)) {
    return value.map((v) => mapStrings(v, fn)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fn(k), mapStrings(v, fn)])) as T;
  }
  return value;
}

/**
 * The oracle's invocation with the same run-specific values replaced as in the objects (the API
 * server's port, the SparkApplication's uid), so that it can be kept in a golden file.
 */
export function normaliseRunValues<T>(value: T, context: CaptureContext): T {
  return mapStrings(value, (s) => s.split(context.appUid).join('<APP_UID>').replace(/(127\.0\.0\.1(?:\\)?:)\d+/g, '$1<APISERVER_PORT>'));
}
