/**
 * The native submission: from a SparkApplication and a submission id, the objects Spark's
 * cluster-mode `spark-submit` would create for it, with upstream's webhook patches already in
 * the pods. Pure: no I/O, no clock but the one passed in, no randomness.
 *
 * 1. `submit-conf.ts`: the spec as the `spark-submit` call upstream makes (its Spark configuration)
 * 2. `driver/`: Spark's driver feature steps over that configuration (pod, Service, properties)
 * 3. `upstream-pod-mutations.ts`: upstream's pod webhook, into the driver pod and the executor template
 * 4. `batch-scheduling.ts`: the batch scheduler's PodGroup, labels, annotations and scheduler name
 * 5. `config-map.ts`: `spark.properties` (and the executor template) in the driver ConfigMap
 *
 * What the native submission cannot do is refused before, by the shared rules
 * (`validateSparkApplication`, `core/validation/native-submission.ts`).
 *
 * The controller creates the PodGroup (if any), then the driver pod, then the ConfigMap and the Service, each passed through
 * {@link ownedByDriverPod} with the created pod.
 */
import { BatchSchedulingPlan, PodGroup, planBatchScheduling, withMarks } from './batch-scheduling';
import { CONFIG_MAP_MAX_BYTES, configMapDataBytes, driverConfigMap } from './config-map';
import { BATCH_SCHEDULING_OFF, Problem, batchSchedulerOf, isBatchSchedulerProblem, validateSparkApplication } from '../../core';
import { driverConf } from './driver/driver-conf';
import { sparkDriver } from './driver/driver-pod';
import { executorPodTemplate, podTemplateFile } from './executor-template';
import { ConfigMap, Pod, PodTemplate, Service } from './kube-objects';
import { planMonitoring } from './monitoring';
import { SubmissionOptions } from './options';
import { applicationOwnerReference, withOwner } from './owner-references';
import { sparkSubmitCall } from './submit-conf';
import { applyWebhookPatches } from './upstream-pod-mutations';
import { SparkApplication } from '../../api';
import { typeProblems } from '../../crds/structural-check';

/** Everything one submission creates, and how it was derived. */
export interface Submission {
  /** Created first; owned by the SparkApplication (when it has a uid). */
  readonly driverPod: Pod;
  /** `spark.properties`, the executor template (and monitoring files); give it {@link ownedByDriverPod} before creating it. */
  readonly configMap: ConfigMap;
  /** The headless driver Service; give it {@link ownedByDriverPod} before creating it. */
  readonly service: Service;
  /** The executor pod template, as also stored in {@link configMap}. */
  readonly executorPodTemplate: PodTemplate;
  /** The entries of `spark.properties`, in insertion order (the file is in Java's hash order). */
  readonly sparkProperties: Readonly<Record<string, string>>;
  /** Stage 1 alone: the Spark configuration upstream would pass to `spark-submit` (for parity checks). */
  readonly submitConf: Readonly<Record<string, string>>;
  /** `spark.app.id` and the `spark-app-selector` label. */
  readonly sparkApplicationId: string;
  /** The batch scheduler's PodGroup (Volcano, a kube-scheduler), created before the driver pod, owned by the application. */
  readonly podGroup?: PodGroup;
}

/** Either a submission, or why there is none. */
export type SubmissionResult =
  | { readonly submission: Submission; readonly problems: readonly [] }
  | { readonly submission?: undefined; readonly problems: readonly Problem[] };

/**
 * The objects of `app`'s submission `options.submissionId`. `app` should have upstream's defaults
 * applied (`applyDefaults`), as upstream's webhook applies them before its controller submits; a
 * spec without them gets Spark's own defaults (1 core, `1g`), as `spark-submit` would.
 *
 * Returns the problems instead when the application is invalid (`validateSparkApplication`, which
 * also refuses what the native submission cannot do).
 */
export function buildSubmission(app: SparkApplication, options: SubmissionOptions): SubmissionResult {
  // Types first: the rules and the builders below read fields as the CRD's schema types them.
  const mistyped = typeProblems(app);
  if (mistyped.length > 0) return { problems: mistyped };
  const invalid = validateSparkApplication(app);
  if (invalid.length > 0) return { problems: invalid };
  const monitoring = planMonitoring(app);
  const call = sparkSubmitCall(app, options, monitoring);
  const choice = batchSchedulerOf(app.spec, options.batchScheduling ?? BATCH_SCHEDULING_OFF);
  if (isBatchSchedulerProblem(choice)) return { problems: [choice] };
  const batch: BatchSchedulingPlan = planBatchScheduling(app, call, choice);

  const conf = driverConf(app, call, options);
  const driver = sparkDriver(conf);
  const driverPod = withOwner(withMarks({
    ...driver.pod,
    spec: applyWebhookPatches(driver.pod.spec, driver.containerName, { app, role: 'driver', configMapName: conf.configMapName, monitoring }),
  }, batch.driver), applicationOwnerReference(app, true));
  const template = withMarks(executorPodTemplate(app, conf.configMapName, monitoring), batch.executor);
  const configMap = driverConfigMap(conf, driver.properties, options.now, podTemplateFile(template), monitoring?.configMapData ?? {});
  const bytes = configMapDataBytes(configMap);
  if (bytes > CONFIG_MAP_MAX_BYTES) {
    return { problems: [{ path: 'spec', message: `makes a driver ConfigMap of ${bytes} bytes (spark.properties and the executor pod template), over Kubernetes' limit of ${CONFIG_MAP_MAX_BYTES}` }] };
  }
  return {
    submission: {
      driverPod,
      configMap,
      service: driver.service,
      executorPodTemplate: template,
      sparkProperties: driver.properties,
      submitConf: call.conf.toRecord(),
      sparkApplicationId: conf.appId,
      ...batch.podGroup ? { podGroup: batch.podGroup } : {},
    },
    problems: [],
  };
}
