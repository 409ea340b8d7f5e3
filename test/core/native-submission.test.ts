import { describeProblem, validateScheduledSparkApplication, validateSparkApplication } from '../../src/core';
import { sparkPi } from '../runtime/submission/fixtures';

/** The problems of `app` by the shared rules, as the controller would write them into errorMessage. */
function messages(app: ReturnType<typeof sparkPi>): string[] {
  return validateSparkApplication(app).map((p) => describeProblem(p));
}

describe('what the native submission refuses, by the shared rules', () => {
  test('client mode, with the reason', () => {
    expect(messages(sparkPi({ mode: 'client' }))).toEqual([
      "'spec.mode' 'client' is not supported: in client mode the driver runs inside the submitting process, and the operator does not run drivers in its own process; use cluster",
    ]);
  });

  test.each([
    ['spark.driver.host', "'spec.sparkConf' must not set 'spark.driver.host': Spark sets it to the driver Service in Kubernetes mode and refuses a value of its own"],
    ['spark.driver.bindAddress', "'spec.sparkConf' must not set 'spark.driver.bindAddress': Spark binds the driver to its pod's IP address in Kubernetes mode and refuses a value of its own"],
    ['spark.kubernetes.driver.podTemplateFile', "'spec.sparkConf' must not set 'spark.kubernetes.driver.podTemplateFile': names a file on the submitting machine, and the operator submits from its own pod: put the template in 'spec.driver.template'"],
    ['spark.kubernetes.executor.podTemplateFile', "'spec.sparkConf' must not set 'spark.kubernetes.executor.podTemplateFile': names a file on the submitting machine, and the operator submits from its own pod: put the template in 'spec.executor.template'"],
    ['spark.kubernetes.authenticate.submission.caCertFile', "'spec.sparkConf' must not set 'spark.kubernetes.authenticate.submission.caCertFile': is how spark-submit authenticates to the API server; the operator uses its own service account"],
    ['spark.kubernetes.authenticate.driver.clientKeyFile', "'spec.sparkConf' must not set 'spark.kubernetes.authenticate.driver.clientKeyFile': names a file on the submitting machine, and the operator submits from its own pod: mount the file with 'spec.driver.secrets' and set 'spark.kubernetes.authenticate.driver.mounted.clientKeyFile'"],
    ['spark.kerberos.keytab', "'spec.sparkConf' must not set 'spark.kerberos.keytab': names a file on the submitting machine, and the operator submits from its own pod: mount a delegation token with 'spec.driver.secrets' (secretType HadoopDelegationToken)"],
    ['spark.kubernetes.kerberos.krb5.configMapName', "'spec.sparkConf' must not set 'spark.kubernetes.kerberos.krb5.configMapName': is not supported by the native submission: mount krb5.conf with 'spec.driver.configMaps' and a delegation token with 'spec.driver.secrets' (secretType HadoopDelegationToken)"],
    ['spark.kubernetes.hadoop.configMapName', "'spec.sparkConf' must not set 'spark.kubernetes.hadoop.configMapName': is not supported by the native submission: use 'spec.hadoopConfigMap'"],
    ['spark.kubernetes.driver.pod.featureSteps', "'spec.sparkConf' must not set 'spark.kubernetes.driver.pod.featureSteps': runs Scala classes during submission, which the operator cannot load"],
  ])('sparkConf %s', (key, message) => {
    expect(messages(sparkPi({ sparkConf: { [key]: 'x' } }))).toEqual([message]);
  });

  test('a label Spark sets itself, from metadata, a role or sparkConf', () => {
    expect(messages(sparkPi({ driver: { labels: { 'spark-role': 'x' } }, executor: { labels: { 'spark-exec-id': '1' } }, sparkConf: { 'spark.kubernetes.driver.label.spark-app-selector': 'x' } }, { labels: { 'spark-version': '9' } }))).toEqual([
      "'spec.sparkConf' must not set 'spark.kubernetes.driver.label.spark-app-selector': Spark sets the label 'spark-app-selector' itself and refuses a custom one",
      "'metadata.labels' must not have the label 'spark-version': the operator copies the application's labels to its pods, and Spark sets 'spark-version' itself",
      "'spec.driver.labels' must not have the label 'spark-role': Spark sets it itself",
      "'spec.executor.labels' must not have the label 'spark-exec-id': Spark sets it itself",
    ]);
  });

  test('the executors\' resource profile label is Spark\'s own (spark-exec-resourceprofile-id), a look-alike is not', () => {
    expect(messages(sparkPi({
      executor: { labels: { 'spark-exec-resourceprofile-id': '1', 'spark-resource-profile-id': '1' } },
      sparkConf: { 'spark.kubernetes.executor.label.spark-exec-resourceprofile-id': '1' },
    }))).toEqual([
      "'spec.sparkConf' must not set 'spark.kubernetes.executor.label.spark-exec-resourceprofile-id': Spark sets the label 'spark-exec-resourceprofile-id' itself and refuses a custom one",
      "'spec.executor.labels' must not have the label 'spark-exec-resourceprofile-id': Spark sets it itself",
    ]);
  });

  test('values Spark could not read while building the driver', () => {
    expect(messages(sparkPi({
      sparkConf: {
        'spark.ui.port': '0',
        'spark.driver.cores': '1.5',
        'spark.kubernetes.driver.secretKeyRef.TOKEN': 'no-key',
        'spark.driver.resource.gpu.amount': '1',
        'spark.kubernetes.driver.volumes.configMap.cfg.mount.path': '/etc/cfg',
        'spark.kubernetes.driver.volumes.nfs.share.mount.path': '/share',
        'spark.kubernetes.executor.podNamePrefix': 'p'.repeat(48),
        'spark.driver.memoryOverhead': 'a lot',
      },
      driver: { cores: undefined },
    }))).toEqual([
      "'spec.sparkConf' 'spark.ui.port' must be a port number between 1 and 65535: the driver's container and Service ports are fixed (got '0')",
      "'spec.sparkConf' 'spark.driver.cores' must be a whole number >= 1, as Spark reads it (got '1.5')",
      "'spec.sparkConf' secretKeyRef 'TOKEN' must be '<secret>:<key>' (got 'no-key')",
      "'spec.sparkConf' 'spark.driver.resource.gpu.amount' needs 'spark.driver.resource.gpu.vendor': Kubernetes names the resource '<vendor>/gpu'",
      "'spec.sparkConf' 'spark.kubernetes.driver.volumes.configMap.cfg.*' uses the volume type 'configMap', which Spark does not mount: use one of hostPath, emptyDir, nfs, persistentVolumeClaim",
      "'spec.sparkConf' 'spark.kubernetes.driver.volumes.nfs.share.options.path' is required for a nfs volume",
      "'spec.sparkConf' 'spark.kubernetes.executor.podNamePrefix' must have at most 47 characters, so that '<prefix>-exec-<n>' fits in 63 (got 48)",
      "'spec.sparkConf' 'spark.driver.memoryOverhead' must be a size as Spark reads it, such as 512m or 2g (got 'a lot')",
    ]);
  });

  test('an executor size Spark could not read (the driver reads it at start; a batch scheduler sums it)', () => {
    expect(messages(sparkPi({ sparkConf: { 'spark.executor.memoryOverhead': 'a lot' } }))).toEqual([
      "'spec.sparkConf' 'spark.executor.memoryOverhead' must be a size as Spark reads it, such as 512m or 2g (got 'a lot')",
    ]);
  });

  test('a CPU amount the API server would refuse, named by its field', () => {
    expect(messages(sparkPi({ driver: { coreLimit: 'two' } }))).toEqual(["'spec.driver.coreLimit' 'two' is not a CPU amount such as 500m, 1.5 or 2 (spark.kubernetes.driver.limit.cores)"]);
  });

  test('files of the submitting machine, which spark-submit would upload', () => {
    expect(messages(sparkPi({ mainApplicationFile: 'file:///opt/app.jar', deps: { jars: ['local:///ok.jar', '/home/me/lib.jar'], pyFiles: ['file:///x.py'] } }))).toEqual([
      "'spec.mainApplicationFile' must be a URI the driver pod can read (local:// for a file in the image, or s3a://, gs://, https:// ...): spark-submit would upload a file of the submitting machine, and the operator submits from its own pod (got 'file:///opt/app.jar')",
      "'spec.deps.jars[1]' must be a URI the driver pod can read (local:// for a file in the image, or s3a://, gs://, https:// ...): spark-submit would upload a file of the submitting machine, and the operator submits from its own pod (got '/home/me/lib.jar')",
      "'spec.deps.pyFiles[0]' must be a URI the driver pod can read (local:// for a file in the image, or s3a://, gs://, https:// ...): spark-submit would upload a file of the submitting machine, and the operator submits from its own pod (got 'file:///x.py')",
    ]);
  });

  test('fields a pod template cannot carry, and service labels before Spark 3.4', () => {
    expect(messages(sparkPi({
      sparkVersion: '3.3.4',
      driver: { serviceLabels: { a: 'b' } },
      executor: { memoryLimit: '2g' },
    }))).toEqual([
      "'spec.driver.serviceLabels' need Spark 3.4 or later ('spark.kubernetes.driver.service.label.*'), and sparkVersion is '3.3.4'",
      "'spec.executor.memoryLimit' cannot be honoured: Spark sets each executor's memory limit to its request (memory plus overhead) over any template; size the limit with 'spec.executor.memoryOverhead' instead",
    ]);
  });

  test('spark-local-dir volumes Spark cannot mount, and on-demand claims for the driver (executors may have them)', () => {
    expect(messages(sparkPi({
      volumes: [{ name: 'spark-local-dir-1', configMap: { name: 'cfg' } }, { name: 'spark-local-dir-2', persistentVolumeClaim: { claimName: 'OnDemand' } }],
      driver: { volumeMounts: [{ name: 'spark-local-dir-1', mountPath: '/l1' }, { name: 'spark-local-dir-2', mountPath: '/l2' }] },
      executor: { volumeMounts: [{ name: 'spark-local-dir-2', mountPath: '/l2' }] },
    }))).toEqual([
      "'spec.driver.volumeMounts[0]' mounts 'spark-local-dir-1', and Spark mounts 'spark-local-dir-*' volumes itself, only as hostPath, emptyDir, nfs, persistentVolumeClaim: rename the volume or change its type",
      "'spec.driver.volumeMounts[1]' mounts an on-demand claim ('OnDemand'), which for the driver needs a PersistentVolumeClaim created at submission; the native submission does not create one yet (executors may use on-demand claims)",
    ]);
  });

  test('Spark before 3.0, which reads no executor pod template', () => {
    expect(messages(sparkPi({ sparkVersion: '2.4.8' }))).toEqual([
      "'spec.sparkVersion' '2.4.8' is not supported: Spark before 3.0 reads no executor pod template (spark.kubernetes.executor.podTemplateFile), so executors would miss what the pod webhook adds; use Spark 3.0 or later",
    ]);
  });

  test('validation comes first: an invalid application gets only its validation problems', () => {
    expect(messages(sparkPi({ mode: 'client', driver: { memory: '100m' } }))).toEqual([
      "'spec.driver.memory' must be at least 450 MiB: Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got '100m')",
    ]);
  });

  test('what typed fields render is judged as the submission writes it: secretKeyRefs and local-dir volumes', () => {
    // GIVEN a secretKeyRef with an empty key, one whose secret holds a colon, and a local-dir hostPath without a path
    const app = sparkPi({
      volumes: [{ name: 'spark-local-dir-1', hostPath: {} as { path: string } }],
      driver: {
        envSecretKeyRefs: { EMPTY: { name: 's', key: '' }, COLON: { name: 's:t', key: 'k' } },
        volumeMounts: [{ name: 'spark-local-dir-1', mountPath: '/l1' }],
      },
    });
    // THEN each is refused, as the old check of the built configuration refused them
    expect(messages(app)).toEqual([
      "'spec.sparkConf' secretKeyRef 'EMPTY' must be '<secret>:<key>' (got 's:')",
      "'spec.sparkConf' secretKeyRef 'COLON' must be '<secret>:<key>' (got 's:t:k')",
      "'spec.sparkConf' 'spark.kubernetes.driver.volumes.hostPath.spark-local-dir-1.options.path' is required for a hostPath volume",
    ]);
  });
});

describe('malformed input (sparkctl lint reads any YAML): a problem, never a crash', () => {
  test.each([['a string', 'x', "'x'"], ['an object', { a: 1 }, '{"a":1}'], ['a number', 3, '3']])('volumeMounts that is %s', (_, value, shownValue) => {
    // GIVEN an application and a schedule whose driver's volumeMounts is not a list
    const app = sparkPi({ driver: { volumeMounts: value as never } });
    const scheduled = { kind: 'ScheduledSparkApplication', metadata: { name: 'nightly' }, spec: { schedule: '@daily', template: app.spec } };
    // THEN the type rule says so, for both kinds
    expect(messages(app)).toEqual([`'spec.driver.volumeMounts' must be a list (got ${shownValue})`]);
    expect(validateScheduledSparkApplication(scheduled).map((p) => describeProblem(p))).toEqual([`'spec.template.driver.volumeMounts' must be a list (got ${shownValue})`]);
  });
});
