/**
 * The ceiling's work for one application: exactly the objects our controller creates at submission
 * (the driver Pod, then its ConfigMap and headless Service owned by it, and beside them the UI
 * Service, from the same pure builders) and one status write (the SUBMITTED status `decide()`
 * gives), over the runtime's own REST client. No informer, no queue, no Events: the least any
 * submitter of these objects must do. It waits for each application's objects before the next, as
 * a plain client does; ours does not wait for the UI Service (`docs/controller.md`).
 */
import { SparkApplication } from '../../src/api';
import { applyDefaults } from '../../src/core';
import { RestClient } from '../../src/kube/rest';
import { DecideOptions, decide } from '../../src/runtime/controller/spark-application';
import { uiService } from '../../src/runtime/controller/spark-application/operator-objects';
import { KubeObject } from '../../src/runtime/kube/informer';
import { createOrAdopt } from '../../src/runtime/kube/objects';
import { SPARK_APPLICATIONS } from '../../src/runtime/kube/resources';
import { writeStatus } from '../../src/runtime/kube/status';
import { DEFAULT_SPARK_MASTER, buildSubmission, ownedByDriverPod } from '../../src/runtime/submission';

/** The options our controller decides with by default (its flags' defaults). */
export const CEILING_DECIDE_OPTIONS: DecideOptions = {
  driverPodCreationGracePeriodSeconds: 10,
  driverPendingTimeoutSeconds: 900,
  maxTrackedExecutors: 1000,
  uiIngress: false,
};

/** Submits one stored application as our controller would, and writes its SUBMITTED status. */
export async function submitLikeOurs(rest: RestClient, app: SparkApplication & KubeObject): Promise<void> {
  const now = new Date();
  const decision = decide(app, { executorPods: [], resourcesRemain: false }, now, CEILING_DECIDE_OPTIONS);
  const submit = decision.actions.find((a) => a.type === 'submit') as { submissionId: string } | undefined;
  if (!submit) throw new Error(`${app.metadata.name}: decide() did not submit (${decision.status.applicationState?.errorMessage ?? 'no reason'})`);
  const built = buildSubmission({ ...app, spec: applyDefaults(app.spec) }, { submissionId: submit.submissionId, now, master: DEFAULT_SPARK_MASTER });
  if (!built.submission) throw new Error(`${app.metadata.name}: the builders refused it`);
  const { driverPod, configMap, service } = built.submission;
  const submitAndWrite = async () => {
    const pod = await createOrAdopt(rest, driverPod as unknown as KubeObject);
    await createOrAdopt(rest, ownedByDriverPod(configMap, pod) as unknown as KubeObject);
    await createOrAdopt(rest, ownedByDriverPod(service, pod) as unknown as KubeObject);
    await writeStatus(rest, SPARK_APPLICATIONS, app, decision.status);
  };
  // The UI Service needs nothing of the driver (the application owns it): sent beside the pod.
  await Promise.all([createOrAdopt(rest, uiService(app) as unknown as KubeObject), submitAndWrite()]);
}
