import * as fc from 'fast-check';
import { sparkPi, sparkPiWith } from './fixtures';
import { describeProblem, validate, validateScheduledSparkApplication, validateSparkApplication } from '../../src/core';

/** The problems of an application as `path: message` lines (the webhook's and sparkctl's wording). */
function problemsOf(app: unknown): string[] {
  return validateSparkApplication(app).map((p) => describeProblem(p));
}

describe('validate() of a SparkApplication', () => {
  test('a valid application has no problems', () => {
    expect(problemsOf(sparkPi())).toEqual([]);
  });

  test.each([
    ['a name that is not a DNS-1035 label', (a: any) => { a.metadata.name = '1-app'; },
      "'metadata.name' must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (got '1-app')"],
    ['a name whose driver pod is over 63 characters', (a: any) => { a.metadata.name = 'a'.repeat(57); },
      `'metadata.name' '${'a'.repeat(57)}' (57 characters) makes the driver pod name '${'a'.repeat(57)}-driver' 64 characters long, over the limit of 63: use at most 56 characters or set 'spec.driver.podName'`],
    ['a Java application without mainClass', (a: any) => { a.spec.type = 'Java'; delete a.spec.mainClass; },
      "'spec.mainClass' is required for Java applications; for a non-JVM application set 'spec.type' to Python or R"],
    ['a Python application with a mainClass', (a: any) => { a.spec.type = 'Python'; a.spec.mainApplicationFile = 'local:///opt/app/main.py'; },
      "'spec.mainClass' must not be set for Python applications: Spark runs the main file itself (got 'org.apache.spark.examples.SparkPi')"],
    ['a main file without a scheme', (a: any) => { a.spec.mainApplicationFile = '/opt/jobs/main.jar'; },
      "'spec.mainApplicationFile' must be a URI with a scheme, such as local:///opt/spark/app.jar for a file in the image or s3a://bucket/app.py (got '/opt/jobs/main.jar')"],
    ['no main file', (a: any) => { delete a.spec.mainApplicationFile; },
      "'spec.mainApplicationFile' must not be empty: give the jar, .py or .R file of the application"],
    ['a Spark version that is not one', (a: any) => { a.spec.sparkVersion = 'latest'; },
      "'spec.sparkVersion' must be a Spark version such as '3.5.1' (got 'latest')"],
    ['an unknown type', (a: any) => { a.spec.type = 'Go'; },
      "'spec.type' must be one of Java, Python, Scala, R (got 'Go')"],
    ['no image anywhere', (a: any) => { delete a.spec.image; a.spec.executor.image = 'x'; },
      "'spec.driver.image' is required when 'spec.image' is not set"],
    ['a driver template with Spark 2', (a: any) => { a.spec.sparkVersion = '2.4.8'; a.spec.driver.template = {}; },
      "'spec.driver.template' needs Spark 3.0.0 or later (got sparkVersion '2.4.8')"],
    ['both node selectors', (a: any) => { a.spec.nodeSelector = { a: 'b' }; a.spec.executor.nodeSelector = { c: 'd' }; },
      "'spec.nodeSelector' cannot be combined with 'spec.driver.nodeSelector' or 'spec.executor.nodeSelector': set it for the whole application or per role"],
    ['an operator-owned sparkConf key', (a: any) => { a.spec.sparkConf = { 'spark.kubernetes.container.image': 'x' }; },
      "'spec.sparkConf' must not set 'spark.kubernetes.container.image': use 'spec.image'"],
    ['an OAuth token in sparkConf', (a: any) => { a.spec.sparkConf = { 'spark.kubernetes.authenticate.oauthToken': 'x' }; },
      "'spec.sparkConf' must not set 'spark.kubernetes.authenticate.oauthToken': the driver authenticates with its service account token"],
    ['another namespace in sparkConf', (a: any) => { a.spec.sparkConf = { 'spark.kubernetes.namespace': 'other' }; },
      "'spec.sparkConf' must not set 'spark.kubernetes.namespace' to 'other': the application runs in its own namespace 'spark-jobs'"],
    ['a memory overhead factor of 40 meaning 40%', (a: any) => { a.spec.memoryOverheadFactor = '40'; },
      "'spec.memoryOverheadFactor' must be a number greater than 0 and at most 1, the share of memory added as overhead (0.4 for 40%) (got '40')"],
    ['a Prometheus port below 1024', (a: any) => { a.spec.monitoring = { exposeDriverMetrics: true, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/j.jar', port: 80 } }; },
      "'spec.monitoring.prometheus.port' must be an integer from 1024 to 49151 (got 80)"],
    ['a UI port outside 1-65535', (a: any) => { a.spec.sparkUIOptions = { servicePort: 0 }; },
      "'spec.sparkUIOptions.servicePort' must be a port number between 1 and 65535 (got 0)"],
    ['minExecutors above maxExecutors', (a: any) => { a.spec.dynamicAllocation = { enabled: true, minExecutors: 3, maxExecutors: 2 }; delete a.spec.executor.instances; },
      "'spec.dynamicAllocation.minExecutors' (3) must be <= 'spec.dynamicAllocation.maxExecutors' (2)"],
    ['more executors than dynamic allocation allows', (a: any) => { a.spec.dynamicAllocation = { enabled: true, maxExecutors: 1 }; },
      "'spec.executor.instances' (2) must be <= 'spec.dynamicAllocation.maxExecutors' (1): with dynamic allocation Spark starts with the larger of the two"],
    ['no executors', (a: any) => { a.spec.executor.instances = 0; },
      "'spec.executor.instances' must be an integer >= 1 (got 0)"],
    ['driver memory below what Spark needs', (a: any) => { a.spec.driver.memory = '256m'; },
      "'spec.driver.memory' must be at least 450 MiB: Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got '256m')"],
    ['memory Spark cannot read', (a: any) => { a.spec.executor.memory = '1.5 gigs'; },
      "'spec.executor.memory' must be a size as Spark reads it, such as 512m or 2g (got '1.5 gigs')"],
    ['a negative time to live', (a: any) => { a.spec.timeToLiveSeconds = -1; },
      "'spec.timeToLiveSeconds' must be an integer >= 0 (got -1)"],
    ['a retry interval of zero', (a: any) => { a.spec.restartPolicy = { type: 'OnFailure', onFailureRetryInterval: 0 }; },
      "'spec.restartPolicy.onFailureRetryInterval' must be an integer >= 1 (got 0)"],
    ['two volumes with one name', (a: any) => { a.spec.volumes = [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }]; },
      "'spec.volumes[1].name' 'v' is used twice: a mount refers to its volume by name, so give each volume a unique name"],
    ['a mount of a volume that is not there', (a: any) => { a.spec.executor.volumeMounts = [{ name: 'data', mountPath: '/data' }]; },
      "'spec.executor.volumeMounts[0].name' 'data' is not a volume of 'spec.volumes'"],
    ['a secret at a relative path', (a: any) => { a.spec.driver.secrets = [{ name: 's', path: 'secrets', secretType: 'Generic' }]; },
      "'spec.driver.secrets[0].path' must be an absolute path (got 'secrets')"],
    ['a ConfigMap where a secret is mounted', (a: any) => {
      a.spec.driver.secrets = [{ name: 's', path: '/etc/x', secretType: 'Generic' }];
      a.spec.driver.configMaps = [{ name: 'c', path: '/etc/x' }];
    }, "'spec.driver.configMaps[0].path' '/etc/x' is already mounted by 'spec.driver.secrets[0].path'"],
    ['an unknown secret type', (a: any) => { a.spec.driver.secrets = [{ name: 's', path: '/s', secretType: 'Kerberos' }]; },
      "'spec.driver.secrets[0].secretType' must be one of GCPServiceAccount, HadoopDelegationToken, Generic (got 'Kerberos')"],
    ['a sidecar named like the Spark container', (a: any) => { a.spec.driver.sidecars = [{ name: 'spark-kubernetes-driver', image: 'x' }]; },
      "'spec.driver.sidecars[0].name' 'spark-kubernetes-driver' is used twice or is Spark's own container name: give each sidecar and init container a unique name"],
    ['two driver ingresses on one port', (a: any) => {
      a.spec.driverIngressOptions = [{ servicePort: 4041, servicePortName: 'a', ingressURLFormat: 'a.example.com' }, { servicePort: 4041, servicePortName: 'b', ingressURLFormat: 'b.example.com' }];
    }, "'spec.driverIngressOptions[1].servicePort' 4041 is already used by 'spec.driverIngressOptions[0]'"],
    ['a volume source that is null (it would silently become an emptyDir)', (a: any) => { a.spec.volumes = [{ name: 'data', persistentVolumeClaim: null }]; },
      "'spec.volumes[0].persistentVolumeClaim' must be an object (got null)"],
    ['a driver ingress URL format with an unknown placeholder', (a: any) => {
      a.spec.driverIngressOptions = [{ servicePort: 4041, ingressURLFormat: '{{$name}}.example.com' }];
    }, "'spec.driverIngressOptions[0].ingressURLFormat' has an unknown placeholder {{$name}}: use {{$appName}}, {{$appNamespace}}, {{$appId}} (got \"{{$name}}.example.com\")"],
    ['a driver ingress URL format that is no URL', (a: any) => { a.spec.driverIngressOptions = [{ servicePort: 4041, ingressURLFormat: 'http://[::1' }]; },
      "'spec.driverIngressOptions[0].ingressURLFormat' is not a URL once its placeholders are filled (got \"http://[::1\")"],
    ['an executor port outside 1-65535', (a: any) => { a.spec.executor.ports = [{ name: 'x', protocol: 'TCP', containerPort: 70000 }]; },
      "'spec.executor.ports[0].containerPort' must be a port number between 1 and 65535 (got 70000)"],
    ['a batch scheduler name that cannot be a pod\'s schedulerName', (a: any) => { a.spec.batchScheduler = 'My_Scheduler'; },
      "'spec.batchScheduler' must be a scheduler name: a DNS-1123 subdomain (got \"My_Scheduler\"): the pods' schedulerName"],
    ['a YuniKorn queue that cannot be a label value', (a: any) => { a.spec.batchScheduler = 'yunikorn'; a.spec.batchSchedulerOptions = { queue: 'root/etl' }; },
      "'spec.batchSchedulerOptions.queue' must be a label value for YuniKorn (1 to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit): the pods get it as their 'queue' label (got 'root/etl')"],
    ['a Volcano priority class that cannot be an object name', (a: any) => { a.spec.batchScheduler = 'volcano'; a.spec.batchSchedulerOptions = { priorityClassName: 'High' }; },
      "'spec.batchSchedulerOptions.priorityClassName' must name a Volcano PriorityClass: a DNS-1123 subdomain (got 'High')"],
  ])('%s', (_, change, message) => {
    expect(problemsOf(sparkPiWith(change))).toEqual([message]);
  });

  test('every problem is reported, not only the first', () => {
    const app = sparkPiWith((a) => {
      a.spec.executor.instances = 0;
      a.spec.driver.cores = 0;
    });
    expect(validateSparkApplication(app)).toEqual([
      { path: 'spec.driver.cores', message: 'must be an integer >= 1 (got 0)' },
      { path: 'spec.executor.instances', message: 'must be an integer >= 1 (got 0)' },
    ]);
  });

  test('wrong types where the CRD schema is light are problems, not crashes', () => {
    const app = sparkPiWith((a) => {
      a.spec.driver = 'big';
      a.spec.sparkConf = ['spark.master'];
      a.spec.volumes = 'none';
    });
    expect(problemsOf(app)).toEqual([
      "'spec.volumes' must be a list (got 'none')",
      "'spec.sparkConf' must be a map of strings (got [\"spark.master\"])",
      "'spec.driver' must be an object (got 'big')",
    ]);
  });

  test('a string where a list belongs, and list entries of the wrong type, are problems', () => {
    // GIVEN
    const app = sparkPiWith((a) => {
      a.spec.arguments = 'str';
      a.spec.deps = { jars: 'a.jar', files: ['ok', 5] };
      a.spec.driver.env = [null, { value: 'x' }];
      a.spec.hadoopConf = { 'fs.x': 1 };
      a.spec.restartPolicy = 'Never';
    });

    // THEN
    expect(problemsOf(app)).toEqual([
      "'spec.arguments' must be a list of strings (got 'str')",
      "'spec.hadoopConf' must be a map of strings: 'fs.x' is 1",
      "'spec.restartPolicy' must be an object (got 'Never')",
      "'spec.deps.jars' must be a list of strings (got 'a.jar')",
      "'spec.deps.files[1]' must be a string (got 5)",
      "'spec.driver.env[0]' must be an object with a name (got null)",
      "'spec.driver.env[1].name' is required (got undefined)",
    ]);
  });

  test('no input makes it throw (property)', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (spec, metadata) => {
      const problems = validate({ kind: 'SparkApplication', metadata, spec });
      return Array.isArray(problems) && problems.every((p) => typeof p.path === 'string' && typeof p.message === 'string');
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.anything()), (driver) => {
      validateSparkApplication({ ...sparkPi(), spec: { ...sparkPi().spec, driver: driver as any } });
      return true;
    }), { numRuns: 500 });
  });

  test('a huge sparkConf with unicode keys is read, not refused', () => {
    const sparkConf = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`spark.custom.ключ-${i}`, '✓'.repeat(10)]));
    expect(problemsOf(sparkPiWith((a) => { a.spec.sparkConf = sparkConf; }))).toEqual([]);
  });

  test('an object of another kind', () => {
    expect(validate({ kind: 'Pod' })).toEqual([{ path: 'kind', message: 'must be SparkApplication, ScheduledSparkApplication or SparkConnect (got "Pod")' }]);
  });
});

