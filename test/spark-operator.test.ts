import { App, Chart, ChartProps, Duration, Size, Testing } from 'cdk8s';
import { Cpu, ImagePullPolicy, Node, NodeTaintQuery, Secret, TaintEffect } from 'cdk8s-plus-28';
import {
  ArgoCdSyncWaves,
  CertManagerIssuerKind,
  LogLevel,
  OperatorBatchScheduler,
  OperatorImage,
  SparkOperator,
  SparkOperatorProps,
  WebhookFailurePolicy,
  WebhookTls,
} from '../src';
import { kubeSchemaErrors } from './util/kube-validator';
import { restrictedViolations } from './util/pod-security';
import { LIBRARY_VERSION } from '../src/version.generated';

/** Synthesizes one SparkOperator in a fresh chart. */
function synth(props: SparkOperatorProps = {}, chartProps?: ChartProps): any[] {
  const chart = new Chart(Testing.app(), 'test', chartProps);
  new SparkOperator(chart, 'spark', props);
  return Testing.synth(chart);
}

/** `Kind namespace/name` of every object (`-` for cluster-scoped ones). */
function inventory(objects: any[]): string[] {
  return objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
}

function find(objects: any[], kind: string, name: string, namespace?: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name}, found ${found.length}: ${inventory(objects).join(', ')}`);
  }
  return found[0];
}

function containerOf(objects: any[], deployment: string): any {
  return find(objects, 'Deployment', deployment).spec.template.spec.containers[0];
}

const CLUSTER_SCOPED = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
]);

/** The variants every global property is checked on: the default and each option that changes the set of objects. */
const VARIANTS: Array<[string, SparkOperatorProps, ChartProps | undefined]> = [
  ['default', {}, undefined],
  ['chart with a namespace', {}, { namespace: 'platform' }],
  ['created namespace', { namespace: 'spark-system', createNamespace: true }, undefined],
  ['several job namespaces', { jobNamespaces: ['team-a', 'team-b'] }, undefined],
  ['all namespaces', { watchAllNamespaces: true, jobNamespaces: ['team-a'] }, { namespace: 'platform' }],
  ['no CRDs', { installCrds: false }, undefined],
  ['no webhook', { webhook: false }, undefined],
  ['cert-manager, self-signed', { webhookOptions: { tls: WebhookTls.certManager() } }, { namespace: 'platform' }],
  ['cert-manager, cluster issuer', {
    webhookOptions: {
      tls: WebhookTls.certManager({
        issuerRef: { name: 'corp-ca', kind: CertManagerIssuerKind.CLUSTER_ISSUER },
        duration: Duration.days(90),
        renewBefore: Duration.days(30),
      }),
    },
  }, undefined],
  ['high availability and monitoring', {
    controller: { replicas: 2 }, webhookOptions: { replicas: 3 }, podMonitor: true,
  }, undefined],
  ['no driver RBAC', { driverRbac: false }, undefined],
  ['scheduling and image options', {
    image: OperatorImage.fromDigest(`sha256:${'a'.repeat(64)}`),
    imagePullPolicy: ImagePullPolicy.ALWAYS,
    imagePullSecrets: [Secret.fromSecretName(Testing.chart(), 'pull', 'registry-creds')],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [NodeTaintQuery.is('dedicated', 'platform', { effect: TaintEffect.NO_SCHEDULE })],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['system'] }] }] } } },
    priorityClassName: 'system-cluster-critical',
  }, undefined],
];

describe('SparkOperator with default properties', () => {
  test('matches the snapshot', () => {
    // WHEN
    const objects = synth();
    // THEN (the image tag is the library version: keep version bumps from rewriting the snapshot)
    expect(JSON.parse(JSON.stringify(objects).split(`:${LIBRARY_VERSION}"`).join(':<library version>"'))).toMatchSnapshot();
  });

  test('renders the namespace, the CRDs, the controller, the webhook and the RBAC with readable names', () => {
    // WHEN
    const objects = synth();
    // THEN
    expect(inventory(objects)).toEqual([
      'Namespace -/spark-operator',
      'CustomResourceDefinition -/sparkapplications.sparkoperator.k8s.io',
      'CustomResourceDefinition -/scheduledsparkapplications.sparkoperator.k8s.io',
      'CustomResourceDefinition -/sparkconnects.sparkoperator.k8s.io',
      'ServiceAccount spark-operator/spark-operator-controller',
      'Role spark-operator/spark-operator-controller-leader-election',
      'RoleBinding spark-operator/spark-operator-controller-leader-election',
      'Role default/spark-operator-controller',
      'RoleBinding default/spark-operator-controller',
      'ServiceAccount default/spark',
      'ServiceAccount default/spark-executor',
      'Role default/spark',
      'RoleBinding default/spark',
      'Deployment spark-operator/spark-operator-controller',
      'Service spark-operator/spark-operator-controller-metrics',
      'NetworkPolicy spark-operator/spark-operator-controller',
      'ServiceAccount spark-operator/spark-operator-webhook',
      'Role spark-operator/spark-operator-webhook',
      'RoleBinding spark-operator/spark-operator-webhook',
      'ClusterRole -/spark-operator-webhook',
      'ClusterRoleBinding -/spark-operator-webhook',
      'ClusterRole -/spark-operator-webhook-authorization',
      'ClusterRoleBinding -/spark-operator-webhook-authorization',
      'Deployment spark-operator/spark-operator-webhook',
      'Service spark-operator/spark-operator-webhook',
      'NetworkPolicy spark-operator/spark-operator-webhook',
      'ValidatingWebhookConfiguration -/spark-operator-webhook',
      'MutatingWebhookConfiguration -/spark-operator-webhook',
    ]);
  });

  test('names do not depend on the construct id', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkOperator(chart, 'SomethingElse');
    // THEN
    expect(inventory(Testing.synth(chart))).toEqual(inventory(synth()));
  });

  test('runs in the chart namespace when it has one', () => {
    // WHEN
    const objects = synth({}, { namespace: 'platform' });
    // THEN
    expect(find(objects, 'Deployment', 'spark-operator-controller').metadata.namespace).toBe('platform');
  });

  test('uses the library version as the image tag', () => {
    // WHEN
    const container = containerOf(synth(), 'spark-operator-controller');
    // THEN
    expect(container.image).toBe(`cdk8s-spark/cdk8s-spark-operator:${LIBRARY_VERSION}`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('synthesizing twice gives identical bytes', () => {
    // GIVEN
    const build = () => {
      const app = new App();
      const chart = new Chart(app, 'operator', { namespace: 'platform' });
      new SparkOperator(chart, 'spark', { jobNamespaces: ['b', 'a'], webhookOptions: { tls: WebhookTls.certManager() }, podMonitor: true });
      return app.synthYaml();
    };
    // WHEN
    const first = build();
    const second = build();
    // THEN
    expect(second).toBe(first);
  });
});

describe.each(VARIANTS)('SparkOperator (%s)', (_label, props, chartProps) => {
  test('renders this set of kinds and names', () => {
    // WHEN
    const objects = synth(props, chartProps);
    // THEN
    expect(inventory(objects)).toMatchSnapshot();
  });

  test('every object validates against the Kubernetes schema of its kind', () => {
    // WHEN
    const objects = synth(props, chartProps);
    // THEN
    expect(objects.map((o) => [inventory([o])[0], kubeSchemaErrors(o)])).toEqual(objects.map((o) => [inventory([o])[0], []]));
  });

  test('no RBAC rule uses a wildcard', () => {
    // WHEN
    const rules = synth(props, chartProps).filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').flatMap((o) => o.rules);
    // THEN
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames', 'nonResourceURLs']) {
        expect(rule[field] ?? []).not.toContain('*');
      }
    }
  });

  test('operator pods meet the Pod Security "restricted" level', () => {
    // WHEN
    const deployments = synth(props, chartProps).filter((o) => o.kind === 'Deployment');
    // THEN
    expect(deployments.map((d) => [d.metadata.name, restrictedViolations(d.spec.template.spec)]))
      .toEqual(deployments.map((d) => [d.metadata.name, []]));
  });

  test('no caBundle and no Secret is rendered', () => {
    // WHEN
    const objects = synth(props, chartProps);
    // THEN
    expect(JSON.stringify(objects)).not.toContain('caBundle');
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('cluster-scoped objects carry no namespace and namespaced ones always do', () => {
    // WHEN
    const objects = synth(props, chartProps);
    // THEN
    for (const o of objects) {
      expect([o.kind, o.metadata.name, o.metadata.namespace === undefined]).toEqual([o.kind, o.metadata.name, CLUSTER_SCOPED.has(o.kind)]);
    }
  });

  test('names are unique per kind and namespace', () => {
    // WHEN
    const names = inventory(synth(props, chartProps));
    // THEN
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the set of objects for each option', () => {
  test('installCrds: false leaves the CRDs out', () => {
    // WHEN
    const objects = synth({ installCrds: false });
    // THEN
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
  });

  test('createNamespace renders the namespace, enforcing Pod Security "restricted"', () => {
    // WHEN
    const objects = synth({ namespace: 'spark-system', createNamespace: true });
    // THEN
    const namespace = find(objects, 'Namespace', 'spark-system');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(inventory(objects)[0]).toBe('Namespace -/spark-system');
  });

  test('createNamespace enforces only "baseline" when Spark jobs run in the operator namespace too', () => {
    // WHEN
    const objects = synth({ namespace: 'spark', createNamespace: true, jobNamespaces: ['spark'], jobsInOperatorNamespace: true });
    // THEN
    const labels = find(objects, 'Namespace', 'spark').metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
  });

  test('renders the operator Namespace by default, so the chart applies to a fresh cluster', () => {
    // WHEN
    const objects = synth({ jobNamespaces: ['analytics'] });
    // THEN
    expect(inventory(objects.filter((o) => o.kind === 'Namespace'))).toEqual(['Namespace -/spark-operator']);
  });

  test('never creates a job namespace', () => {
    // WHEN
    const objects = synth({ jobNamespaces: ['analytics', 'etl'] });
    // THEN
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['spark-operator']);
  });

  test('createNamespace: false renders no Namespace', () => {
    // WHEN
    const objects = synth({ createNamespace: false });
    // THEN
    expect(objects.filter((o) => o.kind === 'Namespace')).toEqual([]);
  });

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])('does not render the Kubernetes namespace %s by default', (namespace) => {
    // WHEN
    const objects = synth({ namespace, jobNamespaces: ['spark-jobs'] });
    // THEN
    expect(objects.filter((o) => o.kind === 'Namespace')).toEqual([]);
  });

  test('the operator\'s own namespace is no job namespace unless the install says so', () => {
    // WHEN / THEN
    expect(() => synth({ namespace: 'spark', jobNamespaces: ['jobs', 'spark'] })).toThrow(new Error(
      'job namespace "spark" is the operator\'s own namespace, where its ServiceAccounts live: run jobs in another namespace, or set \'jobsInOperatorNamespace: true\''));
    expect(synth({ namespace: 'spark', jobNamespaces: ['spark'], jobsInOperatorNamespace: true }).some((o) => o.kind === 'Role' && o.metadata.name === 'spark')).toBe(true);
  });

  test('createNamespace: true renders even a Kubernetes namespace when asked', () => {
    // WHEN
    const objects = synth({ namespace: 'kube-system', createNamespace: true });
    // THEN
    expect(inventory(objects.filter((o) => o.kind === 'Namespace'))).toEqual(['Namespace -/kube-system']);
  });

  test('webhook: false renders no webhook object at all', () => {
    // WHEN
    const objects = synth({ webhook: false });
    // THEN
    expect(inventory(objects).filter((n) => n.includes('webhook'))).toEqual([]);
    expect(objects.filter((o) => o.kind.endsWith('WebhookConfiguration'))).toEqual([]);
    expect(find(objects, 'Deployment', 'spark-operator-controller')).toBeDefined();
  });

  test('replicas > 1 renders a PodDisruptionBudget per component', () => {
    // WHEN
    const objects = synth({ controller: { replicas: 2 }, webhookOptions: { replicas: 2 } });
    // THEN
    expect(inventory(objects.filter((o) => o.kind === 'PodDisruptionBudget'))).toEqual([
      'PodDisruptionBudget spark-operator/spark-operator-controller',
      'PodDisruptionBudget spark-operator/spark-operator-webhook',
    ]);
    expect(find(objects, 'PodDisruptionBudget', 'spark-operator-controller').spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'spark-operator' } },
    });
  });

  test('one replica renders no PodDisruptionBudget', () => {
    // WHEN
    const objects = synth();
    // THEN
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });

  test('podMonitor renders a PodMonitor scraping both components', () => {
    // WHEN
    const objects = synth({ podMonitor: true, metricsEndpoint: '/prometheus' });
    // THEN
    const monitor = find(objects, 'PodMonitor', 'spark-operator');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.namespace).toBe('spark-operator');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'spark-operator' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/prometheus' }],
    });
  });

  test('name prefixes every operator object', () => {
    // WHEN
    const objects = synth({ name: 'spark', installCrds: false, driverRbac: false, createNamespace: false });
    // THEN
    for (const o of objects) {
      expect(o.metadata.name).toMatch(/^spark-(controller|webhook)/);
      expect(o.metadata.labels['app.kubernetes.io/name']).toBe('spark');
    }
  });

  test('labels go on every object but never into selectors', () => {
    // WHEN
    const objects = synth({ labels: { team: 'data' } });
    // THEN
    for (const o of objects) {
      expect(o.metadata.labels.team).toBe('data');
    }
    expect(find(objects, 'Deployment', 'spark-operator-controller').spec.selector.matchLabels.team).toBeUndefined();
    expect(find(objects, 'Deployment', 'spark-operator-controller').spec.template.metadata.labels.team).toBe('data');
  });
});

