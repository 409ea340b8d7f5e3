import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CONTROLLER_FLAGS, ControllerOptions, Flag, WEBHOOK_FLAGS, WebhookOptions, batchSchedulingSettings, controllerArgs, helpText, parseArgs, webhookArgs,
} from '../../src/core';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'reference.md'), 'utf8');

const controller: ControllerOptions = {
  namespaces: ['spark-jobs', 'team-a'],
  workers: 4,
  kubeApiQps: 200,
  kubeApiBurst: 300,
  ingressUrlFormat: '{{$appName}}.spark.example.com',
  defaultTimeToLiveSeconds: 3600,
  driverPodCreationGracePeriodSeconds: 20,
  driverPendingTimeoutSeconds: 0,
  maxTrackedExecutors: 50,
  metricsLabels: ['app_type', 'namespace', 'app.kubernetes.io/name'],
  metricsPrefix: 'team_a_',
  submitLatencyBuckets: [0.25, 1, 10],
  startLatencyBuckets: [5, 50.5],
  leaderElectionLockName: 'spark-controller-lock',
  leaderElectionLockNamespace: 'spark-system',
  leaseDurationSeconds: 20,
  renewDeadlineSeconds: 12,
  retryPeriodSeconds: 3,
  metricsPort: 9090,
  metricsEndpoint: '/prom',
  healthProbePort: 9091,
  logLevel: 'debug',
  protectedServiceAccounts: ['spark-system/spark-controller', 'spark-system/hook'],
};

const webhook: WebhookOptions = {
  port: 8443,
  tlsMode: 'self-managed',
  tlsSecretName: 'certs',
  tlsSecretNamespace: 'spark-system',
  serviceName: 'hook',
  serviceNamespace: 'spark-system',
  webhookConfigurationName: 'hook',
  authorizePodCreation: false,
  metricsPort: 8080,
  metricsEndpoint: '/metrics',
  healthProbePort: 8081,
  logLevel: 'info',
  protectedServiceAccounts: [],
};

/** The rows of the README table under `heading`: flag name and default, backticks removed. */
function readmeTable(heading: string): Array<[string, string]> {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(0);
  const section = README.slice(start + heading.length + 2).split('\n### ')[0];
  return section.split('\n')
    .filter((line) => line.startsWith('| `--'))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      return [/^`--([a-z-]+)/.exec(cells[0])![1], cells[2].replace(/`/g, '')];
    });
}

function documented<O>(flags: ReadonlyArray<Flag<O>>, names: string[]): Array<[string, string]> {
  return flags.filter((f) => names.includes(f.name)).map((f) => [f.name, f.documentedDefault]);
}

const COMMON = ['metrics-port', 'metrics-endpoint', 'health-probe-port', 'log-level', 'protected-service-accounts'];

