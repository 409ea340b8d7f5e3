import * as fs from 'fs';
import * as path from 'path';

/**
 * The public API, as jsii sees it: the `.jsii` assembly that `npm test` compiles first. Every type and
 * member must explain itself (STYLE.md: TSDoc on every public symbol, `@default` on optional props).
 */
const ASSEMBLY = path.join(__dirname, '..', '.jsii');

interface Documented { readonly name?: string; readonly optional?: boolean; readonly docs?: { summary?: string; default?: string } }
interface JsiiType extends Documented {
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly properties?: Documented[];
  readonly methods?: Documented[];
  readonly members?: Documented[];
  readonly locationInModule?: { readonly filename: string };
}

function assembly(): { types: Record<string, JsiiType> } {
  if (!fs.existsSync(ASSEMBLY)) {
    throw new Error(`${ASSEMBLY} is missing: run 'npx projen compile' (npm test does it first)`);
  }
  return JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8'));
}

describe('the public (jsii) API', () => {
  const types = Object.entries(assembly().types);

  test('exports the constructs users need', () => {
    const names = types.map(([fqn]) => fqn);
    for (const construct of ['SparkCrds', 'SparkApplication', 'ScheduledSparkApplication', 'SparkRbac', 'SparkOperator']) {
      expect(names).toContain(`cdk8s-spark.${construct}`);
    }
  });

  test('every type and member has a TSDoc summary', () => {
    const undocumented = types.flatMap(([fqn, type]) => [
      ...(type.docs?.summary ? [] : [fqn]),
      ...[...(type.properties ?? []), ...(type.methods ?? []), ...(type.members ?? [])]
        .filter((m) => !m.docs?.summary).map((m) => `${fqn}.${m.name}`),
    ]);
    expect(undocumented).toEqual([]);
  });

  test('every optional prop documents its default', () => {
    const withoutDefault = types
      .filter(([, type]) => type.kind === 'interface' && type.datatype)
      .flatMap(([fqn, type]) => (type.properties ?? []).filter((p) => p.optional && p.docs?.default === undefined).map((p) => `${fqn}.${p.name}`));
    expect(withoutDefault).toEqual([]);
  });

  test('nothing of the runtime, sparkctl or the wire model leaks into it', () => {
    const leaked = types
      .filter(([, type]) => /^src\/(api|runtime|cli)\//.test(type.locationInModule?.filename ?? ''))
      .map(([fqn]) => fqn);
    expect(types.every(([, type]) => type.locationInModule?.filename.startsWith('src/'))).toBe(true);
    expect(leaked).toEqual([]);
  });
});