describe('controller', () => {
  test('runs the controller sub-command with its flags', () => {
    // WHEN
    const container = containerOf(synth(), 'spark-operator-controller');
    // THEN
    expect(container.args).toEqual([
      'controller',
      '--namespaces=default',
      '--workers=10',
      '--kube-api-qps=0',
      '--driver-pod-creation-grace-period=10s',
      '--driver-pending-timeout=900s',
      '--max-tracked-executors=1000',
      '--metrics-labels=app_type',
      '--metrics-job-submit-latency-buckets=0.5,1,2,4,8,16,32,64,128,256',
      '--metrics-job-start-latency-buckets=30,60,90,120,150,180,210,240,270,300',
      '--leader-election-lock-name=spark-operator-controller-lock',
      '--leader-election-lock-namespace=spark-operator',
      '--leader-election-lease-duration=15s',
      '--leader-election-renew-deadline=10s',
      '--leader-election-retry-period=2s',
      '--metrics-port=8080',
      '--metrics-endpoint=/metrics',
      '--health-probe-port=8081',
      '--log-level=info',
      '--protected-service-accounts=spark-operator/spark-operator-controller,spark-operator/spark-operator-webhook',
    ]);
  });

  test('flags follow the options', () => {
    // WHEN
    const container = containerOf(synth({
      namespace: 'ops',
      jobNamespaces: ['a', 'b'],
      controller: {
        workers: 3,
        kubeApiQps: 100,
        kubeApiBurst: 150,
        driverPodCreationGracePeriod: Duration.seconds(30),
        driverPendingTimeout: Duration.minutes(5),
        maxTrackedExecutors: 200,
        metricsLabels: ['namespace', 'app.kubernetes.io/name'],
        metricsPrefix: 'team_a_',
        metricsSubmitLatencyBuckets: [Duration.millis(250), Duration.seconds(1), Duration.minutes(1)],
        metricsStartLatencyBuckets: [Duration.seconds(10), Duration.minutes(10)],
        leaderElection: { leaseDuration: Duration.seconds(30), renewDeadline: Duration.seconds(20), retryPeriod: Duration.seconds(4) },
      },
      logLevel: LogLevel.DEBUG,
      metricsPort: 9090,
      metricsEndpoint: '/m',
      healthProbePort: 9091,
    }), 'spark-operator-controller');
    // THEN
    expect(container.args).toEqual([
      'controller',
      '--namespaces=a,b',
      '--workers=3',
      '--kube-api-qps=100',
      '--kube-api-burst=150',
      '--driver-pod-creation-grace-period=30s',
      '--driver-pending-timeout=300s',
      '--max-tracked-executors=200',
      '--metrics-labels=namespace,app.kubernetes.io/name',
      '--metrics-prefix=team_a_',
      '--metrics-job-submit-latency-buckets=0.25,1,60',
      '--metrics-job-start-latency-buckets=10,600',
      '--leader-election-lock-name=spark-operator-controller-lock',
      '--leader-election-lock-namespace=ops',
      '--leader-election-lease-duration=30s',
      '--leader-election-renew-deadline=20s',
      '--leader-election-retry-period=4s',
      '--metrics-port=9090',
      '--metrics-endpoint=/m',
      '--health-probe-port=9091',
      '--log-level=debug',
      '--protected-service-accounts=ops/spark-operator-controller,ops/spark-operator-webhook',
    ]);
  });

  test('an empty metricsLabels renders an empty --metrics-labels: the Spark metrics have no labels', () => {
    // WHEN
    const container = containerOf(synth({ controller: { metricsLabels: [] } }), 'spark-operator-controller');
    // THEN
    expect(container.args).toContain('--metrics-labels=');
  });

  test('uiIngressUrlFormat becomes --ingress-url-format, verbatim', () => {
    // WHEN
    const container = containerOf(synth({
      controller: { uiIngressUrlFormat: 'https://spark.example.com/{{$appNamespace}}/{{$appName}}' },
    }), 'spark-operator-controller');
    // THEN
    expect(container.args).toContain('--ingress-url-format=https://spark.example.com/{{$appNamespace}}/{{$appName}}');
  });

  test('defaultTimeToLive becomes --default-time-to-live in seconds', () => {
    // WHEN
    const container = containerOf(synth({ controller: { defaultTimeToLive: Duration.days(1) } }), 'spark-operator-controller');
    // THEN
    expect(container.args).toContain('--default-time-to-live=86400s');
  });

  test('the optional controller flags come after --workers and before the leader election flags', () => {
    // WHEN
    const container = containerOf(synth({
      controller: { uiIngressUrlFormat: '{{$appId}}.spark.example.com', defaultTimeToLive: Duration.minutes(30) },
    }), 'spark-operator-controller');
    // THEN
    expect(container.args.slice(0, 6)).toEqual([
      'controller',
      '--namespaces=default',
      '--workers=10',
      '--kube-api-qps=0',
      '--ingress-url-format={{$appId}}.spark.example.com',
      '--default-time-to-live=1800s',
    ]);
  });

  test('without uiIngressUrlFormat and defaultTimeToLive neither flag is rendered', () => {
    // WHEN
    const container = containerOf(synth(), 'spark-operator-controller');
    // THEN
    expect(container.args.filter((a: string) => /^--(ingress-url-format|default-time-to-live)=/.test(a))).toEqual([]);
  });

  test('probes /healthz and /readyz on the health port', () => {
    // WHEN
    const container = containerOf(synth({ healthProbePort: 9000 }), 'spark-operator-controller');
    // THEN
    expect(container.ports).toContainEqual({ name: 'health', containerPort: 9000, protocol: 'TCP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
  });

  test('sets resources explicitly by default, local disk included', () => {
    // WHEN
    const container = containerOf(synth(), 'spark-operator-controller');
    // THEN
    expect(container.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(containerOf(synth(), 'spark-operator-webhook').resources).toEqual({
      requests: { 'cpu': '50m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('resources can be overridden', () => {
    // WHEN
    const container = containerOf(synth({
      controller: { resources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } } },
    }), 'spark-operator-controller');
    // THEN
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '2Gi' } });
  });

  test('mounts its service account token, which the service account itself does not', () => {
    // WHEN
    const objects = synth();
    // THEN
    expect(find(objects, 'Deployment', 'spark-operator-controller').spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(find(objects, 'ServiceAccount', 'spark-operator-controller').automountServiceAccountToken).toBe(false);
  });

  test('has a read-only root filesystem with a writable /tmp', () => {
    // WHEN
    const objects = synth();
    // THEN
    const pod = find(objects, 'Deployment', 'spark-operator-controller').spec.template.spec;
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('runs as a numeric non-root user', () => {
    // WHEN
    const pod = find(synth(), 'Deployment', 'spark-operator-controller').spec.template.spec;
    // THEN
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
  });

  test('exposes metrics through a Service', () => {
    // WHEN
    const service = find(synth({ metricsPort: 9100 }), 'Service', 'spark-operator-controller-metrics');
    // THEN
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'spark-operator' },
      ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' }],
    });
  });

  test('may manage driver pods, ConfigMaps, Services, Ingresses, PDBs, events, SparkApplications and SparkConnects in a job namespace, nothing else', () => {
    // WHEN
    const role = find(synth(), 'Role', 'spark-operator-controller', 'default');
    // THEN
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'create', 'delete'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['scheduledsparkapplications'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications/status', 'scheduledsparkapplications/status'], verbs: ['update'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications/finalizers', 'scheduledsparkapplications/finalizers'], verbs: ['update'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkconnects'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkconnects/status'], verbs: ['update'] },
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkconnects/finalizers'], verbs: ['update'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['update'] },
    ]);
  });

  test('may create and delete the UI and driver Ingresses, never update them', () => {
    // WHEN
    const role = find(synth(), 'Role', 'spark-operator-controller', 'default');
    // THEN
    expect(role.rules.filter((r: any) => r.resources.includes('ingresses'))).toEqual([
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    ]);
  });

  test('may create and delete driver PodDisruptionBudgets, never update them', () => {
    // WHEN
    const role = find(synth(), 'Role', 'spark-operator-controller', 'default');
    // THEN
    expect(role.rules.filter((r: any) => r.resources.includes('poddisruptionbudgets'))).toEqual([
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'create', 'delete'] },
    ]);
  });

  test('watching all namespaces grants the Ingress and PodDisruptionBudget rules cluster-wide', () => {
    // WHEN
    const clusterRole = find(synth({ watchAllNamespaces: true }), 'ClusterRole', 'spark-operator-controller');
    // THEN
    expect(clusterRole.rules).toEqual(expect.arrayContaining([
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'create', 'delete'] },
    ]));
  });

  test('binds its job-namespace Role to its service account', () => {
    // WHEN
    const binding = find(synth(), 'RoleBinding', 'spark-operator-controller', 'default');
    // THEN
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spark-operator-controller' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'spark-operator-controller', namespace: 'spark-operator' }]);
  });

  test('may create its Lease and only get and update that one', () => {
    // WHEN
    const role = find(synth(), 'Role', 'spark-operator-controller-leader-election', 'spark-operator');
    // THEN
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['spark-operator-controller-lock'], verbs: ['get', 'update'] },
    ]);
  });

  test('gets no cluster-wide permission unless it watches all namespaces', () => {
    // WHEN
    const objects = synth({ webhook: false });
    // THEN
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('watching all namespaces uses a ClusterRole and the --all-namespaces flag', () => {
    // WHEN
    const objects = synth({ watchAllNamespaces: true });
    // THEN
    expect(containerOf(objects, 'spark-operator-controller').args[1]).toBe('--all-namespaces');
    expect(find(objects, 'ClusterRole', 'spark-operator-controller').rules).toEqual(find(synth(), 'Role', 'spark-operator-controller').rules);
    expect(find(objects, 'ClusterRoleBinding', 'spark-operator-controller').roleRef.kind).toBe('ClusterRole');
    expect(objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'spark-operator-controller')).toEqual([]);
  });

  test('watching all namespaces has no job namespace by default', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const operator = new SparkOperator(chart, 'spark', { watchAllNamespaces: true });
    // THEN
    expect(operator.jobNamespaces).toEqual([]);
    expect(Testing.synth(chart).filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name))
      .toEqual(['spark-operator-controller', 'spark-operator-webhook']);
  });

  test('applies scheduling options to both operator pods', () => {
    // WHEN
    const objects = synth({
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [NodeTaintQuery.is('dedicated', 'platform', { effect: TaintEffect.NO_SCHEDULE })],
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } },
      priorityClassName: 'system-cluster-critical',
    });
    // THEN
    for (const name of ['spark-operator-controller', 'spark-operator-webhook']) {
      const pod = find(objects, 'Deployment', name).spec.template.spec;
      expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'platform', effect: 'NoSchedule' }]);
      expect(pod.affinity).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } });
      expect(pod.priorityClassName).toBe('system-cluster-critical');
    }
  });

  test('pulls the image with the given policy and secrets', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkOperator(chart, 'spark', {
      image: OperatorImage.fromTag('1.2.3'),
      imagePullPolicy: ImagePullPolicy.ALWAYS,
      imagePullSecrets: [Secret.fromSecretName(chart, 'Pull', 'registry-creds')],
    });
    // THEN
    const pod = find(Testing.synth(chart), 'Deployment', 'spark-operator-webhook').spec.template.spec;
    expect(pod.containers[0].image).toBe('cdk8s-spark/cdk8s-spark-operator:1.2.3');
    expect(pod.containers[0].imagePullPolicy).toBe('Always');
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry-creds' }]);
  });
});

