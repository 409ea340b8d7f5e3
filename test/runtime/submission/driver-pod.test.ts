import { APP_ID, CONFIG_MAP, LOCAL_DIR, OPTIONS, build, containerOf, envNames, sparkPi } from './fixtures';
import { DRIVER_FEATURE_STEPS } from '../../../src/runtime/submission';

const pod = (app = sparkPi()) => build(app).driverPod;
const driver = (app = sparkPi()) => containerOf(pod(app));

describe('the driver feature steps', () => {
  test('run in Spark\'s order (KubernetesDriverBuilder); Hadoop and Kerberos steps are refused settings', () => {
    expect(DRIVER_FEATURE_STEPS.map((s) => s.sparkStep)).toEqual([
      'BasicDriverFeatureStep', 'DriverKubernetesCredentialsFeatureStep', 'DriverServiceFeatureStep', 'MountSecretsFeatureStep',
      'EnvSecretsFeatureStep', 'MountVolumesFeatureStep', 'DriverCommandFeatureStep', 'PodTemplateConfigMapStep', 'LocalDirsFeatureStep',
    ]);
  });
});

describe('labels and annotations (BasicDriverFeatureStep)', () => {
  test('custom labels (application, role, operator) come before Spark\'s, which the Service selects', () => {
    // GIVEN
    const app = sparkPi({ driver: { labels: { team: 'driver' } } }, { labels: { team: 'app', tier: 'batch' } });

    // THEN
    expect(Object.keys(pod(app).metadata.labels!)).toEqual([
      'team', 'tier', 'sparkoperator.k8s.io/app-name', 'sparkoperator.k8s.io/launched-by-spark-operator', 'sparkoperator.k8s.io/mutated-by-spark-operator',
      'sparkoperator.k8s.io/submission-id', 'spark-version', 'spark-app-selector', 'spark-app-name', 'spark-role',
    ]);
    expect(pod(app).metadata.labels!.team).toBe('driver');
    expect(build(app).service.spec.selector).toEqual(pod(app).metadata.labels);
  });

  test('{{APP_ID}} in an annotation becomes the application id, {{EXECUTOR_ID}} nothing', () => {
    // GIVEN
    const app = sparkPi({ driver: { annotations: { 'example.com/app-id': '{{APP_ID}}', 'example.com/exec': 'e{{EXECUTOR_ID}}', 'plain': 'x' } } });

    // THEN
    expect(pod(app).metadata.annotations).toEqual({ 'example.com/app-id': APP_ID, 'example.com/exec': 'e', 'plain': 'x' });
  });

  test('sparkConf labels and annotations count as Spark\'s custom ones', () => {
    // GIVEN
    const app = sparkPi({ sparkConf: { 'spark.kubernetes.driver.label.from-conf': 'yes', 'spark.kubernetes.driver.annotation.a': 'b' } });

    // THEN
    expect(pod(app).metadata.labels!['from-conf']).toBe('yes');
    expect(pod(app).metadata.annotations).toEqual({ a: 'b' });
  });
});

