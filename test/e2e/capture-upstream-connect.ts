/**
 * Captures what the upstream (Kubeflow) operator creates for a SparkConnect into
 * `test/fixtures/spark-connect/upstream.json`, the golden file `test/runtime/controller/spark-connect/
 * upstream.test.ts` compares our controller's objects with.
 *
 * It starts its own control plane, installs upstream's CRDs, runs the upstream operator built from
 * its Go module (`bench/upstream/build.sh`) as the benchmark runs it (its SparkConnect controller is
 * always on in v2.5.2: `controller start` sets it up with no flag), and creates two SparkConnects:
 * upstream's `examples/sparkconnect/spark-connect.yaml` unchanged (`test/fixtures/valid/
 * spark-connect.yaml`), and `spark-connect-full`, the same with the fields the example leaves out
 * (`image`, `sparkConf`, `hadoopConf`, labels, the server's cores and memory, a named Service of its
 * own type, dynamic allocation). kwok marks the server pods ready; it records the server pods,
 * Services and ConfigMaps as the API server stored them, and the SparkConnects' statuses once
 * `Ready`, then stops everything.
 *
 *   npx ts-node --transpile-only --project test/e2e/tsconfig.json test/e2e/capture-upstream-connect.ts
 *
 * Upstream's controller also writes each executor pod template into `/tmp/spark/` of the machine it
 * runs on (unused there); this script leaves that file as upstream wrote it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { runCapture, writeGolden } from './harness/capture';
import { startControlPlane } from './harness/control-plane';
import { waitFor } from './harness/wait';
import { UPSTREAM_SERVICE_ACCOUNT, buildUpstream, installCrdsFrom, prepareUpstreamIdentity, startUpstream, upstreamCrdFiles } from '../../bench/env/upstream';

const EXAMPLE = path.resolve(__dirname, '..', 'fixtures', 'valid', 'spark-connect.yaml');
const OUT = path.resolve(__dirname, '..', 'fixtures', 'spark-connect', 'upstream.json');

/** The example with every field it leaves out, so that the comparison covers them too. */
function fullVariant(example: Record<string, any>): Record<string, any> {
  return {
    ...example,
    metadata: { ...example.metadata, name: 'spark-connect-full', labels: { 'team': 'analytics', 'app.kubernetes.io/part-of': 'notebooks' } },
    spec: {
      ...example.spec,
      image: 'docker.io/apache/spark:4.0.4',
      sparkConf: {
        'spark.sql.shuffle.partitions': '8',
        'spark.eventLog.enabled': 'false',
        'spark.connect.grpc.maxInboundMessageSize': '268435456',
        'spark.ui.showConsoleProgress': 'false',
      },
      hadoopConf: { 'fs.s3a.path.style.access': 'true', 'spark.hadoop.fs.s3a.fast.upload': 'true' },
      server: {
        ...example.spec.server,
        cores: 1,
        memory: '1g',
        service: {
          metadata: { name: 'notebooks-connect', labels: { exposed: 'internal' }, annotations: { note: 'for notebooks' } },
          spec: { type: 'ClusterIP' },
        },
      },
      dynamicAllocation: { enabled: true, initialExecutors: 1, minExecutors: 0, maxExecutors: 4, shuffleTrackingTimeout: 60000 },
    },
  };
}

/** What the server or the run made up (uids, versions, times) taken out of an object's metadata. */
function stable(object: any): any {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, managedFields: _mf, generation: _g, ...metadata } = object.metadata;
  const ownerReferences = (metadata.ownerReferences ?? []).map((o: any) => ({ ...o, uid: '<CONNECT_UID>' }));
  return { ...object, metadata: { ...metadata, ...ownerReferences.length ? { ownerReferences } : {} } };
}

/** The names and addresses the run made up in a stored pod or Service (its token volume, its cluster IPs). */
function withoutGenerated(object: any): any {
  const text = JSON.stringify(object).replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-<generated>');
  const parsed = JSON.parse(text);
  if (parsed.kind === 'Service') parsed.spec = { ...parsed.spec, clusterIP: '<CLUSTER_IP>', clusterIPs: ['<CLUSTER_IP>'] };
  return parsed;
}

