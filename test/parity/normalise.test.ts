import { KubeObject, normaliseCapture, RawCapture } from './normalise';
import { parseProperties } from './properties';

const APP_ID = 'spark-0123456789abcdef0123456789abcdef';
const POD_UID = '11111111-2222-4333-8444-555555555555';
const APP_UID = '66666666-7777-4888-9999-aaaaaaaaaaaa';

function raw(): RawCapture {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'pi-driver',
      namespace: 'ns',
      uid: POD_UID,
      resourceVersion: '42',
      creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'okhttp' }],
      labels: { 'spark-app-selector': APP_ID, 'spark-role': 'driver' },
      ownerReferences: [{ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'pi', uid: APP_UID, controller: true }],
    },
    spec: {
      nodeName: 'kwok-node-0',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      serviceAccount: 'spark',
      serviceAccountName: 'spark',
      restartPolicy: 'Never',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' },
      ],
      containers: [{
        name: 'spark-kubernetes-driver',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        env: [{ name: 'SPARK_APPLICATION_ID', value: APP_ID }, { name: 'SPARK_LOCAL_DIRS', value: '/var/data/spark-0c8f1e19-a6f3-4e2b-9c1d-0123456789ab' }],
        volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'spark-conf-volume-driver', mountPath: '/opt/spark/conf' }],
      }],
      volumes: [
        { name: 'spark-conf-volume-driver', configMap: { name: 'spark-drv-a7d2e419a6f3e2c4-conf-map', defaultMode: 420, items: [{ key: 'spark.properties', path: 'spark.properties', mode: 420 }] } },
        { name: 'spark-local-dir-2', hostPath: { path: '/mnt', type: '' } },
        { name: 'kube-api-access-x7k2p', projected: { sources: [] } },
      ],
    },
    status: { phase: 'Running' },
  };
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'pi-0c8f1e19a6f3e2b1-driver-svc', namespace: 'ns', uid: 'svc-uid', ownerReferences: [{ kind: 'Pod', name: 'pi-driver', uid: POD_UID }] },
    spec: {
      clusterIP: 'None',
      clusterIPs: ['None'],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ name: 'driver-rpc-port', port: 7078, targetPort: 7078, protocol: 'TCP' }],
    },
    status: { loadBalancer: {} },
  };
  const properties = '#Java properties built from Kubernetes config map with name: spark-drv-a7d2e419a6f3e2c4-conf-map\n' +
    '#Tue Aug 18 10:00:00 UTC 2026\n' +
    `spark.app.id=${APP_ID}\nspark.master=k8s\\://https\\://127.0.0.1\\:34567\nspark.app.submitTime=1796155696493\n` +
    'spark.driver.host=pi-0c8f1e19a6f3e2b1-driver-svc.ns.svc\n';
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    immutable: true,
    metadata: { name: 'spark-drv-a7d2e419a6f3e2c4-conf-map', namespace: 'ns', uid: 'cm-uid', ownerReferences: [{ kind: 'Pod', name: 'pi-driver', uid: POD_UID }] },
    data: { 'spark.properties': properties, 'spark.kubernetes.namespace': 'ns' },
  };
  return { driverPod: pod, services: [svc], configMaps: [cm] };
}

