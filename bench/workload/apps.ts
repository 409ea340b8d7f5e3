/**
 * The SparkApplications the benchmark submits: SparkPi from the e2e harness, small pods, every field
 * the upstream webhook would default written out (the upstream controller runs without its webhook
 * here, and its controller never defaults).
 */
import { podOutcomeAnnotations } from '../../test/e2e/harness/kwok-stages';
import { sparkPiSpec } from '../../test/e2e/harness/spark-pi';

/**
 * A scheduler name that no scheduler serves: the driver pods of the burst and steady workloads stay
 * Pending and unbound, so neither kube-scheduler nor kwok adds work that would spill from one
 * measurement into the next. The path measured (create -> driver pod -> SUBMITTED) needs no node.
 */
export const UNSCHEDULED = 'bench-unscheduled';

/** How the driver of a benchmark application behaves. */
export enum DriverBehaviour {
  /** Never scheduled: stays Pending (burst, steady). */
  PENDING = 'pending',
  /** Scheduled, runs for `runFor`, succeeds; the application is deleted `ttlSeconds` after it ends. */
  SUCCEEDS = 'succeeds',
}

/** Options of {@link benchApplication}. */
export interface BenchApplicationOptions {
  readonly namespace: string;
  readonly name: string;
  /** @default DriverBehaviour.PENDING */
  readonly driver?: DriverBehaviour;
  /** How long a succeeding driver runs (Go duration). @default "2s" */
  readonly runFor?: string;
  /** `spec.timeToLiveSeconds` of a succeeding application. @default 5 */
  readonly ttlSeconds?: number;
}

/** One SparkApplication as wire JSON. */
export function benchApplication(options: BenchApplicationOptions): Record<string, any> {
  const succeeds = options.driver === DriverBehaviour.SUCCEEDS;
  const driver = succeeds
    ? { annotations: podOutcomeAnnotations('Succeeded', { runFor: options.runFor ?? '2s' }) }
    : { schedulerName: UNSCHEDULED };
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { namespace: options.namespace, name: options.name },
    spec: {
      ...sparkPiSpec(driver, succeeds ? { timeToLiveSeconds: options.ttlSeconds ?? 5 } : {}),
      restartPolicy: { type: 'Never' },
    },
  };
}

/** `prefix-00001`: names that sort in creation order. */
export function benchName(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(5, '0')}`;
}
