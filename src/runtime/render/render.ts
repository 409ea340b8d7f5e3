/**
 * `render`: the objects the controller would create for the SparkApplications of a YAML file, as a
 * YAML stream, without a cluster. Pure (text in, text out); `command.ts` does the I/O.
 *
 * Each application is checked as the API server would (its CRD's structural schema: types and
 * unknown fields), gets upstream's defaults (`applyDefaults`), is validated, and is built with
 * the submission id of its first attempt as the controller derives it (`applicationSubmissionId`;
 * another attempt with the flag `attempt`; a file without `metadata.uid` stands in `<namespace>/<name>`),
 * and a fixed clock (flag `now`, default 1970-01-01T00:00:00Z), so the
 * same file always renders the same output. A ScheduledSparkApplication renders its next run after
 * `now`: the SparkApplication the scheduled controller would create, then what that one creates.
 * Objects that need the uid of an object not yet created (the driver pod's, for the ConfigMap and
 * Service; the application's, when the file has none) are printed without that owner reference,
 * with a comment saying so. A SparkConnect renders the ConfigMap, server pod and Service its
 * controller creates. Documents of other kinds are skipped, and said so on stderr.
 */
import { Document, LineCounter } from 'yaml';
import {
  SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES, SPARK_CONNECT_NAMES, ScheduledSparkApplication, SparkApplication, SparkConnect,
} from '../../api';
import {
  BUILT_IN_BATCH_SCHEDULERS, Problem, applicationSubmissionId, applyDefaults, boundedText, buildScheduledRun, describeProblem, parseSchedule,
  validateScheduledSparkApplication, validateSparkConnect,
} from '../../core';
import { structuralProblems } from '../../crds/structural-check';
import { MAX_DOCUMENTS, YamlProblem, manifestDocuments, readManifestDocument } from '../../manifests/yaml-documents';
import { connectConfigMap, connectServerPod, connectServerService } from '../controller/spark-connect/objects';
import { DEFAULT_SPARK_MASTER, buildSubmission } from '../submission';

/** What `render` was asked to do. */
export interface RenderRequest {
  /** The name shown in messages (the file's path). */
  readonly fileName: string;
  /** The YAML text: one or more SparkApplications. */
  readonly text: string;
  /** Which submission attempt to render (1 is the first). */
  readonly attempt: number;
  /** The clock of the submission. */
  readonly now: Date;
  /** `spark.master`, when not the in-cluster default. */
  readonly master?: string;
}

/** What `render` prints and how it exits. */
export interface RenderResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: 0 | 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function yamlDocument(object: unknown, comment?: string): string {
  const doc = new Document(object);
  if (comment) doc.commentBefore = ` ${comment}`;
  return doc.toString({ lineWidth: 0 });
}

/** What is wrong with a document's YAML, in one line. */
function describeYamlProblems(problems: readonly YamlProblem[], lines: LineCounter): string {
  const placed = problems.map((p) => {
    if (p.offset === undefined) return p.message;
    const { line, col } = lines.linePos(p.offset);
    return `line ${line}, column ${col}: ${p.message}`;
  });
  return `${problems[0].verdict}: ${placed.join('; ')}`;
}

function nameOf(object: Record<string, unknown>): string {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const show = (value: unknown, fallback: string) => (typeof value === 'string' ? boundedText(value, 100) : fallback);
  return `${show(metadata.namespace, 'default')}/${show(metadata.name, '<no name>')}`;
}

/** How a problem reads after `<file>: document <n> (<ns/name>): `; the object itself needs no subject. */
function describe(problem: Problem): string {
  return problem.path === '' ? `the object ${problem.message}` : describeProblem(problem);
}

