import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkOperator, SparkRbac } from '../src';

/** A team on the Spark platform: its namespace is its name; its Spark pods share a CPU quota. */
export interface Team {
  readonly name: string;
  readonly cpuQuota: string;
}

export const TEAMS: readonly Team[] = [
  { name: 'team-analytics', cpuQuota: '40' },
  { name: 'team-ml', cpuQuota: '80' },
];

export const TEAM_LABEL = 'platform.example.com/team';

/**
 * A Spark platform, the way a platform team runs it: one operator, and for every team a namespace, a
 * CPU quota and its driver RBAC (`SparkRbac`). Adding a team is one line in `TEAMS`. The teams' jobs
 * live in `PlatformJobsChart` (examples/platform-jobs.ts), a separate Argo CD Application: Argo CD
 * waits for each sync wave to be healthy, and a SparkApplication is healthy only once it runs, so
 * jobs in this app would hold back the operator's later waves (and a failed job would block them).
 *
 * The operator here watches only the team namespaces and leaves driver RBAC to the teams
 * (`driverRbac: false`); it has its own name and namespace, so it can sit next to `OperatorChart`
 * in the same cluster (the two watch different namespaces). The CRDs come from `CrdsChart`.
 */
export class PlatformChart extends Chart {
  private readonly rbacs = new Map<string, SparkRbac>();

  constructor(scope: Construct, id: string) {
    // No chart namespace: every object says where it lives.
    super(scope, id);

    // Namespaces first: `kubectl apply -f` creates objects in file order, and Argo CD syncs them in
    // the operator's namespace wave (-3), before the operator's RBAC lands in them (wave -1).
    for (const team of TEAMS) {
      new kplus.Namespace(this, `${team.name}-namespace`, {
        metadata: {
          name: team.name,
          labels: { [TEAM_LABEL]: team.name },
          annotations: { 'argocd.argoproj.io/sync-wave': '-3' },
        },
      });
    }

    new SparkOperator(this, 'operator', {
      name: 'spark-platform',
      namespace: 'spark-platform',
      createNamespace: true,
      installCrds: false,
      driverRbac: false,
      jobNamespaces: TEAMS.map((team) => team.name),
    });

    for (const team of TEAMS) {
      new kplus.k8s.KubeResourceQuota(this, `${team.name}-quota`, {
        metadata: { name: 'spark', namespace: team.name },
        spec: { hard: { 'requests.cpu': kplus.k8s.Quantity.fromString(team.cpuQuota) } },
      });
      this.rbacs.set(team.name, new SparkRbac(this, `${team.name}-rbac`, {
        namespace: team.name,
        labels: { [TEAM_LABEL]: team.name },
      }));
    }
  }

  /** The driver RBAC (service account) of a team, for its jobs. */
  public rbacOf(team: Team): SparkRbac {
    const rbac = this.rbacs.get(team.name);
    if (!rbac) throw new Error(`team '${team.name}' is not on the platform: add it to TEAMS`);
    return rbac;
  }
}
