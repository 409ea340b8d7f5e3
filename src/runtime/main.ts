/**
 * The runtime's entry point: the image runs `node cdk8s-spark-operator.js <sub-command> [flags]`.
 * This is the only file that touches `process`: it reads the arguments with the shared contract
 * (`src/core/contract`), starts what they ask for, and turns signals into a graceful stop.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { TERMINATION_GRACE_PERIOD_SECONDS, parseArgs } from '../core';
import { SYSTEM_CLOCK } from '../kube/clock';
import { runController } from './controller/run';
import { runRender, writeAll } from './render/command';
import { DEFAULT_SPARK_MASTER, sparkMasterUrl } from './submission';
import { Logger } from '../kube/log';
import { jsonLogger } from './telemetry/log';
import { OperatorMetrics } from './telemetry/metrics';
import { startMetricsServer } from './telemetry/metrics-server';
import { handleProcessFaults } from './telemetry/process-faults';
import { WebhookMetrics } from './webhook/metrics';
import { runWebhook } from './webhook/run';
import { startEmbeddedTypeChecks } from './webhook/schema';
import { startWebhookTls } from './webhook/tls';

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.command) {
    case 'help':
      await writeAll(process.stdout, `${parsed.text}\n`);
      return 0;
    case 'error':
      await writeAll(process.stderr, parsed.problems.map((problem) => `error: ${problem}\n`).join(''));
      return 2;
    case 'render':
      // The same command as `npm run render`; it resolves once its output is written, so exiting then cuts nothing.
      return runRender(argv.slice(1), process);
    case 'webhook': {
      const { options } = parsed;
      const log = jsonLogger(options.logLevel, (line) => process.stderr.write(`${line}\n`));
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromDefault();
      const metrics = new WebhookMetrics();
      const metricsServer = await startMetricsServer({ port: options.metricsPort, path: options.metricsEndpoint, metrics });
      log.info('serving metrics', { port: metricsServer.port, path: options.metricsEndpoint });
      const webhook = await runWebhook(options, {
        kubeConfig,
        log,
        clock: SYSTEM_CLOCK,
        metrics,
        certificates: (rest) => startWebhookTls(options, { rest: () => rest, clock: SYSTEM_CLOCK, log }),
        embeddedTypes: (rest) => startEmbeddedTypeChecks(rest, { log, clock: SYSTEM_CLOCK }),
      });
      await untilSignal(log, async () => {
        await webhook.stop(WEBHOOK_DRAIN_MS);
        await metricsServer.close();
      });
      return 0;
    }
    case 'controller': {
      const log = jsonLogger(parsed.options.logLevel, (line) => process.stderr.write(`${line}\n`));
      const kubeConfig = new KubeConfig();
      // In a pod: the ServiceAccount token and CA; outside: $KUBECONFIG or ~/.kube/config.
      kubeConfig.loadFromDefault();
      // In a pod, the API server as the drivers reach it; elsewhere, the in-cluster name.
      const { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port } = process.env;
      const sparkMaster = host && port ? sparkMasterUrl(host, port) : DEFAULT_SPARK_MASTER;
      // Metrics are served from the start (process metrics), before the caches sync.
      const metrics = new OperatorMetrics(parsed.options);
      const { metricsPort, metricsEndpoint } = parsed.options;
      const metricsServer = await startMetricsServer({ port: metricsPort, path: metricsEndpoint, metrics });
      log.info('serving metrics', { port: metricsServer.port, path: metricsEndpoint });
      const controller = await runController(parsed.options, {
        kubeConfig,
        log,
        clock: SYSTEM_CLOCK,
        sparkMaster,
        // The pod name, and a suffix of its own: a restarted container must not take its dead self's Lease for its own.
        identity: `${hostname()}_${randomUUID().slice(0, 8)}`,
        onLostLeadership: () => process.exit(1),
        metrics,
      });
      await untilSignal(log, async () => {
        await controller.stop();
        await metricsServer.close();
      });
      return 0;
    }
  }
}

/**
 * How long a stopping webhook keeps serving while not ready, so that the endpoints controller takes
 * its pod out of the Service before it stops answering (no refused AdmissionReview in a rollout).
 */
const WEBHOOK_DRAIN_MS = 3_000;

/** Resolves after SIGTERM or SIGINT once `stop` is done; exits 1 if it outlasts the grace period. */
function untilSignal(log: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info('stopping', { signal });
      // The kubelet kills the pod at the end of its grace period; leave before, whatever is left.
      setTimeout(() => {
        log.error('did not stop in time, exiting', { afterSeconds: TERMINATION_GRACE_PERIOD_SECONDS - 2 });
        process.exit(1);
      }, (TERMINATION_GRACE_PERIOD_SECONDS - 2) * 1000).unref();
      void stop().then(() => {
        log.info('stopped');
        resolve();
      });
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
}

// Before anything else runs: a failure nobody caught is logged as JSON like every other line.
handleProcessFaults(process, jsonLogger('error', (line) => process.stderr.write(`${line}\n`)), (code) => process.exit(code));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'fatal', error: String(error) })}\n`);
    process.exit(1);
  },
);
