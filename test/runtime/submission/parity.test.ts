/**
 * The builders against what the real spark-submit created (test/parity: the upstream operator's
 * spark-submit call, captured from a real API server and normalised). Per corpus application the
 * driver pod, the Service, spark.properties and the executor template must equal the golden file's,
 * once the differences of docs/submission.md ("Intentional differences") are taken out here, each
 * with its reason. Spark-submit ran without upstream's pod webhook, so the webhook's patches
 * (built into our pods) are taken out of ours.
 */
import { parse } from 'yaml';
import { SparkApplication } from '../../../src/api';
import { defaultSparkLocalDir, sparkApplicationId, submissionResourceId } from '../../../src/core';
import { ConfigMap, Pod, PodTemplate, Service, buildSubmission, ownedByDriverPod } from '../../../src/runtime/submission';
import { loadCorpus, paritySubmissionId } from '../../parity/corpus';
import { Golden, readGolden } from '../../parity/golden';
import { mapStrings } from '../../parity/normalise';
import { parseProperties } from '../../parity/properties';

type Json = any;

/** Our objects with the capture's placeholders for the values a capture cannot fix. */
function placeholders<T>(value: T, submissionId: string): T {
  const resourceId = submissionResourceId(submissionId);
  const localDir = defaultSparkLocalDir(submissionId).slice('/var/data/spark-'.length);
  return mapStrings(value, (s) => s
    .split(sparkApplicationId(submissionId)).join('<APP_ID>')
    .split(`spark-drv-${resourceId}-`).join('spark-drv-<CONF_MAP_ID>-')
    .split(`-${resourceId}-`).join('-<RESOURCE_ID>-')
    .split(localDir).join('<LOCAL_DIR_UUID>')
    .replace(/^\d{13}$/, '<SUBMIT_TIME>')
    .replace(/^(spark\.app\.submitTime=)\d+$/m, '$1<SUBMIT_TIME>'));
}

/** Lists Spark fills from hash maps (their order has no meaning), sorted by name in both. */
function sortHashOrdered(pod: Json): Json {
  const byName = (a: Json, b: Json) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const copy = JSON.parse(JSON.stringify(pod));
  copy.spec.volumes?.sort(byName);
  for (const c of copy.spec.containers) {
    c.env?.sort(byName);
    c.volumeMounts?.sort(byName);
    for (const e of c.env ?? []) if (e.name === 'SPARK_LOCAL_DIRS') e.value = e.value.split(',').sort().join(',');
  }
  return copy;
}

/** Our pod or template without what upstream's pod webhook would add (spark-submit ran without it). */
function withoutWebhookPatches(pod: Json, app: SparkApplication, role: 'driver' | 'executor'): Json {
  const copy = JSON.parse(JSON.stringify(pod));
  const roleSpec = app.spec[role] ?? {};
  const webhookVolumes = new Set([
    ...(roleSpec.volumeMounts ?? []).filter((m) => !m.name.startsWith('spark-local-dir-')).map((m) => m.name),
    `${app.metadata.name}-prom-conf-vol`,
  ]);
  delete copy.spec.enableServiceLinks; // ours: no Service environment variables
  copy.spec.volumes = copy.spec.volumes?.filter((v: Json) => !webhookVolumes.has(v.name));
  if (copy.spec.volumes?.length === 0) delete copy.spec.volumes;
  for (const c of copy.spec.containers) {
    c.volumeMounts = c.volumeMounts?.filter((m: Json) => !webhookVolumes.has(m.name));
    if (c.volumeMounts?.length === 0) delete c.volumeMounts;
    c.ports = c.ports?.filter((p: Json) => p.name !== (app.spec.monitoring?.prometheus?.portName ?? 'jmx-exporter'));
    if (c.ports?.length === 0) delete c.ports;
  }
  return copy;
}

/** The golden file with the differences we make on purpose applied. */
interface Expected {
  readonly driverPod: Json;
  readonly service: Json;
  readonly properties: Record<string, string>;
  readonly executorTemplate: Json;
  readonly namespaceKey: string;
}

