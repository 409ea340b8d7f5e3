import * as path from 'node:path';
// eslint 9 keeps the eslintrc engine that projen's configuration needs under this entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LegacyESLint } = require('eslint/use-at-your-own-risk');

const ROOT = path.resolve(__dirname, '..', '..');

const RULE = 'import/no-restricted-paths';

/**
 * The messages of the project's own layering rule (as `.projenrc.ts` configures it) for `code`
 * placed at `file`. Only that rule runs: the type-aware rules would need the file on disk.
 */
async function layeringErrors(file: string, code: string): Promise<string[]> {
  const filePath = path.join(ROOT, file);
  const project = await new LegacyESLint({ cwd: ROOT, useEslintrc: true }).calculateConfigForFile(filePath);
  const eslint = new LegacyESLint({
    cwd: ROOT,
    useEslintrc: false,
    overrideConfig: {
      parser: project.parser,
      plugins: ['import'],
      settings: project.settings,
      rules: { [RULE]: project.rules[RULE] },
    },
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages
    .filter((m: { ruleId: string | null }) => m.ruleId === RULE)
    .map((m: { message: string }) => m.message);
}

describe('the layering lint (import/no-restricted-paths in .projenrc.ts)', () => {
  test.each([
    ['src/core/probe.ts', "import { SparkRole } from '../spark-pod';\nexport const p = SparkRole.DRIVER;\n",
      'Unexpected path "../spark-pod" imported in restricted zone. src/core (the shared rules) imports only src/api.'],
    ['src/api/probe.ts', "import { validate } from '../core';\nexport const p = validate;\n",
      'Unexpected path "../core" imported in restricted zone. src/api (the wire model) imports nothing of ours.'],
    ['src/runtime/probe.ts', "import { SparkApplication } from '../spark-application';\nexport const p = SparkApplication;\n",
      'Unexpected path "../spark-application" imported in restricted zone. src/runtime imports only src/api, src/core, src/crds, src/kube and src/manifests.'],
    ['src/cli/probe.ts', "import { makeClusterScoped } from '../util/cluster-scoped';\nexport const p = makeClusterScoped;\n",
      'Unexpected path "../util/cluster-scoped" imported in restricted zone. src/cli imports only src/api, src/core, src/crds, src/kube and src/manifests.'],
    ['src/kube/probe.ts', "import { jsonLogger } from '../runtime/telemetry/log';\nexport const p = jsonLogger;\n",
      'Unexpected path "../runtime/telemetry/log" imported in restricted zone. src/kube (the Kubernetes client) imports only src/api and src/core.'],
    ['src/kube/probe.ts', "import { CliError } from '../cli/errors';\nexport const p = CliError;\n",
      'Unexpected path "../cli/errors" imported in restricted zone. src/kube (the Kubernetes client) imports only src/api and src/core.'],
    ['src/kube/probe.ts', "import { SparkRole } from '../spark-pod';\nexport const p = SparkRole.DRIVER;\n",
      'Unexpected path "../spark-pod" imported in restricted zone. src/kube (the Kubernetes client) imports only src/api and src/core.'],
    ['src/manifests/probe.ts', "import { render } from '../runtime/render/render';\nexport const p = render;\n",
      'Unexpected path "../runtime/render/render" imported in restricted zone. src/manifests imports only src/api, src/core and src/crds.'],
    ['src/spark-crds.ts', "import { MAX_DOCUMENTS } from './manifests/yaml-documents';\nexport const p = MAX_DOCUMENTS;\n",
      'Unexpected path "./manifests/yaml-documents" imported in restricted zone. The construct library never imports the runtime, the CLI, the Kubernetes client or the manifest reader.'],
    ['src/spark-operator.ts', "import { RestClient } from './kube/rest';\nexport const p = RestClient;\n",
      'Unexpected path "./kube/rest" imported in restricted zone. The construct library never imports the runtime, the CLI, the Kubernetes client or the manifest reader.'],
  ])('refuses a forbidden import in %s', async (file, code, message) => {
    expect(await layeringErrors(file, code)).toEqual([message]);
  });

  test('allows what the layers may import', async () => {
    expect(await layeringErrors('src/core/probe.ts', "import { LABELS } from '../api';\nexport const p = LABELS;\n")).toEqual([]);
    expect(await layeringErrors('src/runtime/probe.ts', "import { validate } from '../core';\nimport { sparkApplicationCrd } from '../crds';\nexport const p = [validate, sparkApplicationCrd];\n")).toEqual([]);
    expect(await layeringErrors('src/kube/probe.ts', "import { LABELS } from '../api';\nimport { LOG_LEVELS } from '../core';\nexport const p = [LABELS, LOG_LEVELS];\n")).toEqual([]);
    expect(await layeringErrors('src/runtime/probe.ts', "import { RestClient } from '../kube/rest';\nexport const p = RestClient;\n")).toEqual([]);
    expect(await layeringErrors('src/cli/probe.ts', "import { KubeError } from '../kube/rest';\nexport const p = KubeError;\n")).toEqual([]);
    expect(await layeringErrors('src/spark-crds.ts', "import { validate } from './core';\nexport const p = validate;\n")).toEqual([]);
  });
});
