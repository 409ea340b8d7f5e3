/**
 * The Spark Connect client of the end-to-end tests: PyPI's `pyspark[connect]` in a cached virtual
 * environment (`connect-client/install.sh`), and the queries of `connect-client/query.py` run with it
 * against a server.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { OfflineImage } from './binaries';

const run = promisify(execFile);
const CLIENT_DIR = path.resolve(__dirname, '..', 'connect-client');

/** What `query.py` prints: the results of its queries (see the script). */
export interface ConnectQueryResult {
  /** The sum of 1..1000. */
  readonly sum: number;
  /** The rows of a range of 100,000, shuffled. */
  readonly count: number;
  /** The host names the tasks of a Python UDF ran on, sorted. */
  readonly hosts: string[];
  /** The server's Spark version. */
  readonly version: string;
}

/**
 * Installs (or reuses) the client of Spark `version` and returns its Python interpreter. A cold
 * install downloads the client's packages from PyPI (about 80 MB of wheels) and pyspark's wheel unless the
 * parity suite installed it already.
 */
export async function connectClientPython(version: string): Promise<string> {
  const child = run('bash', [path.join(CLIENT_DIR, 'install.sh'), version], { timeout: 30 * 60 * 1000 });
  child.child.stderr?.pipe(process.stderr);
  const { stdout } = await child;
  const [installed, python] = stdout.trim().split(' ');
  if (installed !== version || !python) throw new Error(`connect-client/install.sh printed '${stdout.trim()}', not '${version} <python>'`);
  return python;
}

/** Runs `query.py` with `python` against the server at `url` (`sc://host:port`). */
export async function runConnectQueries(python: string, url: string, timeoutMs = 300_000): Promise<ConnectQueryResult> {
  try {
    const { stdout } = await run(python, [path.join(CLIENT_DIR, 'query.py'), url], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ConnectQueryResult;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`the Spark Connect client failed against ${url}: ${e.message}\n${(e.stderr ?? '').split('\n').slice(-40).join('\n')}`);
  }
}

/** The folder of `query.py` (for a pod that mounts it). */
export const CONNECT_CLIENT_DIR = CLIENT_DIR;

/** The site-packages folder of the client's environment (its packages, for a pod that mounts them). */
export async function connectClientSitePackages(python: string): Promise<string> {
  const { stdout } = await run(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']);
  return stdout.trim();
}

/**
 * Throws unless the client's Python is of the Spark image's Python minor version (its Debian
 * `python3` package in `packages.txt` beside the image's archive): Spark runs a client's Python UDFs
 * only in a worker Python of the same minor version, and a pod runs the client's packages in the
 * image's Python.
 */
export async function assertClientPythonFitsImage(python: string, image: OfflineImage): Promise<void> {
  const { stdout } = await run(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
  const client = stdout.trim();
  const packages = fs.readFileSync(path.join(path.dirname(image.archive), 'packages.txt'), 'utf8');
  const inImage = /^python3 (\d+\.\d+)\./m.exec(packages)?.[1];
  if (client !== inImage) {
    throw new Error(`the Spark Connect client's Python is ${client} (${python}), the Spark image's ${inImage ?? 'unknown'}: `
      + 'Spark runs a client\'s Python UDFs only in a Python of the same minor version (run the tests with a python3 of the image\'s)');
  }
}
