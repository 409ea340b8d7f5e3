/** Applications and options the submission tests share. */
import { SparkApplication, SparkApplicationSpec } from '../../../src/api';
import { Pod, PodContainer, Submission, SubmissionOptions, buildSubmission } from '../../../src/runtime/submission';

/** The submission id of the tests (any UUID-shaped id), and what derives from it. */
export const SUBMISSION_ID = '1c8d3881-ec2b-490d-bec3-41f43022bcdd';
export const APP_ID = 'spark-d4f98f14639081a1dcbfd03ba67fc352';
export const RESOURCE_ID = '00d64f75d5845245';
export const CONFIG_MAP = `spark-drv-${RESOURCE_ID}-conf-map`;
export const SERVICE = `spark-pi-${RESOURCE_ID}-driver-svc`;
export const LOCAL_DIR = '/var/data/spark-84d5cd16-b595-41af-93bf-f59458ab5804';
export const APP_UID = '6c0ffee0-0000-4000-8000-000000000001';

export const NOW = new Date('2026-08-18T10:00:00Z');
export const OPTIONS: SubmissionOptions = { submissionId: SUBMISSION_ID, now: NOW, master: 'k8s://https://10.0.0.1:443' };

type SpecChanges = Omit<Partial<SparkApplicationSpec>, 'driver' | 'executor'> & {
  driver?: Partial<SparkApplicationSpec['driver']>;
  executor?: Partial<SparkApplicationSpec['executor']>;
};

/** SparkPi on Spark 3.5.1, as in the reference's example (A.9), with `changes` on top (roles merged). */
export function sparkPi(changes: SpecChanges = {}, metadata: Partial<SparkApplication['metadata']> = {}): SparkApplication {
  const { driver, executor, ...rest } = changes;
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'spark-pi', namespace: 'spark-jobs', uid: APP_UID, ...metadata },
    spec: {
      type: 'Scala',
      mode: 'cluster',
      sparkVersion: '3.5.1',
      image: 'apache/spark:3.5.1',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
      arguments: ['1000'],
      ...rest,
      driver: { cores: 1, memory: '512m', serviceAccount: 'spark', ...driver },
      executor: { instances: 2, cores: 1, memory: '512m', ...executor },
    },
  };
}

/** The submission of `app`; fails the test with the problems when there is none. */
export function build(app: SparkApplication, options: SubmissionOptions = OPTIONS): Submission {
  const result = buildSubmission(app, options);
  if (!result.submission) throw new Error(`unexpected problems: ${JSON.stringify(result.problems, null, 2)}`);
  return result.submission;
}

/** The problems of `app`'s submission. */
export function problemsOf(app: SparkApplication, options: SubmissionOptions = OPTIONS) {
  return buildSubmission(app, options).problems;
}

/** The container named `name` (default: the driver's). */
export function containerOf(pod: Pick<Pod, 'spec'>, name = 'spark-kubernetes-driver'): PodContainer {
  const container = pod.spec.containers.find((c) => c.name === name);
  if (!container) throw new Error(`no container ${name} in ${JSON.stringify(pod.spec.containers.map((c) => c.name))}`);
  return container;
}

/** The names of a container's environment variables, in order. */
export function envNames(container: PodContainer): string[] {
  return (container.env ?? []).map((e) => e.name);
}
