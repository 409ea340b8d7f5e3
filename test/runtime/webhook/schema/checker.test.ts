import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { buildExampleApp } from '../../../../examples/app';
import { ENFORCED_REQUIRED_FIELDS, EmbeddedTypeChecker, SchemaDocumentError } from '../../../../src/runtime/webhook/schema';
import { coreV1OpenApi } from '../../../fixtures/core-v1-openapi';
import { withEveryEmbeddedField } from '../../../fixtures/embedded-fields-app';
import { PLACES, REQUIRED_CASES, definitionField, specFieldsOf } from '../../../fixtures/required-cases';
import { sparkPiSpec } from '../../../fixtures/spark-pi-spec';

// One checker for the file: compiling the validators is the slow part, and it is what is cached.
const checker = EmbeddedTypeChecker.fromDocument(coreV1OpenApi());

/** A SparkApplication of the SparkPi spec with `spec` changed by `edit`. */
function application(edit: (spec: any) => void): any {
  const spec = sparkPiSpec() as any;
  edit(spec);
  return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'pi', namespace: 'jobs' }, spec };
}

const NODE_TERM = 'spec.executor.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]';

describe('refusals: the field path, and a message in the API server\'s field-error style', () => {
  test('a misspelt volume source is an unknown field', () => {
    // GIVEN
    const app = application((spec) => { spec.volumes = [{ name: 'data', hostpath: { path: '/mnt/data' } }]; });

    // WHEN
    const problems = checker.checkObject(app);

    // THEN
    expect(problems).toEqual([{ path: 'spec.volumes[0].hostpath', message: 'unknown field "hostpath"' }]);
  });

  test('a node affinity operator outside the enum is an unsupported value', () => {
    // GIVEN
    const app = application((spec) => {
      spec.executor.affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Inn', values: ['a'] }] }] } },
      };
    });

    // WHEN
    const problems = checker.checkObject(app);

    // THEN
    expect(problems).toEqual([{
      path: `${NODE_TERM}.matchExpressions[0].operator`,
      message: 'Unsupported value: "Inn": supported values: "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"',
    }]);
  });

  test('a toleration effect outside the enum is an unsupported value', () => {
    // GIVEN
    const app = application((spec) => { spec.driver.tolerations = [{ key: 'spot', operator: 'Exists', effect: 'NoSchedul' }]; });

    // WHEN
    const problems = checker.checkObject(app);

    // THEN
    expect(problems).toEqual([{
      path: 'spec.driver.tolerations[0].effect',
      message: 'Unsupported value: "NoSchedul": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
    }]);
  });

  test('a string where the schema wants an integer is an invalid value', () => {
    // GIVEN
    const app = application((spec) => { spec.driver.sidecars = [{ name: 'proxy', image: 'envoy', ports: [{ containerPort: 'abc' }] }]; });

    // WHEN
    const problems = checker.checkObject(app);

    // THEN
    expect(problems).toEqual([{ path: 'spec.driver.sidecars[0].ports[0].containerPort', message: 'Invalid value: "abc": must be of type integer' }]);
  });

  test('an integer wider than its int32 field is an invalid value', () => {
    // GIVEN
    const app = application((spec) => { spec.executor.initContainers = [{ name: 'init', image: 'busybox', ports: [{ containerPort: 2 ** 31 }] }]; });

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([{
      path: 'spec.executor.initContainers[0].ports[0].containerPort', message: 'Invalid value: 2147483648: must be a 32-bit integer',
    }]);
  });

  test('a quantity that does not parse is an invalid value; strings and numbers that do are fine', () => {
    // GIVEN
    const app = application((spec) => {
      spec.driver.sidecars = [{
        name: 'proxy',
        image: 'envoy',
        resources: { limits: { 'cpu': '1.5', 'memory': '2Gi', 'nvidia.com/gpu': 1, 'example.com/a': '1E3', 'example.com/b': '100n', 'example.com/c': '.5' }, requests: { cpu: 'half' } },
      }];
    });

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([{
      path: 'spec.driver.sidecars[0].resources.requests.cpu', message: 'Invalid value: "half": must be a quantity such as "500m", "1.5", "2Gi" or "1e3"',
    }]);
  });

  test('a missing required field is a required value', () => {
    // GIVEN an env var read from a Secret without saying which key
    const app = application((spec) => { spec.executor.env = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds' } } }]; });

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([{ path: 'spec.executor.env[0].valueFrom.secretKeyRef.key', message: 'Required value' }]);
  });

  test('every embedded field is checked: mounts, env sources, security contexts, DNS, host aliases, lifecycle', () => {
    // GIVEN one unknown field in each
    const app = application((spec) => {
      for (const role of ['driver', 'executor']) {
        Object.assign(spec[role], {
          volumeMounts: [{ name: 'v', mountPath: '/v', readonly: true }],
          envFrom: [{ configMapRef: { name: 'c' }, prefx: 'A_' }],
          podSecurityContext: { runAsUser: 1000, fsgroup: 1000 },
          securityContext: { privilegd: false },
          dnsConfig: { nameserver: ['1.1.1.1'] },
          hostAliases: [{ ip: '10.0.0.1', hostname: ['db'] }],
          lifecycle: { preStop: { exec: { command: ['stop'] } }, postStrat: {} },
          template: { spec: { nodeselector: {} } },
        });
      }
    });

    // WHEN
    const problems = checker.checkObject(app);

    // THEN
    expect(problems.map((p) => p.path)).toEqual(['driver', 'executor'].flatMap((role) => [
      `spec.${role}.template.spec.nodeselector`,
      `spec.${role}.envFrom[0].prefx`,
      `spec.${role}.volumeMounts[0].readonly`,
      `spec.${role}.podSecurityContext.fsgroup`,
      `spec.${role}.securityContext.privilegd`,
      `spec.${role}.dnsConfig.nameserver`,
      `spec.${role}.hostAliases[0].hostname`,
      `spec.${role}.lifecycle.postStrat`,
    ]));
    expect(new Set(problems.map((p) => p.message.split(' ')[0] + ' ' + p.message.split(' ')[1]))).toEqual(new Set(['unknown field']));
  });

  test('a ScheduledSparkApplication is checked in its template, with paths from the object\'s root', () => {
    // GIVEN
    const app = application((spec) => { spec.volumes = [{ name: 'data', emptydir: {} }]; });
    const scheduled = { kind: 'ScheduledSparkApplication', metadata: { name: 'nightly' }, spec: { schedule: '@daily', template: app.spec } };

    // WHEN / THEN
    expect(checker.checkObject(scheduled)).toEqual([{ path: 'spec.template.volumes[0].emptydir', message: 'unknown field "emptydir"' }]);
  });

  test('a map key that is not a plain name is written in brackets', () => {
    // GIVEN
    const app = application((spec) => {
      spec.driver.template = { metadata: { labels: { 'example.com/team': 7 } } };
    });

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([{
      path: 'spec.driver.template.metadata.labels[example.com/team]', message: 'Invalid value: 7: must be of type string',
    }]);
  });
});

describe('what the API server accepts is accepted', () => {
  test.each(['spark-pi', 'pyspark-pi', 'nightly-pi', 'dynamic-allocation', 'config-and-volumes', 'platform-jobs'])(
    'the %s example has no problem', (id) => {
      // GIVEN the example's Spark objects as the app synthesizes them
      const manifests = Testing.synth(buildExampleApp(Testing.app())[id]);
      const spark = manifests.filter((o) => ['SparkApplication', 'ScheduledSparkApplication'].includes(o.kind));
      expect(spark.length).toBeGreaterThan(0);

      // WHEN / THEN
      for (const object of spark) expect(checker.checkObject(object)).toEqual([]);
    });

  test('an application that sets every embedded field, each well formed, has no problem', () => {
    // GIVEN (the e2e test webhook-schema creates its driver pod on the API server)
    const app = application(withEveryEmbeddedField);

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([]);
  });

  test('a pod template may leave out what Spark fills in (containers, a container\'s name), and null fields', () => {
    // GIVEN
    const app = application((spec) => {
      spec.driver.template = { metadata: { creationTimestamp: null, labels: { team: 'a' } }, spec: { priorityClassName: 'high' } };
      spec.executor.template = { spec: { containers: [{ image: 'spark:4', resources: null }], nodeSelector: { disk: 'ssd' } } };
    });

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([]);
  });

  test('an empty string is accepted in an enum field, as the API server reads it as unset', () => {
    // GIVEN a toleration of every effect
    const app = application((spec) => { spec.executor.tolerations = [{ key: 'spot', operator: 'Exists', effect: '' }]; });

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([]);
  });

  test('an int-or-string field takes both', () => {
    // GIVEN
    const probe = (port: unknown) => ({ name: 'proxy', image: 'envoy', readinessProbe: { httpGet: { path: '/', port } } });
    const app = application((spec) => { spec.driver.sidecars = [probe(8080), probe('http')]; });

    // WHEN / THEN
    expect(checker.checkObject(app)).toEqual([]);
  });

  test('only Spark kinds are checked', () => {
    expect(checker.checkObject({ kind: 'Pod', spec: { volumes: [{ name: 'x', hostpath: {} }] } })).toEqual([]);
  });
});

describe('bounds', () => {
  test('past maxProblems, one last problem says how many more there were', () => {
    // GIVEN 25 volumes with an unknown field each, and a bound of 3
    const bounded = EmbeddedTypeChecker.fromDocument(coreV1OpenApi(), { maxProblems: 3 });
    const app = application((spec) => { spec.volumes = Array.from({ length: 25 }, (_, i) => ({ name: `v${i}`, bogus: true })); });

    // WHEN
    const problems = bounded.checkObject(app);

    // THEN
    expect(problems).toEqual([
      { path: 'spec.volumes[0].bogus', message: 'unknown field "bogus"' },
      { path: 'spec.volumes[1].bogus', message: 'unknown field "bogus"' },
      { path: 'spec.volumes[2].bogus', message: 'unknown field "bogus"' },
      { path: 'spec', message: '22 more problems of embedded Kubernetes types not shown' },
    ]);
  });

  test('echoed values and field names are cut to maxValueLength', () => {
    // GIVEN
    const long = 'x'.repeat(500);
    const app = application((spec) => { spec.volumes = [{ name: 'v', [long]: 1, hostPath: { path: 7 } }]; spec.driver.tolerations = [{ effect: long }]; });

    // WHEN
    const problems = checker.checkObject(app);

    // THEN
    const clipped = `${'x'.repeat(61)}...`;
    expect(problems).toEqual([
      { path: `spec.volumes[0].${clipped}`, message: `unknown field "${'x'.repeat(60)}...` },
      { path: 'spec.volumes[0].hostPath.path', message: 'Invalid value: 7: must be of type string' },
      { path: 'spec.driver.tolerations[0].effect', message: `Unsupported value: "${'x'.repeat(60)}...: supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"` },
    ]);
  });
});

describe('robustness', () => {
  test('junk in any embedded field never throws, and every problem has a path and a message', () => {
    const fields = ['volumes', 'driver', 'executor'];
    const podFields = ['template', 'env', 'envFrom', 'volumeMounts', 'affinity', 'tolerations', 'podSecurityContext', 'securityContext',
      'sidecars', 'initContainers', 'dnsConfig', 'hostAliases', 'lifecycle'];
    fc.assert(fc.property(
      fc.anything(),
      fc.constantFrom(...fields), fc.constantFrom(...podFields), fc.anything(),
      (junk, field, podField, value) => {
        const spec = { [field]: field === 'volumes' ? [value] : { [podField]: value } };
        for (const object of [junk, { kind: 'SparkApplication', spec: junk }, { kind: 'SparkApplication', spec }, { kind: 'ScheduledSparkApplication', spec: { template: spec } }]) {
          const problems = checker.checkObject(object);
          expect(problems.length).toBeLessThanOrEqual(21);
          for (const p of problems) expect(typeof p.path === 'string' && typeof p.message === 'string' && p.message.length > 0).toBe(true);
        }
      }), { numRuns: 300 });
  });

  test('a value nested deeper than the stack allows goes unchecked instead of throwing', () => {
    // GIVEN a pod template whose labels hold a 100000-level deep value
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const app = application((spec) => { spec.driver.template = { metadata: { labels: deep } }; spec.volumes = [{ name: 'v', hostpath: {} }]; });

    // WHEN / THEN the other fields are still checked
    expect(checker.checkObject(app)).toEqual([{ path: 'spec.volumes[0].hostpath', message: 'unknown field "hostpath"' }]);
  });

  test('a document without components.schemas is refused with a clear error', () => {
    expect(() => EmbeddedTypeChecker.fromDocument({ openapi: '3.0.0' })).toThrow(new SchemaDocumentError('the OpenAPI document has no components.schemas'));
  });

  test('a definition the document lacks goes unchecked, and is named', () => {
    // GIVEN a document without the Volume definition
    const document = structuredClone(coreV1OpenApi());
    delete document.components.schemas['io.k8s.api.core.v1.Volume'];
    const partial = EmbeddedTypeChecker.fromDocument(document);

    // WHEN
    const problems = partial.checkObject(application((spec) => { spec.volumes = [{ name: 'data', hostpath: {} }]; }));

    // THEN
    expect(problems).toEqual([]);
    expect(partial.missingDefinitions).toEqual(['io.k8s.api.core.v1.Volume']);
  });
});

describe('updates', () => {
  test('an update is refused only for the problems it brings in', () => {
    // GIVEN an object stored with a misspelt volume source
    const stored = application((spec) => { spec.volumes = [{ name: 'data', hostpath: {} }]; });

    // WHEN an update keeps it and adds a bad toleration
    const updated = structuredClone(stored);
    updated.spec.driver.tolerations = [{ effect: 'Sometimes' }];

    // THEN only the toleration is refused; an update that adds nothing bad passes
    expect(checker.checkUpdate(updated, stored)).toEqual([{
      path: 'spec.driver.tolerations[0].effect', message: 'Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
    }]);
    expect(checker.checkUpdate({ ...stored, metadata: { name: 'pi', labels: { a: 'b' } } }, stored)).toEqual([]);
  });

  test('an update of an old object that is not a Spark object is checked in full', () => {
    const app = application((spec) => { spec.volumes = [{ name: 'data', hostpath: {} }]; });
    expect(checker.checkUpdate(app, null)).toEqual([{ path: 'spec.volumes[0].hostpath', message: 'unknown field "hostpath"' }]);
  });
});

describe('required fields: only those the API server refuses to go without', () => {
  test.each(REQUIRED_CASES.map((c) => [c.field, c] as const))('%s', (_, c) => {
    // GIVEN the case's fragment, without the field, in a SparkApplication
    const app = application((spec) => {
      const fields = specFieldsOf(c);
      spec.volumes = fields.volumes;
      Object.assign(spec.driver, fields.driver);
    });

    // WHEN
    const problems = checker.checkObject(app);

    // THEN refused where the API server refuses it in a pod (e2e webhook-schema), accepted otherwise
    expect(problems).toEqual(c.refused ? [{ path: `${PLACES[c.place].app}.${c.missing}`, message: 'Required value' }] : []);
  });

  test('every enforced required field has a refused case, and no accepted case is enforced', () => {
    const refused = REQUIRED_CASES.filter((c) => c.refused).map(definitionField);
    const accepted = REQUIRED_CASES.filter((c) => !c.refused).map(definitionField);
    expect([...ENFORCED_REQUIRED_FIELDS].sort()).toEqual([...refused].sort());
    expect(accepted.filter((f) => ENFORCED_REQUIRED_FIELDS.includes(f))).toEqual([]);
  });
});
