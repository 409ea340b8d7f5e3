/**
 * Step 11, `LocalDirsFeatureStep`: `SPARK_LOCAL_DIRS`. When the container already mounts
 * `spark-local-dir-*` volumes, those paths; otherwise an emptyDir `spark-local-dir-<i>` per
 * directory of `spark.local.dir` (default `/var/data/spark-<uuid>`), in memory when
 * `spark.kubernetes.local.dirs.tmpfs` is true.
 */
import { LOCAL_DIR_VOLUME_PREFIX } from '../../../core';
import { SparkPod, addEnv, addMounts, addVolumes } from '../pod-and-container';
import { DriverConf } from './driver-conf';
import { DriverFeatureStep } from './feature-step';

/** Step 11. */
export const localDirsStep: DriverFeatureStep = {
  sparkStep: 'LocalDirsFeatureStep',
  configurePod({ pod, container }: SparkPod, conf: DriverConf): SparkPod {
    const mounted = (container.volumeMounts ?? []).filter((m) => m.name.startsWith(LOCAL_DIR_VOLUME_PREFIX)).map((m) => m.mountPath);
    if (mounted.length > 0) {
      return { pod, container: addEnv(container, { name: 'SPARK_LOCAL_DIRS', value: mounted.join(',') }) };
    }
    const dirs = (conf.conf.get('spark.local.dir') ?? conf.defaultLocalDir).split(',');
    const tmpfs = conf.conf.get('spark.kubernetes.local.dirs.tmpfs') === 'true';
    const names = dirs.map((_, i) => `${LOCAL_DIR_VOLUME_PREFIX}${i + 1}`);
    return {
      pod: addVolumes(pod, ...names.map((name) => ({ name, emptyDir: tmpfs ? { medium: 'Memory' } : {} }))),
      container: addMounts(
        addEnv(container, { name: 'SPARK_LOCAL_DIRS', value: dirs.join(',') }),
        ...names.map((name, i) => ({ name, mountPath: dirs[i] })),
      ),
    };
  },
};
