import { UID, app, submittedStatus } from './fixtures';
import { LABELS } from '../../../src/api';
import { FoundObject, observe, resourcesToDelete } from '../../../src/runtime/controller/spark-application';

const OTHER_UID = '7d3c2f4e-0000-4000-8000-0000000000ff';
const CURRENT = submittedStatus('RUNNING');
const CURRENT_ID = CURRENT.submissionID!;

/** An object of `name` with `labels`, owned by the object of uid `owner` (none: not owned). */
function object(name: string, labels: Record<string, string>, owner: string | undefined = UID, extra: Partial<FoundObject> = {}): FoundObject {
  return { metadata: { name, labels, ...owner ? { ownerReferences: [{ uid: owner }] } : {} }, ...extra };
}

/** A pod of the application in `role` of the submission `submissionId`. */
function pod(name: string, role: string, submissionId = CURRENT_ID, owner: string | undefined = UID, phase = 'Running'): FoundObject {
  return object(name, { [LABELS.appName]: 'spark-pi', [LABELS.sparkRole]: role, [LABELS.submissionId]: submissionId }, owner, { status: { phase, podIP: '10.0.0.7' } });
}

describe('observe: what of the caches counts for an application', () => {
  test('the driver pod named for the application, labelled and owned by it, is observed with the fields decide reads', () => {
    // GIVEN
    const driver = pod('spark-pi-driver', 'driver');

    // WHEN
    const observed = observe(app(CURRENT), { pods: [driver], driverPod: driver }, { specChanged: false });

    // THEN
    expect(observed.driverPod).toEqual({
      name: 'spark-pi-driver',
      labels: driver.metadata.labels,
      phase: 'Running',
      podIP: '10.0.0.7',
      creationTimestamp: undefined,
      deletionTimestamp: undefined,
      reason: undefined,
      message: undefined,
      conditions: undefined,
      containerStatuses: undefined,
    });
    expect(observed.resourcesRemain).toBe(true);
  });

  test('a pod with the driver name that the application does not own, or that lacks its app-name label, is not its driver', () => {
    const foreign = pod('spark-pi-driver', 'driver', CURRENT_ID, OTHER_UID);
    const unlabelled = object('spark-pi-driver', {}, UID);
    const nothing = { driverPod: undefined, resourcesRemain: false };
    expect(observe(app(CURRENT), { pods: [], driverPod: foreign }, { specChanged: false })).toMatchObject(nothing);
    expect(observe(app(CURRENT), { pods: [], driverPod: unlabelled }, { specChanged: false })).toMatchObject(nothing);
  });

  test('only the executors of the current submission are observed', () => {
    const pods = [pod('exec-1', 'executor'), pod('exec-old', 'executor', 'an-earlier-submission'), pod('spark-pi-driver', 'driver')];
    expect(observe(app(CURRENT), { pods }, { specChanged: false }).executorPods.map((p) => p.name)).toEqual(['exec-1']);
  });

  test('an owned driver pod of an earlier submission, under another name, still counts as remaining', () => {
    const pods = [pod('spark-pi-old-driver', 'driver', 'an-earlier-submission')];
    expect(observe(app(CURRENT), { pods }, { specChanged: false }).resourcesRemain).toBe(true);
    const notOwned = [pod('spark-pi-old-driver', 'driver', 'an-earlier-submission', OTHER_UID)];
    expect(observe(app(CURRENT), { pods: notOwned }, { specChanged: false }).resourcesRemain).toBe(false);
  });

  test('the UI Service gives the UI address when owned; a Service of that name that is not the application\'s is ignored and its name taken', () => {
    const service = object('spark-pi-ui-svc', {}, UID, { spec: { clusterIP: '10.96.0.12', ports: [{ port: 4040 }] } });
    const ours = observe(app(CURRENT), { pods: [], uiService: service }, { specChanged: false });
    expect(ours).toMatchObject({ uiService: { clusterIP: '10.96.0.12', port: 4040 }, resourcesRemain: true });
    expect(ours.uiNamesTaken).toBeUndefined();
    const foreign = object('spark-pi-ui-svc', {}, OTHER_UID, { spec: { clusterIP: '10.96.0.13', ports: [{ port: 4040 }] } });
    expect(observe(app(CURRENT), { pods: [], uiService: foreign }, { specChanged: false }))
      .toMatchObject({ uiService: undefined, resourcesRemain: false, uiNamesTaken: { service: true } });
    expect(observe(app(CURRENT), { pods: [] }, { specChanged: false }).uiNamesTaken).toBeUndefined();
  });

  test('the UI Ingress gives the URL of --ingress-url-format, and only with that flag', () => {
    const ingress = object('spark-pi-ui-ingress', {}, UID);
    const format = '{{$appName}}.ui.example.com';
    expect(observe(app(CURRENT), { pods: [], uiIngress: ingress }, { specChanged: false, ingressUrlFormat: format }).uiIngress)
      .toEqual({ url: 'http://spark-pi.ui.example.com/' });
    expect(observe(app(CURRENT), { pods: [], uiIngress: ingress }, { specChanged: false }))
      .toMatchObject({ uiIngress: undefined, resourcesRemain: true });
  });

  test('specChanged is passed through', () => {
    expect(observe(app(CURRENT), { pods: [] }, { specChanged: true }).specChanged).toBe(true);
  });

  test('labels that are not an object are read as none', () => {
    const junk: FoundObject = { metadata: { name: 'spark-pi-driver', labels: 'junk', ownerReferences: [{ uid: UID }] } };
    expect(observe(app(CURRENT), { pods: [junk], driverPod: junk }, { specChanged: false }))
      .toMatchObject({ driverPod: undefined, executorPods: [], resourcesRemain: false });
  });
});