describe('resources (BasicDriverFeatureStep)', () => {
  test.each([
    ['512m, Scala: + the 384 MiB minimum', {}, { requests: { cpu: '1', memory: '896Mi' }, limits: { memory: '896Mi' } }],
    ['4g, 2 cores, coreRequest 1500m, coreLimit 2', { cores: 2, coreRequest: '1500m', coreLimit: '2', memory: '4g' },
      { requests: { cpu: '1500m', memory: '4505Mi' }, limits: { cpu: '2', memory: '4505Mi' } }],
    ['2g with a 1g memoryOverhead: a whole number of GiB', { memory: '2g', memoryOverhead: '1g' },
      { requests: { cpu: '1', memory: '3Gi' }, limits: { memory: '3Gi' } }],
    ['coreLimit 1.5 in canonical form', { coreLimit: '1.5' }, { requests: { cpu: '1', memory: '896Mi' }, limits: { cpu: '1500m', memory: '896Mi' } }],
  ])('%s', (_, driverChanges, resources) => {
    expect(driver(sparkPi({ driver: driverChanges })).resources).toEqual(resources);
  });

  test('Python and R get the non-JVM factor 0.4, written back for the executors', () => {
    // GIVEN
    const python = sparkPi({ type: 'Python', mainClass: undefined, mainApplicationFile: 'local:///opt/app/main.py', driver: { memory: '1g' } });
    const r = sparkPi({ type: 'R', mainClass: undefined, mainApplicationFile: 'local:///opt/app/a.R', driver: { memory: '2g' } });

    // THEN
    expect(driver(python).resources).toEqual({ requests: { cpu: '1', memory: '1433Mi' }, limits: { memory: '1433Mi' } });
    expect(driver(r).resources!.limits!.memory).toBe('2867Mi');
    expect(build(python).sparkProperties['spark.kubernetes.memoryOverheadFactor']).toBe('0.4');
  });

  test('Spark 4.0 reads spark.driver.minMemoryOverhead; 3.5 does not', () => {
    // GIVEN
    const conf = { 'spark.driver.minMemoryOverhead': '1g' };

    // THEN
    expect(driver(sparkPi({ sparkVersion: '4.0.5', sparkConf: conf })).resources!.limits!.memory).toBe('1536Mi');
    expect(driver(sparkPi({ sparkVersion: '3.5.1', sparkConf: conf })).resources!.limits!.memory).toBe('896Mi');
  });

  test('spark.driver.resource.<name> with a vendor becomes an extended resource limit', () => {
    // GIVEN
    const app = sparkPi({ sparkConf: { 'spark.driver.resource.gpu.amount': '1', 'spark.driver.resource.gpu.vendor': 'nvidia.com' } });

    // THEN
    expect(driver(app).resources!.limits).toEqual({ 'memory': '896Mi', 'nvidia.com/gpu': '1' });
  });
});

