import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { KubeObject } from './harness/apply';
import { e2eCluster } from './harness/suite';

const cluster = e2eCluster();
const REPO = path.join(__dirname, '..', '..');
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** Runs the example app exactly as `npm run synth` does, into a fresh folder, and reads every object. */
function synthesizeExamples(): KubeObject[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-examples-'));
  try {
    const result = spawnSync('npx', ['ts-node', '--project', 'examples/tsconfig.json', 'examples/main.ts'], {
      cwd: REPO, env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`synth of examples/main.ts failed: ${result.stderr}`);
    return fs.readdirSync(outdir).sort().flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS() as KubeObject));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The objects in the groups Argo CD syncs them in: by sync wave, and within a wave Namespaces,
 * then CRDs, then the rest (a custom resource needs its CRD Established first).
 */
function syncGroups(objects: KubeObject[]): KubeObject[][] {
  const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
  const wave = (o: KubeObject) => Number((o.metadata?.annotations as Record<string, string> | undefined)?.[SYNC_WAVE] ?? 0);
  const groups = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const key = `${String(wave(o) + 1000).padStart(6, '0')}-${rank(o)}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.keys()].sort().map((k) => groups.get(k)!);
}

function yamlOf(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

/** kubectl apply (client-side, as a GitOps user without server-side apply would) of one group. */
async function applyGroup(group: KubeObject[], dryRun: boolean): Promise<string> {
  const out = await cluster.kubectl(['apply', '-f', '-', ...(dryRun ? ['--dry-run=server'] : [])], { input: yamlOf(group) });
  const crds = group.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => `crd/${o.metadata!.name}`);
  if (!dryRun && crds.length > 0) {
    await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...crds]);
  }
  return out;
}

let objects: KubeObject[];

beforeAll(async () => {
  objects = synthesizeExamples();
}, 120_000);

// No webhook serves in this cluster (the runtime is not built yet): once the example's webhook
// configurations exist, a create or update of a SparkApplication in a job namespace would make the
// API server dial the webhook Service's cluster IP, an address that routes nowhere here. The tests
// below never write there after that point; removing the configurations keeps later test files safe.
afterAll(async () => {
  const webhookConfigurations = objects.filter((o) => o.kind.endsWith('WebhookConfiguration'));
  for (const o of webhookConfigurations) {
    await cluster.kubectl(['delete', o.kind.toLowerCase(), o.metadata!.name!, '--ignore-not-found']);
  }
}, 60_000);

describe('the example app on a real control plane', () => {
  test('every manifest passes a server-side dry run and is then applied, in sync-wave order', async () => {
    // GIVEN
    expect(objects.length).toBeGreaterThan(0);
    // WHEN
    const applied: string[] = [];
    for (const group of syncGroups(objects)) {
      await applyGroup(group, true);
      applied.push(...(await applyGroup(group, false)).trim().split('\n'));
    }
    // THEN every object is reported as created or configured
    expect(applied).toHaveLength(objects.length);
    expect(applied.filter((line) => !/ (created|configured|unchanged)$/.test(line))).toEqual([]);
  }, 240_000);

  test('applying the same YAML again changes nothing', async () => {
    // WHEN
    const lines: string[] = [];
    for (const group of syncGroups(objects)) {
      lines.push(...(await applyGroup(group, false)).trim().split('\n'));
    }
    // THEN
    expect(lines.filter((line) => !line.endsWith(' unchanged'))).toEqual([]);
  }, 240_000);

  test('the API server accepts the operators\' NetworkPolicies and stores them as rendered', async () => {
    // GIVEN the NetworkPolicies of both example operators (applied by the first test)
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((o) => `${o.metadata!.namespace}/${o.metadata!.name}`).sort()).toEqual([
      'spark-operator/spark-operator-controller', 'spark-operator/spark-operator-webhook',
      'spark-platform/spark-platform-controller', 'spark-platform/spark-platform-webhook',
    ]);
    for (const policy of policies) {
      // WHEN
      const stored = await cluster.kubectlJson<any>(['get', 'networkpolicy', policy.metadata!.name!, '-n', policy.metadata!.namespace!]);
      // THEN nothing was dropped or defaulted: Argo CD sees no difference
      expect(stored.spec).toEqual((policy as any).spec);
    }
  });

  test('the operator pods are admitted in their namespace, which enforces Pod Security "restricted"', async () => {
    // GIVEN the operator's namespace and Deployments from the example
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) {
      const namespace = deployment.metadata!.namespace!;
      const ns = await cluster.kubectlJson<any>(['get', 'namespace', namespace]);
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');

      // WHEN the Deployment controller creates its pods, PodSecurity admission judges each one
      // THEN they are admitted, scheduled to a (kwok) node and become available
      await cluster.kubectl(['rollout', 'status', `deployment/${deployment.metadata!.name}`, '-n', namespace, '--timeout=90s'],
        { timeoutMs: 120_000 });
      const pods = await cluster.kubectlJson<any>(['get', 'pods', '-n', namespace, '-l',
        Object.entries((deployment as any).spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',')]);
      expect(pods.items.length).toBe((deployment as any).spec.replicas ?? 1);
      expect(pods.items.every((p: any) => p.status.phase === 'Running')).toBe(true);
    }
  }, 300_000);

  describe('running with exactly the permissions the constructs grant (TokenRequest)', () => {
    /** `kubectl auth can-i <verb> <resource> -n <namespace>` as `account`: true or false. */
    async function can(account: string, verb: string, resource: string, namespace: string, subresource?: string): Promise<boolean> {
      try {
        const sub = subresource ? [`--subresource=${subresource}`] : [];
        await cluster.kubectl(['auth', 'can-i', verb, resource, '-n', namespace, ...sub], { kubeconfig: account });
        return true;
      } catch {
        return false; // can-i exits 1 with "no"
      }
    }

    test('the drivers\' SparkRbac in spark-jobs manages pods, services, ConfigMaps and claims there, and nothing else', async () => {
      // GIVEN the driver service account that SparkOperator rendered for the job namespace
      const driver = await cluster.kubeconfigFor('spark-jobs', 'spark');
      // THEN
      for (const resource of ['pods', 'services', 'configmaps', 'persistentvolumeclaims']) {
        expect(await can(driver, 'create', resource, 'spark-jobs')).toBe(true);
        expect(await can(driver, 'deletecollection', resource, 'spark-jobs')).toBe(true);
      }
      expect(await can(driver, 'get', 'secrets', 'spark-jobs')).toBe(false);
      expect(await can(driver, 'create', 'pods', 'default')).toBe(false);
      expect(await can(driver, 'create', 'roles.rbac.authorization.k8s.io', 'spark-jobs')).toBe(false);
    });

    test('the executors\' account in spark-jobs may do nothing with the API, and mounts no token', async () => {
      // GIVEN
      const executor = await cluster.kubeconfigFor('spark-jobs', 'spark-executor');
      // THEN
      for (const resource of ['pods', 'services', 'configmaps', 'persistentvolumeclaims', 'secrets']) {
        expect(await can(executor, 'get', resource, 'spark-jobs')).toBe(false);
      }
      const account = await cluster.kubectlJson<any>(['get', 'serviceaccount', 'spark-executor', '-n', 'spark-jobs']);
      expect(account.automountServiceAccountToken).toBe(false);
    });

    test('the controller runs Spark in its job namespaces only, and reads no secrets', async () => {
      // GIVEN the controller's service account, from the example's controller Deployment
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata!.namespace === 'spark-operator'
        && (o as any).spec.template.spec.containers[0].args[0] === 'controller') as any;
      const controller = await cluster.kubeconfigFor('spark-operator', deployment.spec.template.spec.serviceAccountName);
      // THEN
      expect(await can(controller, 'create', 'pods', 'spark-jobs')).toBe(true);
      expect(await can(controller, 'update', 'sparkapplications.sparkoperator.k8s.io', 'spark-jobs', 'status')).toBe(true);
      expect(await can(controller, 'update', 'sparkapplications.sparkoperator.k8s.io', 'spark-jobs')).toBe(false);
      expect(await can(controller, 'create', 'events', 'spark-jobs')).toBe(true);
      expect(await can(controller, 'get', 'secrets', 'spark-jobs')).toBe(false);
      expect(await can(controller, 'create', 'pods', 'default')).toBe(false);
      expect(await can(controller, 'list', 'sparkapplications.sparkoperator.k8s.io', 'team-ml')).toBe(false);
    });
  });
});
