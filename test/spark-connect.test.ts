import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SparkConnect, SparkConnectProps, SparkRbac } from '../src';
import { crdValidationErrors } from './util/crd-validator';
import { validate } from '../src/core';

const TEAM: SparkConnectProps = { sparkVersion: '4.0.1', image: 'apache/spark:4.0.1' };

function synthConnect(chart: Chart): any {
  const objects = Testing.synth(chart).filter((o) => o.kind === 'SparkConnect');
  expect(objects).toHaveLength(1);
  expect(crdValidationErrors(objects[0])).toEqual([]);
  expect(validate(objects[0])).toEqual([]);
  return objects[0];
}

describe('SparkConnect', () => {
  test('a shared server renders a schema-valid v1alpha1 object with secure pod templates', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'notebooks', { namespace: 'team-a' });
    const rbac = new SparkRbac(chart, 'spark');

    // WHEN
    const connect = new SparkConnect(chart, 'connect', {
      ...TEAM,
      metadata: { name: 'team-a' },
      serviceAccount: rbac,
      server: { cores: 2, memory: Size.gibibytes(4), serviceType: kplus.ServiceType.LOAD_BALANCER },
      executor: { instances: 1, cores: 2, memory: Size.mebibytes(3584) },
      dynamicAllocation: { minExecutors: 0, maxExecutors: 10 },
      sparkConf: { 'spark.sql.shuffle.partitions': '64' },
    });

    // THEN
    const obj = synthConnect(chart);
    expect(obj).toMatchSnapshot();
    expect(obj.apiVersion).toBe('sparkoperator.k8s.io/v1alpha1');
    expect(obj.metadata).toEqual({ name: 'team-a', namespace: 'team-a' });
    expect(obj.spec).toMatchObject({
      sparkVersion: '4.0.1',
      image: 'apache/spark:4.0.1',
      sparkConf: { 'spark.sql.shuffle.partitions': '64' },
      server: { cores: 2, memory: '4g', service: { spec: { type: 'LoadBalancer' } } },
      executor: { instances: 1, cores: 2, memory: '3584m' },
      dynamicAllocation: { enabled: true, minExecutors: 0, maxExecutors: 10, shuffleTrackingEnabled: true },
    });
    expect(obj.spec.server.template.spec.serviceAccountName).toBe(rbac.name);
    expect(obj.spec.executor.template.spec.serviceAccountName).toBe(rbac.executorServiceAccount.name);
    for (const [role, container] of [['server', 'spark-kubernetes-driver'], ['executor', 'spark-kubernetes-executor']]) {
      const spec = obj.spec[role].template.spec;
      expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.containers).toEqual([{
        name: container,
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: false },
      }]);
    }
    expect(connect.connectUrl).toBe('sc://team-a-server.team-a.svc:15002');
    expect([connect.serverPodName, connect.serviceName, connect.port]).toEqual(['team-a-server', 'team-a-server', 15002]);
  });

  test('the generated name fits the executors\' pod name prefix (47 characters)', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'a-chart-with-a-rather-long-name-for-its-notebooks');
    // WHEN
    const connect = new SparkConnect(chart, 'the-shared-spark-connect-server-of-the-team', TEAM);
    // THEN
    expect(connect.name.length).toBeLessThanOrEqual(47);
    expect(synthConnect(chart).metadata.name).toBe(connect.name);
  });

  test('scheduling props render affinity and tolerations into the role\'s template', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkConnect(chart, 'connect', {
      ...TEAM,
      executor: { scheduling: { tolerate: [kplus.Node.tainted(kplus.NodeTaintQuery.is('spot', 'true'))] } },
    });
    // THEN
    const obj = synthConnect(chart);
    expect(obj.spec.executor.template.spec.tolerations).toEqual([{ key: 'spot', operator: 'Equal', value: 'true' }]);
    expect(obj.spec.server.template.spec.tolerations).toBeUndefined();
  });

  test.each<[string, Partial<SparkConnectProps>, string]>([
    ['server cores below 1', { server: { cores: 0 } }, "[test/connect] 'server.cores' must be an integer >= 1 (got 0)"],
    ['executor memory under Spark\'s floor', { executor: { memory: Size.mebibytes(256) } },
      "[test/connect] 'executor.memory' must be at least 450 MiB: Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got '256m')"],
    ['memory that is not whole MiB', { server: { memory: Size.kibibytes(1500) } },
      "[test/connect] 'server.memory' must be a positive whole number of mebibytes (Spark counts memory in MiB), got 1.46484375 MiB"],
    ['negative executors', { executor: { instances: -1 } }, "[test/connect] 'executor.instances' must be an integer >= 0 (got -1)"],
    ['a typed setting in sparkConf', { sparkConf: { 'spark.executor.cores': '4' } },
      "[test/connect] 'sparkConf' must not set 'spark.executor.cores': use 'executor.cores'"],
    ['an operator setting in sparkConf', { sparkConf: { 'spark.master': 'local[*]' } },
      "[test/connect] 'sparkConf' must not set 'spark.master': the server runs on the Kubernetes API server of its cluster"],
    ['more minimum than maximum executors', { dynamicAllocation: { minExecutors: 5, maxExecutors: 2 } },
      "[test/connect] 'dynamicAllocation.minExecutors' (5) must be <= 'dynamicAllocation.maxExecutors' (2)"],
    ['a name too long for the executors\' prefix', { metadata: { name: 'a'.repeat(48) } },
      `[test/connect] 'metadata.name' '${'a'.repeat(48)}' (48 characters) is too long for a SparkConnect: it prefixes the executors' pod names '<name>-exec-<id>', which must fit in 63 characters; use at most 47 characters`],
  ])('%s is refused at construction with the prop name', (_what, props, message) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN / THEN
    expect(() => new SparkConnect(chart, 'connect', { ...TEAM, ...props })).toThrow(new Error(message));
  });

  test('addSparkConf() lands in the YAML and a refused key is taken back', () => {
    // GIVEN
    const chart = Testing.chart();
    const connect = new SparkConnect(chart, 'connect', TEAM);
    // WHEN
    connect.addSparkConf('spark.sql.ansi.enabled', 'true');
    connect.addHadoopConf('fs.s3a.path.style.access', 'true');
    // THEN
    expect(() => connect.addSparkConf('spark.driver.memory', '2g')).toThrow(new Error("[test/connect] 'sparkConf' must not set 'spark.driver.memory': use 'server.memory'"));
    const obj = synthConnect(chart);
    expect(obj.spec.sparkConf).toEqual({ 'spark.sql.ansi.enabled': 'true' });
    expect(obj.spec.hadoopConf).toEqual({ 'fs.s3a.path.style.access': 'true' });
  });
});
