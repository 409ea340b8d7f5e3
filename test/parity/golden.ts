/** The golden files: test/parity/golden/<spark-version>/<corpus id>.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NormalisedCapture } from './normalise';
import { PodTemplateFile } from './spark-submit-args';

/** The folder of the golden files. */
export const GOLDEN_DIR = path.join(__dirname, 'golden');

/** What one golden file holds: the submission given to spark-submit and what it created. */
export interface Golden extends NormalisedCapture {
  /** The corpus file (without `.yaml`). */
  readonly application: string;
  /** The Spark version of the spark-submit that created it. */
  readonly sparkVersion: string;
  /** The oracle's invocation, normalised like the objects. */
  readonly submit: {
    readonly args: string[];
    readonly driverPodTemplate: PodTemplateFile;
    readonly executorPodTemplate: PodTemplateFile;
  };
}

/** Path of the golden file of corpus entry `id` captured with Spark `version`. */
export function goldenPath(version: string, id: string): string {
  return path.join(GOLDEN_DIR, version, `${id}.json`);
}

/** The golden as its file holds it (2-space JSON, trailing newline): what {@link writeGolden} writes. */
export function goldenText(golden: Golden): string {
  return JSON.stringify(golden, null, 2) + '\n';
}

/** Writes a golden file (creating its folder). */
export function writeGolden(golden: Golden): string {
  const file = goldenPath(golden.sparkVersion, golden.application);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, goldenText(golden));
  return file;
}

/** Reads a golden file. */
export function readGolden(version: string, id: string): Golden {
  return JSON.parse(fs.readFileSync(goldenPath(version, id), 'utf8')) as Golden;
}
