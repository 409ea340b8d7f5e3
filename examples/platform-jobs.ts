import { Chart, Cron, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { PlatformChart, TEAMS, TEAM_LABEL } from './platform';
import { ScheduledSparkApplication, SparkApplication, SparkApplicationType } from '../src';

/**
 * The teams' jobs on the platform of `PlatformChart`: an ad-hoc job and a nightly one per team, each
 * running as its team's `SparkRbac`. Real teams bring their own; this chart is its own Argo CD
 * Application, synced after the platform (see `PlatformChart` for why).
 */
export class PlatformJobsChart extends Chart {
  constructor(scope: Construct, id: string, platform: PlatformChart) {
    // No chart namespace: every job says which team it belongs to.
    super(scope, id);

    for (const team of TEAMS) {
      const serviceAccount = platform.rbacOf(team);
      new SparkApplication(this, `${team.name}-pi`, {
        metadata: { name: 'spark-pi', namespace: team.name, labels: { [TEAM_LABEL]: team.name } },
        image: 'apache/spark:3.5.1',
        sparkVersion: '3.5.1',
        mainClass: 'org.apache.spark.examples.SparkPi',
        mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar',
        serviceAccount,
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
        serviceAccount,
      });
    }
  }
}