describe('the container', () => {
  test('gets Spark\'s environment in Spark\'s order', () => {
    // GIVEN driverEnv (envVars, a GCP secret), a secretKeyRef, spark.pyspark.python on a Python app
    const app = sparkPi({
      type: 'Python',
      mainClass: undefined,
      mainApplicationFile: 'local:///opt/app/main.py',
      sparkConf: { 'spark.pyspark.python': 'python3.11' },
      driver: {
        envVars: { ZETA: 'last', ALPHA: 'first' },
        envSecretKeyRefs: { DB_PASSWORD: { name: 'db', key: 'password' } },
        secrets: [{ name: 'gcp', path: '/mnt/gcp', secretType: 'GCPServiceAccount' }],
      },
    });

    // THEN
    expect(driver(app).env).toEqual([
      { name: 'SPARK_USER', value: 'spark' },
      { name: 'SPARK_APPLICATION_ID', value: APP_ID },
      { name: 'ZETA', value: 'last' },
      { name: 'ALPHA', value: 'first' },
      { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/mnt/gcp/key.json' },
      { name: 'SPARK_DRIVER_BIND_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'db' } } },
      { name: 'PYSPARK_PYTHON', value: 'python3.11' },
      { name: 'PYSPARK_DRIVER_PYTHON', value: 'python3.11' },
      { name: 'SPARK_LOCAL_DIRS', value: LOCAL_DIR },
      { name: 'SPARK_CONF_DIR', value: '/opt/spark/conf' },
    ]);
  });

  test('a plain Python application gets no PYSPARK_* variables', () => {
    const app = sparkPi({ type: 'Python', mainClass: undefined, mainApplicationFile: 'local:///opt/app/main.py' });
    expect(envNames(driver(app))).toEqual(['SPARK_USER', 'SPARK_APPLICATION_ID', 'SPARK_DRIVER_BIND_ADDRESS', 'SPARK_LOCAL_DIRS', 'SPARK_CONF_DIR']);
  });

  test('SPARK_USER is the caller\'s sparkUser', () => {
    expect(containerOf(build(sparkPi(), { ...OPTIONS, sparkUser: 'jdoe' }).driverPod).env![0]).toEqual({ name: 'SPARK_USER', value: 'jdoe' });
  });

  test.each([
    ['Scala with arguments, quoted as given', sparkPi({ arguments: ['two words', 'key=value', '', 'C:\\path'] }),
      ['driver', '--properties-file', '/opt/spark/conf/spark.properties', '--class', 'org.apache.spark.examples.SparkPi',
        'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar', 'two words', 'key=value', '', 'C:\\path']],
    ['a proxy user comes first', sparkPi({ proxyUser: 'alice', arguments: [] }),
      ['driver', '--proxy-user', 'alice', '--properties-file', '/opt/spark/conf/spark.properties', '--class', 'org.apache.spark.examples.SparkPi',
        'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar']],
    ['Python runs PythonRunner', sparkPi({ type: 'Python', mainClass: undefined, mainApplicationFile: 'local:///opt/app/main.py', arguments: ['--in', 's3a://b/in'] }),
      ['driver', '--properties-file', '/opt/spark/conf/spark.properties', '--class', 'org.apache.spark.deploy.PythonRunner', 'local:///opt/app/main.py', '--in', 's3a://b/in']],
    ['R runs RRunner', sparkPi({ type: 'R', mainClass: undefined, mainApplicationFile: 'local:///opt/app/a.R', arguments: ['monthly'] }),
      ['driver', '--properties-file', '/opt/spark/conf/spark.properties', '--class', 'org.apache.spark.deploy.RRunner', 'local:///opt/app/a.R', 'monthly']],
  ])('args: %s (DriverCommandFeatureStep)', (_, app, args) => {
    expect(driver(app).args).toEqual(args);
  });

  test('ports follow spark.driver.port, spark.blockManager.port and spark.ui.port', () => {
    // GIVEN
    const app = sparkPi({ sparkConf: { 'spark.driver.port': '7000', 'spark.blockManager.port': '7001', 'spark.ui.port': '4041' } });

    // THEN the container falls back to spark.blockManager.port, the Service and properties do not (as Spark)
    expect(driver(app).ports!.map((p) => p.containerPort)).toEqual([7000, 7001, 4041]);
    expect(build(app).service.spec.ports.map((p) => p.port)).toEqual([7000, 7079, 4041]);
    expect(build(app).sparkProperties['spark.driver.blockManager.port']).toBe('7079');
  });

  test('image, pull policy and pull secrets', () => {
    // GIVEN
    const app = sparkPi({ imagePullPolicy: 'Always', imagePullSecrets: ['registry-a', ' registry-b'], driver: { image: 'team/driver:1' } });

    // THEN
    expect([driver(app).image, driver(app).imagePullPolicy]).toEqual(['team/driver:1', 'Always']);
    expect(pod(app).spec.imagePullSecrets).toEqual([{ name: 'registry-a' }, { name: 'registry-b' }]);
  });
});

describe('the pod', () => {
  test('volumes in Spark\'s order: template, secrets, Spark volumes, pod template, local dirs, conf (then the webhook\'s)', () => {
    // GIVEN
    const app = sparkPi({
      volumes: [{ name: 'spark-local-dir-1', emptyDir: {} }, { name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      driver: {
        template: { spec: { volumes: [{ name: 'from-template', emptyDir: {} }] } },
        secrets: [{ name: 'creds', path: '/mnt/creds', secretType: 'Generic' }],
        volumeMounts: [{ name: 'spark-local-dir-1', mountPath: '/scratch' }, { name: 'data', mountPath: '/data' }],
      },
    });

    // THEN
    expect(pod(app).spec.volumes!.map((v) => v.name)).toEqual([
      'from-template', 'creds-volume', 'spark-local-dir-1', 'pod-template-volume', 'spark-conf-volume-driver', 'data',
    ]);
    expect(driver(app).volumeMounts).toEqual([
      { name: 'creds-volume', mountPath: '/mnt/creds' },
      { name: 'spark-local-dir-1', mountPath: '/scratch' },
      { name: 'pod-template-volume', mountPath: '/opt/spark/pod-template' },
      { name: 'spark-conf-volume-driver', mountPath: '/opt/spark/conf' },
      { name: 'data', mountPath: '/data' },
    ]);
    expect(envNames(driver(app))).toContain('SPARK_LOCAL_DIRS');
    expect(driver(app).env!.find((e) => e.name === 'SPARK_LOCAL_DIRS')!.value).toBe('/scratch');
  });

  test('the pod template volume and the conf volume read the driver ConfigMap', () => {
    const volumes = pod().spec.volumes!;
    expect(volumes.filter((v) => (v.configMap as { name: string } | undefined)?.name === CONFIG_MAP).map((v) => v.name))
      .toEqual(['pod-template-volume', 'spark-conf-volume-driver']);
  });

  test('spark.local.dir gives one emptyDir per directory, in memory with tmpfs', () => {
    // GIVEN
    const app = sparkPi({ sparkConf: { 'spark.local.dir': '/tmp/a,/tmp/b', 'spark.kubernetes.local.dirs.tmpfs': 'true' } });

    // THEN
    expect(pod(app).spec.volumes!.filter((v) => v.name.startsWith('spark-local-dir-')))
      .toEqual([{ name: 'spark-local-dir-1', emptyDir: { medium: 'Memory' } }, { name: 'spark-local-dir-2', emptyDir: { medium: 'Memory' } }]);
    expect(driver(app).env!.find((e) => e.name === 'SPARK_LOCAL_DIRS')!.value).toBe('/tmp/a,/tmp/b');
  });

  test.each([
    ['3.5.9', { path: '/mnt/disk' }],
    ['4.0.5', { path: '/mnt/disk', type: 'DirectoryOrCreate' }],
  ])('a hostPath spark-local-dir volume on Spark %s', (sparkVersion, hostPath) => {
    // GIVEN
    const app = sparkPi({
      sparkVersion,
      volumes: [{ name: 'spark-local-dir-1', hostPath: { path: '/mnt/disk', type: 'DirectoryOrCreate' } }],
      driver: { volumeMounts: [{ name: 'spark-local-dir-1', mountPath: '/scratch', subPath: 'driver' }] },
    });

    // THEN
    expect(pod(app).spec.volumes!.find((v) => v.name === 'spark-local-dir-1')).toEqual({ name: 'spark-local-dir-1', hostPath });
    expect(driver(app).volumeMounts![0]).toEqual({ name: 'spark-local-dir-1', mountPath: '/scratch', subPath: 'driver' });
  });

  test('node selectors of spec and of sparkConf, a scheduler from sparkConf', () => {
    // GIVEN
    const app = sparkPi({
      nodeSelector: { disktype: 'ssd' },
      sparkConf: { 'spark.kubernetes.driver.node.selector.zone': 'a', 'spark.kubernetes.scheduler.name': 'custom' },
    });

    // THEN
    expect(pod(app).spec.nodeSelector).toEqual({ disktype: 'ssd', zone: 'a' });
    expect(pod(app).spec.schedulerName).toBe('custom');
  });

  test('no service account without one', () => {
    expect(pod(sparkPi({ driver: { serviceAccount: undefined } })).spec.serviceAccountName).toBeUndefined();
  });

  test('driver.podName names the pod', () => {
    expect(pod(sparkPi({ driver: { podName: 'my-driver' } })).metadata.name).toBe('my-driver');
  });
});

describe('a driver pod template (merged as Spark merges it)', () => {
  const app = sparkPi({
    driver: {
      template: {
        metadata: { labels: { 'from-template': 'yes' }, annotations: { 'template.example.com/note': 'kept' } },
        spec: {
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }],
          containers: [
            { name: 'log-shipper', image: 'busybox:1.36', args: ['sh', '-c', 'sleep infinity'] },
            { name: 'spark-kubernetes-driver', env: [{ name: 'FROM_TEMPLATE', value: '1' }], securityContext: { runAsNonRoot: true } },
          ],
        },
      },
    },
  });

  test('keeps the template\'s sidecar first and appends the Spark container', () => {
    expect(pod(app).spec.containers.map((c) => c.name)).toEqual(['log-shipper', 'spark-kubernetes-driver']);
    expect(pod(app).spec.containers[0]).toEqual({ name: 'log-shipper', image: 'busybox:1.36', args: ['sh', '-c', 'sleep infinity'] });
  });

  test('keeps the template container\'s fields, its env first', () => {
    expect(envNames(driver(app))[0]).toBe('FROM_TEMPLATE');
    expect(driver(app).securityContext).toEqual({ runAsNonRoot: true });
  });

  test('keeps the template\'s labels, annotations and tolerations; the Service does not select on template labels', () => {
    expect(pod(app).metadata.labels!['from-template']).toBe('yes');
    expect(pod(app).metadata.annotations).toEqual({ 'template.example.com/note': 'kept' });
    expect(pod(app).spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }]);
    expect(build(app).service.spec.selector['from-template']).toBeUndefined();
  });

  test('takes the first container as Spark\'s when none has Spark\'s name', () => {
    // GIVEN
    const other = sparkPi({ driver: { template: { spec: { containers: [{ name: 'main', env: [{ name: 'X', value: '1' }] }, { name: 'side', image: 'b' }] } } } });

    // THEN
    expect(pod(other).spec.containers.map((c) => c.name)).toEqual(['side', 'main']);
    expect(containerOf(pod(other), 'main').image).toBe('apache/spark:3.5.1');
  });
});
