import { AdmissionUser } from '../../../src/runtime/webhook/admission-review';
import {
  AUTHORIZATION_CACHE_SIZE, AUTHORIZATION_CACHE_TTL_MS, AUTHORIZATION_REFRESH_AFTER_MS, PodCreationAnswer, PodCreationAuthorizer,
} from '../../../src/runtime/webhook/pod-creation-authorizer';
import { FakeClock } from '../fake-clock';

const ALICE: AdmissionUser = { username: 'alice', groups: ['b', 'a'] };

/** A reviewer that answers from `allowed` and records each question. */
function recordingReviewer(allowed: (user: AdmissionUser, namespace: string) => boolean) {
  const asked: string[] = [];
  const review = async (user: AdmissionUser, namespace: string): Promise<PodCreationAnswer> => {
    asked.push(`${user.username}@${namespace}`);
    return { allowed: allowed(user, namespace) };
  };
  return { asked, review };
}

describe('PodCreationAuthorizer', () => {
  test('an answer unused for its time to live expires: the next question waits on a review', async () => {
    // GIVEN
    const clock = new FakeClock();
    const hits: boolean[] = [];
    const { asked, review } = recordingReviewer(() => true);
    const authorizer = new PodCreationAuthorizer(review, clock, (hit) => hits.push(hit));

    // WHEN
    await authorizer.mayCreate(ALICE, 'jobs');
    clock.advance(AUTHORIZATION_CACHE_TTL_MS);
    const answer = await authorizer.mayCreate(ALICE, 'jobs');

    // THEN
    expect(answer).toEqual({ allowed: true });
    expect(asked).toEqual(['alice@jobs', 'alice@jobs']);
    expect(hits).toEqual([false, false]);
  });

  test('an answer is used while fresh, and past half its life asked again in the background, so a busy user never waits again', async () => {
    // GIVEN
    const clock = new FakeClock();
    const hits: boolean[] = [];
    const { asked, review } = recordingReviewer(() => true);
    const authorizer = new PodCreationAuthorizer(review, clock, (hit) => hits.push(hit));

    // WHEN
    await authorizer.mayCreate(ALICE, 'jobs');
    clock.advance(AUTHORIZATION_REFRESH_AFTER_MS - 1);
    await authorizer.mayCreate({ ...ALICE, groups: ['a', 'b'] }, 'jobs');
    const askedBeforeRefresh = asked.length;
    clock.advance(1);
    await authorizer.mayCreate(ALICE, 'jobs');
    await new Promise((resolve) => setImmediate(resolve));
    // past the first answer's expiry: the refreshed one answers (and is itself refreshed)
    clock.advance(AUTHORIZATION_CACHE_TTL_MS - AUTHORIZATION_REFRESH_AFTER_MS + 1);
    await authorizer.mayCreate(ALICE, 'jobs');

    // THEN
    expect(askedBeforeRefresh).toBe(1);
    expect(asked).toEqual(['alice@jobs', 'alice@jobs', 'alice@jobs']);
    expect(hits).toEqual([false, true, true, true]);
  });

  test('users, groups and namespaces are told apart', async () => {
    // GIVEN
    const { asked, review } = recordingReviewer((user, namespace) => user.username === 'alice' && namespace === 'jobs');
    const authorizer = new PodCreationAuthorizer(review, new FakeClock());

    // WHEN
    const answers = [
      await authorizer.mayCreate(ALICE, 'jobs'),
      await authorizer.mayCreate(ALICE, 'other'),
      await authorizer.mayCreate({ username: 'alice', groups: ['admins'] }, 'jobs'),
      await authorizer.mayCreate({ username: 'bob', groups: ['b', 'a'] }, 'jobs'),
    ];

    // THEN
    expect(answers.map((a) => a.allowed)).toEqual([true, false, true, false]);
    expect(asked).toHaveLength(4);
  });

  test('concurrent questions share one review', async () => {
    // GIVEN
    const { asked, review } = recordingReviewer(() => false);
    const authorizer = new PodCreationAuthorizer(review, new FakeClock());

    // WHEN
    const answers = await Promise.all([1, 2, 3].map(() => authorizer.mayCreate(ALICE, 'jobs')));

    // THEN
    expect(answers).toEqual([{ allowed: false }, { allowed: false }, { allowed: false }]);
    expect(asked).toEqual(['alice@jobs']);
  });

  test('a failed review is not remembered: the next question asks again', async () => {
    // GIVEN
    let calls = 0;
    const authorizer = new PodCreationAuthorizer(async () => {
      calls++;
      if (calls === 1) throw new Error('connection refused');
      return { allowed: true };
    }, new FakeClock());

    // WHEN / THEN
    await expect(authorizer.mayCreate(ALICE, 'jobs')).rejects.toThrow('connection refused');
    await expect(authorizer.mayCreate(ALICE, 'jobs')).resolves.toEqual({ allowed: true });
  });

  test('the cache holds at most its bound, dropping the oldest answers', async () => {
    // GIVEN
    const { review } = recordingReviewer(() => true);
    const authorizer = new PodCreationAuthorizer(review, new FakeClock());

    // WHEN
    for (let i = 0; i < AUTHORIZATION_CACHE_SIZE + 10; i++) await authorizer.mayCreate({ username: `user-${i}` }, 'jobs');

    // THEN
    expect(authorizer.cachedAnswers).toBe(AUTHORIZATION_CACHE_SIZE);
  });
});
