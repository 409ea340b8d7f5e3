import { Testing } from 'cdk8s';
import { validateSparkApplication } from '../../src/core';
import { JSONSchemaProps, sparkApplicationCrd } from '../../src/crds';
import { SparkApplication } from '../../src/spark-application';
import { RULE_CASES } from '../fixtures/rule-cases';

describe('validate() and the constructs give the CRD rules the same verdicts (the API server: test/e2e/rule-parity)', () => {
  test.each(RULE_CASES.map((c) => [c.name, c] as const))('%s', (_, ruleCase) => {
    // WHEN each judge looks at the same application
    const problems = validateSparkApplication(ruleCase.document);
    let constructError: unknown;
    let synthesized: any;
    try {
      const chart = Testing.chart();
      new SparkApplication(chart, 'app', ruleCase.props);
      synthesized = Testing.synth(chart)[0];
    } catch (e) {
      constructError = e;
    }
    // THEN they agree with the verdict
    expect(problems.length === 0).toBe(ruleCase.valid);
    expect(constructError === undefined).toBe(ruleCase.valid);
    // and a valid construct renders exactly the document the other judges saw
    if (ruleCase.valid) expect(synthesized.spec).toEqual(ruleCase.document.spec);
  });

  test('the cases cover every CEL rule of the CRD, each on both sides', () => {
    const messages = celMessages(sparkApplicationCrd().spec.versions[0].schema.openAPIV3Schema);
    expect(messages).toHaveLength(6);
    for (const message of messages) {
      const cases = RULE_CASES.filter((c) => c.rules.some((rule) => message.startsWith(rule)));
      expect([message, [...new Set(cases.map((c) => c.valid))].sort()]).toEqual([message, [false, true]]);
    }
  });
});

/** The messages of every CEL rule in a schema, nested ones included. */
function celMessages(schema: JSONSchemaProps): string[] {
  return [
    ...(schema['x-kubernetes-validations'] ?? []).map((v) => v.message),
    ...Object.values(schema.properties ?? {}).flatMap(celMessages),
    ...(schema.items ? celMessages(schema.items) : []),
  ];
}