describe('resourcesToDelete: what deleteResources deletes, if owned', () => {
  test('the driver pods of the caches (any submission), the UI Service at once, the UI Ingress, the driver ingresses by name, then the PDB', () => {
    // GIVEN
    const application = app(CURRENT, { driverIngressOptions: [{ servicePort: 8080, servicePortName: 'http', ingressURLFormat: 'x.example.com' }, { servicePort: 'junk' as any, servicePortName: 'junk' }] });
    const pods = [pod('spark-pi-driver', 'driver'), pod('spark-pi-old-driver', 'driver', 'old'), pod('exec-1', 'executor')];

    // WHEN
    const objects = resourcesToDelete(application, pods);

    // THEN
    expect(objects.map(({ known, ...rest }) => ({ ...rest, known: known !== undefined }))).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'spark-pi-driver', known: true },
      { apiVersion: 'v1', kind: 'Pod', name: 'spark-pi-old-driver', known: true },
      { apiVersion: 'v1', kind: 'Service', name: 'spark-pi-ui-svc', gracePeriodSeconds: 0, known: false },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'spark-pi-ui-ingress', known: false },
      { apiVersion: 'v1', kind: 'Service', name: 'spark-pi-driver-8080', known: false },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'spark-pi-ing-8080', known: false },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: 'spark-pi-driver', known: false },
    ]);
  });

  test.each([
    ['volcano', { apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'PodGroup', name: 'spark-spark-pi-pg' }],
    ['sp-scheduler', { apiVersion: 'scheduling.x-k8s.io/v1alpha1', kind: 'PodGroup', name: 'spark-pi-pg' }],
  ])('with batch scheduler %s, its PodGroup last (the next submission gets its own)', (batchScheduler, podGroup) => {
    const objects = resourcesToDelete(app(CURRENT, { batchScheduler }), [], { enabled: true, kubeSchedulerNames: ['sp-scheduler'] });
    expect(objects[objects.length - 1]).toEqual(podGroup);
  });

  test('no PodGroup for YuniKorn, nor with batch scheduling off', () => {
    expect(resourcesToDelete(app(CURRENT, { batchScheduler: 'yunikorn' }), [], { enabled: true }).map((o) => o.kind)).not.toContain('PodGroup');
    expect(resourcesToDelete(app(CURRENT, { batchScheduler: 'volcano' }), []).map((o) => o.kind)).not.toContain('PodGroup');
  });
});
