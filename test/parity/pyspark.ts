/** The pinned Spark distributions (versions.env), installed by install.sh into the cache. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Spark versions pinned in versions.env, in file order. */
export function pinnedSparkVersions(): string[] {
  const text = fs.readFileSync(path.join(__dirname, 'versions.env'), 'utf8');
  return [...text.matchAll(/^SPARK_\d+_VERSION=(\S+)$/gm)].map((m) => m[1]);
}

/**
 * Runs install.sh (which reuses a complete install at once) and returns SPARK_HOME per version.
 * install.sh's progress goes through to our stderr: a cold install downloads about 300 MB per version.
 */
export async function sparkHomes(versions: readonly string[] = pinnedSparkVersions()): Promise<Map<string, string>> {
  const child = run('bash', [path.join(__dirname, 'install.sh'), ...versions], { maxBuffer: 1_048_576, timeout: 30 * 60 * 1000 });
  child.child.stderr?.pipe(process.stderr);
  const { stdout } = await child;
  const homes = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [version, home] = line.trim().split(' ');
    if (version && home) homes.set(version, home);
  }
  for (const v of versions) {
    if (!homes.has(v)) throw new Error(`install.sh printed no SPARK_HOME for Spark ${v}`);
  }
  return homes;
}