describe('job namespaces', () => {
  test('addJobNamespace() after construction reaches the flags, the webhook selector and the RBAC', () => {
    // GIVEN
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'spark', { jobNamespaces: ['a'] });
    // WHEN
    operator.addJobNamespace('b');
    // THEN
    const objects = Testing.synth(chart);
    expect(containerOf(objects, 'spark-operator-controller').args[1]).toBe('--namespaces=a,b');
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      for (const webhook of find(objects, kind, 'spark-operator-webhook').webhooks) {
        expect(webhook.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] });
      }
    }
    expect(find(objects, 'Role', 'spark-operator-controller', 'b')).toBeDefined();
    expect(find(objects, 'RoleBinding', 'spark-operator-controller', 'b')).toBeDefined();
    expect(operator.jobNamespaces).toEqual(['a', 'b']);
  });

  test('each job namespace gets the SparkRbac of drivers', () => {
    // GIVEN
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'spark');
    // WHEN
    const rbac = operator.addJobNamespace('team-a');
    // THEN
    const objects = Testing.synth(chart);
    expect(rbac?.name).toBe('spark');
    expect(operator.driverRbacOf('team-a')).toBe(rbac);
    expect(find(objects, 'ServiceAccount', 'spark', 'team-a').automountServiceAccountToken).toBe(true);
    expect(find(objects, 'Role', 'spark', 'team-a').rules.length).toBeGreaterThan(0);
    expect(find(objects, 'RoleBinding', 'spark', 'team-a').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });

  test('driverServiceAccountName names the drivers\' service account', () => {
    // WHEN
    const objects = synth({ driverServiceAccountName: 'spark-driver' });
    // THEN
    expect(find(objects, 'ServiceAccount', 'spark-driver', 'default')).toBeDefined();
  });

  test('driverRbac: false renders no driver service account', () => {
    // GIVEN
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'spark', { driverRbac: false });
    // WHEN
    const rbac = operator.addJobNamespace('team-a');
    // THEN
    expect(rbac).toBeUndefined();
    expect(Testing.synth(chart).filter((o) => o.metadata.name === 'spark')).toEqual([]);
  });

  test('watching all namespaces still gives listed job namespaces the SparkRbac of drivers, without a controller Role', () => {
    // WHEN
    const objects = synth({ watchAllNamespaces: true, jobNamespaces: ['team-a'] });
    // THEN
    expect(inventory(objects.filter((o) => o.metadata.namespace === 'team-a'))).toEqual([
      'ServiceAccount team-a/spark', 'ServiceAccount team-a/spark-executor', 'Role team-a/spark', 'RoleBinding team-a/spark',
    ]);
  });
});

