import * as kplus from 'cdk8s-plus-28';

/** The volumes of the application that owns a role; roles add the volumes they mount. */
export interface VolumeRegistry {
  /** Adds a volume to the application's `volumes` unless it is there. */
  registerVolume(volume: kplus.Volume): void;
}