describe('validate() of a ScheduledSparkApplication', () => {
  const scheduled = (spec: Record<string, unknown>, name = 'nightly') => ({
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'ScheduledSparkApplication',
    metadata: { name, namespace: 'spark-jobs' },
    spec: { schedule: '0 2 * * *', template: sparkPi().spec, ...spec },
  });

  test('a valid one has no problems, its template checked as an application spec', () => {
    expect(validateScheduledSparkApplication(scheduled({}))).toEqual([]);
    const template = { ...sparkPi().spec, executor: { instances: 0 } };
    expect(validateScheduledSparkApplication(scheduled({ template })).map((p) => describeProblem(p)))
      .toEqual(["'spec.template.executor.instances' must be an integer >= 1 (got 0)"]);
  });

  test.each([
    [{ schedule: '0 25 * * *' }, "'spec.schedule' '0 25 * * *' is not a valid cron schedule: hour '25' is not valid: use 0-23, lists (1,15), ranges (1-5) and steps (*/10)"],
    [{ schedule: '' }, "'spec.schedule' is required: a cron schedule such as '0 2 * * *', '@daily' or '@every 1h' (got '')"],
    [{ timeZone: 'Mars/Base' }, "'spec.timeZone' 'Mars/Base' is invalid: it is not a known IANA time zone"],
    [{ concurrencyPolicy: 'Sometimes' }, "'spec.concurrencyPolicy' must be one of Allow, Forbid, Replace (got 'Sometimes')"],
    [{ failedRunHistoryLimit: -1 }, "'spec.failedRunHistoryLimit' must be an integer >= 0 (got -1)"],
    [{ template: { ...sparkPi().spec, driver: { podName: 'fixed' } } },
      "'spec.template.driver.podName' cannot be set on a ScheduledSparkApplication: every run would name its driver pod 'fixed' and the second run would fail; leave it unset to get '<run>-driver'"],
  ])('%j', (spec, message) => {
    expect(validateScheduledSparkApplication(scheduled(spec)).map((p) => describeProblem(p))).toEqual([message]);
  });

  test('a name too long for its runs', () => {
    expect(validateScheduledSparkApplication(scheduled({}, 'n'.repeat(37))).map((p) => describeProblem(p))).toEqual([
      `'metadata.name' '${'n'.repeat(37)}' (37 characters) is too long for a ScheduledSparkApplication: each run is named '<name>-<19-digit timestamp>' and its driver pod '<run>-driver', which must fit in 63 characters; use at most 36 characters`,
    ]);
  });
});
