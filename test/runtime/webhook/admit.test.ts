import { Testing } from 'cdk8s';
import { applyJsonPatch } from './apply-json-patch';
import { buildExampleApp } from '../../../examples/app';
import { AdmissionRequest } from '../../../src/runtime/webhook/admission-review';
import { ValidationContext, mutate, validateRequest } from '../../../src/runtime/webhook/admit';
import { sparkPiSpec } from '../../fixtures/spark-pi-spec';
import { loadFixtures } from '../../util/fixtures';

const ALICE = { username: 'alice', groups: ['team-a', 'system:authenticated'] };

function request(object: any, extra: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    uid: 'uid-1',
    kind: object.kind,
    operation: 'CREATE',
    namespace: object.metadata?.namespace ?? 'jobs',
    name: object.metadata?.name,
    userInfo: ALICE,
    object,
    ...extra,
  };
}

function sparkPi(spec: any = sparkPiSpec()): any {
  return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'spark-pi', namespace: 'jobs' }, spec };
}

function context(overrides: Partial<ValidationContext> = {}): ValidationContext {
  return {
    protectedServiceAccounts: ['spark-operator/spark-operator-controller', 'spark-operator/spark-operator-webhook'],
    embeddedTypeProblems: () => [],
    mayCreate: async () => ({ allowed: true }),
    optOutHint: 'turn it off',
    ...overrides,
  };
}

describe('mutate', () => {
  test('a bare upstream example gets upstream\'s defaults as additions', () => {
    // GIVEN upstream's spark-pi example without the fields the webhook defaults
    const app = sparkPi({
      type: 'Scala',
      mode: 'cluster',
      image: 'spark:3.5.1',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      sparkVersion: '3.5.1',
      driver: { serviceAccount: 'spark-operator-spark' },
      executor: { instances: 1 },
    });

    // WHEN
    const { verdict } = mutate(request(app), 'SparkApplication');

    // THEN
    expect(verdict.allowed).toBe(true);
    expect(verdict.patch).toEqual([
      { op: 'add', path: '/spec/driver/cores', value: 1 },
      { op: 'add', path: '/spec/driver/memory', value: '1g' },
      { op: 'add', path: '/spec/executor/cores', value: 1 },
      { op: 'add', path: '/spec/executor/memory', value: '1g' },
      { op: 'add', path: '/spec/restartPolicy', value: { type: 'Never' } },
    ]);
    const patched = applyJsonPatch(app, verdict.patch!) as any;
    expect(patched.spec.driver).toEqual({ serviceAccount: 'spark-operator-spark', cores: 1, memory: '1g' });
  });

  test('a ScheduledSparkApplication gets its history limits, concurrency policy and the template\'s defaults', () => {
    // GIVEN
    const scheduled = {
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'nightly', namespace: 'jobs' },
      spec: { schedule: '@daily', template: { ...sparkPiSpec(), type: undefined, executor: { instances: 2 } } },
    };

    // WHEN
    const { verdict } = mutate(request(scheduled), 'ScheduledSparkApplication');

    // THEN
    expect(verdict.patch).toEqual([
      { op: 'add', path: '/spec/template/type', value: 'Scala' },
      { op: 'add', path: '/spec/template/executor/cores', value: 1 },
      { op: 'add', path: '/spec/template/executor/memory', value: '1g' },
      { op: 'add', path: '/spec/template/mode', value: 'cluster' },
      { op: 'add', path: '/spec/template/restartPolicy', value: { type: 'Never' } },
      { op: 'add', path: '/spec/concurrencyPolicy', value: 'Allow' },
      { op: 'add', path: '/spec/successfulRunHistoryLimit', value: 1 },
      { op: 'add', path: '/spec/failedRunHistoryLimit', value: 1 },
    ]);
  });

  test('every Spark object the example app synthesizes gets an empty patch (no drift under Argo CD)', () => {
    // GIVEN
    const charts = buildExampleApp(Testing.app());
    const objects = Object.values(charts).flatMap((chart) => Testing.synth(chart))
      .filter((o) => o.kind === 'SparkApplication' || o.kind === 'ScheduledSparkApplication');
    expect(objects.length).toBeGreaterThanOrEqual(8);

    // WHEN / THEN
    for (const object of objects) {
      const { patch } = mutate(request(object), object.kind).verdict;
      expect({ name: object.metadata.name, patch }).toEqual({ name: object.metadata.name, patch: [] });
    }
  });

  test('a field of the wrong type is left for validation, never replaced by a default', () => {
    // GIVEN
    const app = sparkPi({ ...sparkPiSpec(), driver: 5, restartPolicy: null });

    // WHEN
    const { verdict } = mutate(request(app), 'SparkApplication');

    // THEN
    expect(verdict.patch).toEqual([{ op: 'add', path: '/spec/mode', value: 'cluster' }]);
  });

  test('another kind on this path is refused', () => {
    // WHEN
    const admission = mutate(request({ kind: 'Pod', metadata: { name: 'p' } }), 'SparkApplication');

    // THEN
    expect(admission.verdict).toEqual({ allowed: false, code: 400, message: 'this webhook path admits SparkApplication objects only (got kind "Pod")' });
    expect(admission.refusedBy).toBe('wrong-kind');
  });
});

