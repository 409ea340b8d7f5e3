/**
 * `sparkctl lint`: the Spark objects of YAML (or JSON) text checked with the shared rules
 * (`validate()` of src/core, the controller's and the webhook's), each problem placed at its line
 * and column in the source. Pure: text in, findings out.
 */
import { Document, LineCounter, Node, Pair, YAMLMap, isMap, isScalar, isSeq } from 'yaml';
import { API_GROUP, SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES } from '../api';
import { problemMessage, validate } from '../core';
import { StructuralProblem, structuralProblems } from '../crds/structural-check';
import { MAX_DOCUMENTS, manifestDocuments, readManifestDocument } from '../manifests/yaml-documents';

/** One problem of a file, where it is. */
export interface Finding {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** The field path (`spec.executor.instances`); empty for a problem of the YAML itself. */
  readonly path: string;
  readonly message: string;
}

/** A Spark object read from a file, with where it starts. */
export interface SparkDocument {
  readonly object: Record<string, unknown>;
  readonly kind: string;
  readonly name: string;
  /** The document, to place field paths in. */
  readonly document: Document;
}

/** What one file holds: its Spark objects, how many other objects were skipped, and its YAML errors. */
export interface ReadFile {
  readonly spark: SparkDocument[];
  readonly skipped: number;
  readonly findings: Finding[];
  readonly lineCounter: LineCounter;
}

const SPARK_KINDS: readonly string[] = [SPARK_APPLICATION_NAMES.kind, SCHEDULED_SPARK_APPLICATION_NAMES.kind];

/** Whether an object is one `lint` and `create` take: a Spark kind, or anything of the sparkoperator.k8s.io group. */
function isSparkObject(object: Record<string, unknown>): boolean {
  return SPARK_KINDS.includes(object.kind as string)
    || (typeof object.apiVersion === 'string' && object.apiVersion.startsWith(`${API_GROUP}/`));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The documents of `text`: Spark objects, the count of others, and what is wrong with the YAML, read
 * as `render` reads it (src/manifests: linear duplicate-key check, bounded aliases, documents and
 * nesting).
 */
export function readSparkDocuments(file: string, text: string): ReadFile {
  const { docs, lines: lineCounter } = manifestDocuments(text);
  const findings: Finding[] = [];
  const spark: SparkDocument[] = [];
  let skipped = 0;
  const at = (offset: number, message: string): Finding => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, path: '', message };
  };
  let count = 0;
  for (const document of docs) {
    if (count++ === MAX_DOCUMENTS) {
      findings.push(at(document.range[0], `has more than ${MAX_DOCUMENTS} documents, the most sparkctl reads from one file`));
      break;
    }
    const read = readManifestDocument(document);
    if ('problems' in read) {
      for (const problem of read.problems) findings.push(at(problem.offset ?? document.range[0], `${problem.verdict}: ${problem.message}`));
      continue;
    }
    const object = read.object;
    if (object === null || object === undefined) continue;
    if (!isRecord(object) || !isSparkObject(object)) {
      skipped++;
      continue;
    }
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    spark.push({ object, kind: String(object.kind), name: typeof metadata.name === 'string' ? metadata.name : '', document });
  }
  return { spark, skipped, findings, lineCounter };
}

/** The segments of a field path: `spec.driverIngressOptions[1].servicePort` -> spec, driverIngressOptions, 1, servicePort. */
export function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /\[(\d+)\]|\[['"]([^'"]*)['"]\]|([^.[\]]+)/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(match[2]);
    else segments.push(match[3]);
  }
  return segments;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/**
 * The offset in the source of the field at `path`: the key of the deepest field of the path that the
 * document has (a missing field is shown at its parent's key), so the line shows the field's name.
 * A key with dots (a `sparkConf` key) is matched whole.
 */
export function offsetOfPath(document: Document, path: string): number {
  const segments = pathSegments(path);
  let node: unknown = document.contents;
  let offset = startOf(node) ?? 0;
  let i = 0;
  while (i < segments.length) {
    if (isMap(node)) {
      let found = false;
      // The longest run of segments that is one key first: `spark.driver.memory` under sparkConf.
      for (let j = segments.length; j > i && !found; j--) {
        const key = segments.slice(i, j).join('.');
        const pair = (node as YAMLMap<unknown, unknown>).items
          .find((p: Pair<unknown, unknown>) => (isScalar(p.key) ? String(p.key.value) : undefined) === key);
        if (pair) {
          offset = startOf(pair.key) ?? offset;
          node = pair.value;
          i = j;
          found = true;
        }
      }
      if (!found) break;
    } else if (isSeq(node) && typeof segments[i] === 'number') {
      const item = node.items[segments[i] as number];
      if (item === undefined) break;
      offset = startOf(item) ?? offset;
      node = item;
      i++;
    } else {
      break;
    }
  }
  return offset;
}

/** Every problem of the Spark objects of `text`, placed in the source, in the order of the file. */
export function lintText(file: string, text: string): { findings: Finding[]; checked: number; skipped: number } {
  const read = readSparkDocuments(file, text);
  const findings = [...read.findings];
  for (const doc of read.spark) {
    // As the API server: the schema's types and fields first; the rules read only a well-typed object.
    const structural = structuralProblems(doc.object);
    const problems: StructuralProblem[] = structural.length > 0 ? structural : validate(doc.object);
    const placed = problems.map((problem): Finding => {
      const at = problem.field ?? problem.path;
      const { line, col } = read.lineCounter.linePos(offsetOfPath(doc.document, at));
      return { file, line, column: col, path: problem.path, message: problemMessage(problem) };
    });
    // In the order of the file, as an editor lists them (the sort is stable: rule order within a line).
    findings.push(...placed.sort((a, b) => a.line - b.line || a.column - b.column));
  }
  return { findings, checked: read.spark.length, skipped: read.skipped };
}

/** One finding as a line: `file:line:column: field.path: message` (no path for a YAML error). */
export function formatFinding(finding: Finding): string {
  const where = `${finding.file}:${finding.line}:${finding.column}`;
  return finding.path === '' ? `${where}: ${finding.message}` : `${where}: ${finding.path}: ${finding.message}`;
}
