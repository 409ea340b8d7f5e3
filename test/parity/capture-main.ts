/**
 * `npm run parity:capture`: regenerates every golden file. Starts its own control plane, installs (or
 * reuses) the pinned pyspark distributions, submits each corpus application with the spark-submit of
 * its `spec.sparkVersion`, writes test/parity/golden/<version>/<id>.json, removes golden files whose
 * application is gone, and stops everything it started.
 *
 * Arguments: corpus ids to capture only those (the other golden files are left alone).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureApplication, prepareParityNamespace } from './capture';
import { CorpusEntry, loadCorpus } from './corpus';
import { GOLDEN_DIR, goldenPath, writeGolden } from './golden';
import { pinnedSparkVersions, sparkHomes } from './pyspark';
import { startControlPlane } from '../e2e/harness/control-plane';

// Two JVMs at a time: more starve each other on a 2-core machine.
const PARALLEL_SUBMISSIONS = 2;

async function main(ids: string[]): Promise<void> {
  const started = Date.now();
  const corpus = loadCorpus().filter((e) => ids.length === 0 || ids.includes(e.id));
  const unknown = ids.filter((id) => !corpus.some((e) => e.id === id));
  if (unknown.length > 0) throw new Error(`no corpus application named ${unknown.join(', ')}`);
  const pinned = pinnedSparkVersions();
  const unpinned = corpus.filter((e) => !pinned.includes(e.app.spec.sparkVersion));
  if (unpinned.length > 0) {
    throw new Error(`spec.sparkVersion must be one of ${pinned.join(', ')}: ${unpinned.map((e) => `${e.id} (${e.app.spec.sparkVersion})`).join(', ')}`);
  }
  const homes = await sparkHomes([...new Set(corpus.map((e) => e.app.spec.sparkVersion))]);
  const controlPlane = await startControlPlane();
  try {
    const target = await prepareParityNamespace(controlPlane.cluster);
    const written = new Set<string>();
    const queue = [...corpus];
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        written.add(await captureOne(target, entry, homes.get(entry.app.spec.sparkVersion) as string));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_SUBMISSIONS }, worker));
    if (ids.length === 0) {
      removeStaleGoldens(written);
    }
    log(`captured ${corpus.length} applications in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  } catch (err) {
    controlPlane.markFailed();
    throw err;
  } finally {
    await controlPlane.stop();
  }
}

async function captureOne(target: Parameters<typeof captureApplication>[0], entry: CorpusEntry, sparkHome: string): Promise<string> {
  const t0 = Date.now();
  const file = writeGolden(await captureApplication(target, entry, sparkHome));
  log(`${entry.app.spec.sparkVersion} ${entry.id}: ${((Date.now() - t0) / 1000).toFixed(1)}s -> ${path.relative(process.cwd(), file)}`);
  return file;
}

function removeStaleGoldens(written: Set<string>): void {
  if (!fs.existsSync(GOLDEN_DIR)) return;
  for (const version of fs.readdirSync(GOLDEN_DIR)) {
    for (const f of fs.readdirSync(path.join(GOLDEN_DIR, version))) {
      const file = goldenPath(version, f.replace(/\.json$/, ''));
      if (!written.has(file)) {
        fs.rmSync(file);
        log(`removed stale ${path.relative(process.cwd(), file)}`);
      }
    }
  }
}

function log(message: string): void {
  process.stderr.write(`[parity] ${message}\n`);
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`[parity] error: ${err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
