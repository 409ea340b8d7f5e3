import { OPTIONS, SUBMISSION_ID, sparkPi } from './fixtures';
import { SparkApplication } from '../../../src/api';
import { FIELD_CONF, sparkConfKeyProblem } from '../../../src/core';
import { sparkSubmitCall } from '../../../src/runtime/submission';
import { planMonitoring } from '../../../src/runtime/submission/monitoring';

/** The Spark configuration upstream would pass to spark-submit for `app`. */
function confOf(app: SparkApplication): Record<string, string> {
  return sparkSubmitCall(app, OPTIONS, planMonitoring(app)).conf.toRecord();
}

/** The entries of `confOf(app)` that `confOf(sparkPi())` does not have or has with another value. */
function changedConf(app: SparkApplication): Record<string, string> {
  const base = confOf(sparkPi());
  return Object.fromEntries(Object.entries(confOf(app)).filter(([k, v]) => base[k] !== v));
}

describe('sparkSubmitCall: the spec as spark-submit\'s configuration (upstream §5.1)', () => {
  test('SparkPi: what spark-submit\'s arguments and upstream\'s --conf set', () => {
    expect(confOf(sparkPi())).toEqual({
      'spark.master': 'k8s://https://10.0.0.1:443',
      'spark.submit.deployMode': 'cluster',
      'spark.app.name': 'spark-pi',
      'spark.app.submitTime': '1787047200000',
      'spark.kubernetes.namespace': 'spark-jobs',
      'spark.kubernetes.submission.waitAppCompletion': 'false',
      'spark.kubernetes.container.image': 'apache/spark:3.5.1',
      'spark.kubernetes.driver.pod.name': 'spark-pi-driver',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/app-name': 'spark-pi',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/launched-by-spark-operator': 'true',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/mutated-by-spark-operator': 'true',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/submission-id': SUBMISSION_ID,
      'spark.kubernetes.driver.container.image': 'apache/spark:3.5.1',
      'spark.driver.cores': '1',
      'spark.driver.memory': '512m',
      'spark.kubernetes.authenticate.driver.serviceAccountName': 'spark',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/app-name': 'spark-pi',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/launched-by-spark-operator': 'true',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/mutated-by-spark-operator': 'true',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/submission-id': SUBMISSION_ID,
      'spark.kubernetes.executor.container.image': 'apache/spark:3.5.1',
      'spark.executor.cores': '1',
      'spark.executor.memory': '512m',
      'spark.executor.instances': '2',
      'spark.jars': 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      'spark.submit.pyFiles': '',
      'spark.kubernetes.executor.podTemplateFile': '/opt/spark/pod-template/pod-spec-template.yml',
      'spark.kubernetes.executor.podTemplateContainerName': 'spark-kubernetes-executor',
    });
  });

  test.each<[string, SparkApplication, Record<string, string>]>([
    ['image pull policy and secrets', sparkPi({ imagePullPolicy: 'Always', imagePullSecrets: ['a', 'b'] }),
      { 'spark.kubernetes.container.image.pullPolicy': 'Always', 'spark.kubernetes.container.image.pullSecrets': 'a,b' }],
    ['role images', sparkPi({ driver: { image: 'd:1' }, executor: { image: 'e:1' } }),
      { 'spark.kubernetes.driver.container.image': 'd:1', 'spark.kubernetes.executor.container.image': 'e:1' }],
    ['pythonVersion and memoryOverheadFactor', sparkPi({ pythonVersion: '3', memoryOverheadFactor: '0.2' }),
      { 'spark.kubernetes.pyspark.pythonVersion': '3', 'spark.kubernetes.memoryOverheadFactor': '0.2' }],
    ['hadoopConf gets spark.hadoop.', sparkPi({ hadoopConf: { 'fs.s3a.endpoint': 'http://minio:9000' } }),
      { 'spark.hadoop.fs.s3a.endpoint': 'http://minio:9000' }],
    ['cores, coreRequest, coreLimit, memory, memoryOverhead', sparkPi({
      driver: { cores: 2, coreRequest: '1500m', coreLimit: '2', memory: '4g', memoryOverhead: '1g' },
      executor: { cores: 3, coreRequest: '1800m', coreLimit: '3', memory: '2g', memoryOverhead: '512m' },
    }), {
      'spark.driver.cores': '2',
      'spark.kubernetes.driver.request.cores': '1500m',
      'spark.kubernetes.driver.limit.cores': '2',
      'spark.driver.memory': '4g',
      'spark.driver.memoryOverhead': '1g',
      'spark.executor.cores': '3',
      'spark.kubernetes.executor.request.cores': '1800m',
      'spark.kubernetes.executor.limit.cores': '3',
      'spark.executor.memory': '2g',
      'spark.executor.memoryOverhead': '512m',
    }],
    ['javaOptions and kubernetesMaster', sparkPi({ driver: { javaOptions: '-XX:+UseG1GC', kubernetesMaster: 'https://api:6443' }, executor: { javaOptions: '-Dx=1' } }),
      { 'spark.driver.extraJavaOptions': '-XX:+UseG1GC', 'spark.kubernetes.driver.master': 'https://api:6443', 'spark.executor.extraJavaOptions': '-Dx=1' }],
    ['executor service account, deleteOnTermination', sparkPi({ executor: { serviceAccount: 'exec', deleteOnTermination: false } }),
      { 'spark.kubernetes.authenticate.executor.serviceAccountName': 'exec', 'spark.kubernetes.executor.deleteOnTermination': 'false' }],
    ['a driver podName', sparkPi({ driver: { podName: 'my-driver' } }), { 'spark.kubernetes.driver.pod.name': 'my-driver' }],
    ['spec.nodeSelector', sparkPi({ nodeSelector: { disktype: 'ssd' } }), { 'spark.kubernetes.node.selector.disktype': 'ssd' }],
    ['service labels and annotations', sparkPi({ driver: { serviceLabels: { monitoring: 'on' }, serviceAnnotations: { 'a/b': 'c' } } }),
      { 'spark.kubernetes.driver.service.label.monitoring': 'on', 'spark.kubernetes.driver.service.annotation.a/b': 'c' }],
    ['envVars and envSecretKeyRefs (deprecated)', sparkPi({
      driver: { envVars: { ZETA: 'last', ALPHA: 'first' }, envSecretKeyRefs: { DB_PASSWORD: { name: 'db', key: 'password' } } },
      executor: { envVars: { MODE: 'batch' }, envSecretKeyRefs: { TOKEN: { name: 'api', key: 'token' } } },
    }), {
      'spark.kubernetes.driverEnv.ZETA': 'last',
      'spark.kubernetes.driverEnv.ALPHA': 'first',
      'spark.kubernetes.driver.secretKeyRef.DB_PASSWORD': 'db:password',
      'spark.executorEnv.MODE': 'batch',
      'spark.kubernetes.executor.secretKeyRef.TOKEN': 'api:token',
    }],
    ['secrets, with the env of GCP and Hadoop token secrets', sparkPi({
      driver: { secrets: [{ name: 'gcp', path: '/mnt/gcp', secretType: 'GCPServiceAccount' }, { name: 'plain', path: '/mnt/plain', secretType: 'Generic' }] },
      executor: { secrets: [{ name: 'tok', path: '/mnt/tok', secretType: 'HadoopDelegationToken' }] },
    }), {
      'spark.kubernetes.driver.secrets.gcp': '/mnt/gcp',
      'spark.kubernetes.driverEnv.GOOGLE_APPLICATION_CREDENTIALS': '/mnt/gcp/key.json',
      'spark.kubernetes.driver.secrets.plain': '/mnt/plain',
      'spark.kubernetes.executor.secrets.tok': '/mnt/tok',
      'spark.executorEnv.HADOOP_TOKEN_FILE_LOCATION': '/mnt/tok/hadoop.token',
    }],
    ['dynamic allocation, shuffle tracking on by default', sparkPi({
      executor: { instances: undefined },
      dynamicAllocation: { enabled: true, initialExecutors: 2, minExecutors: 1, maxExecutors: 10, shuffleTrackingTimeout: 120000 },
    }), {
      'spark.dynamicAllocation.enabled': 'true',
      'spark.dynamicAllocation.initialExecutors': '2',
      'spark.dynamicAllocation.minExecutors': '1',
      'spark.dynamicAllocation.maxExecutors': '10',
      'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
      'spark.dynamicAllocation.shuffleTracking.timeout': '120000',
    }],
    ['dependencies: deps jars before the main jar, files, archives, packages', sparkPi({
      deps: { jars: ['local:///a.jar'], files: ['local:///f.conf'], archives: ['local:///env.tgz#env'], packages: ['g:a:1'], excludePackages: ['g:x'], repositories: ['https://repo'] },
    }), {
      'spark.jars': 'local:///a.jar,local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      'spark.files': 'local:///f.conf',
      'spark.archives': 'local:///env.tgz#env',
      'spark.jars.packages': 'g:a:1',
      'spark.jars.excludes': 'g:x',
      'spark.jars.repositories': 'https://repo',
    }],
    ['sparkConfigMap: SPARK_CONF_DIR of executors through spark.executorEnv', sparkPi({ sparkConfigMap: 'my-spark-conf' }),
      { 'spark.executorEnv.SPARK_CONF_DIR': '/etc/spark/conf' }],
  ])('%s', (_, app, changed) => {
    expect(changedConf(app)).toEqual(changed);
  });

  test('application labels go to both roles, role labels win, Kueue\'s labels stay on the application', () => {
    // GIVEN
    const app = sparkPi({ driver: { labels: { team: 'driver-team' } } }, { labels: { 'team': 'data', 'cost-center': '4711', 'kueue.x-k8s.io/queue-name': 'q' } });

    // THEN
    expect(changedConf(app)).toEqual({
      'spark.kubernetes.driver.label.team': 'driver-team',
      'spark.kubernetes.driver.label.cost-center': '4711',
      'spark.kubernetes.executor.label.team': 'data',
      'spark.kubernetes.executor.label.cost-center': '4711',
    });
  });

  test('a role template drops that role\'s mutated-by-spark-operator label, as upstream', () => {
    // WHEN
    const conf = confOf(sparkPi({ driver: { template: { metadata: { labels: { a: 'b' } } } } }));

    // THEN
    expect(conf['spark.kubernetes.driver.label.sparkoperator.k8s.io/mutated-by-spark-operator']).toBeUndefined();
    expect(conf['spark.kubernetes.executor.label.sparkoperator.k8s.io/mutated-by-spark-operator']).toBe('true');
  });

  test('a typed field wins over a sparkConf entry for the same key; other sparkConf entries pass through', () => {
    // WHEN
    const conf = confOf(sparkPi({ sparkConf: { 'spark.executor.instances': '9', 'spark.sql.shuffle.partitions': '64', 'spark.executor.cores': '4' }, executor: { cores: undefined } }));

    // THEN
    expect([conf['spark.executor.instances'], conf['spark.sql.shuffle.partitions'], conf['spark.executor.cores']]).toEqual(['2', '64', '4']);
  });

  test('a deps list replaces sparkConf\'s spark.jars; without one, sparkConf\'s is kept and the main jar added', () => {
    expect(confOf(sparkPi({ sparkConf: { 'spark.jars': 'local:///x.jar' }, deps: { jars: ['local:///a.jar'] } }))['spark.jars'])
      .toBe('local:///a.jar,local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar');
    expect(confOf(sparkPi({ sparkConf: { 'spark.jars': 'local:///x.jar' } }))['spark.jars'])
      .toBe('local:///x.jar,local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar');
  });

  test('Python: the .py file is the resource, PythonRunner the class, pyFiles in spark.submit.pyFiles, no spark.jars', () => {
    // GIVEN
    const app = sparkPi({ type: 'Python', mainClass: undefined, mainApplicationFile: 'local:///opt/app/main.py', deps: { pyFiles: ['local:///opt/app/lib.zip'] } });

    // WHEN
    const call = sparkSubmitCall(app, OPTIONS, undefined);

    // THEN
    expect([call.resourceType, call.mainClass, call.primaryResource]).toEqual(['python', 'org.apache.spark.deploy.PythonRunner', 'local:///opt/app/main.py']);
    expect(call.conf.get('spark.submit.pyFiles')).toBe('local:///opt/app/lib.zip');
    expect(call.conf.get('spark.jars')).toBeUndefined();
  });

  test('R: RRunner, resource type r', () => {
    const call = sparkSubmitCall(sparkPi({ type: 'R', mainClass: undefined, mainApplicationFile: 'local:///opt/app/a.R' }), OPTIONS, undefined);
    expect([call.resourceType, call.mainClass]).toEqual(['r', 'org.apache.spark.deploy.RRunner']);
  });

  test('a spark-local-dir mount becomes Spark volume configuration; other mounts are the webhook\'s', () => {
    // GIVEN
    const app = sparkPi({
      volumes: [
        { name: 'spark-local-dir-1', hostPath: { path: '/mnt/disk', type: 'DirectoryOrCreate' } },
        { name: 'spark-local-dir-2', persistentVolumeClaim: { claimName: 'scratch' } },
        { name: 'config', configMap: { name: 'cfg' } },
      ],
      driver: {
        volumeMounts: [
          { name: 'spark-local-dir-1', mountPath: '/tmp/l1', subPath: 'driver' },
          { name: 'spark-local-dir-2', mountPath: '/tmp/l2', readOnly: true },
          { name: 'config', mountPath: '/etc/cfg' },
        ],
      },
    });

    // THEN
    expect(changedConf(app)).toEqual({
      'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-1.mount.path': '/tmp/l1',
      'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-1.mount.subPath': 'driver',
      'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-1.options.path': '/mnt/disk',
      'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-1.options.type': 'DirectoryOrCreate',
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-2.mount.path': '/tmp/l2',
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-2.mount.readOnly': 'true',
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-2.options.claimName': 'scratch',
    });
  });

  test('monitoring: metrics namespace and configuration, the JMX agent and annotations of the exposing roles', () => {
    // GIVEN
    const app = sparkPi({
      driver: { javaOptions: '-Dapp.mode=nightly' },
      monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: false, prometheus: { jmxExporterJar: '/prometheus/jmx.jar', port: 8090 } },
    });

    // THEN
    expect(changedConf(app)).toEqual({
      'spark.metrics.namespace': 'spark-jobs.spark-pi',
      'spark.metrics.conf': '/etc/metrics/conf/metrics.properties',
      'spark.driver.extraJavaOptions': '-Dapp.mode=nightly -javaagent:/prometheus/jmx.jar=8090:/etc/metrics/conf/prometheus.yaml',
      'spark.kubernetes.driver.annotation.prometheus.io/scrape': 'true',
      'spark.kubernetes.driver.annotation.prometheus.io/port': '8090',
      'spark.kubernetes.driver.annotation.prometheus.io/path': '/metrics',
    });
  });

  test('the UI proxy base the controller passes sets spark.ui.proxyBase and proxyRedirectUri', () => {
    const conf = sparkSubmitCall(sparkPi(), { ...OPTIONS, uiProxyBase: '/spark-jobs/spark-pi' }, undefined).conf;
    expect([conf.get('spark.ui.proxyBase'), conf.get('spark.ui.proxyRedirectUri')]).toEqual(['/spark-jobs/spark-pi', '/']);
  });

  test('reads sparkConf values written as YAML numbers and booleans as strings', () => {
    const app = sparkPi({ sparkConf: { 'spark.sql.shuffle.partitions': 64 as unknown as string, 'spark.eventLog.enabled': false as unknown as string } });
    expect([confOf(app)['spark.sql.shuffle.partitions'], confOf(app)['spark.eventLog.enabled']]).toEqual(['64', 'false']);
  });
});

