/**
 * `validate()`: every rule the constructs, the CRD's CEL rules and the upstream webhook enforce,
 * over the wire model, with field paths. The constructs call it on what they render (and name the
 * props behind the paths), the controller turns its problems into `errorMessage` and an Event, the
 * webhook into a denial, `sparkctl lint` into lines. The CRD keeps its CEL rules as the API
 * server's own line of defence; a test holds both to the same verdicts.
 */
import { SparkApplicationSpec } from '../api';
import { Problem, ProblemList } from './problems';
import { isObject } from './validation/checks';
import { checkNativeSubmission } from './validation/native-submission';
import { checkScheduledName, checkScheduledSpec } from './validation/scheduled-spark-application';
import { checkApplicationName, checkDriverPodName, checkSparkApplicationSpec } from './validation/spark-application';
import { checkConnectName, checkSparkConnectSpec } from './validation/spark-connect';

function metadataOf(object: Record<string, unknown>): Record<string, unknown> {
  return isObject(object.metadata) ? object.metadata : {};
}

function namespaceOf(metadata: Record<string, unknown>): string | undefined {
  return typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
}

/**
 * The rules of an application spec at `path`, then, once its types are right, what the native
 * submission cannot do (so constructs, webhook and controller refuse it alike).
 */
function checkWholeSpec(problems: ProblemList, path: string, spec: unknown, metadata: Record<string, unknown>): void {
  const before = problems.size;
  checkSparkApplicationSpec(problems, path, spec, namespaceOf(metadata));
  if (problems.size === before) checkNativeSubmission(problems, path, spec as SparkApplicationSpec, metadata.labels);
}

/** The problems of a SparkApplication (any JSON), in rule order; empty when it is valid. */
export function validateSparkApplication(object: unknown): Problem[] {
  const problems = new ProblemList();
  if (!isObject(object)) {
    problems.add('', 'a SparkApplication must be a JSON object');
    return problems.toArray();
  }
  const metadata = metadataOf(object);
  if (checkApplicationName(problems, metadata.name) && isObject(object.spec)) {
    checkDriverPodName(problems, 'spec', metadata.name, object.spec);
  }
  checkWholeSpec(problems, 'spec', object.spec, metadata);
  return problems.toArray();
}

/** The problems of a ScheduledSparkApplication (any JSON), its template included; empty when it is valid. */
export function validateScheduledSparkApplication(object: unknown): Problem[] {
  const problems = new ProblemList();
  if (!isObject(object)) {
    problems.add('', 'a ScheduledSparkApplication must be a JSON object');
    return problems.toArray();
  }
  const metadata = metadataOf(object);
  checkScheduledName(problems, metadata.name);
  if (!isObject(object.spec)) {
    problems.add('spec', 'is required and must be an object');
    return problems.toArray();
  }
  checkScheduledSpec(problems, object.spec);
  checkWholeSpec(problems, 'spec.template', object.spec.template, metadata);
  return problems.toArray();
}

/**
 * The problems of a SparkConnect (any JSON); empty when it is valid. `typedFields`: also refuse
 * `sparkConf` keys that a typed field renders (the constructs' rule).
 */
export function validateSparkConnect(object: unknown, typedFields = false): Problem[] {
  const problems = new ProblemList();
  if (!isObject(object)) {
    problems.add('', 'a SparkConnect must be a JSON object');
    return problems.toArray();
  }
  const metadata = metadataOf(object);
  checkConnectName(problems, metadata.name);
  if (!isObject(object.spec)) {
    problems.add('spec', 'is required and must be an object');
    return problems.toArray();
  }
  checkSparkConnectSpec(problems, object.spec, namespaceOf(metadata), typedFields);
  return problems.toArray();
}

/** The problems of any of the three kinds, chosen by `kind`; an object of another kind is one problem. */
export function validate(object: unknown): Problem[] {
  const kind = isObject(object) ? object.kind : undefined;
  if (kind === 'SparkApplication') return validateSparkApplication(object);
  if (kind === 'ScheduledSparkApplication') return validateScheduledSparkApplication(object);
  if (kind === 'SparkConnect') return validateSparkConnect(object);
  return [{ path: 'kind', message: `must be SparkApplication, ScheduledSparkApplication or SparkConnect (got ${JSON.stringify(kind)})` }];
}