function goldenAsOurs(golden: Golden): Expected {
  const driverPod = JSON.parse(JSON.stringify(golden.driverPod));
  for (const volume of driverPod.spec.volumes ?? []) {
    // ours: the executor template is a key of the driver ConfigMap, not a ConfigMap of its own
    if (volume.name === 'pod-template-volume') volume.configMap.name = 'spark-drv-<CONF_MAP_ID>-conf-map';
  }
  for (const c of driverPod.spec.containers) {
    // the API server writes resources: {} into every container; we do not
    if (JSON.stringify(c.resources) === '{}') delete c.resources;
  }
  // ours: no driver template file (upstream names a path on the operator's disk)
  const properties = { ...golden.sparkProperties };
  delete properties['spark.kubernetes.driver.podTemplateFile'];
  delete properties['spark.kubernetes.driver.podTemplateContainerName'];
  const [service] = golden.services;
  const podspec = golden.configMaps.find((c: Json) => c.data['podspec-configmap-key'] !== undefined) as Json;
  const driverConf = golden.configMaps.find((c: Json) => c.data['spark.properties'] !== undefined) as Json;
  const executorTemplate = parse(podspec.data['podspec-configmap-key']);
  // ours: the application's reference on executors does not block its deletion (the driver creates
  // executors, and its role has no update on sparkapplications/finalizers; docs/submission.md)
  for (const owner of executorTemplate.metadata?.ownerReferences ?? []) {
    if (owner.kind === 'SparkApplication' && !owner.controller) delete owner.blockOwnerDeletion;
  }
  // ours: the template always has the Spark container, named, for the webhook's patches to go into
  if (!executorTemplate.spec.containers?.some((c: Json) => c.name === 'spark-kubernetes-executor')) {
    executorTemplate.spec.containers = [{ name: 'spark-kubernetes-executor' }, ...executorTemplate.spec.containers ?? []];
  }
  return { driverPod, service, properties, executorTemplate, namespaceKey: driverConf.data['spark.kubernetes.namespace'] };
}

const corpus = loadCorpus();
// Validation keeps driver pod names within 63 characters (the pods' hostnames); spark-submit
// accepted the 67-character ones of these two corpus applications.
const REFUSED = ['long-name', 'long-name-v4'];

describe.each(corpus.filter((e) => !REFUSED.includes(e.id)).map((e) => [e.id, e.app] as const))('parity with spark-submit: %s', (id, corpusApp) => {
  const app: SparkApplication = { ...corpusApp, metadata: { ...corpusApp.metadata, uid: '<APP_UID>' } };
  const submissionId = paritySubmissionId(corpusApp);
  const result = buildSubmission(app, { submissionId, now: new Date('2026-08-18T10:00:00Z'), master: 'k8s://https://127.0.0.1:<APISERVER_PORT>' });
  const golden = goldenAsOurs(readGolden(app.spec.sparkVersion, id));
  const created = { metadata: { name: result.submission?.driverPod.metadata.name, uid: '<DRIVER_POD_UID>' } };
  const ours = {
    driverPod: placeholders(result.submission?.driverPod as Pod, submissionId),
    service: placeholders(ownedByDriverPod(result.submission?.service as Service, created), submissionId),
    configMap: placeholders(result.submission?.configMap as ConfigMap, submissionId),
    template: placeholders(result.submission?.executorPodTemplate as PodTemplate, submissionId),
  };

  test('builds', () => {
    expect(result.problems).toEqual([]);
  });

  test('the driver pod', () => {
    expect(sortHashOrdered(withoutWebhookPatches(ours.driverPod, app, 'driver'))).toEqual(sortHashOrdered(golden.driverPod));
  });

  test('the Service', () => {
    expect(ours.service).toEqual(golden.service);
  });

  test('spark.properties', () => {
    expect(parseProperties(ours.configMap.data['spark.properties'])).toEqual(golden.properties);
    expect(ours.configMap.data['spark.kubernetes.namespace']).toBe(golden.namespaceKey);
  });

  test('the executor pod template', () => {
    expect(withoutWebhookPatches(ours.template, app, 'executor')).toEqual(golden.executorTemplate);
  });
});

test.each(REFUSED)('%s is refused: its driver pod name is over 63 characters', (id) => {
  const entry = corpus.find((e) => e.id === id)!;
  expect(buildSubmission(entry.app, { submissionId: paritySubmissionId(entry.app), now: new Date(0) }).problems.map((p) => p.path)).toEqual(['metadata.name']);
});