/** The objects the controller creates for `app`, as YAML documents, or its problems. */
function renderApplication(app: SparkApplication, request: RenderRequest, comment = ''): { docs: string[] } | { problems: Problem[] } {
  const metadata = isObject(app.metadata) ? app.metadata : {};
  const name = nameOf(app as unknown as Record<string, unknown>);
  const defaulted: SparkApplication = {
    ...app,
    metadata: { ...metadata, namespace: metadata.namespace ?? 'default' },
    spec: isObject(app.spec) ? applyDefaults(app.spec) : app.spec,
  };
  // As the controller names it: the same document, uid (or namespace/name) and attempt give the same id.
  const submissionId = applicationSubmissionId({ metadata: defaulted.metadata, spec: app.spec }, request.attempt);
  // As an operator with the application's batch scheduler enabled would (a name not built in as a kube-scheduler).
  const scheduler = typeof defaulted.spec?.batchScheduler === 'string' ? defaulted.spec.batchScheduler : '';
  const batchScheduling = { enabled: true, kubeSchedulerNames: scheduler && !BUILT_IN_BATCH_SCHEDULERS.includes(scheduler) ? [scheduler] : [] };
  const result = buildSubmission(defaulted, { submissionId, now: request.now, batchScheduling, ...request.master ? { master: request.master } : {} });
  if (!result.submission) return { problems: [...result.problems] };
  const { driverPod, configMap, service, podGroup } = result.submission;
  const owner = 'ownerReferences: the driver pod (added once it is created, with its uid)';
  const header = `${comment}submission ${submissionId} of ${name}`;
  return {
    docs: [
      ...podGroup ? [yamlDocument(podGroup, 'the batch scheduler\'s PodGroup, created before the driver pod')] : [],
      yamlDocument(driverPod, metadata.uid ? header : `${header}; ownerReferences: the SparkApplication (needs its metadata.uid)`),
      yamlDocument(configMap, owner),
      yamlDocument(service, owner),
    ],
  };
}

/** The ConfigMap, server pod and Service the SparkConnect controller creates for `connect`, or its problems. */
function renderConnect(connect: SparkConnect, request: RenderRequest): { docs: string[] } | { problems: Problem[] } {
  const invalid = validateSparkConnect(connect);
  if (invalid.length > 0) return { problems: invalid };
  const uid = connect.metadata.uid;
  const named: SparkConnect = { ...connect, metadata: { ...connect.metadata, namespace: connect.metadata.namespace ?? 'default', uid: uid ?? '' } };
  const objects = [connectConfigMap(named), connectServerPod(named, request.master ?? DEFAULT_SPARK_MASTER), connectServerService(named)];
  // Without a uid there is no owner reference to write: said so once, above the first object.
  const owned = objects.map((o) => (uid ? o : { ...o, metadata: { ...o.metadata, ownerReferences: undefined } }));
  const comment = uid ? undefined : `ownerReferences: the SparkConnect ${nameOf(connect as unknown as Record<string, unknown>)} (needs its metadata.uid)`;
  return { docs: owned.map((o, i) => yamlDocument(JSON.parse(JSON.stringify(o)), i === 0 ? comment : undefined)) };
}

