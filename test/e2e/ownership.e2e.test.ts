/**
 * The controller deletes only what an application owns. Names it derives from user input (the UI
 * Service from the application's name, the PDB from `spec.driver.podName`) may already belong to
 * someone else; such an object is never deleted, never waited for, and the application goes on
 * without it, with a Warning Event that says so.
 */
import { podOutcomeAnnotations } from './harness/kwok-stages';
import { RunningOperator, startController } from './harness/operator';
import { sparkPiSpec } from './harness/spark-pi';
import { e2eCluster, uniqueName } from './harness/suite';
import { waitFor } from './harness/wait';

const cluster = e2eCluster();
const NAMESPACE = uniqueName('ownership-jobs');
const CREATED_BY = 'sparkoperator.k8s.io/created-by-spark-operator';

let operator: RunningOperator;

beforeAll(async () => {
  await cluster.createNamespace(NAMESPACE);
  operator = await startController(cluster, { jobNamespaces: [NAMESPACE], namespace: uniqueName('spark-operator') });
});

afterAll(async () => {
  await operator?.stop();
});

async function uidOf(kind: string, name: string): Promise<string | undefined> {
  const list = await cluster.kubectlJson<any>(['get', kind, '--field-selector', `metadata.name=${name}`, '-n', NAMESPACE]);
  return list.items[0]?.metadata.uid;
}

async function stateOf(name: string): Promise<{ state?: string; submission?: string }> {
  const app = await cluster.kubectlJson<any>(['get', 'sparkapplication', name, '-n', NAMESPACE]);
  return { state: app.status?.applicationState?.state, submission: app.status?.submissionID };
}

test('a PDB and a UI Service named as the application would name its own are left alone, through a run and a rerun', async () => {
  // GIVEN someone else's PodDisruptionBudget named like the driver pod the application asks for, and
  // someone else's Service named like its UI Service (with the operator's label, even)
  await cluster.applyManifests([
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'victim', namespace: NAMESPACE },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'payments' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'greedy-ui-svc', namespace: NAMESPACE, labels: { [CREATED_BY]: 'true' } },
      spec: { selector: { app: 'payments' }, ports: [{ port: 80 }] },
    },
  ]);
  const pdbUid = await uidOf('poddisruptionbudget', 'victim');
  const serviceUid = await uidOf('service', 'greedy-ui-svc');

  // WHEN an application whose driver is called 'victim', with a driver PDB, runs to its end
  const app = {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'greedy', namespace: NAMESPACE },
    spec: sparkPiSpec({ podName: 'victim', annotations: podOutcomeAnnotations('Succeeded', { runFor: '2s' }) }, { driverPodDisruptionBudget: true }),
  };
  await cluster.applyManifests([app]);
  const first = await waitFor('greedy to complete', async () => {
    const status = await stateOf('greedy');
    return status.state === 'COMPLETED' ? status : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });

  // AND its spec changes, so that it runs again (the old run's objects are deleted first)
  await cluster.kubectl(['patch', 'sparkapplication', 'greedy', '-n', NAMESPACE, '--type=merge', '-p', JSON.stringify({ spec: { arguments: ['20'] } })]);
  await waitFor('greedy to complete again', async () => {
    const { state, submission } = await stateOf('greedy');
    return state === 'COMPLETED' && submission !== first.submission ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });

  // THEN both objects are still there, the same objects
  expect(await uidOf('poddisruptionbudget', 'victim')).toBe(pdbUid);
  expect(await uidOf('service', 'greedy-ui-svc')).toBe(serviceUid);
  // AND the application said why it went on without them
  const events = await cluster.kubectlJson<any>(['get', 'events', '-n', NAMESPACE, '--field-selector', 'involvedObject.name=greedy,reason=SparkApplicationNameTaken']);
  const messages = new Set(events.items.map((e: any) => `${e.type} ${e.message}`));
  expect(messages).toEqual(new Set([
    'Warning Service \'greedy-ui-svc\' already exists and does not belong to this application: delete it or rename the application',
    'Warning PodDisruptionBudget \'victim\' already exists and does not belong to this application: delete it or rename the application',
  ]));
});