describe('one table: every field the rules map to a Spark key is what the submission writes under that key', () => {
  test('with every field of the table set, the submission writes each rendered value under its key', () => {
    // GIVEN an application that sets every field the table names
    const app = sparkPi({
      pythonVersion: '3',
      memoryOverheadFactor: '0.2',
      dynamicAllocation: { enabled: true, initialExecutors: 1, minExecutors: 1, maxExecutors: 4, shuffleTrackingTimeout: 600 },
      driver: { image: 'driver:1', cores: 2, coreRequest: '1500m', coreLimit: '2', memory: '2g', memoryOverhead: '1g', javaOptions: '-Dd=1', kubernetesMaster: 'https://api:6443', serviceAccount: 'drv' },
      executor: { image: 'executor:1', cores: 3, coreRequest: '2500m', coreLimit: '3', memory: '4g', memoryOverhead: '2g', javaOptions: '-De=1', serviceAccount: 'exe', instances: 5, deleteOnTermination: false },
    });
    // WHEN it is submitted
    const conf = confOf(app);
    // THEN each key the table renders holds that field's value
    const rendered = FIELD_CONF.filter((field) => field.render !== undefined);
    expect(rendered.map((field) => [field.key, conf[field.key]])).toEqual(rendered.map((field) => [field.key, String(field.render!(app.spec))]));
    // AND the constructs' rule names, for a sparkConf entry of each key, the field that renders it
    expect(rendered.map((field) => sparkConfKeyProblem(field.key, true))).toEqual(rendered.map((field) => `must not set '${field.key}': use {${field.field}}`));
    expect(conf['spark.dynamicAllocation.shuffleTracking.enabled']).toBe('true');
    expect(conf['spark.kubernetes.driver.master']).toBe('https://api:6443');
  });
});
