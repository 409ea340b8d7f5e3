/**
 * The parity corpus: SparkApplications in v1beta2 YAML (test/parity/corpus/*.yaml), each captured with
 * the Spark version its `spec.sparkVersion` names.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { SparkApplication } from '../../src/api/spark-application';

/** The folder of the corpus files. */
export const CORPUS_DIR = path.join(__dirname, 'corpus');

/** One corpus application and the file it came from. */
export interface CorpusEntry {
  /** File name without `.yaml`; also the golden file's name. */
  readonly id: string;
  readonly app: SparkApplication;
}

/** Every corpus application, sorted by file name. Throws on a file that is not one SparkApplication. */
export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const app = parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SparkApplication;
      if (app?.kind !== 'SparkApplication' || !app.metadata?.name || !app.metadata.namespace || !app.spec?.sparkVersion) {
        throw new Error(`${f}: expected a SparkApplication with metadata.name, metadata.namespace and spec.sparkVersion`);
      }
      return { id: f.replace(/\.yaml$/, ''), app };
    });
}

/** The corpus entry `id` (a file name without `.yaml`). */
export function corpusEntry(id: string, dir = CORPUS_DIR): CorpusEntry {
  const entry = loadCorpus(dir).find((e) => e.id === id);
  if (!entry) {
    throw new Error(`no corpus application '${id}' in ${dir}`);
  }
  return entry;
}

/**
 * The submission ID the harness uses for `app`: a UUID derived from its namespace and name, so that
 * the `sparkoperator.k8s.io/submission-id` labels and the pod template folder are the same on every
 * capture (upstream draws a random one per submission). A comparison passes the same ID to the builders.
 */
export function paritySubmissionId(app: SparkApplication): string {
  const h = createHash('sha256').update(`parity/${app.metadata.namespace}/${app.metadata.name}`).digest('hex');
  // Shaped as a version-4 UUID (version and variant nibbles set), like upstream's.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