describe('admission webhook', () => {
  test('runs the webhook sub-command with self-managed TLS flags by default', () => {
    // WHEN
    const container = containerOf(synth(), 'spark-operator-webhook');
    // THEN
    expect(container.args).toEqual([
      'webhook',
      '--port=9443',
      '--tls-mode=self-managed',
      '--tls-secret-name=spark-operator-webhook-certs',
      '--tls-secret-namespace=spark-operator',
      '--service-name=spark-operator-webhook',
      '--service-namespace=spark-operator',
      '--webhook-configuration-name=spark-operator-webhook',
      '--authorize-pod-creation=true',
      '--metrics-port=8080',
      '--metrics-endpoint=/metrics',
      '--health-probe-port=8081',
      '--log-level=info',
      '--protected-service-accounts=spark-operator/spark-operator-controller,spark-operator/spark-operator-webhook',
    ]);
    expect(container.ports[0]).toEqual({ name: 'webhook', containerPort: 9443, protocol: 'TCP' });
  });

  test('its Service listens on 443 and forwards to the webhook port', () => {
    // WHEN
    const service = find(synth({ webhookOptions: { port: 10250 } }), 'Service', 'spark-operator-webhook');
    // THEN
    expect(service.spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 'webhook', protocol: 'TCP' }]);
  });

  test('self-managed TLS may create its Secret and only read and update that one', () => {
    // WHEN
    const role = find(synth(), 'Role', 'spark-operator-webhook', 'spark-operator');
    // THEN
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['spark-operator-webhook-certs'], verbs: ['get', 'update'] },
    ]);
  });

  test('self-managed TLS may write only its own two webhook configurations', () => {
    // WHEN
    const role = find(synth(), 'ClusterRole', 'spark-operator-webhook');
    // THEN
    expect(role.rules).toEqual([{
      apiGroups: ['admissionregistration.k8s.io'],
      resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
      resourceNames: ['spark-operator-webhook'],
      verbs: ['get', 'update'],
    }]);
  });

  test('validates SparkApplication, ScheduledSparkApplication and SparkConnect and defaults the first two only, never pods', () => {
    // WHEN
    const objects = synth();
    // THEN SparkConnect, which has no defaults, is not sent to be mutated (one webhook call less per write)
    for (const [kind, expected] of [
      ['ValidatingWebhookConfiguration', [[['sparkapplications'], ['v1beta2']], [['scheduledsparkapplications'], ['v1beta2']], [['sparkconnects'], ['v1alpha1']]]],
      ['MutatingWebhookConfiguration', [[['sparkapplications'], ['v1beta2']], [['scheduledsparkapplications'], ['v1beta2']]]],
    ] as const) {
      const rules = find(objects, kind, 'spark-operator-webhook').webhooks.flatMap((w: any) => w.rules);
      expect(rules.map((r: any) => [r.resources, r.apiVersions])).toEqual(expected);
      for (const rule of rules) {
        expect(rule).toEqual({ ...rule, apiGroups: ['sparkoperator.k8s.io'], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' });
      }
    }
  });

  test('webhook entries call the Service on their own paths', () => {
    // WHEN
    const webhooks = find(synth(), 'ValidatingWebhookConfiguration', 'spark-operator-webhook').webhooks;
    // THEN
    expect(webhooks.map((w: any) => [w.name, w.clientConfig])).toEqual([
      ['validate-sparkapplication.sparkoperator.k8s.io', { service: { name: 'spark-operator-webhook', namespace: 'spark-operator', port: 443, path: '/validate-sparkoperator-k8s-io-v1beta2-sparkapplication' } }],
      ['validate-scheduledsparkapplication.sparkoperator.k8s.io', { service: { name: 'spark-operator-webhook', namespace: 'spark-operator', port: 443, path: '/validate-sparkoperator-k8s-io-v1beta2-scheduledsparkapplication' } }],
      ['validate-sparkconnect.sparkoperator.k8s.io', { service: { name: 'spark-operator-webhook', namespace: 'spark-operator', port: 443, path: '/validate-sparkoperator-k8s-io-v1alpha1-sparkconnect' } }],
    ]);
  });

  test('by default the mutating webhook ignores failures, the validating one (which checks who may create pods) fails closed; both wait 10 seconds', () => {
    // WHEN
    const objects = synth();
    const mutating = find(objects, 'MutatingWebhookConfiguration', 'spark-operator-webhook').webhooks;
    const validating = find(objects, 'ValidatingWebhookConfiguration', 'spark-operator-webhook').webhooks;
    // THEN
    for (const webhook of mutating) {
      expect(webhook).toMatchObject({ failurePolicy: 'Ignore', timeoutSeconds: 10, sideEffects: 'None', admissionReviewVersions: ['v1'] });
    }
    for (const webhook of validating) {
      expect(webhook).toMatchObject({ failurePolicy: 'Fail', timeoutSeconds: 10, sideEffects: 'None', admissionReviewVersions: ['v1'] });
    }
  });

  test('without the pod-creation check, the validating webhook ignores failures too', () => {
    // WHEN
    const webhooks = find(synth({ webhookOptions: { authorizePodCreation: false } }), 'ValidatingWebhookConfiguration', 'spark-operator-webhook').webhooks;
    // THEN
    expect(webhooks.map((w: any) => w.failurePolicy)).toEqual(['Ignore', 'Ignore', 'Ignore']);
    const container = containerOf(synth({ webhookOptions: { authorizePodCreation: false } }), 'spark-operator-webhook');
    expect(container.args).toContain('--authorize-pod-creation=false');
  });

  test('failure policy and timeout are configurable', () => {
    // WHEN
    const webhooks = find(synth({ webhookOptions: { failurePolicy: WebhookFailurePolicy.FAIL, timeout: Duration.seconds(5) } }),
      'ValidatingWebhookConfiguration', 'spark-operator-webhook').webhooks;
    // THEN
    for (const webhook of webhooks) {
      expect(webhook).toMatchObject({ failurePolicy: 'Fail', timeoutSeconds: 5 });
    }
  });

  test('has no namespace selector when the controller watches all namespaces', () => {
    // WHEN
    const webhooks = find(synth({ watchAllNamespaces: true }), 'ValidatingWebhookConfiguration', 'spark-operator-webhook').webhooks;
    // THEN
    for (const webhook of webhooks) {
      expect(webhook.namespaceSelector).toBeUndefined();
    }
  });

  test('cert-manager TLS renders a self-signed Issuer and a Certificate for the Service', () => {
    // WHEN
    const objects = synth({ webhookOptions: { tls: WebhookTls.certManager() } });
    // THEN
    expect(find(objects, 'Issuer', 'spark-operator-webhook-selfsigned').spec).toEqual({ selfSigned: {} });
    expect(find(objects, 'Certificate', 'spark-operator-webhook').spec).toEqual({
      secretName: 'spark-operator-webhook-certs',
      dnsNames: ['spark-operator-webhook.spark-operator.svc', 'spark-operator-webhook.spark-operator.svc.cluster.local'],
      issuerRef: { name: 'spark-operator-webhook-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
    });
  });

  test('cert-manager TLS asks the CA injector to fill caBundle', () => {
    // WHEN
    const objects = synth({ webhookOptions: { tls: WebhookTls.certManager() } }, { namespace: 'platform' });
    // THEN
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      expect(find(objects, kind, 'spark-operator-webhook').metadata.annotations['cert-manager.io/inject-ca-from']).toBe('platform/spark-operator-webhook');
    }
  });

  test('cert-manager TLS mounts the certificate and gives the webhook no Secret or webhook-configuration rights', () => {
    // WHEN
    const objects = synth({ webhookOptions: { tls: WebhookTls.certManager() } });
    // THEN
    const pod = find(objects, 'Deployment', 'spark-operator-webhook').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.volumes).toContainEqual({ name: 'certs', secret: { secretName: 'spark-operator-webhook-certs', defaultMode: 0o440 } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'certs', mountPath: '/etc/cdk8s-spark/webhook-certs', readOnly: true });
    expect(pod.containers[0].args.slice(1, 4)).toEqual(['--port=9443', '--tls-mode=files', '--tls-cert-dir=/etc/cdk8s-spark/webhook-certs']);
    expect(inventory(objects.filter((o) => /Role/.test(o.kind) && o.metadata.name === 'spark-operator-webhook'))).toEqual([]);
  });

  test('cert-manager TLS with a given issuer renders no Issuer', () => {
    // WHEN
    const objects = synth({
      webhookOptions: {
        tls: WebhookTls.certManager({
          issuerRef: { name: 'corp-ca', kind: CertManagerIssuerKind.CLUSTER_ISSUER },
          duration: Duration.days(30),
          renewBefore: Duration.hours(36),
        }),
      },
    });
    // THEN
    expect(objects.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(find(objects, 'Certificate', 'spark-operator-webhook').spec).toMatchObject({
      issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      duration: '720h',
      renewBefore: '36h',
    });
  });

  test('argoCdIgnoreDifferences() names the caBundle of both webhook configurations', () => {
    // GIVEN
    const operator = new SparkOperator(Testing.chart(), 'spark', { name: 'spark' });
    // WHEN
    const entries = operator.argoCdIgnoreDifferences();
    // THEN
    expect(entries).toEqual([
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: 'spark-webhook', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'spark-webhook', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
    ]);
  });

  test('argoCdIgnoreDifferences() is empty without a webhook', () => {
    // GIVEN
    const operator = new SparkOperator(Testing.chart(), 'spark', { webhook: false });
    // WHEN
    const entries = operator.argoCdIgnoreDifferences();
    // THEN
    expect(entries).toEqual([]);
  });
});