/** The times of a status, which the run made up, as placeholders. */
function stableStatus(status: any): any {
  const time = (value: unknown) => (typeof value === 'string' ? '<TIME>' : value);
  return {
    ...status,
    ...'startTime' in status ? { startTime: time(status.startTime) } : {},
    ...'lastUpdateTime' in status ? { lastUpdateTime: time(status.lastUpdateTime) } : {},
    conditions: (status.conditions ?? []).map((c: any) => ({ ...c, lastTransitionTime: time(c.lastTransitionTime) })),
  };
}

async function main(): Promise<void> {
  const upstream = await buildUpstream();
  const example = parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const namespace: string = example.metadata.namespace;
  const connects = [example, fullVariant(example)];
  const controlPlane = await startControlPlane({ nodes: 1 });
  let operator: Awaited<ReturnType<typeof startUpstream>> | undefined;
  try {
    const cluster = controlPlane.cluster;
    await installCrdsFrom(cluster, upstreamCrdFiles(upstream));
    await cluster.kubectl(['wait', '--for=condition=Established', 'crd/sparkconnects.sparkoperator.k8s.io', '--timeout=60s']);
    const account = example.spec.server.template.spec.serviceAccount as string;
    await cluster.kubectl(['apply', '-f', '-'], { input: stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace } }) });
    const kubeconfig = await prepareUpstreamIdentity(cluster);
    operator = await startUpstream(cluster, {
      build: upstream,
      kubeconfig,
      namespace,
      workers: 3,
      // The SparkConnect controller runs no spark-submit: the server pod starts Spark itself.
      sparkHome: path.join(cluster.connection.runDir, 'no-spark-home'),
      logFile: path.join(cluster.connection.runDir, 'upstream-connect.log'),
    });
    await cluster.kubectl(['create', '-f', '-'], { input: connects.map((c) => stringify(c)).join('---\n') });

    const get = async (resource: string, name: string) => {
      const list = await cluster.kubectlJson<any>(['get', resource, '-n', namespace, '--field-selector', `metadata.name=${name}`]);
      return list.items[0];
    };
    const captured: Record<string, unknown> = {};
    for (const connect of connects) {
      const name: string = connect.metadata.name;
      const ready = await waitFor(`${name} Ready`, async () => {
        const stored = await get('sparkconnects.sparkoperator.k8s.io', name);
        return stored?.status?.state === 'Ready' ? stored : undefined;
      }, { timeoutMs: 120_000, intervalMs: 1000 });
      const pod = await get('pods', `${name}-server`);
      const serviceName = connect.spec.server.service?.metadata?.name ?? `${name}-server`;
      captured[name] = {
        spark: { metadata: { name, namespace, ...connect.metadata.labels ? { labels: connect.metadata.labels } : {} }, spec: connect.spec },
        status: stableStatus(ready.status),
        serverPod: {
          ...withoutGenerated(stable(pod)),
          status: {
            phase: pod.status.phase,
            podIP: pod.status.podIP,
            conditions: pod.status.conditions?.map((c: any) => ({ type: c.type, status: c.status })),
          },
        },
        service: withoutGenerated({ ...stable(await get('services', serviceName)), status: undefined }),
        configMap: stable(await get('configmaps', `${name}-conf`)),
      };
    }
    const golden = {
      capturedWith: {
        operator: upstream.version,
        command: 'controller start (the chart\'s default flags, as bench/env/upstream.ts runs it)',
        kubernetes: controlPlane.connection.kubernetesVersion,
        account: UPSTREAM_SERVICE_ACCOUNT,
        master: `k8s://${controlPlane.connection.server}`,
        webhook: 'off (upstream registers none for SparkConnect)',
      },
      connects: captured,
    };
    writeGolden(OUT, golden);
  } finally {
    await operator?.stop();
    await controlPlane.stop();
  }
}

runCapture(main);
