/**
 * `spark.kubernetes.<role>.volumes.<type>.<name>.{mount,options}.*` read as Spark's
 * `KubernetesVolumeUtils.parseVolumesWithPrefix` reads them
 * (https://github.com/apache/spark/blob/master/resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/KubernetesVolumeUtils.scala):
 * the rules refuse what Spark would refuse, the submission mounts what it reads.
 */
import { Volume, VolumeMount } from '../api';
import { SparkConfMap } from './spark-conf-map';

/** The volume types Spark mounts from configuration. */
export const SPARK_VOLUME_TYPES = ['hostPath', 'emptyDir', 'nfs', 'persistentVolumeClaim'] as const;
/** One of {@link SPARK_VOLUME_TYPES}. */
export type SparkVolumeType = typeof SPARK_VOLUME_TYPES[number];

/** One volume of the configuration. */
export interface SparkVolumeConf {
  readonly type: SparkVolumeType;
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly subPathExpr?: string;
  readonly readOnly: boolean;
  readonly options: Readonly<Record<string, string>>;
}

/** A configuration entry Spark would refuse, with the reason. */
export interface VolumeConfProblem {
  readonly key: string;
  readonly message: string;
}

const REQUIRED_OPTIONS: Record<SparkVolumeType, readonly string[]> = {
  hostPath: ['path'],
  emptyDir: [],
  nfs: ['path', 'server'],
  persistentVolumeClaim: ['claimName'],
};

/** The volumes under `prefix` (`spark.kubernetes.driver.volumes.`), in the order of their first key, and what is wrong with any. */
export function parseVolumeConf(conf: Pick<SparkConfMap, 'withPrefix'>, prefix: string): { volumes: SparkVolumeConf[]; problems: VolumeConfProblem[] } {
  const byName = new Map<string, { type: string; entries: Map<string, string> }>();
  const problems: VolumeConfProblem[] = [];
  for (const [rest, value] of conf.withPrefix(prefix)) {
    const [type, name, ...keyParts] = rest.split('.');
    if (name === undefined || keyParts.length < 2) {
      problems.push({ key: `${prefix}${rest}`, message: `is not a volume setting: use ${prefix}<type>.<name>.mount.<key> or .options.<key>` });
      continue;
    }
    const id = `${type}.${name}`;
    const volume = byName.get(id) ?? { type, entries: new Map<string, string>() };
    volume.entries.set(keyParts.join('.'), value);
    byName.set(id, volume);
  }
  const volumes: SparkVolumeConf[] = [];
  for (const [id, { type, entries }] of byName) {
    const name = id.slice(type.length + 1);
    const base = `${prefix}${id}`;
    if (!(SPARK_VOLUME_TYPES as readonly string[]).includes(type)) {
      problems.push({ key: `${base}.*`, message: `uses the volume type '${type}', which Spark does not mount: use one of ${SPARK_VOLUME_TYPES.join(', ')}` });
      continue;
    }
    const volumeType = type as SparkVolumeType;
    const mountPath = entries.get('mount.path');
    if (!mountPath) {
      problems.push({ key: `${base}.mount.path`, message: 'is required' });
      continue;
    }
    const missing = REQUIRED_OPTIONS[volumeType].filter((o) => !entries.get(`options.${o}`));
    if (missing.length > 0) {
      problems.push({ key: `${base}.options.${missing[0]}`, message: `is required for a ${type} volume` });
      continue;
    }
    const options = Object.fromEntries([...entries].filter(([k]) => k.startsWith('options.')).map(([k, v]) => [k.slice('options.'.length), v]));
    volumes.push({
      type: volumeType,
      name,
      mountPath,
      subPath: entries.get('mount.subPath') || undefined,
      subPathExpr: entries.get('mount.subPathExpr') || undefined,
      readOnly: entries.get('mount.readOnly') === 'true',
      options,
    });
  }
  return { volumes, problems };
}

/** The options of each volume type that a `spark-local-dir-*` volume passes to Spark. */
const LOCAL_DIR_OPTIONS: Record<SparkVolumeType, readonly string[]> = {
  hostPath: ['path', 'type'],
  emptyDir: ['medium', 'sizeLimit'],
  nfs: ['path', 'server'],
  persistentVolumeClaim: ['claimName'],
};

/**
 * Sets `spark.kubernetes.<role>.volumes.<type>.<name>.*` for a `spark-local-dir-*` mount of `volume`
 * (upstream's `addLocalDirConfOptions`): the submission writes them, the rules read them back with
 * {@link parseVolumeConf}. A volume of another type sets nothing (the rules refuse it).
 */
export function setLocalDirVolumeConf(conf: Pick<SparkConfMap, 'set'>, role: 'driver' | 'executor', mount: VolumeMount, volume: Volume): void {
  const type = SPARK_VOLUME_TYPES.find((t) => volume[t] !== undefined && volume[t] !== null);
  if (!type) return;
  const source = volume[type] as Record<string, unknown>;
  const base = `spark.kubernetes.${role}.volumes.${type}.${mount.name}`;
  conf.set(`${base}.mount.path`, mount.mountPath);
  conf.set(`${base}.mount.subPath`, mount.subPath || undefined);
  conf.set(`${base}.mount.readOnly`, mount.readOnly === true ? 'true' : undefined);
  for (const option of LOCAL_DIR_OPTIONS[type]) {
    const value = source[option];
    if (value !== undefined && value !== '') conf.set(`${base}.options.${option}`, String(value));
  }
}