describe('Argo CD', () => {
  function waves(objects: any[]): Record<string, string | undefined> {
    return Object.fromEntries(objects.map((o) => [inventory([o])[0], o.metadata.annotations?.['argocd.argoproj.io/sync-wave']]));
  }

  test('sync waves order CRDs, then RBAC, then workloads, then webhook configurations', () => {
    // WHEN
    const objects = synth({
      createNamespace: true,
      podMonitor: true,
      controller: { replicas: 2 },
      webhookOptions: { tls: WebhookTls.certManager() },
    });
    // THEN
    const expected: Record<string, string> = {
      Namespace: '-3',
      CustomResourceDefinition: '-2',
      ServiceAccount: '-1',
      Role: '-1',
      RoleBinding: '-1',
      ClusterRole: '-1',
      ClusterRoleBinding: '-1',
      Issuer: '-1',
      Certificate: '-1',
      NetworkPolicy: '-1',
      Deployment: '0',
      Service: '0',
      PodDisruptionBudget: '0',
      PodMonitor: '0',
      ValidatingWebhookConfiguration: '1',
      MutatingWebhookConfiguration: '1',
    };
    expect(waves(objects)).toEqual(Object.fromEntries(objects.map((o) => [inventory([o])[0], expected[o.kind]])));
  });

  test('ArgoCdSyncWaves.none() removes every sync-wave annotation', () => {
    // WHEN
    const objects = synth({ createNamespace: true, syncWaves: ArgoCdSyncWaves.none() });
    // THEN
    expect(Object.values(waves(objects)).filter((w) => w !== undefined)).toEqual([]);
  });

  test('ArgoCdSyncWaves.custom() overrides some waves and keeps the others', () => {
    // WHEN
    const objects = synth({ syncWaves: ArgoCdSyncWaves.custom({ crds: -10, webhookConfigurations: 5 }) });
    // THEN
    const w = waves(objects);
    expect(w['CustomResourceDefinition -/sparkapplications.sparkoperator.k8s.io']).toBe('-10');
    expect(w['ValidatingWebhookConfiguration -/spark-operator-webhook']).toBe('5');
    expect(w['Deployment spark-operator/spark-operator-controller']).toBe('0');
  });

  test('CRDs are never pruned or deleted by Argo CD, whatever the waves', () => {
    // WHEN
    const objects = synth({ syncWaves: ArgoCdSyncWaves.none() });
    // THEN
    for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
      expect(crd.metadata.annotations).toEqual({
        'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      });
    }
  });

  test('CRDs get the operator\'s CRD wave and the Argo CD retain options', () => {
    // WHEN
    const objects = synth({ syncWaves: ArgoCdSyncWaves.custom({ crds: -7 }) });
    // THEN
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((crd) => crd.metadata.annotations)).toEqual([0, 1, 2].map(() => ({
      'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298',
      'argocd.argoproj.io/sync-wave': '-7',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    })));
  });

  test('no object carries an Argo CD tracking label or annotation', () => {
    // WHEN
    const text = JSON.stringify(synth());
    // THEN
    expect(text).not.toContain('app.kubernetes.io/instance');
    expect(text).not.toContain('argocd.argoproj.io/tracking-id');
  });
});

