import { driverPodName, sparkSubmitArgs, SparkSubmitArgsOptions } from './spark-submit-args';
import { SparkApplication } from '../../src/api';

const OPTIONS: SparkSubmitArgsOptions = {
  apiServer: 'https://10.96.0.1:443',
  submissionId: '5f0c2d3e-4b5a-4678-9abc-def012345678',
  appUid: '0b6c1f0e-1111-4222-8333-444455556666',
};

function app(spec: Partial<SparkApplication['spec']> = {}, metadata: SparkApplication['metadata'] = {}): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'pi', namespace: 'jobs', ...metadata },
    spec: { type: 'Scala', sparkVersion: '3.5.9', driver: {}, executor: {}, ...spec },
  };
}

/** The `--conf` values of an argument list, as a key -> value map. */
function confs(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  args.forEach((a, i) => {
    if (a === '--conf') {
      const kv = args[i + 1];
      out[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
    }
  });
  return out;
}

const TEMPLATE_DIR = `/tmp/spark/${OPTIONS.submissionId}`;

test('a minimal Scala application gives upstream\'s flags, every conf sorted by key, then file and arguments', () => {
  // GIVEN
  const pi = app({
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    arguments: ['1000'],
    image: 'apache/spark:3.5.9',
    driver: { cores: 1, memory: '512m', serviceAccount: 'spark' },
    executor: { instances: 2, cores: 1, memory: '512m' },
  });
  // WHEN
  const { args } = sparkSubmitArgs(pi, OPTIONS);
  // THEN
  expect(args).toEqual([
    '--master', 'k8s://https://10.96.0.1:443',
    '--deploy-mode', 'cluster',
    '--class', 'org.apache.spark.examples.SparkPi',
    '--name', 'pi',
    '--conf', 'spark.driver.cores=1',
    '--conf', 'spark.driver.memory=512m',
    '--conf', 'spark.executor.cores=1',
    '--conf', 'spark.executor.instances=2',
    '--conf', 'spark.executor.memory=512m',
    '--conf', 'spark.kubernetes.authenticate.driver.serviceAccountName=spark',
    '--conf', 'spark.kubernetes.container.image=apache/spark:3.5.9',
    '--conf', 'spark.kubernetes.driver.container.image=apache/spark:3.5.9',
    '--conf', 'spark.kubernetes.driver.label.sparkoperator.k8s.io/app-name=pi',
    '--conf', 'spark.kubernetes.driver.label.sparkoperator.k8s.io/launched-by-spark-operator=true',
    '--conf', 'spark.kubernetes.driver.label.sparkoperator.k8s.io/mutated-by-spark-operator=true',
    '--conf', `spark.kubernetes.driver.label.sparkoperator.k8s.io/submission-id=${OPTIONS.submissionId}`,
    '--conf', 'spark.kubernetes.driver.pod.name=pi-driver',
    '--conf', 'spark.kubernetes.driver.podTemplateContainerName=spark-kubernetes-driver',
    '--conf', `spark.kubernetes.driver.podTemplateFile=${TEMPLATE_DIR}/driver-pod-template.yaml`,
    '--conf', 'spark.kubernetes.executor.container.image=apache/spark:3.5.9',
    '--conf', 'spark.kubernetes.executor.label.sparkoperator.k8s.io/app-name=pi',
    '--conf', 'spark.kubernetes.executor.label.sparkoperator.k8s.io/launched-by-spark-operator=true',
    '--conf', 'spark.kubernetes.executor.label.sparkoperator.k8s.io/mutated-by-spark-operator=true',
    '--conf', `spark.kubernetes.executor.label.sparkoperator.k8s.io/submission-id=${OPTIONS.submissionId}`,
    '--conf', 'spark.kubernetes.executor.podTemplateContainerName=spark-kubernetes-executor',
    '--conf', `spark.kubernetes.executor.podTemplateFile=${TEMPLATE_DIR}/executor-pod-template.yaml`,
    '--conf', 'spark.kubernetes.namespace=jobs',
    '--conf', 'spark.kubernetes.submission.waitAppCompletion=false',
    'local:///opt/spark/examples/jars/spark-examples.jar',
    '1000',
  ]);
});

test('both pod templates are written on every submission, owned by the application', () => {
  // GIVEN an application without templates
  const pi = app();
  // WHEN
  const { driverPodTemplate, executorPodTemplate } = sparkSubmitArgs(pi, { ...OPTIONS, templateDir: '/var/templates' });
  // THEN the driver's owner is its controller, the executors' is not
  const owner = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'pi', uid: OPTIONS.appUid, blockOwnerDeletion: true };
  expect(driverPodTemplate).toEqual({ path: '/var/templates/driver-pod-template.yaml', template: { metadata: { ownerReferences: [{ ...owner, controller: true }] }, spec: {} } });
  expect(executorPodTemplate).toEqual({ path: '/var/templates/executor-pod-template.yaml', template: { metadata: { ownerReferences: [{ ...owner, controller: false }] }, spec: {} } });
});

