/**
 * The volume and mount each `spark.kubernetes.<role>.volumes.*` volume gives, as Spark's
 * `MountVolumesFeatureStep` builds them; `parseVolumeConf()` of `src/core` reads the configuration.
 */
import { Volume, VolumeMount } from '../../api';
import { SparkVersion, SparkVolumeConf, sparkHasFeature } from '../../core';

/** The pod volume of `spec` as the Spark of `version` builds it. */
export function sparkVolume(spec: SparkVolumeConf, version: SparkVersion): Volume {
  const o = spec.options;
  switch (spec.type) {
    case 'hostPath':
      return { name: spec.name, hostPath: { path: o.path, ...o.type && sparkHasFeature(version, 'hostPathVolumeType') ? { type: o.type } : {} } };
    case 'emptyDir':
      return { name: spec.name, emptyDir: { ...o.medium ? { medium: o.medium } : {}, ...o.sizeLimit ? { sizeLimit: o.sizeLimit } : {} } };
    case 'nfs':
      return { name: spec.name, nfs: { path: o.path, server: o.server } };
    case 'persistentVolumeClaim':
      return { name: spec.name, persistentVolumeClaim: { claimName: o.claimName, ...spec.readOnly ? { readOnly: true } : {} } };
  }
}

/** The container's mount of `spec`. */
export function sparkVolumeMount(spec: SparkVolumeConf): VolumeMount {
  return {
    name: spec.name,
    mountPath: spec.mountPath,
    ...spec.subPath ? { subPath: spec.subPath } : {},
    ...spec.subPathExpr ? { subPathExpr: spec.subPathExpr } : {},
    ...spec.readOnly ? { readOnly: true } : {},
  };
}
