import { ApiObject, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Pod } from 'kubernetes-models/v1/Pod';
import {
  BatchScheduler, DeployMode, PythonVersion, RestartPolicy, RestartPolicyType, SparkApplication, SparkApplicationProps, SparkApplicationType,
  SparkRbac, SparkSecretType,
} from '../src';
import * as lib from '../src';
import { SPARK_PI, synthApp } from './util/spark-pi';


/**
 * The core/v1 fields a role embeds, put into a Pod and checked against the Kubernetes schema: the CRD
 * schema passes them through, so this is where their shape is proven.
 */
function embeddedPodErrors(role: any, volumes: any[] | undefined): string[] {
  const pod = new Pod({
    metadata: { name: 'check' },
    spec: {
      containers: [
        {
          name: 'spark',
          image: 'spark',
          env: role.env,
          envFrom: role.envFrom,
          ports: role.ports,
          lifecycle: role.lifecycle,
          securityContext: role.securityContext,
          volumeMounts: role.volumeMounts,
        },
        ...role.sidecars ?? [],
      ],
      initContainers: role.initContainers,
      volumes,
      affinity: role.affinity,
      tolerations: role.tolerations,
      securityContext: role.podSecurityContext,
      dnsConfig: role.dnsConfig,
      hostAliases: role.hostAliases,
    },
  });
  try {
    pod.validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

describe('the package index', () => {
  test('exports no free functions: render helpers that speak the wire model stay internal', () => {
    // GIVEN / WHEN
    const functions = Object.entries(lib).filter(([, v]) => typeof v === 'function' && !/^class\b/.test(Function.prototype.toString.call(v)));

    // THEN
    expect(functions.map(([name]) => name)).toEqual([]);
  });
});

describe('SparkApplication', () => {
  describe('rendering', () => {
    test('SparkPi renders a schema-valid SparkApplication with the webhook defaults written out', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'pi', { ...SPARK_PI, metadata: { name: 'spark-pi' }, arguments: ['1000'] });

      // THEN
      const app = synthApp(chart);
      expect(app).toMatchSnapshot();
      expect(app.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
      expect(app.kind).toBe('SparkApplication');
      expect(app.metadata.name).toBe('spark-pi');
      expect(app.spec).toMatchObject({
        type: 'Scala',
        mode: 'cluster',
        sparkVersion: '3.5.1',
        image: 'apache/spark:3.5.1',
        mainClass: 'org.apache.spark.examples.SparkPi',
        mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
        arguments: ['1000'],
        restartPolicy: { type: 'Never' },
        driver: { cores: 1, memory: '1g' },
        executor: { cores: 1, memory: '1g', instances: 1 },
      });
    });

    test('the API object has the child id Resource', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      const app = new SparkApplication(chart, 'pi', SPARK_PI);

      // THEN
      expect(app.node.defaultChild).toBe(ApiObject.of(app));
      expect(ApiObject.of(app).kind).toBe('SparkApplication');
    });

    test('a generated name leaves room for the driver pod suffix', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'a-chart-with-a-really-quite-long-name-for-testing');

      // WHEN
      const app = new SparkApplication(chart, 'an-application-with-a-long-construct-id', SPARK_PI);

      // THEN
      expect(app.name.length).toBeLessThanOrEqual(56);
      expect(synthApp(chart).metadata.name).toBe(app.name);
    });

    test('the namespace comes from the chart or metadata', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'jobs', { namespace: 'team-a' });

      // WHEN
      const app = new SparkApplication(chart, 'pi', SPARK_PI);
      new SparkApplication(chart, 'other', { ...SPARK_PI, metadata: { namespace: 'team-b' } });

      // THEN
      expect(app.namespace).toBe('team-a');
      expect(Testing.synth(chart).map((o) => o.metadata.namespace)).toEqual(['team-a', 'team-b']);
    });

    test('memory renders in Spark units: whole GiB as g, the rest as m', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'pi', {
        ...SPARK_PI,
        driver: { memory: Size.mebibytes(512), memoryOverhead: Size.mebibytes(384), memoryLimit: Size.gibibytes(1) },
        executor: { memory: Size.gibibytes(2), memoryOverhead: Size.kibibytes(1024 * 1536) },
      });

      // THEN
      const { driver, executor } = synthApp(chart).spec;
      expect([driver.memory, driver.memoryOverhead, driver.memoryLimit]).toEqual(['512m', '384m', '1g']);
      expect([executor.memory, executor.memoryOverhead]).toEqual(['2g', '1536m']);
    });

    test('what the native submission cannot do fails at synth time, as the controller would fail it', () => {
      // GIVEN / WHEN an executor memory limit (Spark overwrites it) and a driver host in sparkConf
      const limited = () => new SparkApplication(Testing.chart(), 'pi', { ...SPARK_PI, executor: { memoryLimit: Size.tebibytes(1) } });
      const hosted = () => new SparkApplication(Testing.chart(), 'pi', { ...SPARK_PI, sparkConf: { 'spark.driver.host': 'example.org' } });

      // THEN each is refused with the prop and the reason
      expect(limited).toThrow(new Error("[test/pi] 'executor.memoryLimit' cannot be honoured: Spark sets each executor's memory limit to its request (memory plus overhead) over any template; size the limit with 'executor.memoryOverhead' instead"));
      expect(hosted).toThrow(new Error("[test/pi] 'sparkConf' must not set 'spark.driver.host': Spark sets it to the driver Service in Kubernetes mode and refuses a value of its own"));
    });

    test('durations render in seconds, the shuffle tracking timeout in milliseconds', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'pi', {
        ...SPARK_PI,
        timeToLive: Duration.hours(1),
        restartPolicy: RestartPolicy.onFailure({
          retries: 3, interval: Duration.minutes(1), submissionRetries: 2, submissionRetryInterval: Duration.seconds(20),
        }),
        dynamicAllocation: { maxExecutors: 4, shuffleTrackingTimeout: Duration.minutes(5) },
        driver: { terminationGracePeriod: Duration.seconds(45) },
      });

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.timeToLiveSeconds).toBe(3600);
      expect(spec.restartPolicy).toEqual({
        type: 'OnFailure',
        onFailureRetries: 3,
        onFailureRetryInterval: 60,
        onSubmissionFailureRetries: 2,
        onSubmissionFailureRetryInterval: 20,
      });
      expect(spec.dynamicAllocation.shuffleTrackingTimeout).toBe(300000);
      expect(spec.driver.terminationGracePeriodSeconds).toBe(45);
    });

    test('restart policies: never, onFailure with defaults, always', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'never', { ...SPARK_PI, restartPolicy: RestartPolicy.never() });
      new SparkApplication(chart, 'on-failure', { ...SPARK_PI, restartPolicy: RestartPolicy.onFailure() });
      new SparkApplication(chart, 'always', { ...SPARK_PI, restartPolicy: RestartPolicy.always({ interval: Duration.seconds(30) }) });

      // THEN
      const policies = Testing.synth(chart).map((o) => o.spec.restartPolicy);
      expect(policies).toEqual([
        { type: 'Never' },
        { type: 'OnFailure', onFailureRetries: 0, onFailureRetryInterval: 5, onSubmissionFailureRetries: 0, onSubmissionFailureRetryInterval: 5 },
        { type: 'Always', onFailureRetryInterval: 30, onSubmissionFailureRetryInterval: 5 },
      ]);
    });

    test('a restart policy tells its type as an enum', () => {
      // GIVEN / WHEN
      const policies = [RestartPolicy.never(), RestartPolicy.onFailure({ retries: 2 }), RestartPolicy.always()];

      // THEN
      expect(policies.map((p) => p.type)).toEqual([RestartPolicyType.NEVER, RestartPolicyType.ON_FAILURE, RestartPolicyType.ALWAYS]);
      expect(Object.values(RestartPolicyType)).toEqual(['Never', 'OnFailure', 'Always']);
    });

    test('dynamic allocation turns itself on, keeps shuffle tracking and drops the default executor count', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'pi', { ...SPARK_PI, dynamicAllocation: { minExecutors: 1, initialExecutors: 2, maxExecutors: 10 } });

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.dynamicAllocation).toEqual({
        enabled: true, minExecutors: 1, initialExecutors: 2, maxExecutors: 10, shuffleTrackingEnabled: true,
      });
      expect(spec.executor).not.toHaveProperty('instances');
    });

    test('a PySpark application needs no main class', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'py', {
        image: 'apache/spark-py:3.5.1',
        sparkVersion: '3.5.1',
        type: SparkApplicationType.PYTHON,
        pythonVersion: PythonVersion.PYTHON_3,
        mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
        memoryOverheadFactor: 0.4,
      });

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.type).toBe('Python');
      expect(spec.pythonVersion).toBe('3');
      expect(spec.memoryOverheadFactor).toBe('0.4');
      expect(spec).not.toHaveProperty('mainClass');
    });

    test('service accounts: a SparkRbac runs the driver as its account and the executors as its tokenless one', () => {
      // GIVEN
      const chart = Testing.chart();
      const rbac = new SparkRbac(chart, 'rbac');

      // WHEN
      new SparkApplication(chart, 'pi', { ...SPARK_PI, serviceAccount: rbac });

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.driver.serviceAccount).toBe('spark');
      expect(spec.executor.serviceAccount).toBe('spark-executor');
    });

    test('service accounts: any other account serves driver and executors alike', () => {
      // GIVEN
      const chart = Testing.chart();
      const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'etl' } });

      // WHEN
      new SparkApplication(chart, 'pi', { ...SPARK_PI, serviceAccount: sa });

      // THEN
      const spec = synthApp(chart).spec;
      expect([spec.driver.serviceAccount, spec.executor.serviceAccount]).toEqual(['etl', 'etl']);
    });

    test('service accounts: SparkRbac for both roles, a role can override', () => {
      // GIVEN
      const chart = Testing.chart();
      const rbac = new SparkRbac(chart, 'rbac');
      const executorSa = new kplus.ServiceAccount(chart, 'exec-sa', { metadata: { name: 'executors' } });

      // WHEN
      new SparkApplication(chart, 'pi', { ...SPARK_PI, serviceAccount: rbac, executor: { serviceAccount: executorSa } });

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.driver.serviceAccount).toBe('spark');
      expect(spec.executor.serviceAccount).toBe('executors');
    });

    test('secrets, ConfigMaps, env and envFrom use cdk8s-plus objects', () => {
      // GIVEN
      const chart = Testing.chart();
      const key = kplus.Secret.fromSecretName(chart, 'gcp', 'gcp-key');
      const db = new kplus.Secret(chart, 'db', { metadata: { name: 'db' }, stringData: { password: 'x' } });
      const conf = kplus.ConfigMap.fromConfigMapName(chart, 'conf', 'app-conf');
      const sparkConf = kplus.ConfigMap.fromConfigMapName(chart, 'spark-conf', 'spark-defaults');
      const hadoopConf = kplus.ConfigMap.fromConfigMapName(chart, 'hadoop-conf', 'hadoop-site');
      const pull = kplus.Secret.fromSecretName(chart, 'pull', 'registry');

      // WHEN
      const app = new SparkApplication(chart, 'pi', {
        ...SPARK_PI,
        sparkConfigMap: sparkConf,
        hadoopConfigMap: hadoopConf,
        imagePullSecrets: [pull],
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        driver: {
          secrets: [{ secret: key, path: '/mnt/gcp', type: SparkSecretType.GCP_SERVICE_ACCOUNT }],
          env: { PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db, key: 'password' }) },
        },
      });
      app.driver.addConfigMap(conf, '/etc/app');
      app.executor.addSecret(key, '/mnt/gcp');
      app.executor.addEnv('POD', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
      app.executor.addEnvFrom(kplus.Env.fromConfigMap(conf, 'APP_'));

      // THEN
      const spec = synthApp(chart).spec;
      expect(embeddedPodErrors(spec.driver, spec.volumes)).toEqual([]);
      expect(embeddedPodErrors(spec.executor, spec.volumes)).toEqual([]);
      expect(spec.sparkConfigMap).toBe('spark-defaults');
      expect(spec.hadoopConfigMap).toBe('hadoop-site');
      expect(spec.imagePullSecrets).toEqual(['registry']);
      expect(spec.imagePullPolicy).toBe('IfNotPresent');
      expect(spec.driver.secrets).toEqual([{ name: 'gcp-key', path: '/mnt/gcp', secretType: 'GCPServiceAccount' }]);
      expect(spec.driver.env).toEqual([{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]);
      expect(spec.driver.configMaps).toEqual([{ name: 'app-conf', path: '/etc/app' }]);
      expect(spec.executor.secrets).toEqual([{ name: 'gcp-key', path: '/mnt/gcp', secretType: 'Generic' }]);
      expect(spec.executor.env).toEqual([{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
      expect(spec.executor.envFrom).toEqual([{ prefix: 'APP_', configMapRef: { name: 'app-conf' } }]);
    });

    test('mounting a volume adds it to the application once, with its source', () => {
      // GIVEN
      const chart = Testing.chart();
      const scratch = kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch', { sizeLimit: Size.gibibytes(10) });
      const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'data',
        kplus.PersistentVolumeClaim.fromClaimName(chart, 'claim', 'warehouse'), { name: 'data' });
      const tmp = kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp');

      // WHEN
      const app = new SparkApplication(chart, 'pi', {
        ...SPARK_PI,
        volumes: [tmp],
        driver: { volumeMounts: [{ volume: data, path: '/data', readOnly: true }] },
      });
      app.executor.mount('/data', data, { readOnly: true, subPath: 'part' });
      app.executor.mount('/scratch', scratch);

      // THEN
      const spec = synthApp(chart).spec;
      expect(embeddedPodErrors(spec.executor, spec.volumes)).toEqual([]);
      expect(spec.volumes).toEqual([
        { name: 'tmp', emptyDir: {} },
        { name: 'data', persistentVolumeClaim: { claimName: 'warehouse', readOnly: false } },
        { name: 'scratch', emptyDir: { sizeLimit: '10240Mi' } },
      ]);
      expect(spec.driver.volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]);
      expect(spec.executor.volumeMounts).toEqual([
        { name: 'data', mountPath: '/data', readOnly: true, subPath: 'part' },
        { name: 'scratch', mountPath: '/scratch' },
      ]);
      expect(app.volumes.map((v) => v.name)).toEqual(['tmp', 'data', 'scratch']);
    });

    test('scheduling: node affinity, pod anti-affinity and tolerations from cdk8s-plus vocabulary', () => {
      // GIVEN
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'pi', SPARK_PI);
      const executors = kplus.Pods.select(chart, 'executors', { labels: { 'spark-role': 'executor' } });

      // WHEN
      app.executor.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('pool', 'spark')));
      app.executor.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.in('zone', ['a', 'b'])), { weight: 50 });
      app.executor.scheduling.separate(executors, { weight: 10 });
      app.executor.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'spark', { effect: kplus.TaintEffect.NO_SCHEDULE })));
      app.driver.scheduling.colocate(executors, { topology: kplus.Topology.ZONE });

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.executor.affinity).toEqual({
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['spark'] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 50, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] } },
          ],
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{
            weight: 10,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'spark-role': 'executor' } } },
          }],
        },
      });
      expect(embeddedPodErrors(spec.executor, spec.volumes)).toEqual([]);
      expect(embeddedPodErrors(spec.driver, spec.volumes)).toEqual([]);
      expect(spec.executor.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }]);
      expect(spec.driver.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('topology.kubernetes.io/zone');
    });

    test('a raw affinity and a raw pod template are escape hatches', () => {
      // GIVEN
      const chart = Testing.chart();
      const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } };
      const template = { spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }] } };

      // WHEN
      new SparkApplication(chart, 'pi', { ...SPARK_PI, driver: { affinity }, executor: { template } });

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.driver.affinity).toEqual(affinity);
      expect(spec.executor.template).toEqual(template);
    });

    test('sidecars, init containers and security contexts use cdk8s-plus props', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'pi', {
        ...SPARK_PI,
        driver: {
          sidecars: [{ name: 'log-shipper', image: 'fluent/fluent-bit:3.0' }],
          initContainers: [{ name: 'wait', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 1'] }],
          securityContext: { user: 185 },
          podSecurityContext: { fsGroup: 185 },
          lifecycle: { preStop: kplus.Handler.fromCommand(['sh', '-c', 'sleep 5']) },
          ports: [{ name: 'connect', containerPort: 15002 }],
          hostAliases: [{ ip: '10.0.0.1', hostnames: ['metastore'] }],
          dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
        },
      });

      // THEN
      const spec = synthApp(chart).spec;
      const driver = spec.driver;
      expect(embeddedPodErrors(driver, spec.volumes)).toEqual([]);
      expect(driver.sidecars.map((c: any) => [c.name, c.image])).toEqual([['log-shipper', 'fluent/fluent-bit:3.0']]);
      expect(driver.initContainers[0].command).toEqual(['sh', '-c', 'sleep 1']);
      expect(driver.securityContext).toMatchObject({
        runAsUser: 185, runAsNonRoot: true, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false,
      });
      expect(driver.podSecurityContext).toMatchObject({ fsGroup: 185 });
      expect(driver.lifecycle).toEqual({ preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } });
      expect(driver.ports).toEqual([{ name: 'connect', containerPort: 15002, protocol: 'TCP' }]);
      expect(driver.hostAliases).toEqual([{ ip: '10.0.0.1', hostnames: ['metastore'] }]);
      expect(driver.dnsConfig).toEqual({ options: [{ name: 'ndots', value: '2' }] });
    });

    test('a minimal sidecar and init container render only their name and image, without cdk8s-plus defaults', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'pi', {
        ...SPARK_PI,
        executor: {
          sidecars: [{ name: 'log-shipper', image: 'fluent/fluent-bit:3.0' }],
          initContainers: [{ name: 'fetch', image: 'busybox:1.36' }],
        },
      });

      // THEN
      const spec = synthApp(chart).spec;
      expect(embeddedPodErrors(spec.executor, spec.volumes)).toEqual([]);
      expect(spec.executor.sidecars).toEqual([{ name: 'log-shipper', image: 'fluent/fluent-bit:3.0' }]);
      expect(spec.executor.initContainers).toEqual([{ name: 'fetch', image: 'busybox:1.36' }]);
    });

    test('a sidecar renders exactly the resources, security context, pull policy and probes it is given', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN
      new SparkApplication(chart, 'pi', {
        ...SPARK_PI,
        driver: {
          sidecars: [{
            name: 'proxy',
            image: 'envoyproxy/envoy:v1.30',
            portNumber: 9901,
            imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
            resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { limit: Size.mebibytes(128) } },
            securityContext: { ensureNonRoot: true, user: 1000 },
            readiness: kplus.Probe.fromHttpGet('/ready'),
          }],
        },
      });

      // THEN
      const spec = synthApp(chart).spec;
      expect(embeddedPodErrors(spec.driver, spec.volumes)).toEqual([]);
      expect(spec.driver.sidecars).toEqual([{
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.30',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 9901 }],
        resources: { requests: { cpu: '50m' }, limits: { memory: '128Mi' } },
        securityContext: { runAsUser: 1000, runAsNonRoot: true },
        readinessProbe: {
          httpGet: { path: '/ready', port: 9901, scheme: 'HTTP' },
          failureThreshold: 3,
        },
      }]);
    });

    test('addX() calls after construction land in the YAML; getters return copies', () => {
      // GIVEN
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'pi', { ...SPARK_PI, sparkConf: { 'spark.ui.enabled': 'true' } });

      // WHEN
      app.addSparkConf('spark.eventLog.enabled', 'true');
      app.addHadoopConf('fs.s3a.endpoint', 'http://minio:9000');
      app.addArguments('100', '200');
      app.addDependencies({ jars: ['local:///opt/extra.jar'], packages: ['org.apache.hadoop:hadoop-aws:3.3.4'] });
      app.addDependencies({ jars: ['s3a://bucket/more.jar'] });
      app.addImagePullSecret(kplus.Secret.fromSecretName(chart, 'pull', 'registry'));
      app.driver.addJavaOption('-XX:+UseG1GC');
      app.driver.addJavaOption('-Dlog4j.configurationFile=/etc/log4j2.properties');
      app.addDriverIngress({ servicePort: 15002, servicePortName: 'connect', ingressUrlFormat: '{{$appName}}.connect.example.com' });
      app.sparkConf.extra = 'ignored';
      app.arguments.push('ignored');

      // THEN
      const spec = synthApp(chart).spec;
      expect(spec.sparkConf).toEqual({ 'spark.ui.enabled': 'true', 'spark.eventLog.enabled': 'true' });
      expect(spec.hadoopConf).toEqual({ 'fs.s3a.endpoint': 'http://minio:9000' });
      expect(spec.arguments).toEqual(['100', '200']);
      expect(spec.deps).toEqual({ jars: ['local:///opt/extra.jar', 's3a://bucket/more.jar'], packages: ['org.apache.hadoop:hadoop-aws:3.3.4'] });
      expect(spec.imagePullSecrets).toEqual(['registry']);
      expect(spec.driver.javaOptions).toBe('-XX:+UseG1GC -Dlog4j.configurationFile=/etc/log4j2.properties');
      expect(spec.driverIngressOptions).toEqual([{ servicePort: 15002, servicePortName: 'connect', ingressURLFormat: '{{$appName}}.connect.example.com' }]);
    });

    test('every option at once renders a schema-valid object', () => {
      // GIVEN
      const chart = Testing.chart();
      const rbac = new SparkRbac(chart, 'rbac');
      const tlsSecret = kplus.Secret.fromSecretName(chart, 'tls', 'ui-tls');

      // WHEN
      new SparkApplication(chart, 'everything', {
        ...SPARK_PI,
        metadata: { name: 'everything', labels: { team: 'data' }, annotations: { owner: 'data' } },
        type: SparkApplicationType.JAVA,
        mode: DeployMode.CLUSTER,
        proxyUser: 'etl',
        serviceAccount: rbac,
        suspend: true,
        nodeSelector: { pool: 'spark' },
        restartPolicy: RestartPolicy.onFailure({ retries: 2 }),
        monitoring: { prometheus: { jmxExporterJar: '/prometheus/jmx_prometheus_javaagent.jar' } },
        batchScheduler: BatchScheduler.volcano({
          queue: 'etl', priorityClassName: 'batch', resources: { cpu: kplus.Cpu.units(10), memory: Size.gibibytes(40) },
        }),
        timeToLive: Duration.days(1),
        sparkUi: {
          servicePort: 4040,
          servicePortName: 'ui',
          serviceType: kplus.ServiceType.NODE_PORT,
          serviceLabels: { ui: 'yes' },
          serviceAnnotations: { a: 'b' },
          ingressAnnotations: { c: 'd' },
          ingressTls: [{ hosts: ['ui.example.com'], secret: tlsSecret }],
        },
        driverIngresses: [{
          servicePort: 15002, servicePortName: 'connect', ingressUrlFormat: 'connect.example.com', serviceType: kplus.ServiceType.CLUSTER_IP,
        }],
        dynamicAllocation: { minExecutors: 0, maxExecutors: 5, shuffleTracking: true },
        driverPodDisruptionBudget: true,
        dependencies: { files: ['s3a://b/f'], pyFiles: ['s3a://b/p.py'], excludePackages: ['x:y'], repositories: ['https://repo'], archives: ['s3a://b/a.zip'] },
        driver: {
          cores: 2,
          coreRequest: kplus.Cpu.millis(1500),
          coreLimit: kplus.Cpu.units(2),
          memory: Size.gibibytes(4),
          gpu: { name: 'nvidia.com/gpu', quantity: 1 },
          podName: 'everything-drv',
          kubernetesMaster: 'https://kubernetes.default.svc',
          serviceAnnotations: { s: 'a' },
          serviceLabels: { s: 'l' },
          labels: { role: 'driver' },
          annotations: { note: 'driver' },
          priorityClassName: 'high',
          schedulerName: 'volcano',
          hostNetwork: false,
          shareProcessNamespace: true,
          runtimeClassName: 'gvisor',
          javaOptions: ['-Xss4m'],
        },
        executor: {
          cores: 4,
          instances: 3,
          memory: Size.gibibytes(8),
          deleteOnTermination: false,
          image: 'apache/spark:3.5.1-java17',
        },
      });

      // THEN
      const app = synthApp(chart);
      expect(app).toMatchSnapshot();
      expect(app.spec.suspend).toBe(true);
      expect(app.spec.executor.instances).toBe(3);
      expect(app.spec.driver.coreRequest).toBe('1500m');
      expect(app.spec.sparkUIOptions.ingressTLS).toEqual([{ hosts: ['ui.example.com'], secretName: 'ui-tls' }]);
      expect(app.spec.batchScheduler).toBe('volcano');
      expect(app.spec.batchSchedulerOptions).toEqual({ queue: 'etl', priorityClassName: 'batch', resources: { cpu: '10', memory: '40Gi' } });
      expect(app.spec.monitoring).toEqual({
        exposeDriverMetrics: true,
        exposeExecutorMetrics: true,
        prometheus: { jmxExporterJar: '/prometheus/jmx_prometheus_javaagent.jar', port: 8090, portName: 'jmx-exporter' },
      });
    });

    test('it is an API resource that cdk8s-plus roles can grant access to', () => {
      // GIVEN
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'pi', { ...SPARK_PI, metadata: { name: 'spark-pi' } });
      const role = new kplus.Role(chart, 'viewer');

      // WHEN
      role.allowRead(app);

      // THEN
      const rendered = Testing.synth(chart).find((o) => o.kind === 'Role');
      expect(rendered.rules).toEqual([{
        apiGroups: ['sparkoperator.k8s.io'],
        resources: ['sparkapplications'],
        resourceNames: ['spark-pi'],
        verbs: ['get', 'list', 'watch'],
      }]);
    });
  });

  describe('validation', () => {
    function expectError(props: Partial<SparkApplicationProps>, message: string): void {
      const chart = Testing.chart();
      expect(() => new SparkApplication(chart, 'app', { ...SPARK_PI, ...props } as SparkApplicationProps)).toThrow(new Error(message));
    }

    test('a name that is not a DNS-1035 label', () => {
      expectError({ metadata: { name: '1-spark_pi' } },
        "[test/app] 'metadata.name' must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got '1-spark_pi')");
    });

    test('a name that makes the driver pod name longer than 63 characters', () => {
      const name = 'a'.repeat(57);
      expectError({ metadata: { name } },
        `[test/app] 'metadata.name' '${name}' (57 characters) makes the driver pod name '${name}-driver' 64 characters long, over the limit of 63: use at most 56 characters or set 'driver.podName'`);
    });

    test('a long name is fine with an explicit driver pod name', () => {
      const chart = Testing.chart();
      new SparkApplication(chart, 'app', { ...SPARK_PI, metadata: { name: 'a'.repeat(63) }, driver: { podName: 'short-driver' } });
      expect(synthApp(chart).spec.driver.podName).toBe('short-driver');
    });

    test('a driver pod name that is not a DNS-1123 label', () => {
      expectError({ driver: { podName: 'Driver.Pod' } },
        "[test/app] 'driver.podName' must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (got 'Driver.Pod')");
    });

    test('a JVM application without a main class', () => {
      expectError({ mainClass: undefined, type: SparkApplicationType.JAVA },
        "[test/app] 'mainClass' is required for Java applications; for a non-JVM application set 'type' to Python or R");
    });

    test('a Scala application (the default type) without a main class', () => {
      expectError({ mainClass: undefined },
        "[test/app] 'mainClass' is required for Scala applications; for a non-JVM application set 'type' to Python or R");
    });

    test('cores below 1', () => {
      expectError({ driver: { cores: 0 } }, "[test/app] 'driver.cores' must be an integer >= 1 (got 0)");
      expectError({ executor: { cores: 1.5 } }, "[test/app] 'executor.cores' must be an integer >= 1 (got 1.5)");
    });

    test('executor instances below 1', () => {
      expectError({ executor: { instances: 0 } }, "[test/app] 'executor.instances' must be an integer >= 1 (got 0)");
    });

    test('memory below the 450 MiB Spark needs', () => {
      expectError({ executor: { memory: Size.mebibytes(400) } },
        "[test/app] 'executor.memory' must be at least 450 MiB: Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got '400m')");
      expectError({ driver: { memory: Size.mebibytes(449) } },
        "[test/app] 'driver.memory' must be at least 450 MiB: Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got '449m')");
    });

    test('memory that is not a whole number of MiB', () => {
      expectError({ executor: { memory: Size.kibibytes(1024 * 1024 + 512) } },
        "[test/app] 'executor.memory' must be a positive whole number of mebibytes (Spark counts memory in MiB), got 1024.5 MiB");
    });

    test('dynamic allocation bounds out of order', () => {
      expectError({ dynamicAllocation: { minExecutors: 5, maxExecutors: 2 } },
        "[test/app] 'dynamicAllocation.minExecutors' (5) must be <= 'dynamicAllocation.maxExecutors' (2)");
      expectError({ dynamicAllocation: { minExecutors: 2, initialExecutors: 1 } },
        "[test/app] 'dynamicAllocation.initialExecutors' (1) must be >= 'dynamicAllocation.minExecutors' (2)");
      expectError({ dynamicAllocation: { initialExecutors: 8, maxExecutors: 4 } },
        "[test/app] 'dynamicAllocation.initialExecutors' (8) must be <= 'dynamicAllocation.maxExecutors' (4)");
    });

    test('retries without an OnFailure policy', () => {
      expect(() => RestartPolicy.always({ retries: 3 })).toThrow(
        new Error("'restartPolicy' retries need RestartPolicy.onFailure(): RestartPolicy.always() restarts without limit (got retries: 3)"));
      expect(() => RestartPolicy.always({ submissionRetries: 1 })).toThrow(
        new Error("'restartPolicy' retries need RestartPolicy.onFailure(): RestartPolicy.always() restarts without limit (got submissionRetries: 1)"));
    });

    test('negative retries and sub-second intervals', () => {
      expect(() => RestartPolicy.onFailure({ retries: -1 })).toThrow(new Error("'restartPolicy.retries' must be an integer >= 0 (got -1)"));
      expect(() => RestartPolicy.onFailure({ interval: Duration.millis(500) })).toThrow(
        new Error("'restartPolicy.interval' must be a whole number of seconds >= 1 (got 0.5s)"));
    });

    test('sparkConf keys the operator owns', () => {
      expectError({ sparkConf: { 'spark.kubernetes.container.image': 'x' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.container.image': use 'image'");
      expectError({ sparkConf: { 'spark.master': 'local' } },
        "[test/app] 'sparkConf' must not set 'spark.master': the operator owns it");
      expectError({ sparkConf: { 'spark.kubernetes.authenticate.driver.oauthToken': 't' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.authenticate.driver.oauthToken': the driver authenticates with its service account token");
    });

    test('sparkConf spark.kubernetes.namespace', () => {
      expectError({ sparkConf: { 'spark.kubernetes.namespace': 'other' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.namespace': use 'metadata.namespace'");
    });

    test('sparkConf keys that have a typed prop, also through addSparkConf()', () => {
      expectError({ sparkConf: { 'spark.executor.memory': '4g' } }, "[test/app] 'sparkConf' must not set 'spark.executor.memory': use 'executor.memory'");
      const app = new SparkApplication(Testing.chart(), 'app', SPARK_PI);
      expect(() => app.addSparkConf('spark.executor.instances', '3')).toThrow(new Error("[test/app] 'sparkConf' must not set 'spark.executor.instances': use 'executor.instances'"));
    });

    test('sparkConf dynamic allocation keys', () => {
      expectError({ sparkConf: { 'spark.dynamicAllocation.minExecutors': '1' } },
        "[test/app] 'sparkConf' must not set 'spark.dynamicAllocation.minExecutors': use 'dynamicAllocation.minExecutors'");
      expectError({ sparkConf: { 'spark.dynamicAllocation.maxExecutors': '9' } },
        "[test/app] 'sparkConf' must not set 'spark.dynamicAllocation.maxExecutors': use 'dynamicAllocation.maxExecutors'");
      expectError({ sparkConf: { 'spark.dynamicAllocation.initialExecutors': '2' } },
        "[test/app] 'sparkConf' must not set 'spark.dynamicAllocation.initialExecutors': use 'dynamicAllocation.initialExecutors'");
      expectError({ sparkConf: { 'spark.dynamicAllocation.shuffleTracking.enabled': 'false' } },
        "[test/app] 'sparkConf' must not set 'spark.dynamicAllocation.shuffleTracking.enabled': use 'dynamicAllocation.shuffleTracking'");
      expectError({ sparkConf: { 'spark.dynamicAllocation.shuffleTracking.timeout': '60s' } },
        "[test/app] 'sparkConf' must not set 'spark.dynamicAllocation.shuffleTracking.timeout': use 'dynamicAllocation.shuffleTrackingTimeout'");
    });

    test('sparkConf per-role resource and JVM keys', () => {
      expectError({ sparkConf: { 'spark.driver.memoryOverhead': '1g' } },
        "[test/app] 'sparkConf' must not set 'spark.driver.memoryOverhead': use 'driver.memoryOverhead'");
      expectError({ sparkConf: { 'spark.executor.memoryOverhead': '1g' } },
        "[test/app] 'sparkConf' must not set 'spark.executor.memoryOverhead': use 'executor.memoryOverhead'");
      expectError({ sparkConf: { 'spark.kubernetes.driver.request.cores': '500m' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.driver.request.cores': use 'driver.coreRequest'");
      expectError({ sparkConf: { 'spark.kubernetes.executor.request.cores': '500m' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.executor.request.cores': use 'executor.coreRequest'");
      expectError({ sparkConf: { 'spark.kubernetes.executor.limit.cores': '2' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.executor.limit.cores': use 'executor.coreLimit'");
      expectError({ sparkConf: { 'spark.driver.extraJavaOptions': '-Xss4m' } },
        "[test/app] 'sparkConf' must not set 'spark.driver.extraJavaOptions': use 'driver.javaOptions'");
    });

    test('sparkConf application-level keys with a typed prop', () => {
      expectError({ sparkConf: { 'spark.kubernetes.executor.deleteOnTermination': 'false' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.executor.deleteOnTermination': use 'executor.deleteOnTermination'");
      expectError({ sparkConf: { 'spark.kubernetes.pyspark.pythonVersion': '3' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.pyspark.pythonVersion': use 'pythonVersion'");
      expectError({ sparkConf: { 'spark.kubernetes.memoryOverheadFactor': '0.2' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.memoryOverheadFactor': use 'memoryOverheadFactor'");
    });

    test('sparkConf pod template keys, which the operator sets from template', () => {
      expectError({ sparkConf: { 'spark.kubernetes.driver.podTemplateFile': '/t.yaml' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.driver.podTemplateFile': use 'driver.template'");
      expectError({ sparkConf: { 'spark.kubernetes.executor.podTemplateFile': '/t.yaml' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.executor.podTemplateFile': use 'executor.template'");
      expectError({ sparkConf: { 'spark.kubernetes.driver.podTemplateContainerName': 'spark' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.driver.podTemplateContainerName': use 'driver.template'");
      expectError({ sparkConf: { 'spark.kubernetes.executor.podTemplateContainerName': 'spark' } },
        "[test/app] 'sparkConf' must not set 'spark.kubernetes.executor.podTemplateContainerName': use 'executor.template'");
    });

    test('hadoopConf keys with the spark.hadoop. prefix', () => {
      expectError({ hadoopConf: { 'spark.hadoop.fs.s3a.endpoint': 'x' } },
        "[test/app] 'hadoopConf' key 'spark.hadoop.fs.s3a.endpoint' must not start with 'spark.hadoop.': the operator adds the prefix, use 'fs.s3a.endpoint'");
    });

    test('two different volumes with one name (a mount would pick the wrong one)', () => {
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'app', { ...SPARK_PI, volumes: [kplus.Volume.fromEmptyDir(chart, 'a', 'data')] });
      expect(() => app.executor.mount('/data', kplus.Volume.fromEmptyDir(chart, 'b', 'data'))).toThrow(
        new Error("[test/app] 'volumes[1].name' 'data' is used twice: a mount refers to its volume by name, so give each volume a unique name"));
    });

    test('a mount path that is relative or used twice', () => {
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'app', SPARK_PI);
      const volume = kplus.Volume.fromEmptyDir(chart, 'v', 'scratch');
      expect(() => app.driver.mount('data', volume)).toThrow(new Error("[test/app] 'driver.volumeMounts[0].mountPath' must be an absolute path (got 'data')"));
      app.driver.mount('/data', volume);
      expect(() => app.driver.mount('/data', volume)).toThrow(new Error("[test/app] 'driver.volumeMounts[1].mountPath' '/data' is already mounted by 'driver.volumeMounts[0].mountPath'"));
    });

    test('no image for the driver or the executors', () => {
      expectError({ image: undefined }, "[test/app] 'driver.image' is required when 'image' is not set");
      expectError({ image: undefined, driver: { image: 'apache/spark:3.5.1' } },
        "[test/app] 'executor.image' is required when 'image' is not set");
    });

    test('per-role images without an application image are fine', () => {
      const chart = Testing.chart();
      new SparkApplication(chart, 'app', { ...SPARK_PI, image: undefined, driver: { image: 'd:1' }, executor: { image: 'e:1' } });
      const spec = synthApp(chart).spec;
      expect([spec.image, spec.driver.image, spec.executor.image]).toEqual([undefined, 'd:1', 'e:1']);
    });

    test('a pod template with Spark before 3.0.0', () => {
      expectError({ sparkVersion: '2.4.8', executor: { template: { spec: {} } } },
        "[test/app] 'executor.template' needs Spark 3.0.0 or later (got sparkVersion '2.4.8')");
    });

    test('a Spark version that is not one', () => {
      expectError({ sparkVersion: 'latest' }, "[test/app] 'sparkVersion' must be a Spark version such as '3.5.1' (got 'latest')");
    });

    test('an empty main application file', () => {
      expectError({ mainApplicationFile: ' ' }, "[test/app] 'mainApplicationFile' must not be empty: give the jar, .py or .R file of the application");
    });

    test('an application node selector together with a role node selector', () => {
      expectError({ nodeSelector: { pool: 'a' }, executor: { nodeSelector: { pool: 'b' } } },
        "[test/app] 'nodeSelector' cannot be combined with 'driver.nodeSelector' or 'executor.nodeSelector': set it for the whole application or per role");
    });

    test('a Prometheus port outside 1024-49151', () => {
      expectError({ monitoring: { prometheus: { jmxExporterJar: '/j.jar', port: 80 } } },
        "[test/app] 'monitoring.prometheus.port' must be an integer from 1024 to 49151 (got 80)");
    });

    test('a memory overhead factor that is not positive', () => {
      expectError({ memoryOverheadFactor: 0 }, "[test/app] 'memoryOverheadFactor' must be a number greater than 0 and at most 1, the share of memory added as overhead (0.4 for 40%) (got '0')");
    });

    test('a time to live that is not whole seconds', () => {
      expectError({ timeToLive: Duration.millis(1500) }, "[test/app] 'timeToLive' must be a whole number of seconds >= 0 (got 1.5s)");
    });

    test('driver ingresses with a repeated port or URL, or an empty URL', () => {
      const ingress = { servicePort: 15002, servicePortName: 'connect', ingressUrlFormat: 'a.example.com' };
      expectError({ driverIngresses: [ingress, { ...ingress, ingressUrlFormat: 'b.example.com' }] }, "[test/app] 'driverIngresses[1].servicePort' 15002 is already used by 'driverIngresses[0]'");
      expectError({ driverIngresses: [ingress, { ...ingress, servicePort: 15003 }] }, "[test/app] 'driverIngresses[1].ingressUrlFormat' 'a.example.com' is already used by 'driverIngresses[0]'");
      expectError({ driverIngresses: [{ ...ingress, ingressUrlFormat: '' }] }, "[test/app] 'driverIngresses[0].ingressUrlFormat' must not be empty");
    });

    test('an environment variable set twice', () => {
      const app = new SparkApplication(Testing.chart(), 'app', { ...SPARK_PI, driver: { env: { A: kplus.EnvValue.fromValue('1') } } });
      expect(() => app.driver.addEnv('A', kplus.EnvValue.fromValue('2'))).toThrow(new Error("[test/app] 'driver.env' already has a variable named 'A'"));
    });

    test('sidecars without unique names', () => {
      expectError({ driver: { sidecars: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] } },
        "[test/app] 'driver.sidecars[1].name' 'a' is used twice or is Spark's own container name: give each sidecar and init container a unique name");
      expectError({ executor: { sidecars: [{ image: 'x' }] } },
        "[test/app] 'executor.sidecars' and 'executor.initContainers' need a 'name' on every container");
    });

    test('an affinity weight outside 1-100', () => {
      const app = new SparkApplication(Testing.chart(), 'app', SPARK_PI);
      expect(() => app.executor.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.exists('gpu')), { weight: 0 })).toThrow(
        new Error("'executor' affinity weight must be an integer from 1 to 100 (got 0)"));
    });

    test('a port outside 1-65535', () => {
      expectError({ executor: { ports: [{ name: 'x', containerPort: 70000 }] } },
        "[test/app] 'executor.ports[0].containerPort' must be a port number between 1 and 65535 (got 70000)");
      expectError({ driver: { ports: [{ name: 'a', containerPort: 4041 }, { name: 'b', containerPort: 0 }] } },
        "[test/app] 'driver.ports[1].containerPort' must be a port number between 1 and 65535 (got 0)");
    });

    test('a Spark UI service port outside 1-65535', () => {
      expectError({ sparkUi: { servicePort: 99999 } }, "[test/app] 'sparkUi.servicePort' must be a port number between 1 and 65535 (got 99999)");
      expectError({ sparkUi: { servicePort: 80.5 } }, "[test/app] 'sparkUi.servicePort' must be a port number between 1 and 65535 (got 80.5)");
    });

    test('a driver ingress service port outside 1-65535, also through addDriverIngress()', () => {
      const ingress = { servicePort: 15002, servicePortName: 'connect', ingressUrlFormat: 'a.example.com' };
      expectError({ driverIngresses: [{ ...ingress, servicePort: 99999 }] },
        "[test/app] 'driverIngresses[0].servicePort' must be a port number between 1 and 65535 (got 99999)");
      const app = new SparkApplication(Testing.chart(), 'app', { ...SPARK_PI, driverIngresses: [ingress] });
      expect(() => app.addDriverIngress({ ...ingress, ingressUrlFormat: 'b.example.com', servicePort: 0 })).toThrow(
        new Error("[test/app] 'driverIngresses[1].servicePort' must be a port number between 1 and 65535 (got 0)"));
    });

    test('a GPU quantity below 1', () => {
      expectError({ executor: { gpu: { name: 'nvidia.com/gpu', quantity: 0 } } }, "[test/app] 'executor.gpu.quantity' must be an integer >= 1 (got 0)");
    });

    test('a raw affinity together with scheduling calls (judged at synth)', () => {
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'app', { ...SPARK_PI, driver: { affinity: { nodeAffinity: {} } } });
      app.driver.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.exists('gpu')));
      expect(() => Testing.synth(chart)).toThrow(
        new Error('Validation failed with the following errors:\n  [test/app] \'driver.affinity\' (raw JSON) cannot be combined with driver.scheduling.attract/colocate/separate; use one or the other'));
    });

    test('a service account from another namespace (judged at synth)', () => {
      const chart = new Chart(Testing.app(), 'jobs', { namespace: 'team-a' });
      const rbac = new SparkRbac(chart, 'rbac', { namespace: 'team-b' });
      new SparkApplication(chart, 'app', { ...SPARK_PI, serviceAccount: rbac });
      expect(() => Testing.synth(chart)).toThrow(
        new Error('Validation failed with the following errors:\n  [jobs/app] \'serviceAccount\' \'spark\' is in namespace \'team-b\' but the application is in \'team-a\': pods can only use service accounts of their own namespace'));
    });

    // The check made at construction is kept until something changes (thousands of applications
    // are not rendered and checked twice); these prove that a change after construction is seen.
    test('a role changed after construction is checked again at synth (addEnv)', () => {
      // GIVEN an application that passed its check at construction
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'app', SPARK_PI);
      // WHEN a role gets a variable without a name (addEnv() does not check at once)
      app.executor.addEnv('', kplus.EnvValue.fromValue('x'));
      // THEN synthesis finds it
      expect(() => Testing.synth(chart)).toThrow(
        new Error("Validation failed with the following errors:\n  [test/app] 'executor.env[0].name' is required (got '')"));
    });

    test('the application changed after construction is checked again at synth (addArguments)', () => {
      // GIVEN an application that passed its check at construction
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'app', SPARK_PI);
      // WHEN a later call, from JavaScript, passes a number where Spark needs a string
      app.addArguments(1000 as unknown as string);
      // THEN synthesis finds it
      expect(() => Testing.synth(chart)).toThrow(
        new Error("Validation failed with the following errors:\n  [test/app] 'arguments[0]' must be a string (got 1000)"));
    });

    test('the spec checked at construction is what synthesis writes, once; a second synthesis renders it again', () => {
      // GIVEN an application checked at construction
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'app', SPARK_PI);
      const rendered = app._toKube();
      // WHEN the chart is synthesized twice, and once more after a change
      const first = Testing.synth(chart);
      const second = Testing.synth(chart);
      app.addArguments('2');
      const third = Testing.synth(chart);
      // THEN both first synths hold the rendered spec, and the third the change
      expect(first[0].spec).toEqual(rendered);
      expect(second).toEqual(first);
      expect(third[0].spec.arguments).toEqual([...SPARK_PI.arguments ?? [], '2']);
    });

    test('every method that changes what an application renders changes the revision its check is kept by', () => {
      // GIVEN an application and the things its methods take
      const chart = Testing.chart();
      const app = new SparkApplication(chart, 'app', SPARK_PI);
      const volume = kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch');
      const secret = kplus.Secret.fromSecretName(chart, 'creds', 'creds');
      const configMap = kplus.ConfigMap.fromConfigMapName(chart, 'conf', 'conf');
      const changes: Array<[string, () => void]> = [
        ['addSparkConf', () => app.addSparkConf('spark.eventLog.enabled', 'true')],
        ['addHadoopConf', () => app.addHadoopConf('fs.s3a.fast.upload', 'true')],
        ['addArguments', () => app.addArguments('1')],
        ['addVolume', () => app.addVolume(volume)],
        ['addImagePullSecret', () => app.addImagePullSecret(secret)],
        ['addDependencies', () => app.addDependencies({ jars: ['local:///opt/a.jar'] })],
        ['addDriverIngress', () => app.addDriverIngress({ servicePort: 15002, servicePortName: 'connect', ingressUrlFormat: 'a.example.com' })],
        ['driver.addEnv', () => app.driver.addEnv('A', kplus.EnvValue.fromValue('1'))],
        ['driver.addEnvFrom', () => app.driver.addEnvFrom(kplus.Env.fromSecret(secret))],
        ['driver.addJavaOption', () => app.driver.addJavaOption('-Dx=1')],
        ['driver.mount', () => app.driver.mount('/scratch', volume)],
        ['driver.addSecret', () => app.driver.addSecret(secret, '/creds')],
        ['executor.addConfigMap', () => app.executor.addConfigMap(configMap, '/conf')],
        ['executor.scheduling.tolerate', () => app.executor.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('spot')))],
        ['executor.scheduling.attract', () => app.executor.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.exists('ssd')))],
        ['driver.scheduling.colocate', () => app.driver.scheduling.colocate(kplus.Pods.select(chart, 'a', { labels: { a: 'b' } }))],
        ['driver.scheduling.separate', () => app.driver.scheduling.separate(kplus.Pods.select(chart, 'b', { labels: { a: 'b' } }))],
      ];
      // WHEN each is called THEN the revision moves
      for (const [name, change] of changes) {
        const before = app._revision;
        change();
        expect({ name, changed: app._revision !== before }).toEqual({ name, changed: true });
      }
    });
  });
});

describe('scheduling as props: the same rules as the scheduling methods', () => {
  const spot = kplus.Node.tainted(kplus.NodeTaintQuery.is('spot', 'true', { effect: kplus.TaintEffect.NO_SCHEDULE }));
  const ssd = kplus.Node.labeled(kplus.NodeLabelQuery.is('disk', 'ssd'));

  test('props at application and role level render exactly what the method calls render', () => {
    // GIVEN the same rules, once as props and once as calls
    const withProps = Testing.chart();
    new SparkApplication(withProps, 'app', {
      ...SPARK_PI,
      scheduling: { tolerate: [spot] },
      executor: { scheduling: { attract: [{ node: ssd, weight: 50 }], separate: [{ pods: kplus.Pods.select(withProps, 'execs', { labels: { 'spark-role': 'executor' } }) }] } },
    });
    const withCalls = Testing.chart();
    const app = new SparkApplication(withCalls, 'app', SPARK_PI);
    app.driver.scheduling.tolerate(spot);
    app.executor.scheduling.tolerate(spot);
    app.executor.scheduling.attract(ssd, { weight: 50 });
    app.executor.scheduling.separate(kplus.Pods.select(withCalls, 'execs', { labels: { 'spark-role': 'executor' } }));
    // THEN
    const spec = synthApp(withProps).spec;
    expect(spec).toEqual(synthApp(withCalls).spec);
    expect(spec.driver.tolerations).toEqual([{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.executor.tolerations).toEqual([{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.executor.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
    ]);
    expect(spec.executor.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'spark-role': 'executor' } } },
    ]);
    expect(spec.driver.affinity).toBeUndefined();
  });

  test('a bad weight given as a prop names the construct path and the role', () => {
    expect(() => new SparkApplication(Testing.chart(), 'app', { ...SPARK_PI, driver: { scheduling: { attract: [{ node: ssd, weight: 0 }] } } }))
      .toThrow(new Error("[test/app] 'driver' affinity weight must be an integer from 1 to 100 (got 0)"));
  });
});

describe('the object\'s labels reach its pods', () => {
  test('a label with one of Spark\'s own keys fails at synth time, as the webhook would refuse it', () => {
    // GIVEN / WHEN an application labelled spark-role
    const labelled = () => new SparkApplication(Testing.chart(), 'pi', { ...SPARK_PI, metadata: { labels: { 'spark-role': 'driver' } } });
    // THEN
    expect(labelled).toThrow(new Error("[test/pi] 'metadata.labels' must not have the label 'spark-role': the operator copies the application's labels to its pods, and Spark sets 'spark-role' itself"));
  });

  test('the chart\'s labels count too, as cdk8s gives them to the object', () => {
    // GIVEN a chart that labels its objects spark-exec-id
    const chart = new Chart(Testing.app(), 'jobs', { labels: { 'spark-exec-id': '1' } });
    // WHEN / THEN
    expect(() => new SparkApplication(chart, 'pi', SPARK_PI))
      .toThrow(new Error("[jobs/pi] 'metadata.labels' must not have the label 'spark-exec-id': the operator copies the application's labels to its pods, and Spark sets 'spark-exec-id' itself"));
  });
});