test('a user template is kept and gains the owner, and its role loses the mutated-by label', () => {
  // GIVEN
  const template = { metadata: { labels: { team: 'a' } }, spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } };
  const pi = app({ driver: { template } });
  // WHEN
  const { args, driverPodTemplate } = sparkSubmitArgs(pi, OPTIONS);
  // THEN
  expect(driverPodTemplate.template).toEqual({
    metadata: {
      labels: { team: 'a' },
      ownerReferences: [{ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'pi', uid: OPTIONS.appUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { containers: [{ name: 'sidecar', image: 'busybox' }] },
  });
  expect(template).toEqual({ metadata: { labels: { team: 'a' } }, spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } });
  expect(confs(args)['spark.kubernetes.driver.label.sparkoperator.k8s.io/mutated-by-spark-operator']).toBeUndefined();
  expect(confs(args)['spark.kubernetes.executor.label.sparkoperator.k8s.io/mutated-by-spark-operator']).toBe('true');
});

test('a field overrides the same key in sparkConf, as the later --conf does upstream', () => {
  // GIVEN
  const pi = app({
    sparkConf: { 'spark.driver.cores': '4', 'spark.kubernetes.namespace': 'other', 'spark.eventLog.enabled': 'true' },
    driver: { cores: 2 },
  });
  // WHEN
  const c = confs(sparkSubmitArgs(pi, OPTIONS).args);
  // THEN
  expect(c['spark.driver.cores']).toBe('2');
  expect(c['spark.kubernetes.namespace']).toBe('other');
  expect(c['spark.eventLog.enabled']).toBe('true');
  expect(sparkSubmitArgs(pi, OPTIONS).args.filter((a) => a.startsWith('spark.driver.cores='))).toHaveLength(1);
});

test('the driver pod name comes from driver.podName, else sparkConf, else <app>-driver', () => {
  expect(driverPodName(app({ driver: { podName: 'explicit' }, sparkConf: { 'spark.kubernetes.driver.pod.name': 'conf' } }))).toBe('explicit');
  expect(driverPodName(app({ sparkConf: { 'spark.kubernetes.driver.pod.name': 'conf' } }))).toBe('conf');
  expect(driverPodName(app())).toBe('pi-driver');
  expect(confs(sparkSubmitArgs(app({ sparkConf: { 'spark.kubernetes.driver.pod.name': 'conf' } }), OPTIONS).args)['spark.kubernetes.driver.pod.name']).toBe('conf');
});

test('application labels go to both roles except Kueue\'s, and a role label wins over an application label', () => {
  // GIVEN
  const pi = app({ driver: { labels: { tier: 'driver' }, annotations: { 'a.io/x': 'y' } }, executor: { annotations: { 'b.io/z': 'w' } } },
    { labels: { 'tier': 'app', 'team': 'data', 'kueue.x-k8s.io/queue-name': 'q' } });
  // WHEN
  const c = confs(sparkSubmitArgs(pi, OPTIONS).args);
  // THEN
  expect(c['spark.kubernetes.driver.label.tier']).toBe('driver');
  expect(c['spark.kubernetes.executor.label.tier']).toBe('app');
  expect(c['spark.kubernetes.driver.label.team']).toBe('data');
  expect(c['spark.kubernetes.executor.label.team']).toBe('data');
  expect(Object.keys(c).filter((k) => k.includes('kueue'))).toEqual([]);
  expect(c['spark.kubernetes.driver.annotation.a.io/x']).toBe('y');
  expect(c['spark.kubernetes.executor.annotation.b.io/z']).toBe('w');
});

test('service labels and annotations, env vars and secret key refs become their confs', () => {
  // GIVEN
  const pi = app({
    driver: {
      serviceLabels: { svc: 'l' },
      serviceAnnotations: { 'svc.io/a': 'b' },
      envVars: { MODE: 'a=b:c' },
      envSecretKeyRefs: { PASSWORD: { name: 'db', key: 'password' } },
    },
    executor: { envVars: { MODE: 'exec' }, envSecretKeyRefs: { TOKEN: { name: 'api', key: 'token' } } },
  });
  // WHEN
  const c = confs(sparkSubmitArgs(pi, OPTIONS).args);
  // THEN
  expect(c).toMatchObject({
    'spark.kubernetes.driver.service.label.svc': 'l',
    'spark.kubernetes.driver.service.annotation.svc.io/a': 'b',
    'spark.kubernetes.driverEnv.MODE': 'a=b:c',
    'spark.kubernetes.driver.secretKeyRef.PASSWORD': 'db:password',
    'spark.executorEnv.MODE': 'exec',
    'spark.kubernetes.executor.secretKeyRef.TOKEN': 'api:token',
  });
});

test('typed secrets also point an env var at the credential file', () => {
  // GIVEN
  const pi = app({
    driver: {
      secrets: [
        { name: 'gcp', path: '/mnt/gcp/', secretType: 'GCPServiceAccount' },
        { name: 'hadoop', path: '/mnt/hadoop', secretType: 'HadoopDelegationToken' },
        { name: 'plain', path: '/mnt/plain', secretType: 'Generic' },
      ],
    },
    executor: { secrets: [{ name: 'gcp', path: '/mnt/gcp', secretType: 'GCPServiceAccount' }] },
  });
  // WHEN
  const c = confs(sparkSubmitArgs(pi, OPTIONS).args);
  // THEN
  expect(Object.fromEntries(Object.entries(c).filter(([k]) => /secrets|Env\./.test(k)))).toEqual({
    'spark.kubernetes.driver.secrets.gcp': '/mnt/gcp/',
    'spark.kubernetes.driverEnv.GOOGLE_APPLICATION_CREDENTIALS': '/mnt/gcp/key.json',
    'spark.kubernetes.driver.secrets.hadoop': '/mnt/hadoop',
    'spark.kubernetes.driverEnv.HADOOP_TOKEN_FILE_LOCATION': '/mnt/hadoop/hadoop.token',
    'spark.kubernetes.driver.secrets.plain': '/mnt/plain',
    'spark.kubernetes.executor.secrets.gcp': '/mnt/gcp',
    'spark.executorEnv.GOOGLE_APPLICATION_CREDENTIALS': '/mnt/gcp/key.json',
  });
});

test('spark-local-dir-* mounts of each volume type become volume confs; other mounts are left to the webhook', () => {
  // GIVEN
  const pi = app({
    volumes: [
      { name: 'spark-local-dir-1', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } },
      { name: 'spark-local-dir-2', hostPath: { path: '/mnt/disk', type: 'DirectoryOrCreate' } },
      { name: 'spark-local-dir-3', nfs: { server: 'nfs.local', path: '/export', readOnly: true } },
      { name: 'spark-local-dir-4', persistentVolumeClaim: { claimName: 'scratch', readOnly: true } },
      { name: 'data', configMap: { name: 'cm' } },
    ],
    driver: {
      volumeMounts: [
        { name: 'spark-local-dir-1', mountPath: '/tmp/a' },
        { name: 'spark-local-dir-2', mountPath: '/tmp/b', subPath: 'sub' },
        { name: 'spark-local-dir-3', mountPath: '/tmp/c', readOnly: true },
        { name: 'data', mountPath: '/data' },
      ],
    },
    executor: { volumeMounts: [{ name: 'spark-local-dir-4', mountPath: '/tmp/d' }] },
  });
  // WHEN
  const c = confs(sparkSubmitArgs(pi, OPTIONS).args);
  // THEN
  expect(Object.fromEntries(Object.entries(c).filter(([k]) => k.includes('.volumes.')))).toEqual({
    'spark.kubernetes.driver.volumes.emptyDir.spark-local-dir-1.mount.path': '/tmp/a',
    'spark.kubernetes.driver.volumes.emptyDir.spark-local-dir-1.options.sizeLimit': '1Gi',
    'spark.kubernetes.driver.volumes.emptyDir.spark-local-dir-1.options.medium': 'Memory',
    'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-2.mount.path': '/tmp/b',
    'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-2.mount.subPath': 'sub',
    'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-2.options.path': '/mnt/disk',
    'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-2.options.type': 'DirectoryOrCreate',
    'spark.kubernetes.driver.volumes.nfs.spark-local-dir-3.mount.path': '/tmp/c',
    'spark.kubernetes.driver.volumes.nfs.spark-local-dir-3.mount.readOnly': 'true',
    'spark.kubernetes.driver.volumes.nfs.spark-local-dir-3.options.path': '/export',
    'spark.kubernetes.driver.volumes.nfs.spark-local-dir-3.options.server': 'nfs.local',
    'spark.kubernetes.driver.volumes.nfs.spark-local-dir-3.options.readOnly': 'true',
    'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-4.mount.path': '/tmp/d',
    'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-4.options.claimName': 'scratch',
    'spark.kubernetes.executor.volumes.persistentVolumeClaim.spark-local-dir-4.options.readOnly': 'true',
  });
});

