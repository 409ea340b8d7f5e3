/** Argo CD conventions for the YAML this library renders: sync waves, `ignoreDifferences` entries, health checks. */
import { API_GROUP } from './api';
import { SPARK_APPLICATION_HEALTH_LUA, SPARK_CONNECT_HEALTH_LUA, scheduledSparkApplicationHealthLua } from './argocd-health-scripts';

/** The annotation that orders objects within an Argo CD sync. */
const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The sync wave of each group of operator objects, for {@link ArgoCdSyncWaves.custom}.
 *
 * Argo CD applies a wave only once every object of the previous wave is synced and healthy, and
 * prunes in the reverse order.
 */
export interface ArgoCdSyncWavesOptions {
  /**
   * Wave of the operator Namespace (when `createNamespace` is set).
   *
   * @default -3
   */
  readonly namespace?: number;

  /**
   * Wave of the CustomResourceDefinitions.
   *
   * @default -2
   */
  readonly crds?: number;

  /**
   * Wave of the ServiceAccounts, Roles, ClusterRoles, their bindings, the NetworkPolicies (so the
   * pods never run without them), and the cert-manager Issuer and Certificate.
   *
   * @default -1
   */
  readonly rbac?: number;

  /**
   * Wave of the Deployments, Services, PodDisruptionBudgets and the PodMonitor.
   *
   * @default 0
   */
  readonly workloads?: number;

  /**
   * Wave of the Validating and Mutating webhook configurations: after the webhook Deployment is
   * healthy, so the API server never calls a webhook that has no ready endpoint.
   *
   * @default 1
   */
  readonly webhookConfigurations?: number;
}

/**
 * Which `argocd.argoproj.io/sync-wave` annotation each group of operator objects gets.
 *
 * The default orders a sync as CRDs, then RBAC, then workloads, then webhook configurations. Argo CD
 * prunes in reverse order, so on removal the webhook configurations go first and never point at a
 * webhook that is already gone.
 */
export class ArgoCdSyncWaves {
  /** The default plan: namespace -3, CRDs -2, RBAC -1, workloads 0, webhook configurations 1. */
  public static default(): ArgoCdSyncWaves {
    return new ArgoCdSyncWaves({});
  }

  /** No sync-wave annotations at all (every object in Argo CD's default wave 0). */
  public static none(): ArgoCdSyncWaves {
    return new ArgoCdSyncWaves(undefined);
  }

  /**
   * Custom waves; groups left out keep their default wave.
   *
   * @param options the wave of each group
   */
  public static custom(options: ArgoCdSyncWavesOptions): ArgoCdSyncWaves {
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined && !Number.isInteger(value)) {
        throw new Error(`'syncWaves.${key}' must be an integer (got ${value})`);
      }
    }
    return new ArgoCdSyncWaves(options);
  }

  private constructor(private readonly options: ArgoCdSyncWavesOptions | undefined) {}

  /** @internal annotations for the Namespace */
  public _namespace(): Record<string, string> {
    return this.annotation((o) => o.namespace ?? -3);
  }

  /** @internal annotations for the CRDs */
  public _crds(): Record<string, string> {
    return this.annotation((o) => o.crds ?? -2);
  }

  /** @internal annotations for RBAC objects (and cert-manager objects) */
  public _rbac(): Record<string, string> {
    return this.annotation((o) => o.rbac ?? -1);
  }

  /** @internal annotations for workloads */
  public _workloads(): Record<string, string> {
    return this.annotation((o) => o.workloads ?? 0);
  }

  /** @internal annotations for webhook configurations */
  public _webhookConfigurations(): Record<string, string> {
    return this.annotation((o) => o.webhookConfigurations ?? 1);
  }

  private annotation(pick: (options: ArgoCdSyncWavesOptions) => number): Record<string, string> {
    // Argo CD reads the wave as a string.
    return this.options === undefined ? {} : { [SYNC_WAVE_ANNOTATION]: String(pick(this.options)) };
  }
}

/**
 * One entry of an Argo CD Application's `spec.ignoreDifferences`: fields of one object that Argo CD
 * must not compare with Git because something in the cluster owns them.
 *
 * Put the entries in the Application as they are, and add `RespectIgnoreDifferences=true` to its
 * `syncPolicy.syncOptions` so a sync does not overwrite those fields either.
 */
export interface ArgoCdIgnoreDifference {
  /** API group of the object (`admissionregistration.k8s.io`). */
  readonly group: string;

  /** Kind of the object. */
  readonly kind: string;

  /** Name of the object. */
  readonly name: string;

  /**
   * Namespace of the object.
   *
   * @default - cluster-scoped object
   */
  readonly namespace?: string;

  /** jq path expressions of the fields to ignore. */
  readonly jqPathExpressions: string[];
}

/** Options of {@link ArgoCdHealthChecks.configMapEntries}. */
export interface ArgoCdHealthChecksOptions {
  /**
   * Whether a ScheduledSparkApplication whose last run failed is `Degraded` (until a later run
   * succeeds). When false it stays `Healthy` and its message names the failed run.
   *
   * The check reads the failure from `status.pastFailedRunNames`, which keeps as many failed runs as
   * `failedRunHistoryLimit`: with a limit of 0 no failure is ever seen.
   *
   * @default true
   */
  readonly lastRunFailureDegrades?: boolean;
}

/**
 * Argo CD health checks for SparkApplication, ScheduledSparkApplication and SparkConnect: Lua scripts for the
 * `resource.customizations.health.<group>_<kind>` keys of the `argocd-cm` ConfigMap.
 *
 * Argo CD ships a check for SparkApplication only; this one replaces it (a check in `argocd-cm`
 * wins over the built-in one) and gives every state of the operator a health: a failed application
 * is `Degraded` with its `errorMessage`, a suspended one `Suspended`, a running one `Healthy` once
 * its executors run (with dynamic allocation, at least the minimum), and an object the operator has
 * not seen yet (no `status`) `Progressing`. A ScheduledSparkApplication is `Degraded` when its
 * schedule failed validation (with the reason) or its last run failed, `Suspended` when
 * `spec.suspend` is true, and `Healthy` when scheduled. A SparkConnect is `Healthy` when its server
 * is `Ready`, `Degraded` when `Failed`, and `Progressing` while it starts (with the condition's message).
 *
 * The scripts use only the Lua libraries Argo CD opens for `argocd-cm` scripts by default, so they
 * need no `useOpenLibs` entry.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#custom-health-checks
 */
export class ArgoCdHealthChecks {
  /**
   * The `argocd-cm` data entries: `resource.customizations.health.sparkoperator.k8s.io_SparkApplication`,
   * `..._ScheduledSparkApplication` and `..._SparkConnect`, each mapped
   * to its Lua script. Merge them into the `data` of Argo CD's `argocd-cm`.
   *
   * @param options how the checks judge
   */
  public static configMapEntries(options: ArgoCdHealthChecksOptions = {}): { [key: string]: string } {
    return {
      [healthKey('SparkApplication')]: SPARK_APPLICATION_HEALTH_LUA,
      [healthKey('ScheduledSparkApplication')]: scheduledSparkApplicationHealthLua(options.lastRunFailureDegrades ?? true),
      [healthKey('SparkConnect')]: SPARK_CONNECT_HEALTH_LUA,
    };
  }

  private constructor() {}
}

/** The `argocd-cm` key of a health check: `resource.customizations.health.<group>_<kind>`. */
function healthKey(kind: string): string {
  return `resource.customizations.health.${API_GROUP}_${kind}`;
}
