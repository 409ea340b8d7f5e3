import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { SparkConnect } from '../../../../src/api';
import { canonicalJson } from '../../../../src/core';
import {
  CONNECT_FINGERPRINT_LABEL, ConnectObserved, ObservedObject, connectConfigMap, connectFingerprint, connectServerPod,
  connectServerService, decide, startConnectServerArgs,
} from '../../../../src/runtime/controller/spark-connect';
import { loadFixtures } from '../../../util/fixtures';
import { FakeClock } from '../../fake-clock';

const MASTER = 'k8s://https://10.96.0.1:443';
const OPTIONS = { sparkMaster: MASTER, protectedServiceAccounts: ['team-a/spark-operator-controller'] };

/** Upstream's example, as the cluster stores it (a uid, a generation). */
function upstreamExample(): SparkConnect {
  const [[, doc]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
  const example = JSON.parse(JSON.stringify(doc));
  example.metadata = { ...example.metadata, uid: 'uid-1', generation: 1 };
  return example;
}

/** A small SparkConnect in team-a. */
function connect(change: (c: any) => void = () => {}): SparkConnect {
  const c: any = {
    apiVersion: 'sparkoperator.k8s.io/v1alpha1',
    kind: 'SparkConnect',
    metadata: { name: 'notebooks', namespace: 'team-a', uid: 'uid-1', generation: 1 },
    spec: { sparkVersion: '4.0.1', image: 'apache/spark:4.0.1', server: {}, executor: { instances: 2 } },
  };
  change(c);
  return c;
}

/** The server pod the controller would create, as the cache shows it with `status`. */
function serverPod(of: SparkConnect, status: Record<string, unknown>, change: (p: any) => void = () => {}): ObservedObject {
  const pod: any = { ...connectServerPod(of, MASTER), status };
  pod.metadata.uid = 'pod-uid';
  change(pod);
  return pod;
}

function service(of: SparkConnect): ObservedObject {
  return connectServerService(of) as unknown as ObservedObject;
}

const READY = { phase: 'Running', podIP: '10.0.0.7', conditions: [{ type: 'Ready', status: 'True' }] };
const RUNNING_NOT_READY = { phase: 'Running', podIP: '10.0.0.7', message: '', conditions: [{ type: 'Ready', status: 'False' }] };

function executor(phase: string): ObservedObject {
  return { metadata: { name: `notebooks-exec-${Math.random()}`, labels: { 'spark-role': 'executor' } }, status: { phase } };
}

describe('decide() of a SparkConnect', () => {
  const clock = new FakeClock('2026-12-07T10:00:00Z');

  test('a new SparkConnect gets its ConfigMap, server pod and Service, and is Provisioning', () => {
    // GIVEN
    const c = connect();
    // WHEN
    const decision = decide(c, { executors: [] }, clock.now(), OPTIONS);
    // THEN
    expect(decision.actions.map((a) => (a.type === 'event' ? `${a.type}:${a.reason}` : a.type))).toEqual([
      'applyConfigMap', 'createServerPod', 'event:SparkConnectServerPodCreated', 'createService',
    ]);
    expect(decision.status).toEqual({
      conditions: [{
        type: 'ServerPodReady',
        status: 'False',
        observedGeneration: 1,
        reason: 'ServerPodNotReady',
        message: 'Server pod is not ready: the server pod is being created',
        lastTransitionTime: '2026-12-07T10:00:00Z',
      }],
      state: 'Provisioning',
      server: { podName: 'notebooks-server', serviceName: 'notebooks-server' },
      startTime: '2026-12-07T10:00:00Z',
      lastUpdateTime: '2026-12-07T10:00:00Z',
    });
  });

  test('a ready server pod makes it Ready, with the pod IP, the executors by phase and an Event', () => {
    // GIVEN
    const c = connect();
    const observed: ConnectObserved = {
      serverPod: serverPod(c, READY), service: service(c), executors: [executor('Running'), executor('Running'), executor('Pending')],
    };
    // WHEN
    const decision = decide(c, observed, clock.now(), OPTIONS);
    // THEN
    expect(decision.status).toMatchObject({
      state: 'Ready',
      conditions: [{ type: 'ServerPodReady', status: 'True', reason: 'ServerPodReady', message: 'Server pod is ready' }],
      server: { podName: 'notebooks-server', podIp: '10.0.0.7', serviceName: 'notebooks-server' },
      executors: { running: 2, pending: 1 },
    });
    expect(decision.actions).toEqual([{ type: 'event', eventType: 'Normal', reason: 'SparkConnectReady', message: 'server pod notebooks-server is ready' }]);
  });

  test('nothing changed: the stored status is returned as it is, so nothing is written', () => {
    // GIVEN a Ready SparkConnect whose status the controller wrote an hour ago
    const c = connect();
    const observed: ConnectObserved = { serverPod: serverPod(c, READY), service: service(c), executors: [] };
    c.status = decide(c, observed, clock.now(), OPTIONS).status;
    // WHEN
    const later = decide(c, observed, new Date(clock.now().getTime() + 3_600_000), OPTIONS);
    // THEN
    expect(later.status).toBe(c.status);
    expect(later.actions).toEqual([]);
  });

  test('a running pod that is not ready is NotReady; the condition keeps its transition time while its status stays False', () => {
    // GIVEN a SparkConnect that was Provisioning since 10:00
    const c = connect();
    c.status = decide(c, { executors: [] }, clock.now(), OPTIONS).status;
    const observed: ConnectObserved = { serverPod: serverPod(c, RUNNING_NOT_READY), service: service(c), executors: [] };
    // WHEN at 10:05
    const decision = decide(c, observed, new Date('2026-12-07T10:05:00Z'), OPTIONS);
    // THEN
    expect(decision.status.state).toBe('NotReady');
    expect(decision.status.conditions![0]).toMatchObject({ status: 'False', lastTransitionTime: '2026-12-07T10:00:00Z', message: 'Server pod is not ready: ' });
    expect(decision.status.lastUpdateTime).toBe('2026-12-07T10:05:00Z');
    expect(decision.actions).toEqual([{ type: 'event', eventType: 'Warning', reason: 'SparkConnectNotReady', message: 'server pod notebooks-server is not ready' }]);
  });

  test('a server pod that is gone after it was Ready is created again, with a Warning', () => {
    // GIVEN
    const c = connect();
    c.status = decide(c, { serverPod: serverPod(c, READY), service: service(c), executors: [] }, clock.now(), OPTIONS).status;
    // WHEN the pod is gone
    const decision = decide(c, { service: service(c), executors: [] }, clock.now(), OPTIONS);
    // THEN
    expect(decision.actions.map((a) => (a.type === 'event' ? `${a.eventType}:${a.reason}` : a.type))).toEqual([
      'Warning:SparkConnectServerPodLost', 'applyConfigMap', 'createServerPod', 'Normal:SparkConnectServerPodCreated',
    ]);
    expect(decision.status.state).toBe('Provisioning');
    expect(decision.status.server).toEqual({ podName: 'notebooks-server', serviceName: 'notebooks-server' });
  });

  test('a server pod someone else deletes is told as lost while it terminates, once', () => {
    // GIVEN a Ready SparkConnect
    const c = connect();
    c.status = decide(c, { serverPod: serverPod(c, READY), service: service(c), executors: [] }, clock.now(), OPTIONS).status;
    const terminating = serverPod(c, READY, (p) => { p.metadata.deletionTimestamp = '2026-12-07T10:00:01Z'; });
    // WHEN
    const decision = decide(c, { serverPod: terminating, service: service(c), executors: [] }, clock.now(), OPTIONS);
    // THEN
    expect(decision.actions).toEqual([
      { type: 'event', eventType: 'Warning', reason: 'SparkConnectServerPodLost', message: 'server pod notebooks-server is being deleted; it will be created again' },
    ]);
    expect(decision.status).toMatchObject({ state: 'Provisioning', server: { podName: 'notebooks-server' } });
    expect(decision.status.server).not.toHaveProperty('podIp');
    // AND once it is gone, it is created again without a second Warning
    c.status = decision.status;
    expect(decide(c, { service: service(c), executors: [] }, clock.now(), OPTIONS).actions.map((a) => a.type))
      .toEqual(['applyConfigMap', 'createServerPod', 'event']);
  });

  test('a spec change replaces the server pod: delete now, create once it is gone', () => {
    // GIVEN a ready pod built from 2 executors
    const before = connect();
    const pod = serverPod(before, READY);
    // WHEN the spec asks for 4
    const after = connect((c) => { c.spec.executor.instances = 4; c.metadata.generation = 2; });
    const decision = decide(after, { serverPod: pod, service: service(after), executors: [] }, clock.now(), OPTIONS);
    // THEN
    expect(decision.actions).toEqual([
      { type: 'deleteServerPod', name: 'notebooks-server', uid: 'pod-uid' },
      { type: 'event', eventType: 'Normal', reason: 'SparkConnectSpecChanged', message: 'the spec or labels changed: replacing server pod notebooks-server' },
    ]);
    expect(decision.status.state).toBe('Provisioning');
    // AND while the old pod terminates, nothing more happens
    const terminating = serverPod(before, READY, (p) => { p.metadata.deletionTimestamp = '2026-12-07T10:00:01Z'; });
    expect(decide(after, { serverPod: terminating, service: service(after), executors: [] }, clock.now(), OPTIONS).actions).toEqual([]);
  });

  test.each([
    ['a spec change', 'SparkConnectSpecChanged', (_c: SparkConnect) => serverPod(connect((x) => { x.spec.executor.instances = 9; }), READY)],
    ['an ended pod', 'SparkConnectServerPodEnded', (c: SparkConnect) => serverPod(c, { phase: 'Failed', reason: 'Evicted' })],
  ])('%s is told once, while the cache still shows the pod the controller deleted (the delete is asked again, the Event not)', (_, reason, podOf) => {
    // GIVEN a Ready SparkConnect and its pod to replace
    const c = connect((x) => { x.status = { state: 'Ready' }; });
    const pod = podOf(c);
    // WHEN decided, the status written, and decided again from a cache that has not seen the deletion
    const first = decide(c, { serverPod: pod, service: service(c), executors: [] }, clock.now(), OPTIONS);
    c.status = first.status;
    const second = decide(c, { serverPod: pod, service: service(c), executors: [] }, clock.now(), OPTIONS);
    // THEN the Event once, the idempotent delete twice
    expect(first.actions.filter((a) => a.type === 'event').map((a: any) => a.reason)).toEqual([reason]);
    expect(second.actions).toEqual([{ type: 'deleteServerPod', name: 'notebooks-server', uid: 'pod-uid' }]);
    expect(second.status).toBe(c.status);
  });

  test('a change of spec.server.service alone keeps the server pod: nothing of the pod comes from it', () => {
    // GIVEN a SparkConnect Ready with its pod
    const before = connect((c) => { c.status = { state: 'Ready' }; });
    const pod = serverPod(before, READY);
    // WHEN the Service is given a type and an annotation
    const after = connect((c) => {
      c.spec.server.service = { metadata: { annotations: { note: 'x' } }, spec: { type: 'NodePort' } };
      c.metadata.generation = 2;
      c.status = { state: 'Ready' };
    });
    const decision = decide(after, { serverPod: pod, service: service(after), executors: [] }, clock.now(), OPTIONS);
    // THEN the pod stays, and stays Ready
    expect(decision.actions).toEqual([]);
    expect(decision.status.state).toBe('Ready');
    expect(connectFingerprint(after)).toBe(connectFingerprint(before));
  });

  test('the fingerprint of a SparkConnect without a Service is what it was when the Service counted (no restart on upgrade)', () => {
    // GIVEN the formula before spec.server.service was left out
    const c = connect((x) => { x.metadata.labels = { team: 'a' }; });
    const old = createHash('sha256').update(canonicalJson({ spec: c.spec, labels: c.metadata.labels })).digest('hex').slice(0, 16);
    // THEN
    expect(connectFingerprint(c)).toBe(old);
  });

  test('a server pod that ended is replaced', () => {
    // GIVEN
    const c = connect();
    const evicted = serverPod(c, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
    // WHEN
    const decision = decide(c, { serverPod: evicted, service: service(c), executors: [] }, clock.now(), OPTIONS);
    // THEN
    expect(decision.actions).toEqual([
      { type: 'deleteServerPod', name: 'notebooks-server', uid: 'pod-uid' },
      { type: 'event', eventType: 'Warning', reason: 'SparkConnectServerPodEnded', message: 'server pod notebooks-server ended (Failed, Evicted: The node was low on resource: memory.); replacing it' },
    ]);
  });

  test('an invalid SparkConnect creates nothing and is Failed with every problem, told once by an Event', () => {
    // GIVEN
    const c = connect((x) => { delete x.spec.image; x.spec.server.cores = 0; });
    // WHEN
    const decision = decide(c, { executors: [] }, clock.now(), OPTIONS);
    // THEN
    const message = "invalid SparkConnect: 'spec.server.cores' must be an integer >= 1 (got 0); 'spec.image' is required unless the server template's "
      + "Spark container ('spark-kubernetes-driver', else its first) and the executor template's 'spark-kubernetes-executor' container names an image";
    expect(decision.actions).toEqual([{ type: 'event', eventType: 'Warning', reason: 'SparkConnectFailed', message }]);
    expect(decision.status).toMatchObject({
      state: 'Failed', server: {}, conditions: [{ status: 'False', reason: 'ServerPodFailed', message: `Server pod is not ready: ${message}` }],
    });
    // AND the next look tells no more
    c.status = decision.status;
    expect(decide(c, { executors: [] }, clock.now(), OPTIONS).actions).toEqual([]);
  });

  test('a server that would run as the operator\'s own ServiceAccount is refused', () => {
    // GIVEN
    const c = connect((x) => { x.spec.server.template = { spec: { serviceAccountName: 'spark-operator-controller' } }; });
    // WHEN
    const decision = decide(c, { executors: [] }, clock.now(), OPTIONS);
    // THEN
    expect(decision.status.state).toBe('Failed');
    expect(decision.actions.map((a) => a.type)).toEqual(['event']);
  });

  test('a pod of another owner with the server pod\'s name is not touched: Failed', () => {
    // GIVEN
    const c = connect();
    const foreign = serverPod(c, READY, (p) => { p.metadata.ownerReferences = [{ uid: 'someone-else' }]; });
    // WHEN
    const decision = decide(c, { serverPod: foreign, service: service(c), executors: [] }, clock.now(), OPTIONS);
    // THEN
    expect(decision.status.state).toBe('Failed');
    expect(decision.status.conditions![0].message).toBe('Server pod is not ready: pod notebooks-server already exists and does not belong to this SparkConnect: delete it or rename the SparkConnect');
    expect(decision.actions.filter((a) => a.type !== 'event')).toEqual([]);
  });

  test('a refusal by the API server becomes the status', () => {
    // GIVEN
    const c = connect();
    // WHEN
    const decision = decide(c, { executors: [], refused: 'pods "notebooks-server" is forbidden: violates PodSecurity "restricted:latest"' }, clock.now(), OPTIONS);
    // THEN
    expect(decision.status.state).toBe('Failed');
    expect(decision.actions).toEqual([{ type: 'event', eventType: 'Warning', reason: 'SparkConnectFailed', message: 'pods "notebooks-server" is forbidden: violates PodSecurity "restricted:latest"' }]);
  });

  test('being deleted: nothing to do (garbage collection takes what it owns)', () => {
    const c = connect((x) => { x.metadata.deletionTimestamp = '2026-12-07T10:00:00Z'; });
    expect(decide(c, { executors: [] }, clock.now(), OPTIONS)).toEqual({ status: {}, actions: [] });
  });
});

describe('the objects of upstream\'s example', () => {
  const example = upstreamExample();

  test('the server pod runs Spark\'s start-connect-server.sh in the foreground, as upstream starts it', () => {
    // WHEN
    const pod = connectServerPod(example, MASTER);
    // THEN
    expect(pod.metadata).toEqual({
      name: 'spark-connect-server',
      namespace: 'default',
      labels: {
        'key1': 'value1',
        'key2': 'value2',
        'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
        'sparkoperator.k8s.io/connect-name': 'spark-connect',
        'spark-role': 'connect-server',
        'spark-version': '4.0.4',
        [CONNECT_FINGERPRINT_LABEL]: connectFingerprint(example),
      },
      annotations: { key3: 'value3', key4: 'value4' },
      ownerReferences: [{ apiVersion: 'sparkoperator.k8s.io/v1alpha1', kind: 'SparkConnect', name: 'spark-connect', uid: 'uid-1', controller: true, blockOwnerDeletion: true }],
    });
    const [container] = pod.spec.containers;
    expect(container).toMatchObject({
      name: 'spark-kubernetes-driver',
      image: 'docker.io/apache/spark:4.0.4',
      imagePullPolicy: 'Always',
      command: ['bash', '-c'],
      env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'SPARK_NO_DAEMONIZE', value: 'true' }],
      volumeMounts: [{ name: 'spark-conf', subPath: 'executor-pod-template.yaml', mountPath: '/tmp/spark/executor-pod-template.yaml', readOnly: true }],
      lifecycle: { preStop: { exec: { command: ['bash', '-c', '${SPARK_HOME}/sbin/stop-connect-server.sh'] } } },
      readinessProbe: { tcpSocket: { port: 15002 }, periodSeconds: 5 },
    });
    expect(container.args).toEqual([
      '${SPARK_HOME}/sbin/start-connect-server.sh --master k8s://https://10.96.0.1:443'
      + ' --conf spark.kubernetes.namespace=default'
      + ' --conf spark.kubernetes.container.image=docker.io/apache/spark:4.0.4'
      + ' --conf spark.kubernetes.executor.container.image=docker.io/apache/spark:4.0.4'
      + ' --conf spark.kubernetes.driver.label.sparkoperator.k8s.io/launched-by-spark-operator=true'
      + ' --conf spark.kubernetes.driver.label.sparkoperator.k8s.io/connect-name=spark-connect'
      + ' --conf spark.driver.bindAddress=0.0.0.0'
      + ' --conf spark.driver.host=$(host=${POD_IP}; if [[ $host == *:* ]] && [[ $host != \\[* ]]; then echo "[$host]"; else echo "$host"; fi)'
      + ' --conf spark.driver.port=7078'
      + ' --conf spark.driver.blockManager.port=7079'
      + ' --conf spark.kubernetes.driver.pod.name=spark-connect-server'
      + ' --conf spark.kubernetes.executor.label.sparkoperator.k8s.io/launched-by-spark-operator=true'
      + ' --conf spark.kubernetes.executor.label.sparkoperator.k8s.io/connect-name=spark-connect'
      + ' --conf spark.executor.instances=2'
      + ' --conf spark.executor.cores=1'
      + ' --conf spark.executor.memory=512m'
      + ' --conf spark.kubernetes.executor.podNamePrefix=spark-connect'
      + ' --conf spark.kubernetes.executor.podTemplateFile=/tmp/spark/executor-pod-template.yaml'
      + ' --conf spark.kubernetes.executor.podTemplateContainerName=spark-kubernetes-executor',
    ]);
    expect(pod.spec).toMatchObject({ serviceAccount: 'spark-operator-spark', securityContext: { runAsUser: 185, runAsNonRoot: true } });
    expect(pod.spec.volumes).toEqual([{
      name: 'spark-conf',
      configMap: { name: 'spark-connect-conf', items: [{ key: 'executor-pod-template.yaml', path: 'executor-pod-template.yaml' }] },
    }]);
  });

  test('the ConfigMap holds the executor template Spark builds every executor from', () => {
    // WHEN
    const configMap = connectConfigMap(example);
    // THEN
    expect(configMap.metadata).toMatchObject({
      name: 'spark-connect-conf',
      labels: { 'sparkoperator.k8s.io/created-by-spark-operator': 'true', 'sparkoperator.k8s.io/connect-name': 'spark-connect' },
    });
    expect(parse(configMap.data['executor-pod-template.yaml'])).toEqual(example.spec.executor.template);
  });

  test('the Service exposes upstream\'s four ports and selects the server pod', () => {
    // WHEN
    const svc = connectServerService(example);
    // THEN
    expect(svc.metadata.name).toBe('spark-connect-server');
    expect(svc.spec).toEqual({
      ports: [
        { name: 'driver-rpc', port: 7078, targetPort: 7078, protocol: 'TCP', appProtocol: 'tcp' },
        { name: 'blockmanager', port: 7079, targetPort: 7079, protocol: 'TCP', appProtocol: 'tcp' },
        { name: 'web-ui', port: 4040, targetPort: 4040, protocol: 'TCP', appProtocol: 'http' },
        { name: 'spark-connect-server', port: 15002, targetPort: 15002, protocol: 'TCP', appProtocol: 'grpc' },
      ],
      selector: {
        'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
        'sparkoperator.k8s.io/connect-name': 'spark-connect',
        'spark-role': 'connect-server',
        'spark-version': '4.0.4',
      },
    });
  });

  test('settings with spaces or quotes stay one shell word; hadoopConf keys get their prefix', () => {
    // GIVEN
    const c = connect((x) => {
      x.spec.sparkConf = { 'spark.driver.extraJavaOptions': "-Dx='a b'" };
      x.spec.hadoopConf = { 'fs.s3a.endpoint': 'http://minio:9000', 'spark.hadoop.fs.s3a.path.style.access': 'true' };
    });
    // WHEN
    const args = startConnectServerArgs(c, MASTER);
    // THEN
    expect(args).toEqual(expect.arrayContaining([
      "'spark.driver.extraJavaOptions=-Dx='\\''a b'\\'''",
      'spark.hadoop.fs.s3a.endpoint=http://minio:9000',
      'spark.hadoop.fs.s3a.path.style.access=true',
    ]));
  });

  test('dynamic allocation renders as upstream renders it, shuffle tracking on unless turned off', () => {
    // GIVEN
    const c = connect((x) => { x.spec.dynamicAllocation = { enabled: true, minExecutors: 0, maxExecutors: 8 }; });
    // WHEN
    const args = startConnectServerArgs(c, MASTER).join(' ');
    // THEN
    expect(args).toContain('--conf spark.dynamicAllocation.enabled=true --conf spark.dynamicAllocation.minExecutors=0'
      + ' --conf spark.dynamicAllocation.maxExecutors=8 --conf spark.dynamicAllocation.shuffleTracking.enabled=true');
  });
});
