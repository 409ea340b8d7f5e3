import {
  connectImage, connectServiceName, connectUrl, describeProblem, protectedServiceAccountProblems, validate, validateSparkConnect,
} from '../../src/core';
import { loadFixtures } from '../util/fixtures';

/** Upstream's example (test/fixtures/valid/spark-connect.yaml), as a fresh object. */
function upstreamExample(): any {
  const [[, doc]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
  return JSON.parse(JSON.stringify(doc));
}

/** A small valid SparkConnect. */
function connect(): any {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1alpha1',
    kind: 'SparkConnect',
    metadata: { name: 'notebooks', namespace: 'team-a' },
    spec: { sparkVersion: '4.0.1', image: 'apache/spark:4.0.1', server: {}, executor: { instances: 1 } },
  };
}

function problemsOf(object: unknown, typedFields = false): string[] {
  return validateSparkConnect(object, typedFields).map((p) => describeProblem(p));
}

describe('validate() of a SparkConnect', () => {
  test('upstream\'s example is valid, unchanged', () => {
    // GIVEN
    const example = upstreamExample();
    // WHEN / THEN
    expect(validate(example)).toEqual([]);
  });

  test('a small SparkConnect with an image is valid', () => {
    expect(problemsOf(connect())).toEqual([]);
  });

  test.each([
    ['a name that is not a DNS-1035 label', (c: any) => { c.metadata.name = 'Notebooks'; },
      "'metadata.name' must be a DNS-1035 label: at most 47 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got 'Notebooks')"],
    ['a name too long to prefix the executors\' pod names', (c: any) => { c.metadata.name = 'a'.repeat(48); },
      `'metadata.name' '${'a'.repeat(48)}' (48 characters) is too long for a SparkConnect: it prefixes the executors' pod names '<name>-exec-<id>', which must fit in 63 characters; use at most 47 characters`],
    ['no Spark version', (c: any) => { delete c.spec.sparkVersion; },
      "'spec.sparkVersion' must be a Spark version such as '4.0.1' (got undefined)"],
    ['no server', (c: any) => { delete c.spec.server; },
      "'spec.server' is required and must be an object (got undefined)"],
    ['server cores below 1', (c: any) => { c.spec.server.cores = 0; },
      "'spec.server.cores' must be an integer >= 1 (got 0)"],
    ['server memory under Spark\'s floor', (c: any) => { c.spec.server.memory = '256m'; },
      "'spec.server.memory' must be at least 450 MiB: Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got '256m')"],
    ['negative executor instances', (c: any) => { c.spec.executor.instances = -1; },
      "'spec.executor.instances' must be an integer >= 0 (got -1)"],
    ['executor memory Spark cannot read', (c: any) => { c.spec.executor.memory = '1 GiB'; },
      "'spec.executor.memory' must be a size as Spark reads it, such as 512m or 2g (got '1 GiB')"],
    ['a template that is not an object', (c: any) => { c.spec.executor.template = 'pod.yaml'; },
      "'spec.executor.template' must be a pod template (an object with metadata and spec) (got 'pod.yaml')"],
    ['a Service name that is not a DNS-1035 label', (c: any) => { c.spec.server.service = { metadata: { name: 'Connect' } }; },
      "'spec.server.service.metadata.name' must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter (got 'Connect')"],
    ['no image anywhere', (c: any) => { delete c.spec.image; },
      "'spec.image' is required unless the server template's Spark container ('spark-kubernetes-driver', else its first) and the executor template's 'spark-kubernetes-executor' container names an image"],
    ['an empty image and only the server template naming one', (c: any) => {
      c.spec.image = '';
      c.spec.server.template = { spec: { containers: [{ name: 'spark-kubernetes-driver', image: 'apache/spark:4.0.1' }] } };
    }, "'spec.image' is required unless the executor template's 'spark-kubernetes-executor' container names an image"],
    ['no image, and the executor template\'s only container, of another name, naming one (upstream reads only the named one)', (c: any) => {
      delete c.spec.image;
      c.spec.server.template = { spec: { containers: [{ name: 'main', image: 'apache/spark:4.0.1' }] } };
      c.spec.executor.template = { spec: { containers: [{ name: 'main', image: 'apache/spark:4.0.1' }] } };
    }, "'spec.image' is required unless the executor template's 'spark-kubernetes-executor' container names an image"],
    ['spark.master in sparkConf', (c: any) => { c.spec.sparkConf = { 'spark.master': 'local[*]' }; },
      "'spec.sparkConf' must not set 'spark.master': the server runs on the Kubernetes API server of its cluster"],
    ['the executors\' service account in sparkConf', (c: any) => { c.spec.sparkConf = { 'spark.kubernetes.authenticate.executor.serviceAccountName': 'admin' }; },
      "'spec.sparkConf' must not set 'spark.kubernetes.authenticate.executor.serviceAccountName': the operator sets it (as for a SparkApplication)"],
    ['an OAuth token in sparkConf', (c: any) => { c.spec.sparkConf = { 'spark.kubernetes.authenticate.oauthToken': 'x' }; },
      "'spec.sparkConf' must not set 'spark.kubernetes.authenticate.oauthToken': the operator sets it (as for a SparkApplication)"],
    ['the executor pod template file in sparkConf', (c: any) => { c.spec.sparkConf = { 'spark.kubernetes.executor.podTemplateFile': '/tmp/t.yaml' }; },
      "'spec.sparkConf' must not set 'spark.kubernetes.executor.podTemplateFile': use 'spec.executor.template'"],
    ['another namespace in sparkConf', (c: any) => { c.spec.sparkConf = { 'spark.kubernetes.namespace': 'team-b' }; },
      "'spec.sparkConf' must not set 'spark.kubernetes.namespace' to 'team-b': the SparkConnect runs in its own namespace 'team-a'"],
    ['a hadoopConf value that is not a string', (c: any) => { c.spec.hadoopConf = { 'fs.s3a.fast.upload': true }; },
      "'spec.hadoopConf' must be a map of strings: 'fs.s3a.fast.upload' is true"],
    ['more minimum than maximum executors', (c: any) => { c.spec.dynamicAllocation = { enabled: true, minExecutors: 3, maxExecutors: 2 }; },
      "'spec.dynamicAllocation.minExecutors' (3) must be <= 'spec.dynamicAllocation.maxExecutors' (2)"],
  ])('%s is refused with the field path', (_what, change, message) => {
    // GIVEN
    const object = connect();
    change(object);
    // WHEN
    const problems = problemsOf(object);
    // THEN
    expect(problems).toEqual([message]);
  });

  test('a sparkConf key a typed field renders is accepted by the cluster and refused by the constructs\' rule', () => {
    // GIVEN
    const object = connect();
    object.spec.sparkConf = { 'spark.executor.memory': '2g' };
    // WHEN / THEN
    expect(problemsOf(object)).toEqual([]);
    expect(problemsOf(object, true)).toEqual(["'spec.sparkConf' must not set 'spark.executor.memory': use 'spec.executor.memory'"]);
  });

  test('no spec.image is fine when the server\'s first container (none named spark-kubernetes-driver) and the executors\' named one give images, as upstream', () => {
    // GIVEN
    const object = connect();
    delete object.spec.image;
    object.spec.server.template = { spec: { containers: [{ name: 'main', image: 'registry/spark:server' }, { name: 'sidecar', image: 'busybox' }] } };
    object.spec.executor.template = { spec: { containers: [{ name: 'spark-kubernetes-executor', image: 'registry/spark:exec' }] } };
    // WHEN / THEN
    expect(problemsOf(object)).toEqual([]);
    expect([connectImage(object.spec, 'server'), connectImage(object.spec, 'executor')]).toEqual(['registry/spark:server', 'registry/spark:exec']);
  });

  test('the image of each role: its Spark container\'s, else spec.image; the server\'s Spark container is the named one, else the first', () => {
    const spec = (server: unknown[], executor: unknown[]) => ({
      image: 'apache/spark:4.0.1', server: { template: { spec: { containers: server } } }, executor: { template: { spec: { containers: executor } } },
    });
    expect(connectImage(spec([{ name: 'a', image: 'x' }, { name: 'spark-kubernetes-driver', image: 'y' }], []), 'server')).toBe('y');
    expect(connectImage(spec([{ name: 'a', image: 'x' }], [{ name: 'a', image: 'z' }]), 'server')).toBe('x');
    expect(connectImage(spec([{ name: 'spark-kubernetes-driver' }], [{ name: 'a', image: 'z' }]), 'executor')).toBe('apache/spark:4.0.1');
    expect(connectImage(spec([], []), 'server')).toBe('apache/spark:4.0.1');
    expect(connectImage({ server: {}, executor: {} }, 'server')).toBeUndefined();
  });

  test('a spec that is no object is one problem', () => {
    expect(problemsOf({ ...connect(), spec: 'x' })).toEqual(["'spec' is required and must be an object"]);
  });
});

describe('the protected ServiceAccounts', () => {
  test('a server template running as the operator\'s account is refused', () => {
    // GIVEN
    const object = connect();
    object.spec.server.template = { spec: { serviceAccountName: 'spark-operator-controller' } };
    // WHEN
    const problems = protectedServiceAccountProblems(object, 'team-a', ['team-a/spark-operator-controller']);
    // THEN
    expect(problems.map((p) => describeProblem(p))).toEqual([
      "'spec.server.template.spec.serviceAccountName' must not be the operator's own ServiceAccount 'team-a/spark-operator-controller': its pods would get the operator's rights; use the drivers' ServiceAccount of the namespace",
    ]);
  });
});

describe('names and the address', () => {
  test('the Service is <name>-server unless spec.server.service names one', () => {
    expect(connectServiceName(connect())).toBe('notebooks-server');
    expect(connectServiceName({ ...connect(), spec: { server: { service: { metadata: { name: 'connect' } } } } })).toBe('connect');
  });

  test('clients connect to sc://<service>.<namespace>.svc:15002', () => {
    expect(connectUrl('notebooks-server', 'team-a')).toBe('sc://notebooks-server.team-a.svc:15002');
  });
});
