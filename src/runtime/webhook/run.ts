/**
 * Starts the `webhook` sub-command: the health endpoints, the serving certificate, the cluster's
 * schemas of the embedded Kubernetes types, and the admission server; stops them in the reverse
 * order. Every replica serves (no leader election): the API server spreads its calls over the
 * Service's endpoints.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { ValidationContext } from './admit';
import { WebhookMetrics } from './metrics';
import { PodCreationAuthorizer } from './pod-creation-authorizer';
import { admissionRoutes } from './routes';
import { EmbeddedTypeChecks } from './schema';
import { startAdmissionServer } from './server';
import { subjectAccessReviewer } from './subject-access-review';
import { TlsSource } from './tls';
import { WebhookOptions } from '../../core';
import { Clock } from '../../kube/clock';
import { Logger } from '../../kube/log';
import { RestClient } from '../../kube/rest';
import { serveHealth } from '../telemetry/health';

/** What the webhook runs with besides its flags. */
export interface WebhookEnvironment {
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  readonly clock: Clock;
  readonly metrics?: WebhookMetrics;
  /** Starts the certificate source the flags ask for; resolves once it has a certificate. */
  readonly certificates: (rest: RestClient) => Promise<TlsSource>;
  /** Starts the checks of the embedded Kubernetes types. @default - no such checks */
  readonly embeddedTypes?: (rest: RestClient) => EmbeddedTypeChecks;
  /** The address the admission server listens on. @default - every address */
  readonly host?: string;
}

/** A started webhook. */
export interface RunningWebhook {
  /** The port of the admission server. */
  readonly port: number;
  /**
   * Stops being ready (so that the Service stops sending requests), waits `drainMs` for the
   * endpoints to be updated, answers the requests in flight, then stops everything.
   */
  stop(drainMs: number): Promise<void>;
}

/**
 * How long a starting webhook stays not ready while it loads the cluster's schemas of the embedded
 * types: a rollout then moves on to a replica that checks them; past this, it serves without them
 * (failing open, as the loader keeps trying and says so in its log).
 */
export const SCHEMA_READINESS_WAIT_MS = 15_000;

/** How an administrator turns the pod-creation check off, for the refusal message. */
const OPT_OUT_HINT = 'turn this check off for the install (SparkOperator webhookOptions.authorizePodCreation: false, '
  + 'the webhook flag --authorize-pod-creation=false) where everyone who may create SparkApplications may create pods anyway';

/** Serves health, gets a certificate, and serves AdmissionReviews until stopped. */
export async function runWebhook(options: WebhookOptions, env: WebhookEnvironment): Promise<RunningWebhook> {
  const { log, metrics } = env;
  let phase: 'starting' | 'ready' | 'stopping' = 'starting';
  const startedMs = env.clock.now().getTime();
  const health = await serveHealth(options.healthProbePort, () => {
    if (phase === 'starting') return 'no serving certificate yet';
    if (phase === 'stopping') return 'stopping';
    const waited = env.clock.now().getTime() - startedMs;
    const waitingForSchemas = embeddedTypes !== undefined && !embeddedTypes.loaded() && waited < SCHEMA_READINESS_WAIT_MS;
    return waitingForSchemas ? 'loading the cluster\'s schemas of the embedded Kubernetes types' : undefined;
  });
  const observe = metrics && ((verb: string, code: number | undefined, seconds: number) => metrics.observeRequest(verb, code, seconds));
  const rest = RestClient.fromKubeConfig(env.kubeConfig, { observe });
  const authorizer = options.authorizePodCreation
    ? new PodCreationAuthorizer(subjectAccessReviewer(rest), env.clock, (hit) => metrics?.observeAuthorizationCache(hit))
    : undefined;
  const embeddedTypes = env.embeddedTypes?.(rest);
  const validation: ValidationContext = {
    protectedServiceAccounts: options.protectedServiceAccounts,
    embeddedTypeProblems: (object, oldObject) => embeddedTypes?.problems(object, oldObject) ?? [],
    mayCreate: authorizer && ((user, namespace, resource) => authorizer.mayCreate(user, namespace, resource)),
    optOutHint: OPT_OUT_HINT,
  };
  const certificates = await env.certificates(rest);
  const server = await startAdmissionServer(options.port, certificates.current(), admissionRoutes({ validation, log, metrics }), env.host);
  certificates.onChange((certificate) => {
    server.setCertificate(certificate);
    log.info('serving a new certificate');
  });
  phase = 'ready';
  log.info('serving admission reviews', { port: server.port, tlsMode: options.tlsMode, authorizePodCreation: options.authorizePodCreation });
  return {
    port: server.port,
    stop: async (drainMs) => {
      phase = 'stopping';
      await new Promise<void>((resolve) => env.clock.after(drainMs, resolve));
      await server.close();
      await certificates.stop();
      embeddedTypes?.stop();
      await health.close();
    },
  };
}
