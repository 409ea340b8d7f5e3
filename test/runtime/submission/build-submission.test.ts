import { APP_ID, APP_UID, CONFIG_MAP, LOCAL_DIR, NOW, OPTIONS, SERVICE, SUBMISSION_ID, build, sparkPi } from './fixtures';
import { applyDefaults, DNS_LABEL_MAX_LENGTH } from '../../../src/core';
import { buildSubmission, ownedByDriverPod } from '../../../src/runtime/submission';
import { kubeSchemaErrors } from '../../util/kube-validator';

const OWNER = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', name: 'spark-pi', uid: APP_UID };

const DRIVER_LABELS = {
  'sparkoperator.k8s.io/app-name': 'spark-pi',
  'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
  'sparkoperator.k8s.io/mutated-by-spark-operator': 'true',
  'sparkoperator.k8s.io/submission-id': SUBMISSION_ID,
  'spark-version': '3.5.1',
  'spark-app-selector': APP_ID,
  'spark-app-name': 'spark-pi',
  'spark-role': 'driver',
};

describe('buildSubmission of SparkPi (Spark 3.5.1, 512m driver)', () => {
  const submission = build(sparkPi());

  test('the driver pod is Spark\'s, owned by the application, without Service links', () => {
    expect(submission.driverPod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'spark-pi-driver',
        namespace: 'spark-jobs',
        labels: DRIVER_LABELS,
        ownerReferences: [{ ...OWNER, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        containers: [{
          name: 'spark-kubernetes-driver',
          image: 'apache/spark:3.5.1',
          imagePullPolicy: 'IfNotPresent',
          ports: [
            { name: 'driver-rpc-port', containerPort: 7078, protocol: 'TCP' },
            { name: 'blockmanager', containerPort: 7079, protocol: 'TCP' },
            { name: 'spark-ui', containerPort: 4040, protocol: 'TCP' },
          ],
          env: [
            { name: 'SPARK_USER', value: 'spark' },
            { name: 'SPARK_APPLICATION_ID', value: APP_ID },
            { name: 'SPARK_DRIVER_BIND_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
            { name: 'SPARK_LOCAL_DIRS', value: LOCAL_DIR },
            { name: 'SPARK_CONF_DIR', value: '/opt/spark/conf' },
          ],
          resources: { requests: { cpu: '1', memory: '896Mi' }, limits: { memory: '896Mi' } },
          args: [
            'driver', '--properties-file', '/opt/spark/conf/spark.properties',
            '--class', 'org.apache.spark.examples.SparkPi', 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar', '1000',
          ],
          volumeMounts: [
            { name: 'pod-template-volume', mountPath: '/opt/spark/pod-template' },
            { name: 'spark-local-dir-1', mountPath: LOCAL_DIR },
            { name: 'spark-conf-volume-driver', mountPath: '/opt/spark/conf' },
          ],
        }],
        restartPolicy: 'Never',
        serviceAccount: 'spark',
        serviceAccountName: 'spark',
        volumes: [
          { name: 'pod-template-volume', configMap: { name: CONFIG_MAP, items: [{ key: 'podspec-configmap-key', path: 'pod-spec-template.yml' }] } },
          { name: 'spark-local-dir-1', emptyDir: {} },
          { name: 'spark-conf-volume-driver', configMap: { name: CONFIG_MAP, items: [{ key: 'spark.properties', path: 'spark.properties', mode: 420 }] } },
        ],
        enableServiceLinks: false,
      },
    });
  });

  test('the headless Service selects the driver\'s labels on its three ports', () => {
    expect(submission.service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: SERVICE, namespace: 'spark-jobs', labels: { 'spark-app-selector': APP_ID } },
      spec: {
        clusterIP: 'None',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
        selector: DRIVER_LABELS,
        ports: [
          { name: 'driver-rpc-port', port: 7078, targetPort: 7078 },
          { name: 'blockmanager', port: 7079, targetPort: 7079 },
          { name: 'spark-ui', port: 4040, targetPort: 4040 },
        ],
      },
    });
  });

  test('the ConfigMap holds spark.properties in Properties.store format, the namespace and the executor template', () => {
    // THEN
    expect(submission.configMap.metadata).toEqual({ name: CONFIG_MAP, namespace: 'spark-jobs' });
    expect(submission.configMap.immutable).toBe(true);
    expect(Object.keys(submission.configMap.data)).toEqual(['spark.properties', 'spark.kubernetes.namespace', 'podspec-configmap-key']);
    expect(submission.configMap.data['spark.kubernetes.namespace']).toBe('spark-jobs');
    expect(submission.configMap.data['spark.properties']).toBe([
      `#Java properties built from Kubernetes config map with name: ${CONFIG_MAP}`,
      '#Tue Aug 18 10:00:00 UTC 2026',
      'spark.driver.port=7078',
      'spark.submit.pyFiles=',
      'spark.kubernetes.resource.type=java',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/launched-by-spark-operator=true',
      'spark.kubernetes.namespace=spark-jobs',
      'spark.app.submitTime=1787047200000',
      `spark.kubernetes.driver.label.sparkoperator.k8s.io/submission-id=${SUBMISSION_ID}`,
      `spark.kubernetes.executor.label.sparkoperator.k8s.io/submission-id=${SUBMISSION_ID}`,
      'spark.kubernetes.submitInDriver=true',
      'spark.kubernetes.driver.pod.name=spark-pi-driver',
      'spark.kubernetes.authenticate.driver.serviceAccountName=spark',
      'spark.executor.instances=2',
      'spark.kubernetes.executor.container.image=apache/spark\\:3.5.1',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/app-name=spark-pi',
      'spark.executor.memory=512m',
      'spark.master=k8s\\://https\\://10.0.0.1\\:443',
      'spark.driver.memory=512m',
      'spark.kubernetes.driver.container.image=apache/spark\\:3.5.1',
      'spark.driver.cores=1',
      'spark.kubernetes.executor.podTemplateContainerName=spark-kubernetes-executor',
      'spark.kubernetes.executor.podTemplateFile=/opt/spark/pod-template/pod-spec-template.yml',
      'spark.kubernetes.submission.waitAppCompletion=false',
      'spark.app.name=spark-pi',
      'spark.executor.cores=1',
      'spark.submit.deployMode=cluster',
      `spark.driver.host=${SERVICE}.spark-jobs.svc`,
      'spark.driver.blockManager.port=7079',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/mutated-by-spark-operator=true',
      `spark.app.id=${APP_ID}`,
      'spark.kubernetes.container.image=apache/spark\\:3.5.1',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/launched-by-spark-operator=true',
      'spark.kubernetes.memoryOverheadFactor=0.1',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/app-name=spark-pi',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/mutated-by-spark-operator=true',
      'spark.jars=local\\:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      '',
    ].join('\n'));
  });

  test('the executor template names the application as a non-controller owner that does not block its deletion', () => {
    // THEN
    expect(submission.executorPodTemplate).toEqual({
      metadata: { ownerReferences: [{ ...OWNER, controller: false }] },
      spec: { containers: [{ name: 'spark-kubernetes-executor' }], enableServiceLinks: false },
    });
    expect(submission.configMap.data['podspec-configmap-key']).toBe([
      'metadata:',
      '  ownerReferences:',
      '    - apiVersion: sparkoperator.k8s.io/v1beta2',
      '      kind: SparkApplication',
      '      name: spark-pi',
      `      uid: ${APP_UID}`,
      '      controller: false',
      'spec:',
      '  containers:',
      '    - name: spark-kubernetes-executor',
      '  enableServiceLinks: false',
      '',
    ].join('\n'));
  });

  test('spark.app.id and the spark-app-selector label derive from the submission id', () => {
    expect(submission.sparkApplicationId).toBe(APP_ID);
    expect(submission.sparkProperties['spark.app.id']).toBe(APP_ID);
  });

  test('every object is valid for Kubernetes, with no unknown field', () => {
    // GIVEN the ConfigMap and Service as the controller creates them, owned by the created pod
    const created = { metadata: { name: 'spark-pi-driver', uid: 'd81bef0e-0000-4000-8000-000000000002' } };
    const template = { apiVersion: 'v1' as const, kind: 'Pod' as const, metadata: { name: 'executor', ...submission.executorPodTemplate.metadata }, spec: submission.executorPodTemplate.spec };

    // THEN
    const objects = [submission.driverPod, ownedByDriverPod(submission.configMap, created), ownedByDriverPod(submission.service, created), template];
    for (const object of objects) {
      expect(kubeSchemaErrors(object as any)).toEqual([]);
    }
  });

  test('every name is within 63 characters', () => {
    const names = [submission.driverPod.metadata.name!, submission.service.metadata.name!, submission.configMap.metadata.name!,
      ...submission.driverPod.spec.volumes!.map((v) => v.name)];
    expect(names.filter((n) => n.length > DNS_LABEL_MAX_LENGTH)).toEqual([]);
  });
});

