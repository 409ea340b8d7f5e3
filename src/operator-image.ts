import { LIBRARY_VERSION } from './version.generated';

// Image reference grammar (distribution/reference), simplified: an optional registry host with an
// optional port, then lowercase path components separated by '/'.
const REPOSITORY = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * The container image that runs the operator: one image for both the `controller` and the `webhook`
 * sub-commands.
 *
 * By default it is `cdk8s-spark/cdk8s-spark-operator` with the tag equal to the version of
 * this library, so upgrading the npm package upgrades the operator in step with the CRDs and flags it
 * renders. Override the tag, pin a digest, or point at a mirror with the static factories.
 */
export class OperatorImage {
  /**
   * The image repository that `OperatorImage.default()` pulls from.
   *
   * This is the name under which the project publishes its runtime image (controller and admission
   * webhook in one image). Until the first release it is a placeholder: mirror the image into your
   * own registry and use `OperatorImage.fromRepository()` if your cluster cannot reach it.
   */
  public static readonly DEFAULT_REPOSITORY = 'cdk8s-spark/cdk8s-spark-operator';

  /**
   * The image built for this version of the library: the default repository, tagged with the
   * library's own version (read from package.json at build time).
   */
  public static default(): OperatorImage {
    return new OperatorImage(OperatorImage.DEFAULT_REPOSITORY, versionTag());
  }

  /**
   * The default repository with another tag, for example a newer patch release of the runtime.
   *
   * @param tag the image tag, e.g. `1.2.3`
   */
  public static fromTag(tag: string): OperatorImage {
    return new OperatorImage(OperatorImage.DEFAULT_REPOSITORY, checkTag(tag));
  }

  /**
   * The default repository pinned to an immutable digest.
   *
   * @param digest the manifest digest, `sha256:` followed by 64 lowercase hex digits
   */
  public static fromDigest(digest: string): OperatorImage {
    return new OperatorImage(OperatorImage.DEFAULT_REPOSITORY, undefined, checkDigest(digest));
  }

  /**
   * Another repository (a mirror or your own build) with a tag.
   *
   * @param repository the repository, e.g. `registry.example.com/mirror/cdk8s-spark-operator`
   * @param tag the image tag; defaults to the version of this library
   */
  public static fromRepository(repository: string, tag?: string): OperatorImage {
    return new OperatorImage(checkRepository(repository), tag === undefined ? versionTag() : checkTag(tag));
  }

  /**
   * Another repository pinned to an immutable digest.
   *
   * @param repository the repository, e.g. `registry.example.com/mirror/cdk8s-spark-operator`
   * @param digest the manifest digest, `sha256:` followed by 64 lowercase hex digits
   */
  public static fromRepositoryDigest(repository: string, digest: string): OperatorImage {
    return new OperatorImage(checkRepository(repository), undefined, checkDigest(digest));
  }

  /** The repository, without tag or digest. */
  public readonly repository: string;

  /**
   * The tag, when the image is referenced by tag.
   *
   * @default - the image is referenced by digest
   */
  public readonly tag?: string;

  /**
   * The digest, when the image is pinned by digest.
   *
   * @default - the image is referenced by tag
   */
  public readonly digest?: string;

  private constructor(repository: string, tag?: string, digest?: string) {
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /** The full image reference for a container's `image` field: `repository:tag` or `repository@digest`. */
  public get reference(): string {
    return this.digest === undefined ? `${this.repository}:${this.tag}` : `${this.repository}@${this.digest}`;
  }
}

/**
 * The library version as an image tag. A tag cannot hold `+` (semver build metadata), so it becomes
 * `_`, the usual substitution.
 */
function versionTag(): string {
  return LIBRARY_VERSION.replace(/\+/g, '_');
}

function checkTag(tag: string): string {
  if (!TAG.test(tag)) {
    throw new Error(`'tag' must be a valid image tag (letters, digits, '_', '.' and '-', at most 128 characters, not starting with '.' or '-') (got ${JSON.stringify(tag)})`);
  }
  return tag;
}

function checkDigest(digest: string): string {
  if (!DIGEST.test(digest)) {
    throw new Error(`'digest' must be 'sha256:' followed by 64 lowercase hex digits (got ${JSON.stringify(digest)})`);
  }
  return digest;
}

function checkRepository(repository: string): string {
  if (!REPOSITORY.test(repository)) {
    throw new Error(`'repository' must be an image repository without tag or digest, e.g. 'registry.example.com/team/cdk8s-spark-operator' (got ${JSON.stringify(repository)})`);
  }
  return repository;
}
