/** What the controller tells the builders besides the application itself. */
import { BatchSchedulingSettings } from '../../core';

/** `spark.master` when the caller gives none: the API server as pods in the cluster reach it. */
export const DEFAULT_SPARK_MASTER = 'k8s://https://kubernetes.default.svc:443';

/** `SPARK_USER` when the caller gives none: the user upstream's operator image runs spark-submit as. */
export const DEFAULT_SPARK_USER = 'spark';

/** The inputs of {@link buildSubmission} other than the application. */
export interface SubmissionOptions {
  /**
   * The submission's id (`sparkoperator.k8s.io/submission-id`); every generated name and id
   * derives from it (the controller's is `submissionId(uid, attempt)` of `src/core`).
   */
  readonly submissionId: string;
  /** The clock: `spark.app.submitTime` and the date line of `spark.properties`. */
  readonly now: Date;
  /**
   * `spark.master`: `k8s://` and the API server's URL, as upstream passes
   * `k8s://https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` (see {@link sparkMasterUrl}).
   * @default DEFAULT_SPARK_MASTER
   */
  readonly master?: string;
  /**
   * `SPARK_USER` of the driver: the user Spark (and Hadoop) act as.
   * @default DEFAULT_SPARK_USER
   */
  readonly sparkUser?: string;
  /**
   * `spark.ui.proxyBase`, when the controller serves the UI behind an Ingress path (upstream's
   * `--ingress-url-format` with a path); also sets `spark.ui.proxyRedirectUri=/`.
   * @default - no proxy base
   */
  readonly uiProxyBase?: string;
  /**
   * The operator's batch scheduling (`--enable-batch-scheduler` and the rest): which
   * `spec.batchScheduler` names it acts on, and the default.
   * @default BATCH_SCHEDULING_OFF
   */
  readonly batchScheduling?: BatchSchedulingSettings;
}

/** `k8s://https://<host>:<port>`, with an IPv6 host in brackets. */
export function sparkMasterUrl(host: string, port: string | number): string {
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `k8s://https://${shownHost}:${port}`;
}