test('a spark-local-dir mount without its volume, or of a type Spark cannot mount, is refused with upstream\'s message', () => {
  const missing = app({ volumes: [{ name: 'spark-local-dir-1', emptyDir: {} }], driver: { volumeMounts: [{ name: 'spark-local-dir-9', mountPath: '/x' }] } });
  expect(() => sparkSubmitArgs(missing, OPTIONS)).toThrow(/^volume spark-local-dir-9 not found$/);
  const configMap = app({ volumes: [{ name: 'spark-local-dir-1', configMap: { name: 'x' } }], executor: { volumeMounts: [{ name: 'spark-local-dir-1', mountPath: '/x' }] } });
  expect(() => sparkSubmitArgs(configMap, OPTIONS)).toThrow(/^unsupported volume type$/);
});

test('node selector, dynamic allocation (shuffle tracking on by default), and the top-level factor and pythonVersion', () => {
  // GIVEN
  const pi = app({
    nodeSelector: { disk: 'ssd' },
    dynamicAllocation: { enabled: true, initialExecutors: 1, minExecutors: 0, maxExecutors: 5, shuffleTrackingTimeout: 60000 },
    memoryOverheadFactor: '0.25',
    pythonVersion: '3',
    imagePullPolicy: 'Always',
    imagePullSecrets: ['a', 'b'],
    hadoopConf: { 'fs.defaultFS': 'hdfs://nn' },
  });
  // WHEN
  const c = confs(sparkSubmitArgs(pi, OPTIONS).args);
  // THEN
  expect(c).toMatchObject({
    'spark.kubernetes.node.selector.disk': 'ssd',
    'spark.dynamicAllocation.enabled': 'true',
    'spark.dynamicAllocation.initialExecutors': '1',
    'spark.dynamicAllocation.minExecutors': '0',
    'spark.dynamicAllocation.maxExecutors': '5',
    'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
    'spark.dynamicAllocation.shuffleTracking.timeout': '60000',
    'spark.kubernetes.memoryOverheadFactor': '0.25',
    'spark.kubernetes.pyspark.pythonVersion': '3',
    'spark.kubernetes.container.image.pullPolicy': 'Always',
    'spark.kubernetes.container.image.pullSecrets': 'a,b',
    'spark.hadoop.fs.defaultFS': 'hdfs://nn',
  });
  expect(confs(sparkSubmitArgs(app({ dynamicAllocation: { enabled: false, maxExecutors: 5 } }), OPTIONS).args)['spark.dynamicAllocation.enabled']).toBeUndefined();
});