describe('network policies', () => {
  const tcp = (port: number) => ({ protocol: 'TCP', port });
  const controllerSelector = { matchLabels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'spark-operator' } };
  const webhookSelector = { matchLabels: { 'app.kubernetes.io/component': 'webhook', 'app.kubernetes.io/name': 'spark-operator' } };

  test('the controller receives metrics scrapes and health probes, and sends only to the API server and DNS', () => {
    // WHEN
    const policy = find(synth(), 'NetworkPolicy', 'spark-operator-controller');
    // THEN
    expect(policy.metadata.namespace).toBe('spark-operator');
    expect(policy.spec).toEqual({
      podSelector: controllerSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [tcp(8080)] }, { ports: [tcp(8081)] }],
      egress: [{ ports: [tcp(443), tcp(6443)] }, { ports: [{ protocol: 'UDP', port: 53 }, tcp(53)] }],
    });
  });

  test('the self-managed webhook receives AdmissionReviews on its port, metrics and health, and sends only to the API server', () => {
    // WHEN
    const policy = find(synth(), 'NetworkPolicy', 'spark-operator-webhook');
    // THEN
    expect(policy.spec).toEqual({
      podSelector: webhookSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [tcp(9443)] }, { ports: [tcp(8080)] }, { ports: [tcp(8081)] }],
      egress: [{ ports: [tcp(443), tcp(6443)] }],
    });
  });

  test('with cert-manager TLS the webhook still sends to the API server only (schemas, SubjectAccessReviews)', () => {
    // WHEN
    const objects = synth({ webhookOptions: { tls: WebhookTls.certManager() } });
    // THEN
    const policy = find(objects, 'NetworkPolicy', 'spark-operator-webhook');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([{ ports: [tcp(443), tcp(6443)] }]);
  });

  test('API tokens are mounted in the pods, never by the ServiceAccounts: both processes call the API server', () => {
    // WHEN
    const tokens = (props: SparkOperatorProps) => synth(props).filter((o) => o.kind === 'Deployment')
      .map((d) => [d.metadata.name, d.spec.template.spec.automountServiceAccountToken]);
    // THEN
    expect(tokens({})).toEqual([['spark-operator-controller', true], ['spark-operator-webhook', true]]);
    expect(tokens({ webhookOptions: { tls: WebhookTls.certManager() } })).toEqual([['spark-operator-controller', true], ['spark-operator-webhook', true]]);
    expect(synth().filter((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'spark-operator')
      .map((o) => [o.metadata.name, o.automountServiceAccountToken])).toEqual([['spark-operator-controller', false], ['spark-operator-webhook', false]]);
  });

  test('the policies follow the configured ports', () => {
    // WHEN
    const objects = synth({ metricsPort: 9090, healthProbePort: 9091, webhookOptions: { port: 10250 } });
    // THEN
    expect(find(objects, 'NetworkPolicy', 'spark-operator-controller').spec.ingress).toEqual([{ ports: [tcp(9090)] }, { ports: [tcp(9091)] }]);
    expect(find(objects, 'NetworkPolicy', 'spark-operator-webhook').spec.ingress).toEqual([{ ports: [tcp(10250)] }, { ports: [tcp(9090)] }, { ports: [tcp(9091)] }]);
  });

  test('networkPolicyOptions narrow the API server to its addresses and ports, and the metrics to Prometheus namespaces', () => {
    // WHEN
    const objects = synth({
      networkPolicyOptions: { apiServerPorts: [6443], apiServerCidrs: ['10.0.0.10/32', 'fd00::10/128'], metricsFromNamespaces: ['monitoring', 'observability'] },
    });
    // THEN
    const apiServer = { ports: [tcp(6443)], to: [{ ipBlock: { cidr: '10.0.0.10/32' } }, { ipBlock: { cidr: 'fd00::10/128' } }] };
    const metrics = {
      ports: [tcp(8080)],
      from: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } },
      ],
    };
    expect(find(objects, 'NetworkPolicy', 'spark-operator-controller').spec).toMatchObject({ ingress: [metrics, { ports: [tcp(8081)] }], egress: [apiServer, expect.anything()] });
    expect(find(objects, 'NetworkPolicy', 'spark-operator-webhook').spec).toMatchObject({ ingress: [{ ports: [tcp(9443)] }, metrics, { ports: [tcp(8081)] }], egress: [apiServer] });
  });

  test('networkPolicies: false renders none; webhook: false renders the controller\'s only', () => {
    // WHEN
    const policies = (props: SparkOperatorProps) => inventory(synth(props).filter((o) => o.kind === 'NetworkPolicy'));
    // THEN
    expect(policies({ networkPolicies: false })).toEqual([]);
    expect(policies({ webhook: false })).toEqual(['NetworkPolicy spark-operator/spark-operator-controller']);
  });

  test.each<[string, SparkOperatorProps, string]>([
    ['options without policies', { networkPolicies: false, networkPolicyOptions: {} },
      "'networkPolicyOptions' cannot be set when 'networkPolicies' is false: remove one of them"],
    ['no API server port', { networkPolicyOptions: { apiServerPorts: [] } },
      "'networkPolicyOptions.apiServerPorts' must list at least one port: the controller cannot work without the API server"],
    ['a bad API server port', { networkPolicyOptions: { apiServerPorts: [443, 70000] } },
      "'networkPolicyOptions.apiServerPorts' must be a port number between 1 and 65535 (got 70000)"],
    ['a bad CIDR', { networkPolicyOptions: { apiServerCidrs: ['10.0.0.10'] } },
      "'networkPolicyOptions.apiServerCidrs' must hold CIDRs such as '10.0.0.10/32' or 'fd00::10/128' (got \"10.0.0.10\")"],
    ['no CIDR', { networkPolicyOptions: { apiServerCidrs: [] } },
      "'networkPolicyOptions.apiServerCidrs' must list at least one CIDR: leave it unset to allow any address"],
    ['no metrics namespace', { networkPolicyOptions: { metricsFromNamespaces: [] } },
      "'networkPolicyOptions.metricsFromNamespaces' must list at least one namespace: leave it unset to allow any source"],
    ['a bad metrics namespace', { networkPolicyOptions: { metricsFromNamespaces: ['Monitoring'] } },
      "'networkPolicyOptions.metricsFromNamespaces' must contain valid namespace names (at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit) (got \"Monitoring\")"],
  ])('rejects %s', (_label, props, message) => {
    expect(() => synth(props)).toThrow(new Error(message));
  });
});

