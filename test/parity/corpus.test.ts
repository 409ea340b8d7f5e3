import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCorpus, paritySubmissionId } from './corpus';
import { GOLDEN_DIR, readGolden } from './golden';
import { pinnedSparkVersions } from './pyspark';
import { sparkSubmitArgs } from './spark-submit-args';

const corpus = loadCorpus();

test('the corpus has at least 15 applications, each for a pinned Spark version, and every pinned version is used', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(15);
  const pinned = pinnedSparkVersions();
  expect(pinned).toEqual(['3.5.9', '4.0.5']);
  expect(corpus.filter((e) => !pinned.includes(e.app.spec.sparkVersion)).map((e) => e.id)).toEqual([]);
  expect(new Set(corpus.map((e) => e.app.spec.sparkVersion))).toEqual(new Set(pinned));
});

test('there is exactly one golden file per corpus application, under its Spark version', () => {
  const expected = corpus.map((e) => `${e.app.spec.sparkVersion}/${e.id}.json`).sort();
  const actual = fs.readdirSync(GOLDEN_DIR).flatMap((v) => fs.readdirSync(path.join(GOLDEN_DIR, v)).map((f) => `${v}/${f}`)).sort();
  expect(actual).toEqual(expected);
});

// The goldens keep the oracle's invocation: a change of the oracle shows here at once, without a JVM
// (the live e2e test then shows what spark-submit makes of it).
test.each(corpus.map((e) => [e.id, e] as const))('the oracle still gives the submission recorded in the golden file of %s', (_id, entry) => {
  // GIVEN the run values the goldens hold as placeholders
  const options = { apiServer: 'https://127.0.0.1:<APISERVER_PORT>', submissionId: paritySubmissionId(entry.app), appUid: '<APP_UID>' };
  // WHEN
  const invocation = sparkSubmitArgs(entry.app, options);
  // THEN
  expect(invocation).toEqual(readGolden(entry.app.spec.sparkVersion, entry.id).submit);
});

test('the submission id is a stable version-4-shaped UUID per namespace and name', () => {
  const app = corpus[0].app;
  expect(paritySubmissionId(app)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(paritySubmissionId(app)).toBe(paritySubmissionId(JSON.parse(JSON.stringify(app))));
  expect(paritySubmissionId({ ...app, metadata: { ...app.metadata, name: 'other' } })).not.toBe(paritySubmissionId(app));
});