test('Prometheus monitoring adds the metrics confs, the java agent and the scrape annotations to the roles that expose metrics', () => {
  // GIVEN
  const pi = app({
    driver: { javaOptions: '-Dx=1' },
    monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: false, prometheus: { jmxExporterJar: '/prom/jmx.jar', port: 8091 } },
  });
  // WHEN
  const c = confs(sparkSubmitArgs(pi, OPTIONS).args);
  // THEN
  expect(c).toMatchObject({
    'spark.metrics.namespace': 'jobs.pi',
    'spark.metrics.conf': '/etc/metrics/conf/metrics.properties',
    'spark.driver.extraJavaOptions': '-Dx=1 -javaagent:/prom/jmx.jar=8091:/etc/metrics/conf/prometheus.yaml',
    'spark.kubernetes.driver.annotation.prometheus.io/scrape': 'true',
    'spark.kubernetes.driver.annotation.prometheus.io/port': '8091',
    'spark.kubernetes.driver.annotation.prometheus.io/path': '/metrics',
  });
  expect(c['spark.executor.extraJavaOptions']).toBeUndefined();
  expect(Object.keys(c).filter((k) => k.startsWith('spark.kubernetes.executor.annotation.'))).toEqual([]);
  expect(pi.spec.sparkConf).toBeUndefined();
});

test('deps flags in upstream order, then --proxy-user, the main file and the arguments verbatim', () => {
  // GIVEN
  const py = app({
    type: 'Python',
    mainApplicationFile: 'local:///app/main.py',
    proxyUser: 'alice',
    arguments: ['--when', '2024-01-01 10:00', 'a=b'],
    deps: { files: ['local:///f'], pyFiles: ['local:///a.zip', 'local:///b.py'], jars: ['local:///j.jar'], archives: ['local:///x.tgz#x'], packages: ['g:a:1'], excludePackages: ['g:b'], repositories: ['https://repo'] },
  });
  // WHEN
  const { args } = sparkSubmitArgs(py, OPTIONS);
  // THEN
  expect(args.slice(0, 21)).toEqual([
    '--master', 'k8s://https://10.96.0.1:443', '--deploy-mode', 'cluster', '--name', 'pi',
    '--jars', 'local:///j.jar', '--packages', 'g:a:1', '--exclude-packages', 'g:b', '--repositories', 'https://repo',
    '--py-files', 'local:///a.zip,local:///b.py', '--files', 'local:///f', '--archives', 'local:///x.tgz#x', '--conf',
  ]);
  expect(args.slice(-6)).toEqual(['--proxy-user', 'alice', 'local:///app/main.py', '--when', '2024-01-01 10:00', 'a=b']);
});