describe('errors', () => {
  test.each<[string, SparkOperatorProps, string]>([
    ['controller replicas < 1', { controller: { replicas: 0 } }, "'controller.replicas' must be an integer >= 1 (got 0)"],
    ['fractional workers', { controller: { workers: 1.5 } }, "'controller.workers' must be an integer from 1 to 1000 (got 1.5)"],
    // The controller's own flag ranges: a value it would refuse at start (a crash loop) fails at synth.
    ['more workers than the controller runs', { controller: { workers: 1001 } }, "'controller.workers' must be an integer from 1 to 1000 (got 1001)"],
    ['more tracked executors than the controller keeps', { controller: { maxTrackedExecutors: 1_000_001 } }, "'controller.maxTrackedExecutors' must be an integer from 1 to 1000000 (got 1000001)"],
    ['a negative API rate', { controller: { kubeApiQps: -1 } }, "'controller.kubeApiQps' must be an integer from 0 to 100000 (got -1)"],
    ['a burst without a rate', { controller: { kubeApiBurst: 30 } }, "'controller.kubeApiBurst' needs a 'controller.kubeApiQps' above 0 (got 30 with no limit)"],
    ['a burst of 0', { controller: { kubeApiQps: 20, kubeApiBurst: 0 } }, "'controller.kubeApiBurst' must be an integer from 1 to 100000 (got 0)"],
    ['webhook replicas < 1', { webhookOptions: { replicas: -1 } }, "'webhookOptions.replicas' must be an integer >= 1 (got -1)"],
    ['an empty ingress URL format', { controller: { uiIngressUrlFormat: '' } },
      "'controller.uiIngressUrlFormat' must be a URL without whitespace, such as '{{$appName}}.spark.example.com' (got \"\")"],
    ['an ingress URL format with whitespace', { controller: { uiIngressUrlFormat: '{{$appName}} .example.com' } },
      "'controller.uiIngressUrlFormat' must be a URL without whitespace, such as '{{$appName}}.spark.example.com' (got \"{{$appName}} .example.com\")"],
    ['an unknown ingress URL placeholder', { controller: { uiIngressUrlFormat: '{{$appName}}.{{$namespace}}.example.com' } },
      "'controller.uiIngressUrlFormat' has an unknown placeholder {{$namespace}}: use {{$appName}}, {{$appNamespace}}, {{$appId}} (got \"{{$appName}}.{{$namespace}}.example.com\")"],
    ['an ingress URL format shared by every application', { controller: { uiIngressUrlFormat: 'spark.example.com/{{$appNamespace}}' } },
      "'controller.uiIngressUrlFormat' must contain {{$appName}} or {{$appId}}, so that applications do not share a URL (got \"spark.example.com/{{$appNamespace}}\")"],
    ['a zero default TTL', { controller: { defaultTimeToLive: Duration.seconds(0) } },
      "'controller.defaultTimeToLive' must be a whole number of seconds >= 1 (got 0s)"],
    ['a fractional default TTL', { controller: { defaultTimeToLive: Duration.millis(1500) } },
      "'controller.defaultTimeToLive' must be a whole number of seconds >= 1 (got 1.5s)"],
    ['a metrics label that is no label key', { controller: { metricsLabels: ['app type'] } },
      "'controller.metricsLabels' must list Kubernetes label keys such as 'app_type' or 'app.kubernetes.io/name', or 'namespace' (got \"app type\")"],
    ['two metrics labels that clash', { controller: { metricsLabels: ['app.type', 'app_type'] } },
      "'controller.metricsLabels' must not list two keys that give the same metrics label 'app_type' (got \"app.type\" and \"app_type\")"],
    ['a metrics prefix with a dash', { controller: { metricsPrefix: 'team-a-' } },
      "'controller.metricsPrefix' must be letters, digits and '_', not starting with a digit, such as 'team_a_' (got \"team-a-\")"],
    ['submit latency buckets out of order', { controller: { metricsSubmitLatencyBuckets: [Duration.seconds(2), Duration.seconds(1)] } },
      "'controller.metricsSubmitLatencyBuckets' must list upper bounds in increasing order (got \"2,1\")"],
    ['no start latency buckets', { controller: { metricsStartLatencyBuckets: [] } },
      "'controller.metricsStartLatencyBuckets' must list at least one upper bound in seconds (got \"\")"],
    ['a start latency bucket below a millisecond', { controller: { metricsStartLatencyBuckets: [Duration.millis(0.5)] } },
      "'controller.metricsStartLatencyBuckets[0]' must be a whole number of milliseconds >= 1 (got 0.5ms)"],
    ['a renew deadline as long as the lease', { controller: { leaderElection: { leaseDuration: Duration.seconds(10) } } },
      "'controller.leaderElection.renewDeadline' (10s) must be shorter than 'controller.leaderElection.leaseDuration' (10s): the leader must stop acting before a standby may take over"],
    ['a retry period too close to the renew deadline', { controller: { leaderElection: { retryPeriod: Duration.seconds(9) } } },
      "'controller.leaderElection.renewDeadline' (10s) must be longer than 1.2 times 'controller.leaderElection.retryPeriod' (9s): the leader needs more than one try to renew before the deadline"],
    ['a fractional lease duration', { controller: { leaderElection: { leaseDuration: Duration.millis(15500) } } },
      "'controller.leaderElection.leaseDuration' must be a whole number of seconds >= 1 (got 15.5s)"],
    ['a bad name', { name: 'Spark_Operator' },
      '\'name\' must be at most 40 characters of lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit (got "Spark_Operator")'],
    ['a name too long', { name: 'a'.repeat(41) },
      `'name' must be at most 40 characters of lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (got "${'a'.repeat(41)}")`],
    ['a bad namespace', { namespace: 'Spark' },
      '\'namespace\' must contain valid namespace names (at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit) (got "Spark")'],
    ['a bad job namespace', { jobNamespaces: ['ok', 'not_ok'] },
      '\'jobNamespaces\' must contain valid namespace names (at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit) (got "not_ok")'],
    ['a job namespace twice', { jobNamespaces: ['a', 'a'] }, 'job namespace "a" was added twice'],
    ['a port out of range', { metricsPort: 70000 }, "'metricsPort' must be a port number between 1 and 65535 (got 70000)"],
    ['the same metrics and health port', { metricsPort: 9000, healthProbePort: 9000 }, "'metricsPort' and 'healthProbePort' must differ (both are 9000)"],
    ['the webhook on the metrics port', { webhookOptions: { port: 8080 } }, "'webhookOptions.port' must differ from 'metricsPort' and 'healthProbePort' (got 8080)"],
    ['a webhook timeout over 30s', { webhookOptions: { timeout: Duration.seconds(45) } },
      "'webhookOptions.timeout' must be a whole number of seconds between 1 and 30 (got 45s)"],
    ['a metrics endpoint without slash', { metricsEndpoint: 'metrics' },
      '\'metricsEndpoint\' must be an absolute URL path such as \'/metrics\' (got "metrics")'],
    ['webhook options with the webhook off', { webhook: false, webhookOptions: { replicas: 2 } },
      "'webhookOptions' cannot be set when 'webhook' is false: remove one of them"],
    ['a driver account name with driver RBAC off', { driverRbac: false, driverServiceAccountName: 'x' },
      "'driverServiceAccountName' cannot be set when 'driverRbac' is false: remove one of them"],
  ])('%s', (_label, props, message) => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new SparkOperator(chart, 'spark', props)).toThrow(new Error(message));
  });

  test('no job namespace at all fails at synth', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SparkOperator(chart, 'spark', { jobNamespaces: [] });
    // THEN
    expect(() => Testing.synth(chart)).toThrow(new Error(
      "Validation failed with the following errors:\n  [test/spark] SparkOperator has no job namespace: set 'jobNamespaces', call addJobNamespace(), or set 'watchAllNamespaces: true'"));
  });

  test('addJobNamespace() with a bad name', () => {
    // GIVEN
    const operator = new SparkOperator(Testing.chart(), 'spark');
    // THEN
    expect(() => operator.addJobNamespace('-bad')).toThrow(new Error(
      '\'jobNamespaces\' must contain valid namespace names (at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit) (got "-bad")'));
  });

  test('driverRbacOf() a namespace that is not a job namespace', () => {
    // GIVEN
    const operator = new SparkOperator(Testing.chart(), 'spark');
    // THEN
    expect(() => operator.driverRbacOf('elsewhere')).toThrow(new Error(
      'no driver RBAC in namespace "elsewhere": it is not a job namespace of this SparkOperator, or \'driverRbac\' is false'));
  });
});

