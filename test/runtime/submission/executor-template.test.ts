import { parse } from 'yaml';
import { APP_UID, build, containerOf, sparkPi } from './fixtures';

const template = (changes: Parameters<typeof sparkPi>[0]) => build(sparkPi(changes)).executorPodTemplate;
// Not blocking the owner's deletion: the driver creates executors without update on sparkapplications/finalizers.
const OWNER = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'spark-pi', uid: APP_UID, controller: false };

describe('the executor pod template', () => {
  test('carries what upstream\'s webhook patches into executors', () => {
    // GIVEN
    const t = template({
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      hadoopConfigMap: 'hadoop-site',
      executor: {
        env: [{ name: 'MODE', value: 'batch' }],
        envFrom: [{ secretRef: { name: 'creds' } }],
        configMaps: [{ name: 'settings', path: '/etc/settings' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        ports: [{ name: 'metrics', protocol: 'TCP', containerPort: 9100 }],
        affinity: { podAntiAffinity: {} },
        tolerations: [{ key: 'spot', operator: 'Exists' }],
        nodeSelector: { pool: 'executors' },
        securityContext: { runAsNonRoot: true },
        podSecurityContext: { fsGroup: 185 },
        sidecars: [{ name: 'shipper', image: 'fluent-bit:3' }],
        initContainers: [{ name: 'init', image: 'busybox' }],
        schedulerName: 'custom',
        priorityClassName: 'batch',
        terminationGracePeriodSeconds: 10,
        gpu: { name: 'nvidia.com/gpu', quantity: 2 },
        lifecycle: { preStop: { exec: { command: ['true'] } } },
        hostAliases: [{ ip: '10.0.0.9', hostnames: ['db'] }],
        dnsConfig: { searches: ['svc.local'] },
        shareProcessNamespace: true,
      },
    });

    // THEN
    expect(t).toEqual({
      metadata: { ownerReferences: [OWNER] },
      spec: {
        containers: [
          {
            name: 'spark-kubernetes-executor',
            env: [{ name: 'MODE', value: 'batch' }, { name: 'HADOOP_CONF_DIR', value: '/etc/hadoop/conf' }],
            envFrom: [{ secretRef: { name: 'creds' } }],
            volumeMounts: [
              { name: 'hadoop-configmap-volume', mountPath: '/etc/hadoop/conf', readOnly: true },
              { name: 'settings-vol', mountPath: '/etc/settings', readOnly: true },
              { name: 'data', mountPath: '/data' },
            ],
            ports: [{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }],
            resources: { limits: { 'nvidia.com/gpu': '2' } },
            securityContext: { runAsNonRoot: true },
            lifecycle: { preStop: { exec: { command: ['true'] } } },
          },
          { name: 'shipper', image: 'fluent-bit:3' },
        ],
        volumes: [
          { name: 'hadoop-configmap-volume', configMap: { name: 'hadoop-site' } },
          { name: 'settings-vol', configMap: { name: 'settings' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
        ],
        hostAliases: [{ ip: '10.0.0.9', hostnames: ['db'] }],
        initContainers: [{ name: 'init', image: 'busybox' }],
        dnsConfig: { searches: ['svc.local'] },
        priorityClassName: 'batch',
        schedulerName: 'custom',
        nodeSelector: { pool: 'executors' },
        affinity: { podAntiAffinity: {} },
        tolerations: [{ key: 'spot', operator: 'Exists' }],
        securityContext: { fsGroup: 185 },
        terminationGracePeriodSeconds: 10,
        shareProcessNamespace: true,
        enableServiceLinks: false,
      },
    });
  });

  test('sparkConfigMap mounts in the template; SPARK_CONF_DIR comes from spark.executorEnv, which Spark applies last', () => {
    // WHEN
    const submission = build(sparkPi({ sparkConfigMap: 'spark-defaults' }));

    // THEN
    expect(containerOf(submission.executorPodTemplate, 'spark-kubernetes-executor').env).toBeUndefined();
    expect(submission.executorPodTemplate.spec.volumes).toEqual([{ name: 'spark-configmap-volume', configMap: { name: 'spark-defaults' } }]);
    expect(submission.sparkProperties['spark.executorEnv.SPARK_CONF_DIR']).toBe('/etc/spark/conf');
  });

  test('monitoring mounts the metrics files and adds the exporter port to executors that expose metrics', () => {
    // WHEN
    const t = template({ monitoring: { exposeDriverMetrics: false, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/jmx.jar', port: 9000, portName: 'prom' } } });

    // THEN
    expect(containerOf(t, 'spark-kubernetes-executor')).toEqual({
      name: 'spark-kubernetes-executor',
      volumeMounts: [{ name: 'spark-pi-prom-conf-vol', mountPath: '/etc/metrics/conf' }],
      ports: [{ name: 'prom', containerPort: 9000, protocol: 'TCP' }],
    });
  });

  test('merges into the user\'s template: its metadata, owners and Spark container kept', () => {
    // GIVEN
    const t = template({
      executor: {
        env: [{ name: 'B', value: '2' }],
        template: {
          metadata: { labels: { 'from-template': 'yes' } },
          spec: { containers: [{ name: 'side', image: 'x' }, { name: 'spark-kubernetes-executor', env: [{ name: 'A', value: '1' }] }] },
        },
      },
    });

    // THEN
    expect(t.metadata).toEqual({ labels: { 'from-template': 'yes' }, ownerReferences: [OWNER] });
    expect(t.spec.containers).toEqual([
      { name: 'side', image: 'x' },
      { name: 'spark-kubernetes-executor', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
    ]);
  });

  test('patches the first container when none has Spark\'s name, as Spark will take that one', () => {
    const t = template({ executor: { env: [{ name: 'B', value: '2' }], template: { spec: { containers: [{ name: 'main' }] } } } });
    expect(t.spec.containers).toEqual([{ name: 'main', env: [{ name: 'B', value: '2' }] }]);
  });

  test('is stored as YAML that reads back to the same template', () => {
    // WHEN
    const submission = build(sparkPi({ executor: { tolerations: [{ key: 'a:b', operator: 'Exists' }] } }));

    // THEN
    expect(parse(submission.configMap.data['podspec-configmap-key'])).toEqual(submission.executorPodTemplate);
  });
});