test('random values become placeholders and server-set fields go, everything else stays', () => {
  // GIVEN a capture as the API server returns it
  const capture = raw();
  // WHEN
  const out = normaliseCapture(capture, { appUid: APP_UID, apiServerPort: 34567 });
  // THEN
  expect(out.driverPod).toEqual({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'pi-driver',
      namespace: 'ns',
      labels: { 'spark-app-selector': '<APP_ID>', 'spark-role': 'driver' },
      ownerReferences: [{ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'pi', uid: '<APP_UID>', controller: true }],
    },
    spec: {
      serviceAccount: 'spark',
      serviceAccountName: 'spark',
      restartPolicy: 'Never',
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }],
      containers: [{
        name: 'spark-kubernetes-driver',
        env: [{ name: 'SPARK_APPLICATION_ID', value: '<APP_ID>' }, { name: 'SPARK_LOCAL_DIRS', value: '/var/data/spark-<LOCAL_DIR_UUID>' }],
        volumeMounts: [{ name: 'spark-conf-volume-driver', mountPath: '/opt/spark/conf' }],
      }],
      volumes: [
        { name: 'spark-conf-volume-driver', configMap: { name: 'spark-drv-<CONF_MAP_ID>-conf-map', items: [{ key: 'spark.properties', path: 'spark.properties', mode: 420 }] } },
        { name: 'spark-local-dir-2', hostPath: { path: '/mnt' } },
      ],
    },
  });
  expect(out.services).toEqual([{
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'pi-<RESOURCE_ID>-driver-svc', namespace: 'ns', ownerReferences: [{ kind: 'Pod', name: 'pi-driver', uid: '<DRIVER_POD_UID>' }] },
    spec: { clusterIP: 'None', ports: [{ name: 'driver-rpc-port', port: 7078, targetPort: 7078 }] },
  }]);
  expect(out.configMaps[0].data).toEqual({
    'spark.kubernetes.namespace': 'ns',
    'spark.properties': '#Java properties built from Kubernetes config map with name: spark-drv-<CONF_MAP_ID>-conf-map\n#<DATE>\n' +
      'spark.app.id=<APP_ID>\nspark.master=k8s\\://https\\://127.0.0.1\\:<APISERVER_PORT>\nspark.app.submitTime=<SUBMIT_TIME>\n' +
      'spark.driver.host=pi-<RESOURCE_ID>-driver-svc.ns.svc\n',
  });
  expect(out.sparkProperties).toEqual({
    'spark.app.id': '<APP_ID>',
    'spark.app.submitTime': '<SUBMIT_TIME>',
    'spark.driver.host': 'pi-<RESOURCE_ID>-driver-svc.ns.svc',
    'spark.master': 'k8s://https://127.0.0.1:<APISERVER_PORT>',
  });
  expect(capture.driverPod.metadata.uid).toBe(POD_UID);
});

test('a driver pod without a spark-app-selector label is refused', () => {
  const capture = raw();
  capture.driverPod.metadata.labels = {};
  expect(() => normaliseCapture(capture, { appUid: APP_UID, apiServerPort: 1 }))
    .toThrow("driver pod pi-driver has no spark-app-selector label of the form spark-<32 hex> (got 'undefined')");
});

test('properties are unescaped as Properties.load does', () => {
  // GIVEN the escapes Properties.store writes
  const text = '#c\n!c\nspark.a=k8s\\://h\\:1\nspark.b=\\ lead\\\\back\\#x\\!y\\=z\nspark.c=\\u00fc\\t\nspark.d=\n';
  // WHEN / THEN
  expect(parseProperties(text)).toEqual({ 'spark.a': 'k8s://h:1', 'spark.b': ' lead\\back#x!y=z', 'spark.c': 'ü\t', 'spark.d': '' });
});

test('a fallback Service name keeps its own id apart from the resource prefix id', () => {
  // GIVEN a name too long for '<app>-<id>-driver-svc': Spark drew a second id for 'spark-<id>-driver-svc'
  const capture = raw();
  const services = [{ ...capture.services[0], metadata: { ...capture.services[0].metadata, name: 'spark-5d1c9e77a2333a15-driver-svc' } }];
  const podSpec = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'long-name-0c8f1e19a6f3e2b1-driver-podspec-conf-map', uid: 'x' }, data: {} };
  // WHEN
  const out = normaliseCapture({ ...capture, services, configMaps: [...capture.configMaps, podSpec] }, { appUid: APP_UID, apiServerPort: 1 });
  // THEN
  expect(out.services.map((s) => (s.metadata as { name: string }).name)).toEqual(['spark-<SVC_ID>-driver-svc']);
  expect(out.configMaps.map((c) => (c.metadata as { name: string }).name)).toEqual(['long-name-<RESOURCE_ID>-driver-podspec-conf-map', 'spark-drv-<CONF_MAP_ID>-conf-map']);
});

test('SPARK_LOCAL_DIRS, whose order Spark changes from run to run, is sorted', () => {
  // GIVEN
  const capture = raw();
  const container = (capture.driverPod.spec as { containers: Array<{ env: Array<{ name: string; value: string }> }> }).containers[0];
  container.env[1].value = '/tmp/c,/tmp/a,/tmp/b';
  // WHEN
  const out = normaliseCapture(capture, { appUid: APP_UID, apiServerPort: 1 });
  // THEN
  const env = (out.driverPod.spec as { containers: Array<{ env: Array<{ name: string; value: string }> }> }).containers[0].env;
  expect(env[1]).toEqual({ name: 'SPARK_LOCAL_DIRS', value: '/tmp/a,/tmp/b,/tmp/c' });
});
