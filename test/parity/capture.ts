/**
 * The capture: submit one corpus application with the real spark-submit to a real control plane and
 * read back what it created (driver Pod, its Services and ConfigMaps), normalised (normalise.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { CorpusEntry, paritySubmissionId } from './corpus';
import { Golden } from './golden';
import { KubeObject, normaliseCapture, normaliseRunValues } from './normalise';
import { runSparkSubmit } from './spark-submit';
import { driverPodName, sparkSubmitArgs } from './spark-submit-args';
import { Cluster } from '../e2e/harness/cluster';
import { installSparkCrds } from '../e2e/harness/spark-crds';

/** The namespace every corpus application lives in (spark.kubernetes.namespace, DNS names). */
export const PARITY_NAMESPACE = 'spark-parity';
/** The driver's ServiceAccount in the corpus (`driver.serviceAccount`); pods naming a missing one are refused. */
export const DRIVER_SERVICE_ACCOUNT = 'spark';
/** The identity spark-submit acts as: a ServiceAccount with the built-in `edit` role in the namespace. */
export const SUBMITTER_SERVICE_ACCOUNT = 'spark-submitter';

/** A prepared namespace: where to submit and as whom. */
export interface ParityTarget {
  readonly cluster: Cluster;
  readonly namespace: string;
  /** Kubeconfig of {@link SUBMITTER_SERVICE_ACCOUNT} (a TokenRequest token). */
  readonly kubeconfig: string;
}

/**
 * Installs our CRDs (the applications are created for real, so that the pod templates' owner exists and
 * the garbage collector keeps the driver pod) and makes the namespace with the driver's ServiceAccount
 * and the submitter's ServiceAccount, bound to `edit` (pods, services, configmaps, PVCs: all that
 * spark-submit creates) and, as the upstream operator's own ClusterRole has it, to `update` on the
 * applications' finalizers: the driver pod's owner reference to its application sets
 * blockOwnerDeletion, which the OwnerReferencesPermissionEnforcement admission plugin checks.
 */
