/**
 * The admission webhook as the runtime bundle serves it, with the arguments and RBAC `SparkOperator`
 * synthesizes, called by the real API server over TLS on loopback: `kubectl apply` of bad objects is
 * refused with field paths, good ones are admitted with upstream's defaults, users who may not
 * create pods are refused, and the operator's own ServiceAccounts are refused by the webhook and,
 * with the webhook off, by the controller.
 */
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { adminKubeConfig } from './harness/client';
import { httpGet } from './harness/http-probe';
import { KubectlError } from './harness/kubectl';
import { RunningOperator, startControllerOf, synthesizeOperator } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';
import { RunningWebhook, startWebhookOf } from './harness/webhook';
import { loadFixtures } from '../util/fixtures';
import { parseExposition, valueOf } from '../util/prometheus';

const cluster = e2eCluster();
const OPERATOR = uniqueName('spark-op');
const OPERATOR_NAMESPACE = uniqueName('spark-operator');
const JOBS = uniqueName('spark-jobs');
const VALIDATING = 'validate-sparkapplication.sparkoperator.k8s.io';
const VALIDATING_SCHEDULED = 'validate-scheduledsparkapplication.sparkoperator.k8s.io';

/** The install of the README, with the operator's own namespace made a job namespace on purpose (to try its accounts). */
const install = synthesizeOperator({
  name: OPERATOR, namespace: OPERATOR_NAMESPACE, jobNamespaces: [JOBS, OPERATOR_NAMESPACE], jobsInOperatorNamespace: true,
});

let webhook: RunningWebhook;

function sparkApplication(name: string, spec: Record<string, unknown> = sparkPiSpec(), namespace = JOBS): any {
  return { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name, namespace }, spec };
}

/** `kubectl apply` of `object` (as `user` when given); resolves with kubectl's error output, or '' when it was applied. */
async function apply(object: unknown, user?: string): Promise<string> {
  try {
    await cluster.kubectl(['apply', '-f', '-', ...user ? [`--as=${user}`] : []], { input: stringify(object) });
    return '';
  } catch (error) {
    if (error instanceof KubectlError) return error.stderr.trim();
    throw error;
  }
}

/** kubectl's words for a refusal by `webhookName`: an invalid object (400) or a forbidden one (403). */
function denied(webhookName: string, kind: 'Invalid' | 'Forbidden', message: string): string {
  const prefix = kind === 'Invalid' ? 'The request is invalid' : 'Error from server (Forbidden)';
  return `${prefix}: error when creating "STDIN": admission webhook "${webhookName}" denied the request: ${message}`;
}

beforeAll(async () => {
  await cluster.createNamespace(JOBS);
  webhook = await startWebhookOf(cluster, install);
  // The API server picks up new webhook configurations within a moment: wait until ours answers.
  await waitFor('the webhook configurations to take effect', async () => (await apply(sparkApplication('probe.name'))).includes(VALIDATING), { timeoutMs: 30_000 });
});

afterAll(async () => {
  await webhook?.stop();
});