describe('buildSubmission', () => {
  test('is deterministic: the same submission twice gives equal objects (a second create is AlreadyExists)', () => {
    expect(build(sparkPi())).toEqual(build(sparkPi()));
  });

  test('another submission id gives other names and ids', () => {
    // WHEN
    const other = build(sparkPi(), { ...OPTIONS, submissionId: 'aa2f7cc4-5f80-44a3-991b-01d12d971532' });

    // THEN
    expect(other.configMap.metadata.name).not.toBe(CONFIG_MAP);
    expect(other.service.metadata.name).not.toBe(SERVICE);
    expect(other.sparkApplicationId).not.toBe(APP_ID);
    expect(other.driverPod.metadata.name).toBe('spark-pi-driver');
  });

  test('takes the date line and spark.app.submitTime from the given clock', () => {
    // WHEN
    const submission = build(sparkPi(), { ...OPTIONS, now: new Date('2030-01-02T03:04:05Z') });

    // THEN
    expect(submission.configMap.data['spark.properties'].split('\n')[1]).toBe('#Wed Jan 02 03:04:05 UTC 2030');
    expect(submission.sparkProperties['spark.app.submitTime']).toBe('1893553445000');
  });

  test('returns the validation problems of an invalid application, not a submission', () => {
    // GIVEN
    const app = sparkPi({ executor: { instances: 0 } });

    // THEN
    expect(buildSubmission(app, OPTIONS)).toEqual({ problems: [{ path: 'spec.executor.instances', message: 'must be an integer >= 1 (got 0)' }] });
  });

  test('a defaulted application gets upstream\'s defaults, a bare one Spark\'s', () => {
    // GIVEN an application without driver cores or memory
    const bare = sparkPi({ driver: { cores: undefined, memory: undefined }, executor: { cores: undefined, memory: undefined } });

    // WHEN
    const defaulted = build({ ...bare, spec: applyDefaults(bare.spec) });
    const undefaulted = build(bare);

    // THEN both run a 1-core, 1g driver (1408Mi), but only the defaulted one says so in spark.properties
    expect(defaulted.driverPod.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1408Mi' }, limits: { memory: '1408Mi' } });
    expect(undefaulted.driverPod.spec.containers[0].resources).toEqual(defaulted.driverPod.spec.containers[0].resources);
    expect([defaulted.sparkProperties['spark.driver.memory'], defaulted.sparkProperties['spark.executor.cores']]).toEqual(['1g', '1']);
    expect([undefaulted.sparkProperties['spark.driver.memory'], undefaulted.sparkProperties['spark.executor.cores']]).toEqual([undefined, undefined]);
  });

  test('leaves the owner references out while the application has no uid (read from a file)', () => {
    // WHEN
    const submission = build(sparkPi({}, { uid: undefined }));

    // THEN
    expect(submission.driverPod.metadata.ownerReferences).toBeUndefined();
    expect(submission.executorPodTemplate.metadata).toEqual({});
  });

  test('refuses a ConfigMap over Kubernetes\' 1 MiB', () => {
    // GIVEN an executor template with a 1.1 MB annotation
    const app = sparkPi({ executor: { template: { metadata: { annotations: { big: 'x'.repeat(1_100_000) } } } } });

    // WHEN
    const { problems } = buildSubmission(app, OPTIONS);

    // THEN
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('spec');
    expect(problems[0].message).toMatch(/^makes a driver ConfigMap of 11\d{5} bytes \(spark.properties and the executor pod template\), over Kubernetes' limit of 1048576$/);
  });

  test('ownedByDriverPod replaces the owners with the created driver pod, as Spark does', () => {
    // WHEN
    const configMap = ownedByDriverPod(build(sparkPi()).configMap, { metadata: { name: 'spark-pi-driver', uid: 'u-1' } });

    // THEN
    expect(configMap.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'spark-pi-driver', uid: 'u-1', controller: true }]);
    expect(() => ownedByDriverPod(configMap, { metadata: { name: 'spark-pi-driver' } }))
      .toThrow('ownedByDriverPod needs the created driver pod (with metadata.name and metadata.uid)');
  });

  test('uses the clock only through options.now', () => {
    expect(build(sparkPi(), { ...OPTIONS, now: NOW })).toEqual(build(sparkPi()));
  });
});