describe('scheduling helpers', () => {
  test('Node.tainted() queries are accepted as tolerations', () => {
    // WHEN
    const objects = synth({ tolerations: [...Node.tainted(NodeTaintQuery.exists('spot')).taintSelector] });
    // THEN
    expect(find(objects, 'Deployment', 'spark-operator-controller').spec.template.spec.tolerations).toEqual([{ key: 'spot', operator: 'Exists' }]);
  });
});

describe('batchSchedulers', () => {
  const podGroupRules = (objects: any[]) => objects
    .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
    .flatMap((o) => o.rules)
    .filter((r: any) => (r.resources ?? []).includes('podgroups'));

  test('none: no batch-scheduler flag and no PodGroup rule', () => {
    const objects = synth();
    expect(containerOf(objects, 'spark-operator-controller').args.filter((a: string) => /batch-scheduler|kube-scheduler/.test(a))).toEqual([]);
    expect(podGroupRules(objects)).toEqual([]);
  });

  test('Volcano and a kube-scheduler: the flags, and PodGroups of exactly their two API groups in each job namespace', () => {
    // GIVEN
    const objects = synth({
      jobNamespaces: ['a', 'b'],
      batchSchedulers: [OperatorBatchScheduler.VOLCANO, OperatorBatchScheduler.YUNIKORN, OperatorBatchScheduler.kubeScheduler('scheduler-plugins-scheduler')],
      defaultBatchScheduler: OperatorBatchScheduler.VOLCANO,
    });
    // THEN
    const args = containerOf(objects, 'spark-operator-controller').args;
    expect(args.filter((a: string) => /batch-scheduler|kube-scheduler/.test(a))).toEqual([
      '--enable-batch-scheduler', '--kube-scheduler-names=scheduler-plugins-scheduler', '--default-batch-scheduler=volcano',
    ]);
    const rule = { apiGroups: ['scheduling.volcano.sh', 'scheduling.x-k8s.io'], resources: ['podgroups'], verbs: ['get', 'create', 'update', 'delete'] };
    expect(podGroupRules(objects)).toEqual([rule, rule]);
  });

  test('YuniKorn alone enables batch scheduling, which accepts Volcano too (as upstream\'s flag): the RBAC covers Volcano\'s PodGroups only', () => {
    const objects = synth({ batchSchedulers: [OperatorBatchScheduler.YUNIKORN] });
    expect(containerOf(objects, 'spark-operator-controller').args).toContain('--enable-batch-scheduler');
    expect(podGroupRules(objects)).toEqual([{ apiGroups: ['scheduling.volcano.sh'], resources: ['podgroups'], verbs: ['get', 'create', 'update', 'delete'] }]);
  });

  test('watching all namespaces, the rule is in the ClusterRole', () => {
    const objects = synth({ watchAllNamespaces: true, batchSchedulers: [OperatorBatchScheduler.VOLCANO] });
    expect(find(objects, 'ClusterRole', 'spark-operator-controller').rules).toContainEqual(
      { apiGroups: ['scheduling.volcano.sh'], resources: ['podgroups'], verbs: ['get', 'create', 'update', 'delete'] });
  });

  test.each([
    [{ batchSchedulers: [OperatorBatchScheduler.VOLCANO, OperatorBatchScheduler.VOLCANO] }, '\'batchSchedulers\' lists "volcano" twice'],
    [{ batchSchedulers: [OperatorBatchScheduler.YUNIKORN], defaultBatchScheduler: OperatorBatchScheduler.VOLCANO },
      '\'defaultBatchScheduler\' must be one of \'batchSchedulers\' (got "volcano"; batchSchedulers: ["yunikorn"])'],
  ])('refuses %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test.each([
    ['volcano', '\'batchSchedulers\' kube-scheduler "volcano" is built into the operator: use OperatorBatchScheduler.VOLCANO'],
    ['Bad_Name', '\'batchSchedulers\' kube-scheduler name must be a scheduler name: a DNS-1123 subdomain (got "Bad_Name")'],
  ])('kubeScheduler(%j) is refused', (name, message) => {
    expect(() => OperatorBatchScheduler.kubeScheduler(name)).toThrow(message);
  });
});
