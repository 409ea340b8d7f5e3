import { build, sparkPi } from './fixtures';
import { DEFAULT_METRICS_PROPERTIES, DEFAULT_PROMETHEUS_CONFIG, planMonitoring } from '../../../src/runtime/submission/monitoring';

describe('monitoring (upstream\'s Prometheus pre-step)', () => {
  test('is off without monitoring.prometheus', () => {
    expect(planMonitoring(sparkPi({ monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: true } }))).toBeUndefined();
  });

  test('puts the default metrics.properties and prometheus.yaml into the driver ConfigMap', () => {
    // WHEN
    const configMap = build(sparkPi({ monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/jmx.jar' } } })).configMap;

    // THEN
    expect(Object.keys(configMap.data)).toEqual(['spark.properties', 'spark.kubernetes.namespace', 'podspec-configmap-key', 'metrics.properties', 'prometheus.yaml']);
    expect(configMap.data['metrics.properties']).toBe(DEFAULT_METRICS_PROPERTIES);
    expect(configMap.data['prometheus.yaml']).toBe(DEFAULT_PROMETHEUS_CONFIG);
  });

  test('the default files enable Spark\'s JMX sink and map its metric names for the exporter', () => {
    expect(DEFAULT_METRICS_PROPERTIES.split('\n')).toContain('*.sink.jmx.class=org.apache.spark.metrics.sink.JmxSink');
    expect(DEFAULT_PROMETHEUS_CONFIG).toContain(String.raw`  - pattern: 'metrics<(?:type=\w+, )?name=([^.]+)\.([^.]+)\.driver\.([^,>]+)(?:, type=\w+)?><>Value'`);
    expect(DEFAULT_PROMETHEUS_CONFIG).toContain('    name: spark_executor_$4\n    type: GAUGE\n    labels:\n      app_namespace: "$1"\n      app_name: "$2"\n      executor_id: "$3"');
  });

  test('takes the application\'s own configuration, and no file that is in the image', () => {
    // WHEN
    const plan = planMonitoring(sparkPi({
      monitoring: {
        exposeDriverMetrics: true,
        exposeExecutorMetrics: false,
        metricsPropertiesFile: '/opt/metrics.properties',
        prometheus: { jmxExporterJar: '/jmx.jar', port: 9090, configuration: 'rules: []\n' },
      },
    }))!;

    // THEN
    expect(plan.configMapData).toEqual({ 'prometheus.yaml': 'rules: []\n' });
    expect(plan.conf).toEqual({ 'spark.metrics.namespace': 'spark-jobs.spark-pi', 'spark.metrics.conf': '/opt/metrics.properties' });
    expect(plan.javaAgent).toBe('-javaagent:/jmx.jar=9090:/etc/metrics/conf/prometheus.yaml');
    expect(plan.roles).toEqual({ driver: true, executor: false });
  });

  test('an exporter configFile in the image goes into the agent\'s argument', () => {
    const plan = planMonitoring(sparkPi({ monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/jmx.jar', configFile: '/opt/prom.yaml' } } }))!;
    expect(plan.javaAgent).toBe('-javaagent:/jmx.jar=8090:/opt/prom.yaml');
    expect(Object.keys(plan.configMapData)).toEqual(['metrics.properties']);
  });

  test('executors get the agent in spark.executor.extraJavaOptions, after their javaOptions', () => {
    const properties = build(sparkPi({ executor: { javaOptions: '-XX:+UseG1GC' }, monitoring: { exposeDriverMetrics: false, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/jmx.jar' } } })).sparkProperties;
    expect(properties['spark.executor.extraJavaOptions']).toBe('-XX:+UseG1GC -javaagent:/jmx.jar=8090:/etc/metrics/conf/prometheus.yaml');
    expect(properties['spark.driver.extraJavaOptions']).toBeUndefined();
  });
});