describe('validation at kubectl apply', () => {
  test('a name that is no DNS-1035 label is refused with its field path', async () => {
    // WHEN
    const output = await apply(sparkApplication('spark.pi'));

    // THEN
    expect(output).toBe(denied(VALIDATING, 'Invalid', 'SparkApplication "spark.pi" is invalid: \'metadata.name\' must be a DNS-1035 label: at most 63 lower-case letters, '
      + 'digits and \'-\', starting with a letter and ending with a letter or digit (got \'spark.pi\')'));
  });

  test('memory below Spark\'s floor is refused with its field path', async () => {
    // WHEN
    const output = await apply(sparkApplication('low-memory', { ...sparkPiSpec(), driver: { cores: 1, memory: '100m' } }));

    // THEN
    expect(output).toBe(denied(VALIDATING, 'Invalid', 'SparkApplication "low-memory" is invalid: \'spec.driver.memory\' must be at least 450 MiB: '
      + 'Spark reserves 300 MiB of heap and refuses less than 1.5 times that (got \'100m\')'));
  });

  test('a ScheduledSparkApplication in an unknown time zone is refused with its field path', async () => {
    // GIVEN
    const scheduled = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'ScheduledSparkApplication',
      metadata: { name: 'nightly', namespace: JOBS },
      spec: { schedule: '0 2 * * *', timeZone: 'Mars/Olympus', concurrencyPolicy: 'Forbid', template: sparkPiSpec() },
    };

    // WHEN
    const output = await apply(scheduled);

    // THEN
    expect(output).toBe(denied(VALIDATING_SCHEDULED, 'Invalid',
      'ScheduledSparkApplication "nightly" is invalid: \'spec.timeZone\' \'Mars/Olympus\' is invalid: it is not a known IANA time zone'));
  });

  test('a typo in a volume and a bad affinity operator are refused with their field paths, from the cluster\'s own schemas', async () => {
    // GIVEN
    const app = sparkApplication('typos', {
      ...sparkPiSpec(),
      volumes: [{ name: 'data', hostpath: { path: '/data' } }],
      executor: {
        cores: 1,
        memory: '512m',
        instances: 1,
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Inn', values: ['ssd'] }] }] } } },
      },
    });

    // WHEN
    const output = await apply(app);

    // THEN
    expect(output).toBe(denied(VALIDATING, 'Invalid', 'SparkApplication "typos" is invalid: \'spec.volumes[0].hostpath\' unknown field "hostpath"; '
      + '\'spec.executor.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator\' '
      + 'Unsupported value: "Inn": supported values: "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"'));
  });

  test('a bare upstream example is admitted with upstream\'s defaults filled in', async () => {
    // GIVEN upstream's spark-pi without the fields its webhook defaults
    const bare = sparkApplication('bare-pi', {
      type: 'Scala',
      sparkVersion: '3.5.1',
      image: 'apache/spark:3.5.1',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      driver: {},
      executor: { instances: 1 },
    });

    // WHEN
    expect(await apply(bare)).toBe('');

    // THEN
    const stored = await cluster.kubectlJson<any>(['get', 'sparkapplication', 'bare-pi', '-n', JOBS]);
    expect(stored.spec).toMatchObject({
      mode: 'cluster',
      restartPolicy: { type: 'Never' },
      driver: { cores: 1, memory: '1g' },
      executor: { instances: 1, cores: 1, memory: '1g' },
    });
  });
});

describe('SparkConnect at kubectl apply', () => {
  const VALIDATING_CONNECT = 'validate-sparkconnect.sparkoperator.k8s.io';

  function upstreamConnect(name: string): any {
    const [[, doc]] = loadFixtures('valid').filter(([file]) => file.startsWith('spark-connect.yaml'));
    return { ...doc, metadata: { ...doc.metadata, name, namespace: JOBS } };
  }

  test('upstream\'s example is admitted and stored as written (SparkConnect has no defaults)', async () => {
    // GIVEN
    const example = upstreamConnect('connect-example');
    // WHEN
    expect(await apply(example)).toBe('');
    // THEN
    const stored = await cluster.kubectlJson<any>(['get', 'sparkconnect', 'connect-example', '-n', JOBS]);
    expect(stored.spec).toEqual(example.spec);
  });

  test('a SparkConnect without an image is refused with its field path', async () => {
    // GIVEN
    const noImage = { apiVersion: 'sparkoperator.k8s.io/v1alpha1', kind: 'SparkConnect', metadata: { name: 'no-image', namespace: JOBS }, spec: { sparkVersion: '4.0.1', server: {}, executor: {} } };
    // WHEN
    const output = await apply(noImage);
    // THEN
    expect(output).toBe(denied(VALIDATING_CONNECT, 'Invalid', 'SparkConnect "no-image" is invalid: \'spec.image\' is required unless the server template\'s '
      + 'Spark container (\'spark-kubernetes-driver\', else its first) and the executor template\'s \'spark-kubernetes-executor\' container names an image'));
  });
});

