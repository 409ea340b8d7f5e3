import { validateSparkApplication } from '../../src/core';
import { RULE_CASES } from '../fixtures/rule-cases';
import { Cluster } from './harness/cluster';
import { readConnection } from './harness/connection';
import { KubectlError } from './harness/kubectl';
import { installSparkCrds } from './harness/spark-crds';

const cluster = new Cluster(readConnection());
const NAMESPACE = 'e2e-rule-parity';

/** The API server's verdict on creating `doc` (server-side dry run): undefined if accepted, else its message. */
async function apiServerRejection(doc: Record<string, any>): Promise<string | undefined> {
  try {
    await cluster.kubectl(['create', '-f', '-', '--dry-run=server', '-o', 'name'], {
      input: JSON.stringify({ ...doc, metadata: { ...doc.metadata, namespace: NAMESPACE } }),
    });
    return undefined;
  } catch (err) {
    if (err instanceof KubectlError) return err.stderr;
    throw err;
  }
}

beforeAll(async () => {
  await installSparkCrds(cluster);
  await cluster.createNamespace(NAMESPACE);
});

describe('the real API server (schema and CEL rules) gives the same verdicts as validate() and the constructs', () => {
  test.each(RULE_CASES.map((c) => [c.name, c] as const))('%s', async (_, ruleCase) => {
    // WHEN the API server and validate() judge the same document
    const rejection = await apiServerRejection(ruleCase.document);
    const problems = validateSparkApplication({ ...ruleCase.document, metadata: { ...ruleCase.document.metadata, namespace: NAMESPACE } });
    // THEN both give the case's verdict, and a rejection names the rule
    expect(rejection === undefined).toBe(ruleCase.valid);
    expect(problems.length === 0).toBe(ruleCase.valid);
    if (!ruleCase.valid) expect(ruleCase.rules.some((rule) => rejection!.includes(rule))).toBe(true);
  });
});