describe('validateRequest', () => {
  test('a valid application is admitted', async () => {
    // WHEN
    const admission = await validateRequest(request(sparkPi()), 'SparkApplication', context());

    // THEN
    expect(admission).toEqual({ verdict: { allowed: true } });
  });

  test('every problem of every rule is listed with its field path', async () => {
    // GIVEN an owned sparkConf key, executors below 1, and an embedded-type problem
    const app = sparkPi({ ...sparkPiSpec(), sparkConf: { 'spark.master': 'local' }, executor: { instances: 0 } });
    const embedded = () => [{ path: 'spec.volumes[0]', message: 'unknown field "hostpath"' }];

    // WHEN
    const admission = await validateRequest(request(app), 'SparkApplication', context({ embeddedTypeProblems: embedded }));

    // THEN
    expect(admission.refusedBy).toBe('shared-rules');
    expect(admission.verdict).toEqual({
      allowed: false,
      code: 400,
      message: 'SparkApplication "spark-pi" is invalid: \'spec.sparkConf\' must not set \'spark.master\': the operator owns it; '
        + '\'spec.executor.instances\' must be an integer >= 1 (got 0); \'spec.volumes[0]\' unknown field "hostpath"',
    });
  });

  test('what the native submission cannot do is refused at admission, with its field path', async () => {
    // GIVEN client mode, and a ScheduledSparkApplication whose template names a file of the submitting machine
    const client = sparkPi({ ...sparkPiSpec(), mode: 'client' });
    const scheduled = { kind: 'ScheduledSparkApplication', metadata: { name: 'nightly', namespace: 'jobs' }, spec: { schedule: '@daily', template: { ...sparkPiSpec(), deps: { jars: ['file:///home/me/lib.jar'] } } } };

    // WHEN
    const refusedClient = await validateRequest(request(client), 'SparkApplication', context());
    const refusedScheduled = await validateRequest(request(scheduled), 'ScheduledSparkApplication', context());

    // THEN
    expect(refusedClient.verdict.message).toBe('SparkApplication "spark-pi" is invalid: \'spec.mode\' \'client\' is not supported: in client mode the driver runs inside the submitting process, and the operator does not run drivers in its own process; use cluster');
    expect(refusedScheduled.verdict.message).toBe('ScheduledSparkApplication "nightly" is invalid: \'spec.template.deps.jars[0]\' must be a URI the driver pod can read (local:// for a file in the image, or s3a://, gs://, https:// ...): spark-submit would upload a file of the submitting machine, and the operator submits from its own pod (got \'file:///home/me/lib.jar\')');
  });

  test('a driver running as the operator\'s own ServiceAccount is refused', async () => {
    // GIVEN an application in the operator's namespace, its driver as the controller's account
    const app = sparkPi({ ...sparkPiSpec(), driver: { serviceAccount: 'spark-operator-controller' } });
    app.metadata.namespace = 'spark-operator';

    // WHEN
    const admission = await validateRequest(request(app), 'SparkApplication', context());

    // THEN
    expect(admission.refusedBy).toBe('protected-service-account');
    expect(admission.verdict).toEqual({
      allowed: false,
      code: 403,
      message: 'SparkApplication "spark-pi" is invalid: \'spec.driver.serviceAccount\' must not be the operator\'s own ServiceAccount '
        + '\'spark-operator/spark-operator-controller\': its pods would get the operator\'s rights; use the drivers\' ServiceAccount of the namespace',
    });
  });

  test('a pod template naming the webhook\'s account is refused too', async () => {
    // GIVEN
    const app = sparkPi({ ...sparkPiSpec(), executor: { instances: 1, template: { spec: { serviceAccountName: 'spark-operator-webhook' } } } });
    app.metadata.namespace = 'spark-operator';

    // WHEN
    const admission = await validateRequest(request(app), 'SparkApplication', context());

    // THEN
    expect(admission.verdict.message).toContain('\'spec.executor.template.spec.serviceAccountName\' must not be the operator\'s own ServiceAccount \'spark-operator/spark-operator-webhook\'');
  });

  test('a user who may not create pods is refused with why and how to opt out', async () => {
    // GIVEN
    const asked: Array<[string, string, string]> = [];
    const mayCreate = async (user: { username: string }, namespace: string, resource: { resource: string }) => {
      asked.push([user.username, namespace, resource.resource]);
      return { allowed: false };
    };

    // WHEN
    const admission = await validateRequest(request(sparkPi()), 'SparkApplication', context({ mayCreate }));

    // THEN
    expect(asked).toEqual([['alice', 'jobs', 'pods']]);
    expect(admission.refusedBy).toBe('pod-creation-forbidden');
    expect(admission.verdict).toEqual({
      allowed: false,
      code: 403,
      message: 'SparkApplication "spark-pi" refused: user "alice" may not create pods in namespace "jobs", and the operator would create this application\'s pods '
        + 'from its spec; an administrator can grant "create pods" in "jobs", or turn it off',
    });
  });

  test('when the API server cannot say whether the user may create pods, the request is refused', async () => {
    // GIVEN
    const mayCreate = async () => {
      throw new Error('POST /apis/authorization.k8s.io/v1/subjectaccessreviews timed out after 5000 ms');
    };

    // WHEN
    const admission = await validateRequest(request(sparkPi()), 'SparkApplication', context({ mayCreate }));

    // THEN
    expect(admission.verdict).toEqual({
      allowed: false,
      code: 500,
      message: 'could not check whether user "alice" may create pods in namespace "jobs": Error: POST /apis/authorization.k8s.io/v1/subjectaccessreviews timed out after 5000 ms; try again',
    });
  });

  test('an update that changes nothing a pod gets (annotations, owners) is admitted without any check', async () => {
    // GIVEN an invalid application whose annotations change
    const old = sparkPi({ ...sparkPiSpec(), executor: { instances: 0 } });
    const labelled = { ...old, metadata: { ...old.metadata, annotations: { 'team.example.com/owner': 'a' } } };
    const mayCreate = async () => ({ allowed: false });

    // WHEN
    const admission = await validateRequest(request(labelled, { operation: 'UPDATE', oldObject: old }), 'SparkApplication', context({ mayCreate }));

    // THEN
    expect(admission).toEqual({ verdict: { allowed: true } });
  });

  test('an update of the labels is checked too: they are copied onto the pods', async () => {
    // GIVEN
    const old = sparkPi();
    const labelled = { ...old, metadata: { ...old.metadata, labels: { 'sidecar.istio.io/inject': 'false' } } };
    const mayCreate = async () => ({ allowed: false });

    // WHEN
    const admission = await validateRequest(request(labelled, { operation: 'UPDATE', oldObject: old }), 'SparkApplication', context({ mayCreate }));

    // THEN
    expect(admission.refusedBy).toBe('pod-creation-forbidden');
  });

  test('driver ingresses at a host of the user\'s choosing need the right to create ingresses too', async () => {
    // GIVEN a user who may create pods but not ingresses
    const app = sparkPi({ ...sparkPiSpec(), driverIngressOptions: [{ servicePort: 4041, ingressURLFormat: 'login.corp.example.com' }] });
    const asked: string[] = [];
    const mayCreate = async (_: unknown, __: string, resource: { group: string; resource: string }) => {
      asked.push(`${resource.resource}.${resource.group}`);
      return { allowed: resource.resource === 'pods' };
    };

    // WHEN
    const admission = await validateRequest(request(app), 'SparkApplication', context({ mayCreate }));

    // THEN
    expect(asked).toEqual(['pods.', 'ingresses.networking.k8s.io']);
    expect(admission.verdict).toEqual({
      allowed: false,
      code: 403,
      message: 'SparkApplication "spark-pi" refused: user "alice" may not create ingresses.networking.k8s.io in namespace "jobs", and the operator would create '
        + 'this application\'s ingresses.networking.k8s.io from its spec; an administrator can grant "create ingresses.networking.k8s.io" in "jobs", or turn it off',
    });
  });

  test('a SparkConnect that designs its Service needs the right to create services too', async () => {
    // GIVEN a user who may create pods but not services, and upstream's SparkConnect with a LoadBalancer Service
    const [[, upstream]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
    const connect = { ...upstream, metadata: { name: 'connect', namespace: 'jobs' } };
    connect.spec = { ...connect.spec, server: { ...connect.spec.server, service: { spec: { type: 'LoadBalancer', externalIPs: ['203.0.113.7'] } } } };
    const asked: string[] = [];
    const mayCreate = async (_: unknown, __: string, resource: { group: string; resource: string }) => {
      asked.push(`${resource.resource}.${resource.group}`);
      return { allowed: resource.resource === 'pods' };
    };

    // WHEN
    const admission = await validateRequest(request(connect), 'SparkConnect', context({ mayCreate }));

    // THEN
    expect(asked).toEqual(['pods.', 'services.']);
    expect(admission.verdict).toMatchObject({ allowed: false, code: 403 });
    expect((admission.verdict as { message: string }).message).toContain('user "alice" may not create services in namespace "jobs"');
  });

  test('an update of the spec is checked', async () => {
    // GIVEN
    const old = sparkPi();
    const changed = sparkPi({ ...sparkPiSpec(), executor: { instances: 0 } });

    // WHEN
    const admission = await validateRequest(request(changed, { operation: 'UPDATE', oldObject: old }), 'SparkApplication', context());

    // THEN
    expect(admission.verdict.message).toBe('SparkApplication "spark-pi" is invalid: \'spec.executor.instances\' must be an integer >= 1 (got 0)');
  });

  test('a ScheduledSparkApplication with a schedule that cannot be read is refused with its path', async () => {
    // GIVEN
    const scheduled = { kind: 'ScheduledSparkApplication', metadata: { name: 'nightly', namespace: 'jobs' }, spec: { schedule: '61 * * * *', template: sparkPiSpec() } };

    // WHEN
    const admission = await validateRequest(request(scheduled), 'ScheduledSparkApplication', context());

    // THEN
    expect(admission.refusedBy).toBe('shared-rules');
    expect(admission.verdict.message).toMatch(/^ScheduledSparkApplication "nightly" is invalid: 'spec.schedule' /);
  });
});
