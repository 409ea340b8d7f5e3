import { OPTIONS, build, containerOf, envNames, sparkPi } from './fixtures';
import { memoryLimitQuantity, setEnv } from '../../../src/runtime/submission/upstream-pod-mutations';

// What upstream's pod webhook would patch into the driver pod (steps of sparkpod_defaulter.go),
// here built into the pod.
const driverPod = (changes: Parameters<typeof sparkPi>[0]) => build(sparkPi(changes)).driverPod;

describe('webhook patches in the driver pod', () => {
  test('2, 3: env and envFrom are appended; a name the container has takes the new value in place', () => {
    // GIVEN
    const pod = driverPod({
      driver: {
        env: [{ name: 'FROM_ENV', value: '1' }, { name: 'SPARK_USER', value: 'override' }],
        envFrom: [{ configMapRef: { name: 'settings' } }],
      },
    });

    // THEN
    expect(envNames(containerOf(pod))).toEqual(['SPARK_USER', 'SPARK_APPLICATION_ID', 'SPARK_DRIVER_BIND_ADDRESS', 'SPARK_LOCAL_DIRS', 'SPARK_CONF_DIR', 'FROM_ENV']);
    expect(containerOf(pod).env![0]).toEqual({ name: 'SPARK_USER', value: 'override' });
    expect(containerOf(pod).envFrom).toEqual([{ configMapRef: { name: 'settings' } }]);
  });

  test('4, 5: hadoopConfigMap and sparkConfigMap are mounted, and their directories set', () => {
    // GIVEN
    const pod = driverPod({ hadoopConfigMap: 'hadoop-site', sparkConfigMap: 'spark-defaults' });

    // THEN
    expect(pod.spec.volumes!.slice(-2)).toEqual([
      { name: 'hadoop-configmap-volume', configMap: { name: 'hadoop-site' } },
      { name: 'spark-configmap-volume', configMap: { name: 'spark-defaults' } },
    ]);
    expect(containerOf(pod).volumeMounts!.slice(-2)).toEqual([
      { name: 'hadoop-configmap-volume', mountPath: '/etc/hadoop/conf', readOnly: true },
      { name: 'spark-configmap-volume', mountPath: '/etc/spark/conf', readOnly: true },
    ]);
    expect(containerOf(pod).env!.slice(-2)).toEqual([{ name: 'SPARK_CONF_DIR', value: '/etc/spark/conf' }, { name: 'HADOOP_CONF_DIR', value: '/etc/hadoop/conf' }]);
  });

  test('6: configMaps are mounted read-only as <name>-vol (a dotted name made a valid volume name)', () => {
    // GIVEN
    const pod = driverPod({ driver: { configMaps: [{ name: 'app-settings', path: '/etc/app' }, { name: 'krb5.conf', path: '/etc/krb5' }] } });

    // THEN
    expect(pod.spec.volumes!.slice(-2)).toEqual([
      { name: 'app-settings-vol', configMap: { name: 'app-settings' } },
      { name: 'krb5-conf-vol-24a9b254', configMap: { name: 'krb5.conf' } },
    ]);
    expect(containerOf(pod).volumeMounts!.slice(-2)).toEqual([
      { name: 'app-settings-vol', mountPath: '/etc/app', readOnly: true },
      { name: 'krb5-conf-vol-24a9b254', mountPath: '/etc/krb5', readOnly: true },
    ]);
  });

  test('7: the volumes the driver mounts (not spark-local-dir-*) are added once, with the mounts as given', () => {
    // GIVEN
    const pod = driverPod({
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }, { name: 'unused', emptyDir: {} }],
      driver: { volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'data', mountPath: '/logs', subPath: 'logs' }] },
    });

    // THEN
    expect(pod.spec.volumes!.map((v) => v.name)).toEqual(['pod-template-volume', 'spark-local-dir-1', 'spark-conf-volume-driver', 'data']);
    expect(containerOf(pod).volumeMounts!.slice(-2)).toEqual([{ name: 'data', mountPath: '/data' }, { name: 'data', mountPath: '/logs', subPath: 'logs' }]);
  });

  test('8: ports are appended to Spark\'s', () => {
    const pod = driverPod({ driver: { ports: [{ name: 'connect', protocol: 'TCP', containerPort: 15002 }] } });
    expect(containerOf(pod).ports!.map((p) => p.name)).toEqual(['driver-rpc-port', 'blockmanager', 'spark-ui', 'connect']);
  });

  test('9 to 13: host network with its DNS policy, host aliases, init containers, sidecars once, DNS config', () => {
    // GIVEN
    const pod = driverPod({
      driver: {
        hostNetwork: true,
        hostAliases: [{ ip: '10.0.0.9', hostnames: ['db'] }],
        initContainers: [{ name: 'wait', image: 'busybox' }],
        sidecars: [{ name: 'proxy', image: 'envoy:1' }],
        dnsConfig: { nameservers: ['1.1.1.1'] },
        template: { spec: { containers: [{ name: 'proxy', image: 'envoy:1' }, { name: 'spark-kubernetes-driver' }] } },
      },
    });

    // THEN
    expect(pod.spec).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', hostAliases: [{ ip: '10.0.0.9', hostnames: ['db'] }], dnsConfig: { nameservers: ['1.1.1.1'] } });
    expect(pod.spec.initContainers).toEqual([{ name: 'wait', image: 'busybox' }]);
    expect(pod.spec.containers.map((c) => c.name)).toEqual(['proxy', 'spark-kubernetes-driver']);
  });

  test('12: a sidecar comes after the Spark container', () => {
    expect(driverPod({ driver: { sidecars: [{ name: 'proxy', image: 'envoy:1' }] } }).spec.containers.map((c) => c.name))
      .toEqual(['spark-kubernetes-driver', 'proxy']);
  });

  test('14: a priority class replaces any priority and preemption policy', () => {
    // GIVEN
    const pod = driverPod({ driver: { priorityClassName: 'high', template: { spec: { priority: 7, preemptionPolicy: 'Never' } } } });

    // THEN
    expect(pod.spec.priorityClassName).toBe('high');
    expect(pod.spec).not.toHaveProperty('priority');
    expect(pod.spec).not.toHaveProperty('preemptionPolicy');
  });

  test('15: batchScheduler wins over the role\'s schedulerName', () => {
    expect(driverPod({ driver: { schedulerName: 'my-scheduler' } }).spec.schedulerName).toBe('my-scheduler');
    const enabled = { ...OPTIONS, batchScheduling: { enabled: true } };
    expect(build(sparkPi({ batchScheduler: 'volcano', driver: { schedulerName: 'my-scheduler' } }), enabled).driverPod.spec.schedulerName).toBe('volcano');
  });

  test('16 to 18: node selector merged, affinity replaced, tolerations appended', () => {
    // GIVEN
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Exists' }] }] } } };
    const pod = driverPod({
      driver: {
        nodeSelector: { pool: 'spark' },
        affinity,
        tolerations: [{ key: 'b', operator: 'Exists' }],
        template: { spec: { nodeSelector: { zone: 'a' }, affinity: { podAffinity: {} }, tolerations: [{ key: 'a', operator: 'Exists' }] } },
      },
    });

    // THEN
    expect(pod.spec.nodeSelector).toEqual({ zone: 'a', pool: 'spark' });
    expect(pod.spec.affinity).toEqual(affinity);
    expect(pod.spec.tolerations).toEqual([{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }]);
  });

  test('19, 20: memoryLimit raises the memory limit above the request; a GPU is a limit', () => {
    // GIVEN
    const pod = driverPod({ driver: { memoryLimit: '2g', gpu: { name: 'nvidia.com/gpu', quantity: 1 } } });

    // THEN
    expect(containerOf(pod).resources).toEqual({ requests: { cpu: '1', memory: '896Mi' }, limits: { 'memory': '2Gi', 'nvidia.com/gpu': '1' } });
  });

  test('21: Prometheus: the metrics files from the driver ConfigMap at /etc/metrics/conf and the exporter port', () => {
    // GIVEN
    const pod = driverPod({ monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/jmx.jar' } } });

    // THEN
    expect(pod.spec.volumes!.at(-1)).toEqual({
      name: 'spark-pi-prom-conf-vol',
      configMap: { name: 'spark-drv-00d64f75d5845245-conf-map', items: [{ key: 'metrics.properties', path: 'metrics.properties' }, { key: 'prometheus.yaml', path: 'prometheus.yaml' }] },
    });
    expect(containerOf(pod).volumeMounts!.at(-1)).toEqual({ name: 'spark-pi-prom-conf-vol', mountPath: '/etc/metrics/conf' });
    expect(containerOf(pod).ports!.at(-1)).toEqual({ name: 'jmx-exporter', containerPort: 8090, protocol: 'TCP' });
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8090', 'prometheus.io/path': '/metrics' });
  });

  test('21: nothing is mounted when both files are in the image, nor for a role that does not expose metrics', () => {
    const files = { metricsPropertiesFile: '/opt/metrics.properties', prometheus: { jmxExporterJar: '/jmx.jar', configFile: '/opt/prom.yaml' } };
    expect(containerOf(driverPod({ monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: false, ...files } })).ports).toHaveLength(3);
    expect(containerOf(driverPod({ monitoring: { exposeDriverMetrics: false, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/jmx.jar' } } })).ports).toHaveLength(3);
  });

  test('22 to 26: security contexts replaced, grace period, lifecycle, process namespace; runtime class', () => {
    // GIVEN
    const pod = driverPod({
      driver: {
        securityContext: { allowPrivilegeEscalation: false },
        podSecurityContext: { runAsUser: 185 },
        terminationGracePeriodSeconds: 0,
        lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
        shareProcessNamespace: true,
        runtimeClassName: 'gvisor',
        template: { spec: { containers: [{ name: 'spark-kubernetes-driver', securityContext: { privileged: true } }] } },
      },
    });

    // THEN
    expect(containerOf(pod).securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(containerOf(pod).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(pod.spec).toMatchObject({ securityContext: { runAsUser: 185 }, terminationGracePeriodSeconds: 0, shareProcessNamespace: true, runtimeClassName: 'gvisor' });
  });

  test('Service links are off unless the template turns them on', () => {
    expect(driverPod({}).spec.enableServiceLinks).toBe(false);
    expect(driverPod({ driver: { template: { spec: { enableServiceLinks: true } } } }).spec.enableServiceLinks).toBe(true);
  });
});

describe('setEnv', () => {
  test('replaces an existing name in place and appends new ones', () => {
    expect(setEnv([{ name: 'A', value: '1' }, { name: 'B', value: '2' }], { name: 'A', value: '3' }, { name: 'C', value: '4' }))
      .toEqual([{ name: 'A', value: '3' }, { name: 'B', value: '2' }, { name: 'C', value: '4' }]);
  });
});

describe('memoryLimitQuantity', () => {
  test.each([['512m', '512Mi'], ['2g', '2Gi'], ['1536m', '1536Mi'], ['1024k', '1Mi'], ['1536k', '1536Ki'], ['1024', '1Gi'], ['2048b', '2Ki'], ['1t', '1Ti'], ['2048g', '2Ti']])(
    'Spark\'s %s is the quantity %s', (text, quantity) => {
      expect(memoryLimitQuantity(text)).toBe(quantity);
    });
});