/** The next run of `scheduled` after `request.now` and what it creates, or its problems. */
function renderScheduled(scheduled: ScheduledSparkApplication, request: RenderRequest): { docs: string[] } | { problems: Problem[] } {
  const invalid = validateScheduledSparkApplication(scheduled);
  if (invalid.length > 0) return { problems: invalid };
  const { schedule, problem } = parseSchedule(scheduled.spec.schedule, scheduled.spec.timeZone || undefined);
  if (!schedule) return { problems: [{ path: 'spec.schedule', message: problem }] };
  const due = schedule.next(request.now);
  const namespace = scheduled.metadata.namespace ?? 'default';
  const run = buildScheduledRun({ ...scheduled, metadata: { ...scheduled.metadata, namespace } }, due.getTime());
  const name = `${namespace}/${scheduled.metadata.name}`;
  const ownedBy = scheduled.metadata.uid ? '' : '; ownerReferences: the ScheduledSparkApplication (needs its metadata.uid)';
  const runObject = scheduled.metadata.uid ? run : { ...run, metadata: { ...run.metadata, ownerReferences: undefined } };
  const built = renderApplication(
    runObject as SparkApplication,
    request,
    `run ${run.metadata.name} of ${name}, due ${due.toISOString()}: `,
  );
  if ('problems' in built) {
    // The run's paths are the template's.
    return { problems: built.problems.map((p) => ({ path: p.path.replace(/^spec(?=$|[.[])/, 'spec.template'), message: p.message })) };
  }
  return { docs: [yamlDocument(JSON.parse(JSON.stringify(runObject)), `the run of ${name} due ${due.toISOString()}${ownedBy}`), ...built.docs] };
}

/**
 * Renders every SparkApplication and ScheduledSparkApplication of `request.text`; any problem in any
 * of them fails the whole file. Documents of other kinds are skipped (a note on stderr).
 */
export function render(request: RenderRequest): RenderResult {
  // Problems and notes in document order; any problem fails the file.
  const messages: string[] = [];
  let failed = false;
  const errors = { push: (...lines: string[]) => { messages.push(...lines); failed = true; } };
  const notes = { push: (...lines: string[]) => messages.push(...lines) };
  const out: string[] = [];
  const { docs, lines } = manifestDocuments(request.text);
  let count = 0;
  for (const doc of docs) {
    if (count === MAX_DOCUMENTS) {
      errors.push(`${request.fileName}: has more than ${MAX_DOCUMENTS} documents, the most render reads from one file`);
      break;
    }
    const index = count++;
    try {
      renderDocument(doc, index);
    } catch (error) {
      // A last line of defence: one line and exit 1, never a stack trace (nothing is known to get here).
      errors.push(`${request.fileName}: document ${index + 1}: cannot be rendered: ${boundedText(String(error), 300)}`);
    }
  }

  function renderDocument(doc: Document.Parsed, index: number): void {
    const where = `${request.fileName}: document ${index + 1}`;
    const parsed = readManifestDocument(doc);
    if ('problems' in parsed) {
      errors.push(`${where}: ${describeYamlProblems(parsed.problems, lines)}`);
      return;
    }
    const object = parsed.object;
    if (object === null || object === undefined) return;
    if (!isObject(object)) {
      errors.push(`${where}: must be a Kubernetes object (a mapping with apiVersion and kind), got ${boundedText(JSON.stringify(object) ?? String(object), 200)}`);
      return;
    }
    const kind = object.kind;
    if (kind !== SPARK_APPLICATION_NAMES.kind && kind !== SCHEDULED_SPARK_APPLICATION_NAMES.kind && kind !== SPARK_CONNECT_NAMES.kind) {
      notes.push(`${where}: skipped: kind ${boundedText(JSON.stringify(kind) ?? 'undefined', 200)} is not a SparkApplication, ScheduledSparkApplication or SparkConnect`);
      return;
    }
    const at = `${where} (${kind} ${nameOf(object)})`;
    const shape = structuralProblems(object);
    if (shape.length > 0) {
      for (const problem of shape) errors.push(`${at}: ${describe(problem)}`);
      return;
    }
    const spec = isObject(object.spec) ? object.spec : {};
    if (kind === SCHEDULED_SPARK_APPLICATION_NAMES.kind && spec.suspend === true) {
      notes.push(`${at}: suspended (spec.suspend): the scheduled controller starts no run until it is resumed; rendered is the run it would start next`);
    }
    const result = kind === SPARK_APPLICATION_NAMES.kind ? renderApplication(object as unknown as SparkApplication, request)
      : kind === SPARK_CONNECT_NAMES.kind ? renderConnect(object as unknown as SparkConnect, request)
        : renderScheduled(object as unknown as ScheduledSparkApplication, request);
    if ('problems' in result) {
      for (const problem of result.problems) errors.push(`${at}: ${describe(problem)}`);
      return;
    }
    out.push(...result.docs);
  }
  const stderr = messages.map((line) => `${line}\n`).join('');
  if (failed) return { stdout: '', stderr, exitCode: 1 };
  return { stdout: out.join('---\n'), stderr, exitCode: 0 };
}