export async function prepareParityNamespace(cluster: Cluster, namespace = PARITY_NAMESPACE): Promise<ParityTarget> {
  await installSparkCrds(cluster);
  await cluster.createNamespace(namespace);
  const objects = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DRIVER_SERVICE_ACCOUNT, namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SUBMITTER_SERVICE_ACCOUNT, namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: SUBMITTER_SERVICE_ACCOUNT, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name: SUBMITTER_SERVICE_ACCOUNT, namespace }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${SUBMITTER_SERVICE_ACCOUNT}-owner-references`, namespace },
      rules: [{ apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications/finalizers'], verbs: ['update'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${SUBMITTER_SERVICE_ACCOUNT}-owner-references`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${SUBMITTER_SERVICE_ACCOUNT}-owner-references` },
      subjects: [{ kind: 'ServiceAccount', name: SUBMITTER_SERVICE_ACCOUNT, namespace }],
    },
  ];
  await cluster.applyManifests(objects);
  const kubeconfig = await cluster.kubeconfigFor(namespace, SUBMITTER_SERVICE_ACCOUNT);
  return { cluster, namespace, kubeconfig };
}

/**
 * Submits `entry` with the spark-submit in `sparkHome` and returns its golden: creates the
 * SparkApplication, writes the pod templates where the oracle says, runs spark-submit, reads back
 * the driver pod and everything it owns, normalises, and deletes it all again.
 */
export async function captureApplication(target: ParityTarget, entry: CorpusEntry, sparkHome: string): Promise<Golden> {
  const { cluster } = target;
  const app = entry.app;
  const namespace = app.metadata.namespace as string;
  if (namespace !== target.namespace) {
    throw new Error(`${entry.id}: the corpus puts every application in namespace ${target.namespace} (got ${namespace})`);
  }
  const name = app.metadata.name as string;
  const apiServerPort = Number(new URL(cluster.connection.server).port);
  const created = JSON.parse(await cluster.kubectl(['create', '-f', '-', '-o', 'json'], { input: stringify(app) })) as KubeObject;
  const appUid = created.metadata.uid;
  const submissionId = paritySubmissionId(app);
  const invocation = sparkSubmitArgs(app, { apiServer: cluster.connection.server, submissionId, appUid });
  const templateDir = path.dirname(invocation.driverPodTemplate.path);
  let podName: string | undefined;
  try {
    for (const file of [invocation.driverPodTemplate, invocation.executorPodTemplate]) {
      fs.mkdirSync(path.dirname(file.path), { recursive: true });
      fs.writeFileSync(file.path, stringify(file.template));
    }
    const result = await runSparkSubmit({ sparkHome, args: invocation.args, kubeconfig: target.kubeconfig });
    if (result.exitCode !== 0) {
      throw new Error(`${entry.id}: spark-submit exited with ${result.exitCode}\n${result.stderr.slice(-6000)}`);
    }
    podName = driverPodName(app);
    const pod = await cluster.kubectlJson<KubeObject>(['get', 'pod', podName, '--namespace', namespace]);
    const owned = async (kind: string) => (await cluster.kubectlJson<{ items: KubeObject[] }>(['get', kind, '--namespace', namespace])).items
      .filter((o) => ((o.metadata.ownerReferences ?? []) as Array<{ uid: string }>).some((r) => r.uid === pod.metadata.uid));
    const [services, configMaps] = [await owned('services'), await owned('configmaps')];
    const context = { appUid, apiServerPort };
    return {
      application: entry.id,
      sparkVersion: app.spec.sparkVersion,
      submit: normaliseRunValues(invocation, context),
      ...normaliseCapture({ driverPod: pod, services, configMaps }, context),
    };
  } finally {
    fs.rmSync(templateDir, { recursive: true, force: true });
    await deleteSubmission(cluster, namespace, name, podName);
  }
}

/** Deletes the application and what its submission made, and waits until they are gone. */
async function deleteSubmission(cluster: Cluster, namespace: string, app: string, podName: string | undefined): Promise<void> {
  const selector = `sparkoperator.k8s.io/app-name=${app}`;
  await cluster.kubectl(['delete', 'sparkapplication', app, '--namespace', namespace, '--ignore-not-found', '--wait=true']);
  // Spark labels the driver pod; its Service and ConfigMaps are found through the app id they share.
  const pods = await cluster.kubectlJson<{ items: KubeObject[] }>(['get', 'pods', '--namespace', namespace, '-l', selector]);
  const appIds = pods.items.map((p) => (p.metadata.labels as Record<string, string>)['spark-app-selector']).filter(Boolean);
  const names = [...pods.items.map((p) => `pod/${p.metadata.name}`), ...(podName && pods.items.length === 0 ? [`pod/${podName}`] : [])];
  for (const id of appIds) {
    await cluster.kubectl(['delete', 'services', '--namespace', namespace, '-l', `spark-app-selector=${id}`, '--wait=true']);
  }
  if (names.length > 0) {
    await cluster.kubectl(['delete', ...names, '--namespace', namespace, '--ignore-not-found', '--wait=true']);
  }
  // The ConfigMaps carry no labels; they are owned by the pod and go with it (garbage collector),
  // but a later capture of the same app must not see them: delete those whose owner is gone.
  const cms = await cluster.kubectlJson<{ items: KubeObject[] }>(['get', 'configmaps', '--namespace', namespace]);
  const orphans = cms.items.filter((c) => ((c.metadata.ownerReferences ?? []) as Array<{ name: string }>)
    .some((r) => names.includes(`pod/${r.name}`)));
  if (orphans.length > 0) {
    await cluster.kubectl(['delete', ...orphans.map((c) => `configmap/${c.metadata.name}`), '--namespace', namespace, '--ignore-not-found']);
  }
}
