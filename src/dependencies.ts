/**
 * What Spark fetches or puts on the class path before the application starts (`spec.deps`).
 *
 * Paths are URLs Spark understands: `local://` (inside the image), `s3a://`, `gs://`, `https://` ...
 */
export interface SparkDependencies {
  /**
   * Jars on the driver and executor class path (`--jars`).
   *
   * @default - none
   */
  readonly jars?: string[];

  /**
   * Files placed in the working directory of each pod (`--files`).
   *
   * @default - none
   */
  readonly files?: string[];

  /**
   * Python files or archives on the `PYTHONPATH` (`--py-files`).
   *
   * @default - none
   */
  readonly pyFiles?: string[];

  /**
   * Maven coordinates `groupId:artifactId:version` resolved with Ivy (`--packages`).
   *
   * @default - none
   */
  readonly packages?: string[];

  /**
   * `groupId:artifactId` to leave out while resolving `packages` (`--exclude-packages`).
   *
   * @default - none
   */
  readonly excludePackages?: string[];

  /**
   * Extra Maven repositories for `packages` (`--repositories`).
   *
   * @default - Maven Central
   */
  readonly repositories?: string[];

  /**
   * Archives extracted into the working directory of each pod (`--archives`).
   *
   * @default - none
   */
  readonly archives?: string[];
}