describe('the runtime contract', () => {
  test('parseArgs(controllerArgs(x)) gives x back', () => {
    expect(parseArgs(controllerArgs(controller))).toEqual({ command: 'controller', options: controller });
    const all: ControllerOptions = { ...controller, namespaces: undefined, allNamespaces: true };
    expect(parseArgs(controllerArgs(all))).toEqual({ command: 'controller', options: all });
  });

  test('parseArgs(webhookArgs(x)) gives x back, in both TLS modes', () => {
    expect(parseArgs(webhookArgs(webhook))).toEqual({ command: 'webhook', options: webhook });
    const files: WebhookOptions = {
      port: 9443,
      tlsMode: 'files',
      tlsCertDir: '/certs',
      authorizePodCreation: true,
      metricsPort: 8080,
      metricsEndpoint: '/metrics',
      healthProbePort: 8081,
      logLevel: 'warn',
      protectedServiceAccounts: ['ops/spark-operator-controller'],
    };
    expect(parseArgs(webhookArgs(files))).toEqual({ command: 'webhook', options: files });
  });

  test('the arguments, in the order the Deployment renders them', () => {
    expect(controllerArgs(controller)).toEqual([
      'controller',
      '--namespaces=spark-jobs,team-a',
      '--workers=4',
      '--kube-api-qps=200',
      '--kube-api-burst=300',
      '--ingress-url-format={{$appName}}.spark.example.com',
      '--default-time-to-live=3600s',
      '--driver-pod-creation-grace-period=20s',
      '--driver-pending-timeout=0s',
      '--max-tracked-executors=50',
      '--metrics-labels=app_type,namespace,app.kubernetes.io/name',
      '--metrics-prefix=team_a_',
      '--metrics-job-submit-latency-buckets=0.25,1,10',
      '--metrics-job-start-latency-buckets=5,50.5',
      '--leader-election-lock-name=spark-controller-lock',
      '--leader-election-lock-namespace=spark-system',
      '--leader-election-lease-duration=20s',
      '--leader-election-renew-deadline=12s',
      '--leader-election-retry-period=3s',
      '--metrics-port=9090',
      '--metrics-endpoint=/prom',
      '--health-probe-port=9091',
      '--log-level=debug',
      '--protected-service-accounts=spark-system/spark-controller,spark-system/hook',
    ]);
  });

  test('absent flags take their defaults', () => {
    expect(parseArgs(['controller'])).toEqual({
      command: 'controller',
      options: {
        namespaces: ['default'],
        workers: 10,
        kubeApiQps: 0,
        driverPodCreationGracePeriodSeconds: 10,
        driverPendingTimeoutSeconds: 900,
        maxTrackedExecutors: 1000,
        metricsLabels: ['app_type'],
        submitLatencyBuckets: [0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256],
        startLatencyBuckets: [30, 60, 90, 120, 150, 180, 210, 240, 270, 300],
        leaderElectionLockName: 'spark-operator-controller-lock',
        leaderElectionLockNamespace: 'spark-operator',
        leaseDurationSeconds: 15,
        renewDeadlineSeconds: 10,
        retryPeriodSeconds: 2,
        metricsPort: 8080,
        metricsEndpoint: '/metrics',
        healthProbePort: 8081,
        logLevel: 'info',
        protectedServiceAccounts: ['spark-operator/spark-operator-controller', 'spark-operator/spark-operator-webhook'],
      },
    });
    expect(parseArgs(['webhook', '--tls-mode=files'])).toEqual({
      command: 'webhook',
      options: {
        port: 9443,
        tlsMode: 'files',
        tlsCertDir: '/etc/cdk8s-spark/webhook-certs',
        authorizePodCreation: true,
        metricsPort: 8080,
        metricsEndpoint: '/metrics',
        healthProbePort: 8081,
        logLevel: 'info',
        protectedServiceAccounts: ['spark-operator/spark-operator-controller', 'spark-operator/spark-operator-webhook'],
      },
    });
  });

  test('leader election durations that cannot work together are refused, naming the flags', () => {
    expect(parseArgs(['controller', '--leader-election-lease-duration=10s'])).toEqual({
      command: 'error',
      problems: ['--leader-election-renew-deadline (10s) must be shorter than --leader-election-lease-duration (10s): the leader must stop acting before a standby may take over'],
    });
    expect(parseArgs(['controller', '--leader-election-retry-period=9s'])).toEqual({
      command: 'error',
      problems: ['--leader-election-renew-deadline (10s) must be longer than 1.2 times --leader-election-retry-period (9s): the leader needs more than one try to renew before the deadline'],
    });
    expect(parseArgs(['controller', '--leader-election-lease-duration=0s'])).toEqual({
      command: 'error',
      problems: ['--leader-election-lease-duration must be a whole number of seconds >= 1 such as 3600s (got "0s")'],
    });
  });

  test('bad arguments: every problem, in plain words', () => {
    expect(parseArgs(['controller', '--workers=0', '--metrics-port=http', '--namespaces=Team_A', '--verbose', '--log-level', '--all-namespaces=yes'])).toEqual({
      command: 'error',
      problems: [
        '--workers must be an integer from 1 to 1000 (got "0")',
        '--metrics-port must be an integer from 1 to 65535 (got "http")',
        '--namespaces must contain valid namespace names (at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit) (got "Team_A")',
        'unknown argument "--verbose" for \'controller\' (see \'controller --help\')',
        '--log-level needs a value: --log-level=<debug|info|warn|error>',
        '--all-namespaces takes no value (got "--all-namespaces=yes")',
      ],
    });
    expect(parseArgs(['controller', '--all-namespaces', '--namespaces=a', '--workers=2', '--workers=3'])).toEqual({
      command: 'error',
      problems: ['--workers is given twice', '--namespaces is only used without --all-namespaces'],
    });
    expect(parseArgs(['controller', '--kube-api-burst=30'])).toEqual({
      command: 'error', problems: ['--kube-api-burst is only used with --kube-api-qps above 0'],
    });
    expect(parseArgs(['controller', '--kube-api-qps=-1'])).toEqual({
      command: 'error', problems: ['--kube-api-qps must be an integer from 0 to 100000 (got "-1")'],
    });
    expect(parseArgs(['webhook', '--tls-mode=files', '--tls-secret-name=x'])).toEqual({
      command: 'error', problems: ['--tls-secret-name is only used with --tls-mode=self-managed'],
    });
    expect(parseArgs(['controller', '--ingress-url-format=spark.example.com'])).toEqual({
      command: 'error', problems: ['--ingress-url-format must contain {{$appName}} or {{$appId}}, so that applications do not share a URL (got "spark.example.com")'],
    });
    expect(parseArgs(['serve'])).toEqual({ command: 'error', problems: ['unknown sub-command "serve": use controller, webhook or render'] });
  });

  test('batch scheduling: the kube-schedulers and the default only with --enable-batch-scheduler, the default one of those enabled', () => {
    const parsed = parseArgs(['controller', '--enable-batch-scheduler', '--kube-scheduler-names=sp-a,sp-b', '--default-batch-scheduler=sp-b']);
    expect(parsed.command === 'controller' && batchSchedulingSettings(parsed.options)).toEqual({
      enabled: true, kubeSchedulerNames: ['sp-a', 'sp-b'], defaultBatchScheduler: 'sp-b',
    });
    expect(parseArgs(['controller', '--kube-scheduler-names=sp-a'])).toEqual({
      command: 'error', problems: ['--kube-scheduler-names is only used with --enable-batch-scheduler'],
    });
    expect(parseArgs(['controller', '--enable-batch-scheduler', '--default-batch-scheduler=sp-c'])).toEqual({
      command: 'error', problems: ['--default-batch-scheduler must be one of volcano, yunikorn (got "sp-c")'],
    });
    expect(parseArgs(['controller', '--enable-batch-scheduler', '--kube-scheduler-names=Bad_Name'])).toEqual({
      command: 'error', problems: ['--kube-scheduler-names must be a scheduler name: a DNS-1123 subdomain (got "Bad_Name")'],
    });
  });

  test('--metrics-labels may be empty: no labels', () => {
    const parsed = parseArgs(['controller', '--metrics-labels=']);
    expect(parsed.command === 'controller' && parsed.options.metricsLabels).toEqual([]);
    expect(controllerArgs({ ...controller, metricsLabels: [] })).toContain('--metrics-labels=');
  });

  test('bad metrics flags: the label keys, the prefix and the buckets, in plain words', () => {
    expect(parseArgs([
      'controller', '--metrics-labels=app_type,-bad', '--metrics-prefix=9lives', '--metrics-job-submit-latency-buckets=1,2,2', '--metrics-job-start-latency-buckets=30s',
    ])).toEqual({
      command: 'error',
      problems: [
        '--metrics-labels must list Kubernetes label keys such as \'app_type\' or \'app.kubernetes.io/name\', or \'namespace\' (got "-bad")',
        '--metrics-prefix must be letters, digits and \'_\', not starting with a digit, such as \'team_a_\' (got "9lives")',
        '--metrics-job-submit-latency-buckets must list upper bounds in increasing order (got "1,2,2")',
        '--metrics-job-start-latency-buckets must be comma-separated numbers such as 0.5,1,2 (got "30s")',
      ],
    });
    expect(parseArgs(['controller', '--metrics-labels=app.type,app-type', '--metrics-job-start-latency-buckets=0,1'])).toEqual({
      command: 'error',
      problems: [
        '--metrics-labels must not list two keys that give the same metrics label \'app_type\' (got "app.type" and "app-type")',
        '--metrics-job-start-latency-buckets must list upper bounds in seconds > 0 (got "0,1")',
      ],
    });
  });

  test('--help lists every flag with its default', () => {
    const help = parseArgs(['controller', '--help']);
    expect(help.command).toBe('help');
    const text = help.command === 'help' ? help.text : '';
    expect(text).toBe(helpText('controller'));
    for (const flag of CONTROLLER_FLAGS) expect(text).toContain(`--${flag.name}`);
    expect(text).toMatch(/\n {2}--workers=<n> +how many keys are reconciled at the same time \(never the same key twice\) \(default: 10\)\n/);
    expect(parseArgs([]).command).toBe('help');
  });

  test("docs/reference.md's flag tables name exactly these flags, with these defaults", () => {
    const byName = (rows: Array<[string, string]>) => [...rows].sort(([a], [b]) => a.localeCompare(b));
    const own = <O>(flags: ReadonlyArray<Flag<O>>) => flags.map((f) => f.name).filter((n) => !COMMON.includes(n));
    expect(byName(readmeTable('### Flags of both sub-commands'))).toEqual(byName(documented(CONTROLLER_FLAGS, COMMON)));
    expect(byName(readmeTable('### `controller`'))).toEqual(byName(documented(CONTROLLER_FLAGS, own(CONTROLLER_FLAGS))));
    expect(byName(readmeTable('### `webhook`'))).toEqual(byName(documented(WEBHOOK_FLAGS, own(WEBHOOK_FLAGS))));
    expect(documented(WEBHOOK_FLAGS, COMMON)).toEqual(documented(CONTROLLER_FLAGS, COMMON));
  });
});
