/** Running the real `$SPARK_HOME/bin/spark-submit` as a child process. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Options of {@link runSparkSubmit}. */
export interface RunSparkSubmitOptions {
  readonly sparkHome: string;
  readonly args: readonly string[];
  /** Kubeconfig that spark-submit's fabric8 client authenticates with (`KUBECONFIG`). */
  readonly kubeconfig: string;
  /** @default 120_000 */
  readonly timeoutMs?: number;
}

/** How spark-submit ended. */
export interface SparkSubmitResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * JVM flags for both JVMs spark-submit starts (the launcher and SparkSubmit): C1 only and the serial
 * collector roughly halve the CPU of a short-lived JVM, which matters on a 2-core machine.
 */
export const SUBMIT_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m';

/** The user name spark-submit puts in `SPARK_USER` on the driver (as the upstream operator image's user). */
export const SUBMITTER_USER = 'spark';

/**
 * Runs spark-submit and resolves when it exits (non-zero exit included); rejects only when it
 * cannot be started or runs past the timeout (then its whole process group is killed).
 *
 * The environment is built from scratch, because spark-submit copies parts of its own into what it
 * creates: `SPARK_USER` becomes the driver's env, files in `SPARK_CONF_DIR` go into the driver
 * ConfigMap, `HADOOP_CONF_DIR` makes a Hadoop ConfigMap, `PYSPARK_PYTHON` an env var. Only `PATH`,
 * `JAVA_HOME`, a UTF-8 locale (so arguments reach the JVM intact), an empty conf dir and an empty
 * home are passed.
 */
export async function runSparkSubmit(options: RunSparkSubmitOptions): Promise<SparkSubmitResult> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-submit-'));
  fs.mkdirSync(path.join(scratch, 'conf'));
  fs.mkdirSync(path.join(scratch, 'home'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: path.join(scratch, 'home'),
    SPARK_HOME: options.sparkHome,
    SPARK_CONF_DIR: path.join(scratch, 'conf'),
    SPARK_USER: SUBMITTER_USER,
    KUBECONFIG: options.kubeconfig,
    JAVA_TOOL_OPTIONS: SUBMIT_JAVA_OPTIONS,
  };
  try {
    return await new Promise<SparkSubmitResult>((resolve, reject) => {
      const child = spawn(path.join(options.sparkHome, 'bin', 'spark-submit'), [...options.args], {
        env, cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const killGroup = () => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      };
      // Never leave a JVM behind if this process is interrupted.
      process.once('exit', killGroup);
      const timer = setTimeout(() => {
        killGroup();
        reject(new Error(`spark-submit ran longer than ${options.timeoutMs ?? 120_000} ms and was killed\n${stderr.slice(-4000)}`));
      }, options.timeoutMs ?? 120_000);
      child.once('error', (err) => {
        clearTimeout(timer);
        process.removeListener('exit', killGroup);
        reject(err);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        process.removeListener('exit', killGroup);
        // spark-submit's JVM is the group leader's exec; anything it left behind goes too.
        killGroup();
        resolve({ exitCode: code ?? -1, stdout, stderr });
      });
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