describe('authorization', () => {
  beforeAll(async () => {
    // alice may manage SparkApplications in the job namespace but not create pods; bob may do both.
    const role = (name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: JOBS }, rules });
    const binding = (name: string, user: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: JOBS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
    const sparkRule = { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['get', 'list', 'create', 'update', 'patch'] };
    await cluster.applyManifests([
      role('spark-user', [sparkRule]), binding('spark-user', 'alice'),
      role('spark-and-pods', [sparkRule, { apiGroups: [''], resources: ['pods'], verbs: ['create'] }]), binding('spark-and-pods', 'bob'),
    ]);
  });

  test('a user who may create SparkApplications but not pods is refused, with why and how to opt out', async () => {
    // WHEN
    const output = await apply(sparkApplication('alices-pi'), 'alice');

    // THEN
    expect(output).toBe(denied(VALIDATING, 'Forbidden', `SparkApplication "alices-pi" refused: user "alice" may not create pods in namespace "${JOBS}", and the operator `
      + `would create this application's pods from its spec; an administrator can grant "create pods" in "${JOBS}", or turn this check off for the install `
      + '(SparkOperator webhookOptions.authorizePodCreation: false, the webhook flag --authorize-pod-creation=false) where everyone who may create '
      + 'SparkApplications may create pods anyway'));
  });

  test('a user who may create pods is admitted', async () => {
    // WHEN / THEN
    expect(await apply(sparkApplication('bobs-pi'), 'bob')).toBe('');
  });

  test('a driver as the operator\'s own ServiceAccount is refused by the webhook', async () => {
    // GIVEN an application in the operator's namespace (a job namespace here) that names the controller's account
    const app = sparkApplication('takeover', { ...sparkPiSpec(), driver: { cores: 1, memory: '512m', serviceAccount: `${OPERATOR}-controller` } }, OPERATOR_NAMESPACE);

    // WHEN
    const output = await apply(app);

    // THEN
    expect(output).toBe(denied(VALIDATING, 'Forbidden', 'SparkApplication "takeover" is invalid: \'spec.driver.serviceAccount\' must not be the operator\'s own ServiceAccount '
      + `'${OPERATOR_NAMESPACE}/${OPERATOR}-controller': its pods would get the operator's rights; use the drivers' ServiceAccount of the namespace`));
  });
});

describe('as a process', () => {
  test('it is ready, and its metrics count requests by kind and result, and refusals by rule', async () => {
    // GIVEN the requests of the tests above, and one more refusal of each kind
    expect(await apply(sparkApplication('another.bad.name'))).toContain(VALIDATING);
    expect(await apply(sparkApplication('alices-second'), 'alice')).toContain(VALIDATING);

    // WHEN
    const ready = await httpGet(`http://127.0.0.1:${webhook.healthProbePort}/readyz`);
    const series = parseExposition((await httpGet(`http://127.0.0.1:${webhook.metricsPort}/metrics`)).body);

    // THEN
    expect(ready).toMatchObject({ status: 200, body: 'ok\n' });
    expect(valueOf(series, 'webhook_admission_refusals_total', { rule: 'pod-creation-forbidden' })).toBe(2);
    expect(valueOf(series, 'webhook_admission_refusals_total', { rule: 'protected-service-account' })).toBe(1);
    expect(valueOf(series, 'webhook_admission_requests_total', { kind: 'SparkApplication', webhook: 'validate', operation: 'CREATE', result: 'allowed' }))
      .toBeGreaterThanOrEqual(2);
    expect(valueOf(series, 'webhook_admission_requests_total', { kind: 'ScheduledSparkApplication', webhook: 'validate', operation: 'CREATE', result: 'refused' }))
      .toBe(1);
    // alice's two questions: the second came from the cache.
    expect(valueOf(series, 'webhook_authorization_cache_lookups_total', { result: 'hit' })).toBeGreaterThanOrEqual(1);
  });
});

