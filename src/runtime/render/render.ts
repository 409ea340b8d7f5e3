/**
 * `render`: the objects the controller would create for the SparkApplications of a YAML file, as a
 * YAML stream, without a cluster. Pure (text in, text out); `main.ts` does the I/O.
 *
 * Each application gets upstream's defaults (`applyDefaults`), is validated, and is built with
 * the submission id of its first attempt as the controller derives it (`applicationSubmissionId`;
 * another attempt with the flag `attempt`; a file without `metadata.uid` stands in `<namespace>/<name>`),
 * and a fixed clock (flag `now`, default 1970-01-01T00:00:00Z), so the
 * same file always renders the same output. Objects that need the uid of an object not yet created
 * (the driver pod's, for the ConfigMap and Service; the application's, when the file has none)
 * are printed without that owner reference, with a comment saying so.
 */
import { Document, parseAllDocuments } from 'yaml';
import { SPARK_APPLICATION_NAMES, SparkApplication } from '../../api';
import { applicationSubmissionId, applyDefaults, describeProblem } from '../../core';
import { buildSubmission } from '../submission';

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

/** Renders every SparkApplication of `request.text`; any problem in any of them fails the whole file. */
export function render(request: RenderRequest): RenderResult {
  const errors: string[] = [];
  const out: string[] = [];
  const documents = parseAllDocuments(request.text);
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, index) => {
    const where = `${request.fileName}: document ${index + 1}`;
    if (doc.errors.length > 0) {
      errors.push(`${where}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      return;
    }
    const object: unknown = doc.toJS();
    if (object === null || object === undefined) return;
    if (!isObject(object) || object.kind !== SPARK_APPLICATION_NAMES.kind) {
      errors.push(`${where}: kind ${JSON.stringify(isObject(object) ? object.kind : object)} is not a SparkApplication`);
      return;
    }
    const app = object as unknown as SparkApplication;
    const metadata = isObject(app.metadata) ? app.metadata : {};
    const name = `${metadata.namespace ?? 'default'}/${metadata.name ?? '<no name>'}`;
    const defaulted: SparkApplication = {
      ...app,
      metadata: { ...metadata, namespace: metadata.namespace ?? 'default' },
      spec: isObject(app.spec) ? applyDefaults(app.spec) : app.spec,
    };
    // As the controller names it: the same document, uid (or namespace/name) and attempt give the same id.
    const submissionId = applicationSubmissionId({ metadata: defaulted.metadata, spec: app.spec }, request.attempt);
    const result = buildSubmission(defaulted, { submissionId, now: request.now, ...request.master ? { master: request.master } : {} });
    if (!result.submission) {
      for (const problem of result.problems) errors.push(`${request.fileName}: ${name}: ${describeProblem(problem)}`);
      return;
    }
    const { driverPod, configMap, service } = result.submission;
    const owner = 'ownerReferences: the driver pod (added once it is created, with its uid)';
    out.push(
      yamlDocument(driverPod, metadata.uid ? `submission ${submissionId} of ${name}` : `submission ${submissionId} of ${name}; ownerReferences: the SparkApplication (needs its metadata.uid)`),
      yamlDocument(configMap, owner),
      yamlDocument(service, owner),
    );
  });
  if (errors.length > 0) return { stdout: '', stderr: `${errors.join('\n')}\n`, exitCode: 1 };
  return { stdout: out.join('---\n'), stderr: '', exitCode: 0 };
}
