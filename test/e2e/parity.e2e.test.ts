// Live drift test of the parity harness (test/parity/README.md): a few corpus applications are
// submitted again with the real spark-submit, and what it creates must equal the committed golden
// files. A change of Spark, of the oracle or of the normalisation shows here; `npm run parity:capture`
// regenerates the goldens on purpose.
import { captureApplication, ParityTarget, prepareParityNamespace } from '../parity/capture';
import { corpusEntry } from '../parity/corpus';
import { readGolden } from '../parity/golden';
import { sparkHomes } from '../parity/pyspark';
import { e2eCluster } from './harness/suite';

// One per pinned Spark version, plus the escaping-heavy one: each submission is a JVM (~8 s).
const LIVE: ReadonlyArray<readonly [string, string]> = [
  ['3.5.9', 'spark-pi'],
  ['3.5.9', 'tricky-arguments'],
  ['4.0.5', 'driver-template-v4'],
];

const cluster = e2eCluster();
let target: ParityTarget;
let homes: Map<string, string>;

beforeAll(async () => {
  homes = await sparkHomes([...new Set(LIVE.map(([v]) => v))]);
  target = await prepareParityNamespace(cluster);
}, 600_000);

afterAll(async () => {
  if (target) {
    await cluster.deleteNamespace(target.namespace);
  }
});

test.each(LIVE)('spark-submit %s creates exactly the golden objects for %s', async (version, id) => {
  // GIVEN
  const entry = corpusEntry(id);
  expect(entry.app.spec.sparkVersion).toBe(version);
  // WHEN
  const captured = await captureApplication(target, entry, homes.get(version) as string);
  // THEN
  expect(captured).toEqual(readGolden(version, id));
});
