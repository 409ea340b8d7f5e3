import * as kplus from 'cdk8s-plus-28';

/** The application that owns a role (driver or executors), as the role sees it. */
export interface RoleOwner {
  /** Adds a volume to the application's `volumes` unless it is there; roles add the volumes they mount. */
  _registerVolume(volume: kplus.Volume): void;
  /** Checks the application again after the role changed, so that a bad `addX()` call fails at once. */
  _roleChanged(): void;
  /** The error with the application's construct path in its message. */
  _locate(error: unknown): unknown;
}
