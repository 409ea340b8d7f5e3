/**
 * Captures what the upstream (Kubeflow) operator creates for its batch-scheduler examples
 * (`spark-pi-volcano.yaml`, `spark-pi-yunikorn.yaml`, `spark-pi-kube-scheduler.yaml`) into
 * `test/fixtures/batch-scheduler/upstream.json`, the golden file `test/runtime/submission/
 * batch-scheduling-upstream.test.ts` compares our submission with.
 *
 * It starts its own control plane, installs upstream's CRDs and the PodGroup CRDs
 * (`batch-crds/build.sh`), runs the upstream operator built from its Go module
 * (`bench/upstream/build.sh`) with `--enable-batch-scheduler --kube-scheduler-names=kube-scheduler`
 * and the parity suite's `spark-submit` (as the benchmark runs it: its webhook off, so the pods
 * carry no `schedulerName`, which upstream's pod webhook would add), applies the three examples and
 * records the PodGroups and the driver pods' labels and annotations, then stops everything.
 *
 *   npx ts-node --transpile-only --project test/e2e/tsconfig.json test/e2e/capture-upstream-batch.ts
 */
import * as path from 'node:path';
import { stringify } from 'yaml';
import { UPSTREAM_SERVICE_ACCOUNT, buildUpstream, installCrdsFrom, prepareUpstreamIdentity, startUpstream, upstreamCrdFiles } from '../../bench/env/upstream';
import { sparkHomes } from '../parity/pyspark';
import { batchCrdsDir, installPodGroupCrds, upstreamExample } from './harness/batch-crds';
import { runCapture, writeGolden } from './harness/capture';
import { startControlPlane } from './harness/control-plane';
import { waitFor } from './harness/wait';

/** The Spark of upstream's examples' image (4.0.x): the parity suite's 4.0 release runs spark-submit. */
const SPARK_VERSION = '4.0.5';
const NAMESPACE = 'batch-capture';
const EXAMPLES = ['spark-pi-volcano.yaml', 'spark-pi-yunikorn.yaml', 'spark-pi-kube-scheduler.yaml'];
const OUT = path.resolve(__dirname, '..', 'fixtures', 'batch-scheduler', 'upstream.json');

/** An object's identity and spec without what the server or the run made up (uids, versions, times). */
function stable(object: any): any {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, managedFields: _mf, generation: _g, ...metadata } = object.metadata;
  const ownerReferences = (metadata.ownerReferences ?? []).map((o: any) => ({ ...o, uid: '<APP_UID>' }));
  const kept = { ...metadata, ...ownerReferences.length ? { ownerReferences } : {} };
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: kept, spec: object.spec };
}

async function main(): Promise<void> {
  const upstream = await buildUpstream();
  const sparkHome = (await sparkHomes([SPARK_VERSION])).get(SPARK_VERSION)!;
  await batchCrdsDir();
  const controlPlane = await startControlPlane({ nodes: 1 });
  let operator: Awaited<ReturnType<typeof startUpstream>> | undefined;
  try {
    const cluster = controlPlane.cluster;
    await installCrdsFrom(cluster, upstreamCrdFiles(upstream));
    await installPodGroupCrds(cluster);
    await cluster.createNamespace(NAMESPACE);
    const kubeconfig = await prepareUpstreamIdentity(cluster);
    const examples = await Promise.all(EXAMPLES.map(async (file) => {
      const app = await upstreamExample(file);
      return { file, app: { ...app, metadata: { ...app.metadata, namespace: NAMESPACE } } as Record<string, any> };
    }));
    const accounts = [...new Set(examples.map((e) => e.app.spec.driver.serviceAccount as string))];
    await cluster.kubectl(['apply', '-f', '-'], {
      input: accounts.map((name) => stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NAMESPACE } })).join('---\n'),
    });
    operator = await startUpstream(cluster, {
      build: upstream,
      kubeconfig,
      namespace: NAMESPACE,
      workers: 3,
      sparkHome,
      logFile: path.join(cluster.connection.runDir, 'upstream-batch.log'),
      extraArgs: ['--enable-batch-scheduler', '--kube-scheduler-names=kube-scheduler'],
    });
    await cluster.kubectl(['apply', '-f', '-'], { input: examples.map((e) => stringify(e.app)).join('---\n') });

    const get = async (resource: string, name: string) => {
      const list = await cluster.kubectlJson<any>(['get', resource, '-n', NAMESPACE, '--field-selector', `metadata.name=${name}`]);
      return list.items[0];
    };
    const drivers: Record<string, any> = {};
    for (const { app } of examples) {
      const name = `${app.metadata.name}-driver`;
      const pod = await waitFor(`the driver of ${app.metadata.name}`, () => get('pods', name), { timeoutMs: 180_000, intervalMs: 1000 });
      const { annotations } = pod.metadata;
      // Made up per run: the submission id and the Spark application id derived from it.
      const labels = Object.fromEntries(Object.entries(pod.metadata.labels as Record<string, string>)
        .map(([k, v]) => [k, k === 'spark-app-selector' || k === 'sparkoperator.k8s.io/submission-id' ? '<generated>' : v]));
      drivers[app.metadata.name] = { labels, annotations: annotations ?? {}, schedulerName: pod.spec.schedulerName ?? null };
    }
    const podGroups = {
      'spark-pi-volcano': stable(await get('podgroups.scheduling.volcano.sh', 'spark-spark-pi-volcano-pg')),
      'spark-pi-kube-scheduler': stable(await get('podgroups.scheduling.x-k8s.io', 'spark-pi-kube-scheduler-pg')),
    };
    const golden = {
      capturedWith: {
        operator: upstream.version,
        flags: ['--enable-batch-scheduler', '--kube-scheduler-names=kube-scheduler'],
        sparkSubmit: SPARK_VERSION,
        kubernetes: controlPlane.connection.kubernetesVersion,
        account: UPSTREAM_SERVICE_ACCOUNT,
        webhook: 'off (the pods carry no schedulerName; upstream\'s pod webhook would set spec.batchScheduler)',
      },
      applications: Object.fromEntries(examples.map(({ file, app }) => [app.metadata.name, { file, spec: app.spec }])),
      podGroups,
      drivers,
    };
    writeGolden(OUT, golden);
  } finally {
    await operator?.stop();
    await controlPlane.stop();
  }
}

runCapture(main);