/** The fingerprint of the certificate the webhook presents in a new TLS handshake, verified against its CA. */
function presentedFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: webhook.port, ca: webhook.caBundle }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** Sends `request` (raw HTTP) over TLS to the webhook and returns the status line of its answer. */
function rawStatusLine(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: webhook.port, ca: webhook.caBundle }, () => socket.write(request));
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      if (text.includes('\r\n')) {
        resolve(text.split('\r\n')[0]);
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

describe('hostile clients', () => {
  test('a request line that is no URL path, and a body over the limit, are answered, and the webhook goes on', async () => {
    // WHEN
    const badTarget = await rawStatusLine('POST http://[/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    const tooLarge = await rawStatusLine(`POST ${'/validate-sparkoperator-k8s-io-v1beta2-sparkapplication'} HTTP/1.1\r\nHost: x\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n{`);

    // THEN
    expect(badTarget).toBe('HTTP/1.1 404 Not Found');
    expect(tooLarge).toBe('HTTP/1.1 413 Payload Too Large');
    expect(webhook.process.running).toBe(true);
    expect(await apply(sparkApplication('after-the-hostile-clients'))).toBe('');
  });
});

describe('TLS from files', () => {
  test('a certificate rotated on disk while requests flow: none refused, and new handshakes present the new one', async () => {
    // GIVEN requests flowing through the API server to the webhook (dry runs: admitted, not stored)
    const api = adminKubeConfig().makeApiClient(CustomObjectsApi);
    const outcomes = { admitted: 0, failed: [] as string[] };
    let flowing = true;
    const worker = async (w: number) => {
      for (let i = 0; flowing; i++) {
        try {
          await api.createNamespacedCustomObject({
            group: 'sparkoperator.k8s.io',
            version: 'v1beta2',
            namespace: JOBS,
            plural: 'sparkapplications',
            dryRun: 'All',
            body: sparkApplication(`rotation-${w}-${i}`),
          });
          outcomes.admitted++;
        } catch (error) {
          outcomes.failed.push(String(error).slice(0, 300));
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = await presentedFingerprint();

    // WHEN cert-manager (the kubelet) swaps in a new certificate of the same CA
    const rotated = new X509Certificate(await webhook.rotateCertificate()).fingerprint256;
    await waitFor('the webhook to serve the new certificate', () => webhook.logLines().some((l) => l.msg === 'serving a new certificate'), { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    flowing = false;
    await Promise.all(workers);

    // THEN
    expect(outcomes.failed).toEqual([]);
    expect(outcomes.admitted).toBeGreaterThan(10);
    expect(rotated).not.toBe(before);
    expect(await presentedFingerprint()).toBe(rotated);
  });
});

describe('with the webhook off', () => {
  let controller: RunningOperator | undefined;

  afterAll(async () => {
    await controller?.stop();
  });

  test('the controller refuses to run a driver as the operator\'s own ServiceAccount', async () => {
    // GIVEN the webhook is gone (its configurations deleted) and the controller runs
    await webhook.stop();
    controller = await startControllerOf(cluster, install);
    const app = sparkApplication('takeover', { ...sparkPiSpec(), driver: { cores: 1, memory: '512m', serviceAccount: `${OPERATOR}-webhook` } }, OPERATOR_NAMESPACE);

    // WHEN the application is created past the webhook
    expect(await apply(app)).toBe('');

    // THEN it is FAILED with the field path, and no driver pod exists
    const failed = await waitFor('takeover to be FAILED', async () => {
      const stored = await cluster.kubectlJson<any>(['get', 'sparkapplication', 'takeover', '-n', OPERATOR_NAMESPACE]);
      return stored.status?.applicationState?.state === 'FAILED' ? stored : undefined;
    }, { timeoutMs: 30_000 });
    expect(failed.status.applicationState.errorMessage).toBe('invalid SparkApplication: \'spec.driver.serviceAccount\' must not be the operator\'s own ServiceAccount '
      + `'${OPERATOR_NAMESPACE}/${OPERATOR}-webhook': its pods would get the operator's rights; use the drivers' ServiceAccount of the namespace`);
    const pods = await cluster.kubectlJson<any>(['get', 'pods', '-n', OPERATOR_NAMESPACE]);
    expect(pods.items).toEqual([]);
  });
});
