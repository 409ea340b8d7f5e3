import { Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ScheduledSparkApplication, SparkApplication, SparkApplicationType, SparkOperator, SparkRbac,
} from '../src';

/** A team on the Spark platform: its namespace is its name; its Spark pods share a CPU quota. */
interface Team {
  readonly name: string;
  readonly cpuQuota: string;
}

const TEAMS: readonly Team[] = [
  { name: 'team-analytics', cpuQuota: '40' },
  { name: 'team-ml', cpuQuota: '80' },
];

const TEAM_LABEL = 'platform.example.com/team';

/**
 * A Spark platform in one chart, the way a platform team runs it: one operator, and for every team
 * a namespace, a CPU quota, its driver RBAC (`SparkRbac`) and its jobs. Adding a team is one line in
 * `TEAMS`.
 *
 * The operator here watches only the team namespaces and leaves driver RBAC to the teams
 * (`driverRbac: false`); it has its own name and namespace, so it can sit next to `OperatorChart`
 * in the same cluster (the two watch different namespaces). The CRDs come from `CrdsChart`.
 */
export class PlatformChart extends Chart {
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
      const rbac = new SparkRbac(this, `${team.name}-rbac`, {
        namespace: team.name,
        labels: { [TEAM_LABEL]: team.name },
      });

      // An ad-hoc job and a nightly one per team; real teams bring their own.
      new SparkApplication(this, `${team.name}-pi`, {
        metadata: { name: 'spark-pi', namespace: team.name, labels: { [TEAM_LABEL]: team.name } },
        image: 'apache/spark:3.5.1',
        sparkVersion: '3.5.1',
        mainClass: 'org.apache.spark.examples.SparkPi',
        mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
        serviceAccount: rbac,
        executor: { instances: 2, memory: Size.mebibytes(512) },
      });
      new ScheduledSparkApplication(this, `${team.name}-nightly`, {
        metadata: { name: 'nightly-pi', namespace: team.name, labels: { [TEAM_LABEL]: team.name } },
        schedule: Cron.schedule({ minute: '0', hour: '3' }),
        timeZone: 'UTC',
        type: SparkApplicationType.PYTHON,
        image: 'apache/spark:3.5.1',
        sparkVersion: '3.5.1',
        mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
        serviceAccount: rbac,
      });
    }
  }
}
