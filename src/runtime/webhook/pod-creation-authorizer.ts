/**
 * May this user create pods (or the other objects an application makes the operator create) in
 * this namespace? Asked of the API server with a SubjectAccessReview
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access), as
 * the user of an AdmissionReview, and remembered for a few seconds so that a burst of applications
 * from one user costs one review. The cache is bounded; concurrent questions share one review.
 */
import { AdmissionUser } from './admission-review';
import { Clock } from '../../kube/clock';

/** How long an answer is reused: short, so that a revoked Role takes effect within seconds. */
export const AUTHORIZATION_CACHE_TTL_MS = 10_000;
/**
 * An answer older than this is still used, and asked again in the background, so that a user who
 * keeps creating applications never waits on a review once the first answer is in.
 */
export const AUTHORIZATION_REFRESH_AFTER_MS = AUTHORIZATION_CACHE_TTL_MS / 2;
/** The most answers kept; the oldest go first. */
export const AUTHORIZATION_CACHE_SIZE = 4096;
/** The API server's answer. */
export interface PodCreationAnswer {
  readonly allowed: boolean;
  /** The authorizer's reason, when it gave one. */
  readonly reason?: string;
}

/** A kind of object the operator creates for an application. */
export interface CreatedResource {
  /** The API group (`''` for core). */
  readonly group: string;
  /** The plural resource name. */
  readonly resource: string;
}

/** Pods: every application makes the operator create its driver. */
export const PODS: CreatedResource = { group: '', resource: 'pods' };
/** Ingresses: an application with `driverIngressOptions` makes the operator create one per entry, at a host of its choosing. */
export const INGRESSES: CreatedResource = { group: 'networking.k8s.io', resource: 'ingresses' };
/** Services: a SparkConnect's `spec.server.service.spec` makes the operator create a Service of the user's design (its type, its external IPs). */
export const SERVICES: CreatedResource = { group: '', resource: 'services' };

/** Asks the API server; rejects when it cannot answer. */
export type SubjectAccessReviewer = (user: AdmissionUser, namespace: string, resource: CreatedResource) => Promise<PodCreationAnswer>;

/** Tells of each question whether the cache answered it. */
export type CacheObserver = (hit: boolean) => void;

/** The cache key of a question: everything the authorizer judges by. */
function keyOf(user: AdmissionUser, namespace: string, resource: CreatedResource): string {
  return JSON.stringify([resource.group, resource.resource, namespace, user.username, user.uid ?? '', [...user.groups ?? []].sort(), user.extra ?? {}]);
}

/** Answers "may `user` create `resource` in `namespace`?", from the cache while the answer is fresh. */
export class PodCreationAuthorizer {
  private readonly answers = new Map<string, { answer: PodCreationAnswer; at: number }>();
  private readonly inFlight = new Map<string, Promise<PodCreationAnswer>>();

  constructor(
    private readonly review: SubjectAccessReviewer,
    private readonly clock: Clock,
    private readonly observe: CacheObserver = () => undefined,
  ) {}

  /** The answer; rejects when the API server could not be asked (the caller refuses then). */
  public async mayCreate(user: AdmissionUser, namespace: string, resource: CreatedResource = PODS): Promise<PodCreationAnswer> {
    const key = keyOf(user, namespace, resource);
    const now = this.clock.now().getTime();
    const cached = this.answers.get(key);
    if (cached && now - cached.at < AUTHORIZATION_CACHE_TTL_MS) {
      this.observe(true);
      if (now - cached.at >= AUTHORIZATION_REFRESH_AFTER_MS && !this.inFlight.has(key)) {
        // A failed refresh changes nothing: the answer expires as it would have.
        this.ask(key, user, namespace, resource).catch(() => undefined);
      }
      return cached.answer;
    }
    this.observe(false);
    return this.inFlight.get(key) ?? this.ask(key, user, namespace, resource);
  }

  private ask(key: string, user: AdmissionUser, namespace: string, resource: CreatedResource): Promise<PodCreationAnswer> {
    const asked = this.review(user, namespace, resource).then((answer) => {
      this.remember(key, answer, this.clock.now().getTime());
      return answer;
    }).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, asked);
    return asked;
  }

  /** How many answers the cache holds. */
  public get cachedAnswers(): number {
    return this.answers.size;
  }

  private remember(key: string, answer: PodCreationAnswer, at: number): void {
    this.answers.delete(key);
    this.answers.set(key, { answer, at });
    while (this.answers.size > AUTHORIZATION_CACHE_SIZE) this.answers.delete(this.answers.keys().next().value!);
  }
}
